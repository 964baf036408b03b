// Run by `npm run lint:package`, after the build: the tarball holds what an app needs and nothing else. That is the
// build (dist/: ESM, CommonJS, declarations, source maps), the README, the license and package.json; not src/, tests,
// stories or config. Every file the exports map names must be in it too.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

const [pack] = JSON.parse(
  execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }),
)
const files = new Set(pack.files.map((file) => file.path))
const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
// The command-line tool (`npx use-event-source doctor`), built on its own into dist/bin/.
const bins = Object.values(pkg.bin ?? {}).map((path) => path.replace(/^\.\//, ''))
const allowed = (path) =>
  ['README.md', 'LICENSE', 'package.json', ...bins].includes(path) ||
  /^dist\/[^/]+\.(c?js|d\.c?ts|c?js\.map)$/.test(path)
const extra = [...files].filter((path) => !allowed(path))

const exported = []
const walk = (value) => {
  if (typeof value === 'string') exported.push(value.replace(/^\.\//, ''))
  else if (value && typeof value === 'object') Object.values(value).forEach(walk)
}
walk(pkg.exports)
const missing = [...exported, ...bins].filter((path) => !files.has(path))

if (extra.length || missing.length) {
  if (extra.length) console.error(`npm pack would ship files an app does not need:\n  ${extra.join('\n  ')}`)
  if (missing.length) console.error(`npm pack would leave out files the exports map names:\n  ${missing.join('\n  ')}`)
  process.exit(1)
}
console.log(`npm pack: ${files.size} files, all in dist/ or README.md, LICENSE, package.json`)
