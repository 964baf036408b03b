export { EventSourceDevtools, type EventSourceDevtoolsProps } from './EventSourceDevtools'
export { getStreams, type InspectedStream, subscribeToStreams } from './inspect'
export { type InspectedEvent, KEPT_EVENTS } from './tally'
