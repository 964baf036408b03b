// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { parseCommand, UsageError } from '../../src/doctor/options.ts'
import { createRedactor, displayUrl } from '../../src/doctor/redact.ts'

const options = (...args: string[]) => {
  const command = parseCommand(['doctor', 'https://api.example.com/sse', ...args])
  if (command.help) throw new Error('expected a run, got --help')
  return command.options
}

describe('the command line', () => {
  it('defaults to a 30 s GET without an origin', () => {
    expect(options()).toMatchObject({
      method: 'GET',
      duration: 30_000,
      origin: undefined,
      body: undefined,
      headers: {},
    })
  })

  it('reads durations in seconds or with a unit', () => {
    expect([options('--duration', '2').duration, options('--duration', '2.5s').duration]).toEqual([2000, 2500])
    expect(options('--duration', '500ms').duration).toBe(500)
    expect(() => options('--duration', 'soon')).toThrow(UsageError)
  })

  it('makes a request with a body a POST, unless --method says otherwise', () => {
    expect(options('--body', '{}').method).toBe('POST')
    expect(options('--body', '{}', '--method', 'put').method).toBe('PUT')
    expect(() => options('--body', '{}', '--method', 'GET')).toThrow(/cannot have a body/)
  })

  it('takes repeated headers, and never quotes one it cannot read', () => {
    expect(options('--header', 'Authorization: Bearer a:b', '--header', 'X-Team:  red ').headers).toEqual({
      Authorization: 'Bearer a:b',
      'X-Team': 'red',
    })
    expect(() => options('--header', 'Bearer secret-token')).toThrow(UsageError)
    expect(() => options('--header', 'Bearer secret-token')).not.toThrow(/secret-token/)
  })

  it('reduces --origin to an origin, and refuses what is not one', () => {
    expect(options('--origin', 'https://app.example.com/some/page').origin).toBe('https://app.example.com')
    expect(() => options('--origin', 'app')).toThrow(UsageError)
  })

  it('refuses a missing command, a relative url and credentials in the url', () => {
    expect(() => parseCommand(['https://api.example.com/sse'])).toThrow(/The command is "doctor"/)
    expect(() => parseCommand(['doctor', '/sse'])).toThrow(/absolute/)
    expect(() => parseCommand(['doctor', 'https://user:pw@api.example.com/sse'])).toThrow(/header/)
  })

  it('answers --help before anything else', () => {
    expect(parseCommand(['--help'])).toEqual({ help: true })
    expect(parseCommand(['doctor', '-h'])).toEqual({ help: true })
  })
})

describe('what is printed of the request', () => {
  it('shows the url with its query values hidden', () => {
    expect(displayUrl(new URL('https://api.example.com/sse?token=abc&room=7'))).toBe(
      'https://api.example.com/sse?token=…&room=…',
    )
  })

  it('blanks header and query values in any text, url-encoded ones too', () => {
    const redact = createRedactor(new URL('https://api.example.com/sse?token=a b+c'), {
      Authorization: 'Bearer s3cret/=',
    })
    expect(redact('got Bearer s3cret/= and a b c and Bearer%20s3cret%2F%3D')).toBe('got *** and *** and ***')
  })
})
