// npm run screenshot: the README's picture (stories/demo.png), taken from the stories as they are. Starts Storybook
// (with its live SSE demo endpoint) on a free port, opens the twenty-widget story in headless Chromium, waits for
// live data, and writes the picture: every story group in the sidebar, the story streaming.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright'
import { chromiumArgs, chromiumPath } from '../support/chromium'
import { freePort, serve, stopAll } from '../support/processes'

const root = fileURLToPath(new URL('../..', import.meta.url))
const picture = fileURLToPath(new URL('../../stories/demo.png', import.meta.url))
const STORY = 'twenty-widgets-one-connection--twenty-widgets'

const port = await freePort()
const base = `http://127.0.0.1:${port}/`
try {
  console.log(`starting Storybook on ${base}`)
  await serve('npx', ['storybook', 'dev', '--port', String(port), '--host', '127.0.0.1', '--ci'], {
    cwd: root,
    url: base,
    timeoutMs: 180_000,
  })
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 640 } })
    await page.goto(`${base}?path=/story/${STORY}&panel=false`, { timeout: 120_000 })
    const story = page.frameLocator('#storybook-preview-iframe')
    // Live: the stream is open, and the server's events have reached the widgets.
    await story.getByText('open', { exact: true }).first().waitFor({ timeout: 60_000 })
    await page.waitForFunction(
      () => {
        const frame = document.querySelector<HTMLIFrameElement>('#storybook-preview-iframe')
        const text = frame?.contentDocument?.body.innerText ?? ''
        return Number(/EVENTS\s+(\d+)/i.exec(text)?.[1] ?? 0) >= 30 // the chart full
      },
      undefined,
      { timeout: 60_000 },
    )
    // Every story file is a group of the sidebar, and the picture shows them all.
    const groups = await page.locator('[data-nodetype="component"], [data-nodetype="group"]').count()
    const files = readdirSync(join(root, 'stories')).filter((file) => file.endsWith('.stories.tsx')).length
    if (groups !== files) throw new Error(`the sidebar shows ${groups} story groups, stories/ has ${files} files`)
    await page.screenshot({ path: picture })
    console.log(`wrote ${picture}: ${groups} story groups in the sidebar`)
  } finally {
    await browser.close()
  }
} finally {
  await stopAll()
}
