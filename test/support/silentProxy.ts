import { createServer, type Socket, connect } from 'node:net'
import type { AddressInfo } from 'node:net'

/** A TCP proxy whose sockets can all go silent at once, as when a network goes away under keep-alive connections. */
export interface SilentProxy {
  /** The proxy's origin, e.g. http://127.0.0.1:41235 */
  url: string
  /**
   * `false`: every socket goes silent (open, nothing forwarded either way), and new ones are accepted and then
   * ignored: a request gets no answer and no error. `true`: new sockets are forwarded again; the silent ones stay
   * silent, as sockets that died with the old network do.
   */
  forward(on: boolean): void
  close(): Promise<void>
}

/** Starts a proxy on 127.0.0.1 to `port` on 127.0.0.1. */
export async function startSilentProxy(port: number): Promise<SilentProxy> {
  let forwarding = true
  const live = new Set<[Socket, Socket]>()
  const all = new Set<Socket>()
  const silence = (socket: Socket) => {
    socket.unpipe()
    socket.removeAllListeners('data')
    socket.on('data', () => {}) // read and dropped
  }
  const server = createServer((client) => {
    all.add(client)
    client.on('error', () => {})
    client.on('close', () => all.delete(client))
    if (!forwarding) return silence(client)
    const upstream = connect(port, '127.0.0.1')
    const pair: [Socket, Socket] = [client, upstream]
    all.add(upstream)
    live.add(pair)
    upstream.on('error', () => client.destroy())
    upstream.on('close', () => {
      all.delete(upstream)
      // A silent socket hears nothing, not even the end.
      if (live.delete(pair)) client.destroy()
    })
    client.on('close', () => upstream.destroy())
    client.pipe(upstream)
    upstream.pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    forward(on) {
      forwarding = on
      if (on) return
      for (const pair of live) pair.forEach(silence)
      live.clear()
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of all) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
