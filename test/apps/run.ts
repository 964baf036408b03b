// npm run test:apps: packs the library, builds two consumer apps (Vite + React, Next.js App Router) against the
// tarball in temp dirs, serves each, and checks SSR, hydration, live data and which lazy chunks load, in Chromium.
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { type Browser, chromium, type Page } from 'playwright'
import { chromiumArgs, chromiumPath } from '../support/chromium'
import { freePort, killGroup, serve, sleep, start, stopAll } from '../support/processes'

const root = fileURLToPath(new URL('../..', import.meta.url))
const here = fileURLToPath(new URL('.', import.meta.url))

// Strings found only in the lazy chunks (checked against each app's build output, so the checks cannot pass vacuously).
const POLYFILL_MARKER = 'EventSourcePolyfill' // event-source-polyfill's export name, kept as a property by every bundler
const FETCH_MARKER = 'a page served instead' // from the fetch transport's content-type error message
const DEVTOOLS_MARKER = 'use-event-source-devtools' // the panel's host element, named only in the panel's code

type App = {
  name: string
  dependencies: Record<string, string>
  type?: 'module' // Next.js must not get "type": "commonjs"; leaving it out is fine
  build: string[][]
  start: (port: number) => string[]
  /** Where the built browser JS is, to check the markers exist. */
  assets: string
}

const apps: App[] = [
  {
    name: 'vite-react',
    type: 'module',
    dependencies: { vite: '^8', '@vitejs/plugin-react': '^6' },
    build: [
      ['vite', 'build'],
      ['vite', 'build', '--mode', 'stub', '--outDir', 'dist-stub'], // the app without the library, to weigh it
      ['vite', 'build', '--ssr', 'src/entry-server.tsx', '--outDir', 'dist-server'],
      ['node', 'prerender.mjs'],
    ],
    start: (port) => ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    assets: 'dist',
  },
  {
    name: 'next',
    // Next.js type-checks at build and would try to install these itself.
    dependencies: { next: '16.4.6', typescript: '^5.9', '@types/react': '^19', '@types/node': '^20' },
    build: [['next', 'build']],
    start: (port) => ['next', 'start', '-H', '127.0.0.1', '-p', String(port)],
    assets: '.next/static',
  },
]

type Result = { app: string; check: string; ok: boolean; detail: string }
const results: Result[] = []
const record = (app: string, check: string, ok: boolean, detail = '') => {
  results.push({ app, check, ok, detail })
  console.log(`  ${ok ? 'PASS' : 'FAIL'} ${check}${detail ? ` (${detail})` : ''}`)
}

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', CI: '1' }
const bin = (cwd: string, command: string) =>
  command === 'node' || command === 'npm' ? command : join(cwd, 'node_modules/.bin', command)

