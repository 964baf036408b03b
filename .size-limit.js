// Budgets for what an app downloads up front. Code behind a dynamic import()
// (the polyfill, other transports) is a chunk of its own, fetched only when
// needed, so it is left out here and measured on its own line.
const dynamicImportsStayChunks = {
  name: 'dynamic-imports-stay-chunks',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined))
  },
}

export default [
  {
    name: '{ useEventSource }, everything loaded up front',
    path: 'dist/index.js',
    import: '{ useEventSource }',
    ignore: ['react'],
    gzip: true,
    limit: '2.5 kB',
    modifyEsbuildConfig: (config) => ({ ...config, format: 'esm', plugins: [...(config.plugins ?? []), dynamicImportsStayChunks] }),
  },
]
