import { type Connection, createConnection } from './connection'
import type { ConnectionOptions } from './types'

const connections = new Map<string, Connection>()
const constructorIds = new WeakMap<object, number>()
let constructors = 0
function identify(value: object): number {
  const id = constructorIds.get(value) ?? ++constructors
  constructorIds.set(value, id)
  return id
}

/**
 * What makes two hooks' streams the same: url, credentials, constructor,
 * header values, method, body and transport. Functions (a headers function) count as equal whatever
 * their identity, so inline options never reconnect; the policy options are
 * read live by the connection and are not part of it.
 */
export function connectionKey(url: string | URL, { withCredentials, EventSource, headers, method, body, transport }: ConnectionOptions): string {
  return JSON.stringify([
    String(url),
    !!withCredentials,
    EventSource && identify(EventSource),
    typeof headers === 'function' ? 0 : headers,
    method,
    body,
    transport,
  ])
}

/** The connection for `key`, created on first use and forgotten when it closes. */
export function acquireConnection(key: string, url: string | URL, getOptions: () => ConnectionOptions): Connection {
  let connection = connections.get(key)
  if (!connection) {
    const created = createConnection(url, getOptions, () => {
      if (connections.get(key) === created) connections.delete(key)
    })
    connections.set(key, created)
    connection = created
  }
  return connection
}
