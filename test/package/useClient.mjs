// Run by `npm run lint:package`, after the build: every built file, ESM and CommonJS, begins with the
// "use client" directive. Anywhere else it is a plain string, and Next.js treats a server component that loads the
// package as a server module (`next dev` answers 500).
import { readdirSync, readFileSync } from 'node:fs'

const misplaced = readdirSync('dist')
  .filter((file) => /\.c?js$/.test(file))
  .filter((file) => !readFileSync(`dist/${file}`, 'utf8').startsWith('"use client";'))
if (misplaced.length) {
  console.error(`"use client" is not the first statement of:\n${misplaced.join('\n')}`)
  process.exit(1)
}
