export { CrossTabEventSource, type CrossTabEventSourceInit } from './CrossTabEventSource'
