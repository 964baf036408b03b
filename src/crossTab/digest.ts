/**
 * SHA-256 (FIPS 180-4), for the names a stream's tabs share: two streams never share a lock or a channel, even with
 * urls crafted to collide (they were, under two 32-bit FNV-1a hashes), and no header value or query string shows.
 *
 * Synchronous on purpose: an earlier version used SubtleCrypto's digest(), whose promises resolve in no set order,
 * so the tab that joined first was not always granted the lock first (a flaky takeover order).
 */

/** Rounds of the compression, and words of the message schedule (FIPS 180-4, 6.2.2). */
const ROUNDS = 64
/** The message is hashed in blocks of 512 bits (5.1.1). */
const BLOCK_BYTES = 64
/** Padding: a 1 bit, zeros, and the message's length in bits as a 64-bit big-endian integer (5.1.1). */
const LENGTH_BYTES = 8
/** The byte that begins the padding: the 1 bit, then zeros. */
const ONE_BIT = 0x80
const TWO_POW_32 = 2 ** 32

/** The first `count` primes. */
function primes(count: number): number[] {
  const found: number[] = []
  for (let n = 2; found.length < count; n++) if (found.every((p) => n % p)) found.push(n)
  return found
}

/** The first 32 bits of the fractional part of `x`. */
const fraction = (x: number) => ((x - Math.floor(x)) * TWO_POW_32) >>> 0

// Computed rather than written out: 485 B less gzipped in the cross-tab chunk. A double carries some 50 bits of
// these fractions, so the 32 taken are FIPS 180-4's (the tests check the digest against Node's SHA-256); and every tab
// of a browser computes them with the same engine, so its tabs agree on the names whatever it rounds.
const PRIMES = primes(ROUNDS)
/** The round constants: the first 32 bits of the fractional parts of the cube roots of the first 64 primes (4.2.2). */
const K = PRIMES.map((p) => fraction(Math.cbrt(p)))
/** The initial hash value: the same of the square roots of the first 8 primes (5.3.3). */
const H0 = PRIMES.slice(0, 8).map((p) => fraction(Math.sqrt(p)))

/** Rotates the 32-bit word `x` right by `n` bits (ROTR, 3.2). */
const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n))
/** The functions Σ0, Σ1, σ0 and σ1 of 4.1.2. */
const bigSigma0 = (x: number) => rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22)
const bigSigma1 = (x: number) => rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25)
const smallSigma0 = (x: number) => rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)
const smallSigma1 = (x: number) => rotr(x, 17) ^ rotr(x, 19) ^ (x >>> 10)

/** The message padded to whole blocks (5.1.1), read as big-endian words. */
function pad(bytes: Uint8Array): DataView {
  const length = Math.ceil((bytes.length + 1 + LENGTH_BYTES) / BLOCK_BYTES) * BLOCK_BYTES
  const padded = new Uint8Array(length)
  padded.set(bytes)
  padded[bytes.length] = ONE_BIT
  const view = new DataView(padded.buffer)
  const bits = bytes.length * 8
  view.setUint32(length - 8, bits / TWO_POW_32)
  view.setUint32(length - 4, bits)
  return view
}

/** The next hash value, from `hash` and the block at `offset` (6.2.2). */
function compress(hash: number[], view: DataView, offset: number): number[] {
  /** The message schedule, each word computed in its round. */
  const w: number[] = []
  let [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, h = 0] = hash
  for (let t = 0; t < ROUNDS; t++) {
    w[t] =
      t < 16
        ? view.getUint32(offset + 4 * t)
        : (smallSigma1(w[t - 2] ?? 0) + (w[t - 7] ?? 0) + smallSigma0(w[t - 15] ?? 0) + (w[t - 16] ?? 0)) | 0
    const choose = (e & f) ^ (~e & g)
    const majority = (a & b) ^ (a & c) ^ (b & c)
    const t1 = h + bigSigma1(e) + choose + (K[t] ?? 0) + (w[t] ?? 0)
    const t2 = bigSigma0(a) + majority
    h = g
    g = f
    f = e
    e = (d + t1) | 0
    d = c
    c = b
    b = a
    a = (t1 + t2) | 0
  }
  const working = [a, b, c, d, e, f, g, h]
  return hash.map((word, i) => (word + (working[i] ?? 0)) | 0)
}

/** The SHA-256 of `key`'s UTF-8 bytes, in hex. */
export function digest(key: string): string {
  const view = pad(new TextEncoder().encode(key))
  let hash = H0
  for (let offset = 0; offset < view.byteLength; offset += BLOCK_BYTES) hash = compress(hash, view, offset)
  return hash.map((word) => (word >>> 0).toString(16).padStart(8, '0')).join('')
}
