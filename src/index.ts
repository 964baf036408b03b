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
  Payload,
  Received,
  ReconnectOptions,
  ReducedEventSourceResult,
  ReduceOptions,
  UseEventSourceOptions,
} from './core/types'
