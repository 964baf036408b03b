import { byteString } from '../core/byteString'
import { idsOf } from './measure'
import type { ResumeTrial } from './types'
import { type Watch, type WatchRequest, watchStream } from './watch'

/** Resolves once the watch has seen two ids (the one to resume after, and the one that should follow it). */
function twoIds(watch: Watch): Promise<[string, string] | undefined> {
  const found = () => {
    const [after, expected] = new Set(idsOf(watch.recording))
    return after !== undefined && expected !== undefined ? ([after, expected] as [string, string]) : undefined
  }
  return new Promise((resolve) => {
    const unsubscribe = watch.subscribe(() => {
      if (!found()) return
      unsubscribe()
      resolve(found())
    })
    void watch.done.then(() => resolve(found()))
    if (found()) resolve(found())
  })
}

/**
 * The resume trial, as the browser reconnects: the same request again with `Last-Event-ID` set to the first id the
 * watch saw (as its UTF-8 bytes), until the first event with an id comes or `signal` aborts.
 */
export async function tryResume(
  watch: Watch,
  request: WatchRequest,
  signal: AbortSignal,
): Promise<ResumeTrial | undefined> {
  const pair = await twoIds(watch)
  if (!pair || signal.aborted) return undefined
  const [after, expected] = pair
  const resumed = await watchStream(
    { ...request, headers: { ...request.headers, 'Last-Event-ID': byteString(after) } },
    signal,
    (recording) => idsOf(recording).length > 0,
  ).done
  const ids = idsOf(watch.recording)
  const at = ids.indexOf(after)
  return { after, expected, before: ids.slice(0, at + 1), later: ids.slice(at + 1), got: idsOf(resumed)[0] }
}
