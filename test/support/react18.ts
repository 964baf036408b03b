import Module from 'node:module'

/**
 * Setup of the React 18 project: the dependencies that vitest loads through
 * Node (testing-library, react-dom's own require calls) get React 18 too.
 * The test files' imports are sent there by the project's resolve.alias.
 */
const resolver = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string }
const resolve = resolver._resolveFilename
resolver._resolveFilename = function (request, ...rest) {
  return resolve.call(this, request.replace(/^react(-dom)?(\/.*)?$/, 'react$1-18$2'), ...rest)
}
