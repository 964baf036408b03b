// Budgets for what an app downloads. Code behind a dynamic import() (the
// polyfill, the fetch transport) is a chunk of its own, fetched only when a
// stream needs it, so the first line leaves it out; the chunks have lines of
// their own.
const dynamicImportsStayChunks = {
  name: 'dynamic-imports-stay-chunks',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined,
    )
  },
}
// tsup's chunks import one another bare for their order ("./chunk-X.js"); with `sideEffects: false` esbuild warns
// that it drops such an import, which is right: those chunks only export.
const esm = (config) => ({
  ...config,
  format: 'esm',
  plugins: [...(config.plugins ?? []), dynamicImportsStayChunks],
  logOverride: { ...config.logOverride, 'ignored-bare-import': 'silent' },
})

export default [
  {
    name: '{ useEventSource }, everything loaded up front',
    path: 'dist/index.js',
    import: '{ useEventSource }',
    ignore: ['react'],
    gzip: true,
    // Issues 20 and 21 aimed at 3.4 kB. The seams they asked for (the attempt as a unit, the observer seam and the
    // development registration, the cross-tab seam, loading liveness, a state that carries its retry, one parse per
    // event, a connection key kept across renders) measure 3.93 kB; cross-tab, liveness and the fetch transport are
    // chunks. What each costs: issue 20's closing note. Issue 25 added 0.32 kB: an answer (not a GET) left alone by
    // liveness, the memory of an attempt waiting for its answer (a wake-up restarts it), a chunk that failed to load
    // never sending a stream natively without its id, and pauseWhenHidden's pause and resume; the clocks themselves
    // (the answer's deadline, the hidden page's) are in the liveness chunk. Issue 26 added 0.3 kB more: named inputs
    // into one transition, the transport memory as a unit of attempt.ts, each failure told once per hook, followers
    // without a deadline, same-origin resumes never native. (Issue 26 aimed at 4.2 kB: not met.) Issue 27: one registry
    // and one set of observers per page however many copies of the library it loads (pageShared), 67 B. Issue 26's
    // reshaping took 235 B out: the cross-tab side of the connection and the liveness clock's wiring (what silence, no
    // answer and a wake-up do) now live in their chunks, which drive the connection through its Controls. Issue 26's
    // environment seam, everything the library takes from the page in one swappable object: 55 B.
    limit: '4.7 kB',
    modifyEsbuildConfig: esm,
  },
  {
    name: 'the fetch transport chunk with eventsource-parser, loaded for POST streams, headers and the reconnects the library makes',
    path: 'dist/fetch-*.js',
    gzip: true,
    limit: '3 kB',
    modifyEsbuildConfig: esm,
  },
  {
    name: 'the cross-tab chunk, loaded by streams with crossTab: true',
    path: 'dist/share-*.js',
    gzip: true,
    // Issue 26: the channel closed for the back/forward cache, hellos with their own welcomes, failures with names.
    // Issue 26, defect 8: collision-proof names, SHA-256 of the stream for the lock and the channel (src/crossTab/
    // digest.ts, its constants computed), 0.48 kB (1.94 -> 2.42 kB). Then the election, log and notes as units, the
    // position a leader leaves behind (defect 3), passive joins (defect 6), logs kept by stream, the notes' version,
    // pauseWhenHidden across tabs, and the environment seam: 3.14 kB, as size-limit bundles the chunk with the core
    // modules it imports (a page downloads those once, with the core). The chunk's own reads of the page through the
    // environment: 3.2 kB.
    limit: '3.3 kB',
    modifyEsbuildConfig: esm,
  },
  {
    name: 'the liveness chunk (the open stream’s clock and the page’s wake-ups), loaded when a stream starts',
    path: 'dist/watch-*.js',
    gzip: true,
    // Issue 25: the answer's deadline joined the cadence's clock (0.79 -> 1.06 kB); pauseWhenHidden's watch is a
    // chunk of its own, loaded from here by the streams that set it. Issue 26: the clock's wiring to the connection
    // moved here from the core (watch.ts), 1.06 -> 1.49 kB as size-limit bundles it with the core modules it imports.
    // Issue 26's environment seam (src/core/environment.ts, which the chunk's timers and wake-ups read): 1,494 ->
    // 1,562 B as measured here, the seam's own code counted again; in a page it is the core's, 55 B.
    limit: '1.6 kB',
    modifyEsbuildConfig: esm,
  },
  {
    name: '{ useEventSource } from use-event-source/schema (the hook with the schema option), everything loaded up front',
    path: 'dist/schema.js',
    import: '{ useEventSource }',
    ignore: ['react'],
    gzip: true,
    // The core hook and the schema option: it follows the core (issue 26's runner and environment seam, 5.0 kB).
    limit: '5.1 kB',
    modifyEsbuildConfig: esm,
  },
  {
    // What TanStack's devtools do: in a production build (NODE_ENV=production, as here) the component renders
    // nothing and takes nothing of the panel with it, so that leaving it in the app costs a few bytes.
    name: '{ EventSourceDevtools } from use-event-source/devtools, in a production build',
    path: 'dist/devtools.js',
    import: '{ EventSourceDevtools }',
    ignore: ['react', 'react-dom'],
    gzip: true,
    limit: '200 B',
    modifyEsbuildConfig: esm,
  },
  {
    name: 'the event-source-polyfill chunk, loaded only where there is no EventSource',
    path: 'dist/polyfill-*.js',
    gzip: true,
    limit: '6 kB',
    modifyEsbuildConfig: esm,
  },
]
