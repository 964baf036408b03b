import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createConnectionKey } from '../../src/core/registry'
import type { ConnectionOptions } from '../../src/core/types'
import { digest } from '../../src/crossTab/digest'

/** What Node's SHA-256 makes of `text`'s UTF-8 bytes, in hex. */
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')

/**
 * The digest the names had before (issue 26, defect 8), kept here to show that the pair below collides under it: two
 * FNV-1a hashes of 32 bits over the key's UTF-8 bytes.
 */
function fnv(key: string): string {
  let a = 0x811c9dc5
  let b = 0x01000193
  for (const byte of new TextEncoder().encode(key)) {
    a = Math.imul(a ^ byte, 0x01000193)
    b = Math.imul(b ^ byte, 0x811c9dc5)
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0')
}

describe('digest: SHA-256 of the stream key', () => {
  // FIPS 180-4's examples (NIST's SHA256.pdf), and the long message of the NIST test vectors.
  it.each([
    ['the empty message', '', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['"abc" (one block)', 'abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'the 448-bit message (two blocks)',
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
    [
      'one million times "a"',
      'a'.repeat(1_000_000),
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    ],
  ])('gives the NIST digest of %s', (_, message, expected) => {
    expect(digest(message)).toBe(expected)
  })

  it('agrees with Node on every length around the padding’s boundaries (55, 56, 63, 64 bytes and their doubles)', () => {
    for (let length = 0; length <= 130; length++) {
      const message = 'x'.repeat(length)
      expect(digest(message), `${length} bytes`).toBe(sha256(message))
    }
  })

  it('agrees with Node over the UTF-8 bytes of any text: ASCII, other code points, astral ones, emoji', () => {
    const part = fc.oneof(
      fc.string({ unit: 'binary-ascii', maxLength: 70 }),
      fc.string({ unit: 'binary', maxLength: 70 }),
      fc.string({ unit: 'grapheme', maxLength: 70 }),
    )
    const text = fc.array(part, { maxLength: 4 }).map((parts) => parts.join(''))
    fc.assert(
      fc.property(text, (message) => digest(message) === sha256(message)),
      { numRuns: 300, examples: [['é'], ['😀'], ['日本語のルーム'], ['https://chat.example/rooms/🚀?token=ß']] },
    )
  })

  // Crafted against the old digest: a collision search on its 64-bit state (van Oorschot–Wiener, distinguished points)
  // from the state after the urls' common start, 11 characters each; any common end keeps the collision.
  const first = 'https://chat.example/rooms/SNOHTgcX6EJ'
  const second = 'https://chat.example/rooms/AYntqLcI28L'
  it.each<[string, ConnectionOptions]>([
    ['alone', { crossTab: true }],
    ['with the same headers', { crossTab: true, headers: { Authorization: 'Bearer token' }, transport: 'fetch' }],
  ])('names apart two urls crafted to collide under the old digest, %s (defect 8)', (_, options) => {
    const keys = [first, second].map((url) => createConnectionKey()(url, options) ?? '')
    expect(keys[0]).not.toBe(keys[1])
    expect(fnv(keys[0] ?? '')).toBe(fnv(keys[1] ?? '')) // room B's tabs would have followed room A's leader
    expect(digest(keys[0] ?? '')).not.toBe(digest(keys[1] ?? ''))
    expect(digest(keys[0] ?? '')).toBe(sha256(keys[0] ?? ''))
  })
})
