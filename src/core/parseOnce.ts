/**
 * One JSON.parse per event for all the hooks of a stream: a connection tells its hooks of an event one after another,
 * in one task, and those with the default parser get the same value (as React state, it is to be read, not changed).
 * `delivered()` is called by the connection before each event, so that two events with the same text are two values.
 */
let delivery = 0
let parsedAt = -1
let parsedText = ''
let parsedValue: unknown

export function delivered(): void {
  delivery += 1
}

export function parseJson(text: string): unknown {
  if (parsedAt !== delivery || parsedText !== text) {
    parsedValue = JSON.parse(text) // a throw leaves the cache as it was
    parsedText = text
    parsedAt = delivery
  }
  return parsedValue
}
