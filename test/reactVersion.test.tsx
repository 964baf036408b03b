import { version } from 'react'
import { expect, it } from 'vitest'

// Runs in both unit projects; says which React the suite ran on, so a silent fallback to one version shows.
it('runs on the React the project asks for', () => {
  const expected = process.env.REACT_MAJOR ?? '19'
  console.info(`React ${version}`)
  expect(version.split('.')[0]).toBe(expected)
})
