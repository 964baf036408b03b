#!/usr/bin/env node
// The package's bin: `npx use-event-source doctor <url>`. Built on its own (tsup.config.ts), for Node 18 and later.
import { main } from './main'

main(process.argv.slice(2), process).then(
  (status) => {
    process.exitCode = status
  },
  (error: unknown) => {
    console.error(error)
    process.exitCode = 1
  },
)
