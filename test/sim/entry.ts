/** What the simulator takes from the library: the same modules the hook uses, bundled once and evaluated per tab. */
export { acquireConnection, createConnectionKey } from '../../src/core/registry'
export { observe } from '../../src/core/observers'
export { createHookState, createView } from '../../src/core/view'
