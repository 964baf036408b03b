// Run by `npm run lint:package`, after the build: every built file, ESM and CommonJS, begins with the
// "use client" directive. Anywhere else it is a plain string, and Next.js treats a server component that loads the
// package as a server module (`next dev` answers 500). The bin (dist/bin/, `npx use-event-source doctor`) runs in Node,
// not in apps: readdirSync does not descend into it, and it must begin with its #! line instead.
import { readdirSync, readFileSync } from 'node:fs'

const misplaced = readdirSync('dist')
  .filter((file) => /\.c?js$/.test(file))
  .filter((file) => !readFileSync(`dist/${file}`, 'utf8').startsWith('"use client";'))
if (misplaced.length) {
  console.error(`"use client" is not the first statement of:\n${misplaced.join('\n')}`)
  process.exit(1)
}
const bin = 'dist/bin/use-event-source.js'
if (!readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')) {
  console.error(`${bin} does not begin with #!/usr/bin/env node: npx could not run it`)
  process.exit(1)
}
