export { type EmitOptions, type FailOptions, MockEventSource } from './MockEventSource'
