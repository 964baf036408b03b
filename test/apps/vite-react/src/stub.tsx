// What the app would be without the library (`vite build --mode stub`): test/apps/run.ts weighs the library as what
// the real page loads minus what this build is.
export const useEventSource = (_url: string, _options?: object) => ({
  status: 'idle',
  data: undefined as { n: number; prompt?: string } | undefined,
  lastEventId: '',
})

export const EventSourceDevtools = () => null
