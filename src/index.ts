export { useEventSource } from './useEventSource'
export { EventSourceError, type EventSourceErrorKind } from './core/EventSourceError'
export { type ReconnectDelayOptions, reconnectDelay } from './core/reconnectDelay'
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
