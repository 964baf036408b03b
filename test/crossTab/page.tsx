import { createRoot } from 'react-dom/client'
import { getStreams } from '../../src/devtools'
import { type EventSourceResult, useEventSource } from '../../src/index'
import { setHidden } from '../support/visibility'

/**
 * One tab of the cross-tab tests: a hook on the stream named in the page's query, folding every event's `n` into a
 * list. `plain=1`: without `crossTab` (what the hook alone does); `headers=1`: a header (the stream goes through
 * fetch); `events=a,b`: the event types the hook takes; `pause=ms`: `pauseWhenHidden`.
 */
const query = new URLSearchParams(location.search)
const url = query.get('stream') as string
let latest: EventSourceResult<number[]> | undefined
/** What the page let escape: uncaught errors and unhandled rejections. */
const escaped: string[] = []
addEventListener('error', (event) => escaped.push(String(event.message)))
addEventListener('unhandledrejection', (event) => escaped.push(String(event.reason)))

function Tab() {
  const result = useEventSource<{ n: number }, number[]>(url, {
    ...(query.get('plain') ? {} : { crossTab: true }),
    ...(query.get('headers') ? { headers: { 'X-Token': 'abc' } } : {}),
    ...(query.get('events') ? { events: query.get('events')?.split(',') } : {}),
    ...(query.get('pause') ? { pauseWhenHidden: Number(query.get('pause')) } : {}),
    reduce: (list, message) => [...list, message.data.n],
    initial: [],
  })
  latest = result as unknown as EventSourceResult<number[]>
  return <pre id="tab">{`${result.status} ${result.data.length}`}</pre>
}

const tab = {
  status: () => latest?.status,
  error: () => latest?.error && { kind: latest.error.kind, status: latest.error.status, message: latest.error.message },
  received: () => latest?.data ?? [],
  // Built for development: the devtools' inspection API says which tab runs the stream.
  leading: () => getStreams()[0]?.transport.startsWith('cross-tab leader') ?? false,
  reconnect: () => latest?.reconnect(),
  close: () => latest?.close(),
  escaped: () => escaped,
  // The page as the browser would show it hidden or shown again (a tab in the background, a minimized window).
  hide: () => setHidden(true),
  show: () => setHidden(false),
}
Object.assign(window, { tab })
export type TabApi = typeof tab

createRoot(document.getElementById('root') as HTMLElement).render(<Tab />)
