// Run by `npm run lint:package`, after the build: every entry of the package, ESM and CommonJS, loads the core
// from the chunks they share. A copy of the core in an entry would be a second registry and a second render clock
// (a schema hook and a plain hook on one url would hold two connections) and a second EventSourceError class.
import { readdirSync, readFileSync } from 'node:fs'

const core = ['function createConnection', 'function createView', 'function schedule(']
const copies = readdirSync('dist')
  .filter((file) => /^(index|schema|testing)\.c?js$/.test(file))
  .flatMap((file) =>
    core.filter((code) => readFileSync(`dist/${file}`, 'utf8').includes(code)).map((code) => `${file}: ${code}`),
  )
if (copies.length) {
  console.error(`The core is copied into an entry instead of shared:\n${copies.join('\n')}`)
  process.exit(1)
}
