import { existsSync } from 'node:fs'
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin'
import { playwright } from '@vitest/browser-playwright'
import { defineConfig, type TestProjectConfiguration } from 'vitest/config'
import { chromiumArgs, chromiumPath } from './test/support/chromium.ts'

/**
 * The browser projects need Chromium; the jsdom ones do not. Without it, CI fails at once (it must run them all);
 * elsewhere the browser projects are left out, with a line that says so.
 */
const hasChromium = existsSync(chromiumPath)
if (!hasChromium) {
  const advice = `No Chromium at ${chromiumPath}: install it (Debian: sudo apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary.`
  if (process.env.CI) throw new Error(`${advice} The browser tests need one.`)
  console.warn(`${advice} Running the jsdom projects only.`)
}

/** A browser config of its own for each browser project (they must not share one object). */
const headlessChromium = () =>
  playwright({
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
  })

/**
 * The library's advice in development builds (`use-event-source: …` on the console) for the failures that tests and
 * stories cause on purpose (a 401, a page served instead of a stream, data that is not JSON): test/core/development
 * checks it, and elsewhere it is noise. Other console output is printed.
 */
const quietAdvice = (log: string) => !log.startsWith('use-event-source: ')

/** Real Chromium: the browser scenarios against the test server, and every story's play function. */
const browserProjects = (): TestProjectConfiguration[] => [
  {
    // Pre-bundled up front: discovering a lazily imported chunk's dependency (the polyfill, the fetch transport's
    // parser) mid-run would make Vite reload the tests.
    optimizeDeps: {
      include: [
        'event-source-polyfill',
        'eventsource-parser',
        'react',
        'react-dom',
        'react-dom/client',
        '@testing-library/react',
      ],
    },
    test: {
      name: 'browser',
      include: ['test/browser/**/*.test.{ts,tsx}'],
      globalSetup: ['test/support/globalSetup.ts'],
      setupFiles: ['test/support/browserSetup.ts'],
      restoreMocks: true,
      browser: { enabled: true, headless: true, provider: headlessChromium(), instances: [{ browser: 'chromium' }] },
    },
  },
  {
    // Every story is a test too: rendered in Chromium, its play function asserting what the user sees.
    plugins: [storybookTest({ configDir: '.storybook' })],
    optimizeDeps: {
      include: ['event-source-polyfill', 'eventsource-parser', 'react', 'react-dom', 'react-dom/client'],
    },
    test: {
      name: 'storybook',
      browser: { enabled: true, headless: true, provider: headlessChromium(), instances: [{ browser: 'chromium' }] },
    },
  },
]

export default defineConfig({
  test: {
    onConsoleLog: quietAdvice,
    projects: [
      {
        // The same unit tests on React 18: every React import goes to the react-18 / react-dom-18 packages,
        // the test files' through the alias, the dependencies' require() calls through the setup file.
        resolve: { alias: [{ find: /^react(-dom)?(\/.*)?$/, replacement: 'react$1-18$2' }] },
        test: {
          name: 'unit (React 18)',
          environment: 'jsdom',
          include: ['test/*.test.{ts,tsx}'], // the React-free core (test/core) needs no second run
          globalSetup: ['test/support/globalSetup.ts'],
          env: { REACT_MAJOR: '18' },
          setupFiles: ['test/support/react18.ts'],
          restoreMocks: true,
        },
      },
      {
        test: {
          name: 'unit',
          environment: 'jsdom',
          include: ['test/**/*.test.{ts,tsx}'],
          exclude: ['test/browser/**', 'test/crossTab/tabs.test.ts'],
          globalSetup: ['test/support/globalSetup.ts'],
          restoreMocks: true,
          typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
        },
      },
      {
        test: {
          // Eight Chromium pages of one profile, driven by Playwright (the file skips itself without Chromium). It runs
          // after every other project: run alongside the browser projects, its timings and theirs suffered on a 2-core machine.
          name: 'cross-tab tabs',
          include: ['test/crossTab/tabs.test.ts'],
          environment: 'node',
          sequence: { groupOrder: 1 },
        },
      },
      ...(hasChromium ? browserProjects() : []),
    ],
  },
})
