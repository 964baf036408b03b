import { EventSourceError } from '../EventSourceError'
import type { Transport, TransportHandle } from './types'

/**
 * A transport whose code is loaded on first use, so that bundlers split it
 * into a chunk that apps which never need it never fetch. Event types asked
 * for while it loads are passed on once it is there.
 */
export function lazyTransport(load: () => Promise<Transport>): Transport {
  return (request, handlers) => {
    let handle: TransportHandle | undefined
    let closed = false
    const types: string[] = []
    load().then(
      (transport) => {
        if (closed) return
        handle = transport(request, handlers)
        for (const type of types) handle.listen(type)
      },
      (cause: unknown) => {
        if (!closed) handlers.error(new EventSourceError('network', 'A transport chunk failed to load', { cause }), true)
      },
    )
    return {
      listen(type) {
        if (handle) handle.listen(type)
        else types.push(type)
      },
      close() {
        closed = true
        handle?.close()
      },
    }
  }
}
