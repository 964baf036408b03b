export { type Environment, setEnvironment } from '../core/environment'
export { type EmitOptions, type FailOptions, MockEventSource } from './MockEventSource'
