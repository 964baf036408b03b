import { createRoot } from 'react-dom/client'
import { CrossTabEventSource } from '../../src/crossTab'
import { type EventSourceResult, useEventSource } from '../../src/index'

/** One tab of the cross-tab test: a hook on the stream named in the page's query, folding every event's `n` into a list. */
const url = new URLSearchParams(location.search).get('stream') as string
let latest: EventSourceResult<number[]> | undefined

function Tab() {
  const result = useEventSource<{ n: number }, number[]>(url, {
    EventSource: CrossTabEventSource,
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
  leading: () => CrossTabEventSource.holds(url),
  reconnect: () => latest?.reconnect(),
  close: () => latest?.close(),
}
Object.assign(window, { tab })
export type TabApi = typeof tab

createRoot(document.getElementById('root') as HTMLElement).render(<Tab />)
