export { useEventSource } from './useEventSource'
export { EventSourceError, type EventSourceErrorKind } from './core/EventSourceError'
export { RECONNECTION_TIME, type ReconnectDelayOptions, reconnectDelay } from './core/policy'
export type {
  ConnectionOptions,
  EventName,
  Events,
  EventSourceConstructor,
  EventSourceControls,
  EventSourceLike,
  EventSourceMessage,
  EventSourceResult,
  EventSourceStatus,
  NamedEvents,
  Payload,
  Received,
  ReconnectOptions,
  ReducedEventSourceResult,
  ReduceOptions,
  UseEventSourceArgs,
  UseEventSourceOptions,
} from './core/types'
