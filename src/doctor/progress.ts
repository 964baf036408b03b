import type { Progress } from './doctor'

/**
 * The live line under the command while it watches, rewritten in place; nothing at all when `stream` is not a
 * terminal (CI logs, pipes), where carriage returns would pile up.
 */
export function createProgressLine(stream: NodeJS.WriteStream) {
  const live = stream.isTTY === true
  let shown = false
  return {
    update({ left, events, waitingFor }: Progress) {
      if (!live) return
      const line = `watching: ${Math.ceil(left / 1000)} s left, ${events} event${events === 1 ? '' : 's'} so far, waiting for ${waitingFor}`
      stream.write(`\r\x1b[2K${line.slice(0, Math.max(20, (stream.columns || 80) - 1))}`)
      shown = true
    },
    clear() {
      if (shown) stream.write('\r\x1b[2K')
      shown = false
    },
  }
}