/** Runs a command in its own process group to the end, bounded; throws with the output's tail on failure. */
function run(cwd: string, [command, ...args]: string[], timeoutMs = 300_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const { child, output } = start(bin(cwd, command as string), args, { cwd, env })
    const timer = setTimeout(() => killGroup(child), timeoutMs)
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) resolve(output.stdout)
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? code}):\n${output.all.slice(-3000)}`))
    })
  })
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => join(entry.parentPath, entry.name))
}

/** Opens the page, waits for `open` and ≥ 2 events, and returns what it logged and the JS it loaded. */
async function visit(browser: Browser, url: string) {
  const page: Page = await browser.newPage()
  const problems: string[] = []
  const scripts = new Set<string>()
  page.on('console', (message) => {
    const at = message.location().url
    // Chromium asks for /favicon.ico by itself; neither app has one, and that 404 is not the app's error.
    if (new URL(at || 'x:/').pathname === '/favicon.ico') return
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`${message.type()}: ${message.text()}${at ? ` at ${at}` : ''}`)
  })
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
  page.on('request', (request) => {
    if (request.resourceType() === 'script' || new URL(request.url()).pathname.endsWith('.js'))
      scripts.add(request.url())
  })
  try {
    await page.goto(url, { waitUntil: 'load', timeout: 30_000 })
    let live = ''
    try {
      await page.waitForFunction(
        () =>
          document.getElementById('status')?.textContent === 'open' &&
          Number(document.getElementById('last')?.textContent) >= 2,
        undefined,
        { timeout: 15_000 },
      )
    } catch {
      live = 'timed out'
    }
    const status = await page.locator('#status').textContent()
    const last = await page.locator('#last').textContent()
    const data = await page.locator('#data').textContent()
    await sleep(300) // late console messages
    // The JS the page fetched, fetched again from Node to search it.
    const bodies = await Promise.all(
      [...scripts].map(async (script) => [script, await (await fetch(script)).text()] as const),
    )
    const panels = await page.locator(DEVTOOLS_MARKER).count()
    return { problems, bodies, status, last, data, live, panels }
  } finally {
    await page.close()
  }
}

async function checkApp(app: App, tarball: string, workdir: string, browser: Browser) {
  console.log(`\n[${app.name}]`)
  const dir = join(workdir, app.name)
  await cp(join(here, app.name), dir, { recursive: true })
  const pkg = {
    name: `use-event-source-${app.name}-app`,
    private: true,
    ...(app.type ? { type: app.type } : {}),
    dependencies: { 'use-event-source': `file:${tarball}`, react: '^19', 'react-dom': '^19', ...app.dependencies },
  }
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`)
  let t = Date.now()
  // --engine-strict: the package and everything it pulls in must install on this Node without an engines warning.
  await run(dir, ['npm', 'install', '--engine-strict', '--no-audit', '--no-fund'])
  console.log(`  installed in ${((Date.now() - t) / 1000).toFixed(1)} s`)
  t = Date.now()
  for (const step of app.build) await run(dir, step)
  console.log(`  built in ${((Date.now() - t) / 1000).toFixed(1)} s`)

  // Both lazy chunks must exist in the build, or "not loaded" below would prove nothing.
  const built = await Promise.all((await listFiles(join(dir, app.assets))).map((file) => readFile(file, 'utf8')))
  const polyfillChunks = built.filter((text) => text.includes(POLYFILL_MARKER)).length
  const fetchChunks = built.filter((text) => text.includes(FETCH_MARKER)).length
  record(
    app.name,
    'build has polyfill and fetch chunks',
    polyfillChunks > 0 && fetchChunks > 0,
    `${polyfillChunks} polyfill, ${fetchChunks} fetch`,
  )
  // The app renders <EventSourceDevtools />: a production build drops the panel's code.
  const panelCode = built.filter((text) => text.includes(DEVTOOLS_MARKER)).length
  record(app.name, 'build has no devtools panel code', panelCode === 0, `${panelCode} files`)

  const port = await freePort()
  const base = `http://127.0.0.1:${port}/`
  const [command, ...args] = app.start(port)
  const server = await serve(bin(dir, command as string), args, { cwd: dir, env, url: base })
  try {
    const html = await (await fetch(base)).text()
    record(
      app.name,
      'SSR html has status idle',
      html.includes('id="status">idle</b>'),
      html.match(/id="status">[^<]*/)?.[0] ?? 'no #status',
    )

    for (const [label, url, wantFetch] of [
      ['GET page', base, false],
      ['POST page (?post=1)', `${base}?post=1`, true],
    ] as const) {
      const visited = await visit(browser, url)
      const live =
        visited.status === 'open' &&
        Number(visited.last) >= 2 &&
        (!wantFetch || visited.data?.includes('"prompt":"hi"') === true)
      record(
        app.name,
        `${label}: open, ≥ 2 events`,
        live,
        `${visited.status}, last id ${visited.last}, ${visited.data}`,
      )
      record(
        app.name,
        `${label}: no console error/warning`,
        visited.problems.length === 0,
        visited.problems.join(' | ').slice(0, 400),
      )
      if (label === 'GET page')
        record(app.name, `${label}: no devtools panel`, visited.panels === 0, `${visited.panels} panels`)
      const polyfill = visited.bodies.filter(
        ([script, text]) => /polyfill/i.test(script) || text.includes(POLYFILL_MARKER),
      )
      record(
        app.name,
        `${label}: polyfill chunk not loaded`,
        polyfill.length === 0,
        polyfill.map(([script]) => script).join(' '),
      )
      // A POST streams through fetch; a GET stream loads the chunk only when it needs it (a recovery).
      const fetched = visited.bodies.filter(([, text]) => text.includes(FETCH_MARKER))
      record(
        app.name,
        `${label}: fetch chunk ${wantFetch ? 'loaded' : 'not loaded'}`,
        fetched.length > 0 === wantFetch,
        `${fetched.length} of ${visited.bodies.length} scripts`,
      )
      if (app.name === 'vite-react' && !wantFetch) {
        // What the page loaded of the library: all it loaded, less what the same app is without the library.
        const stubbed = await listFiles(join(dir, 'dist-stub'))
        const without = await Promise.all(stubbed.map((file) => readFile(file)))
        const gzipped = (texts: (string | Buffer)[]) => texts.reduce((sum, text) => sum + gzipSync(text).length, 0)
        const bytes = gzipped(visited.bodies.map(([, text]) => text)) - gzipped(without)
        record(
          app.name,
          `${label}: at most 6 kB gzip of the library loaded`,
          bytes > 0 && bytes <= 6000,
          `${bytes} B gzip, in ${visited.bodies.length} scripts`,
        )
      }
    }
  } finally {
    await killGroup(server)
  }
}

const t0 = Date.now()
const workdir = await mkdtemp(join(tmpdir(), 'use-event-source-apps-'))
let browser: Browser | undefined
let crashed = false
try {
  console.log(`packing into ${workdir}`)
  await run(root, ['npm', 'run', 'build'])
  const packed = JSON.parse(
    await run(root, ['npm', 'pack', '--json', '--ignore-scripts', '--pack-destination', workdir]),
  ) as {
    filename: string
  }[]
  const tarball = join(workdir, (packed[0] as { filename: string }).filename)
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
  for (const app of apps) {
    try {
      await checkApp(app, tarball, workdir, browser)
    } catch (error) {
      record(app.name, 'install, build and serve', false, String(error).slice(0, 3000))
    }
  }
} catch (error) {
  crashed = true
  console.error(error)
} finally {
  await browser?.close()
  await stopAll()
  await rm(workdir, { recursive: true, force: true })
}

const width = Math.max(...results.map((result) => result.check.length))
console.log(`\n${'app'.padEnd(11)} ${'check'.padEnd(width)} result`)
for (const result of results)
  console.log(`${result.app.padEnd(11)} ${result.check.padEnd(width)} ${result.ok ? 'PASS' : 'FAIL'}`)
const failed = crashed || results.length === 0 || results.some((result) => !result.ok)
console.log(`\n${failed ? 'FAIL' : 'PASS'} in ${((Date.now() - t0) / 1000).toFixed(0)} s`)
process.exit(failed ? 1 : 0)
