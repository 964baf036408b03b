import { useEventSource } from 'use-event-source'

type Tick = { n: number; prompt?: string }

/** Status, last id and data of one stream; a `body` makes it a POST (the fetch transport). */
export function Stream({ url, body }: { url: string; body?: object }) {
  const { status, data, lastEventId } = useEventSource<Tick>(url, body ? { body } : {})
  return (
    <section data-testid="stream">
      <p>
        status: <b id="status">{status}</b>
      </p>
      <p>
        last id: <b id="last">{lastEventId}</b>
      </p>
      <pre id="data">{JSON.stringify(data)}</pre>
    </section>
  )
}

export const App = () => <Stream url="/sse" />
export const PostApp = () => <Stream url="/sse" body={{ prompt: 'hi' }} />
