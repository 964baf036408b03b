// Vite serves a static page: render the app into it at build time, so the check sees real SSR output and hydration.
import { readFileSync, writeFileSync } from 'node:fs'
import { render } from './dist-server/entry-server.js'

const html = readFileSync('dist/index.html', 'utf8')
writeFileSync('dist/index.html', html.replace('<!--app-->', render()))
