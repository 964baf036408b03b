export { EventSourceDevtools, type EventSourceDevtoolsProps } from './EventSourceDevtools'
export { getStreams, type InspectedEvent, type InspectedStream, KEPT_EVENTS, subscribeToStreams } from './inspect'
