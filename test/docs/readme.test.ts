// @vitest-environment node
// The README stays short and points at every docs page; no link from README.md or docs/ leads nowhere.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const docs = readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md'))

describe('docs: README and links', () => {
  it('keeps the README within 200 lines and 2,000 words (as wc -l -w counts them)', () => {
    expect(readme.split('\n').length - 1).toBeLessThanOrEqual(200)
    expect(readme.split(/\s+/).filter(Boolean).length).toBeLessThanOrEqual(2000)
  })

  it('starts with the two commands for a fresh machine', () => {
    const firstScreen = readme.split('\n').slice(0, 20).join('\n')
    expect(firstScreen).toContain('npm ci && npm run storybook')
    expect(firstScreen).toContain('npm ci && npm run check')
  })

  it('links every docs page', () => {
    for (const name of docs) expect(readme, name).toContain(`](docs/${name}`)
  })

  it.each(['README.md', ...docs.map((name) => `docs/${name}`)])('has no dead relative link in %s', (page) => {
    const text = readFileSync(join(root, page), 'utf8')
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (!target || /^(https?:|mailto:|#)/.test(target)) continue
      const path = join(root, dirname(page), target.split('#')[0] ?? '')
      expect(existsSync(path), `${page} → ${target}`).toBe(true)
    }
  })
})
