/** The type of what the simulator takes from the library (bundle.ts bundles the same exports from the source). */
export { acquireConnection, createConnectionKey } from '../../src/core/registry'
export { observe } from '../../src/core/observers'
export { createHookState, createView } from '../../src/core/view'
