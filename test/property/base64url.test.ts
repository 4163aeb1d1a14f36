/**
 * Properties of the strict base64url codec (RFC 4648 §5, unpadded as RFC 7515 §2 requires), checked against
 * Buffer's implementation as the reference for "which bytes does this text mean". Fixed seeds, bounded runs.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { base64url, JwtError } from '../../src/index.js'

const RUNS = { seed: 0x6a7774, numRuns: 2000 }
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** The one canonical spelling of the bytes Buffer reads from `s`. */
function isCanonical(s: string): boolean {
  return [...s].every((c) => ALPHABET.includes(c)) && Buffer.from(s, 'base64url').toString('base64url') === s
}

function refused(s: string): boolean {
  try {
    base64url.decode(s)
    return false
  } catch (err) {
    assert.ok(err instanceof JwtError)
    assert.equal(err.code, 'ERR_JWT_MALFORMED')
    return true
  }
}

test('decode(encode(bytes)) is bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      assert.deepEqual(new Uint8Array(base64url.decode(base64url.encode(bytes))), bytes)
    }),
    RUNS,
  )
})

test('decodeToString(encode(text)) is text, for any Unicode text (astral and non-ASCII included)', () => {
  for (const unit of ['binary', 'grapheme', 'binary-ascii'] as const) {
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 100 }), (text) => {
        assert.equal(base64url.decodeToString(base64url.encode(text)), text)
      }),
      RUNS,
    )
  }
})

test('encode(bytes) equals Buffer base64url', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      assert.equal(base64url.encode(bytes), Buffer.from(bytes).toString('base64url'))
    }),
    RUNS,
  )
})

test('encode(text) equals Buffer base64url of its UTF-8', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (text) => {
      assert.equal(base64url.encode(text), Buffer.from(text, 'utf8').toString('base64url'))
    }),
    RUNS,
  )
})

/** Characters Buffer's lenient decoder accepts or skips, and a few it cannot know. */
const noisy = fc.string({
  unit: fc.constantFrom(...ALPHABET, ...'=+/ \t\r\n.!*~\u00a0\u0141\u{1F600}'),
  maxLength: 40,
})

test('ours accepts exactly the canonical spellings: anything else Buffer would decode is refused', () => {
  fc.assert(
    fc.property(noisy, (s) => {
      if (isCanonical(s)) assert.deepEqual(Buffer.from(base64url.decode(s)), Buffer.from(s, 'base64url'))
      else assert.ok(refused(s), `accepted the non-canonical ${JSON.stringify(s)}`)
    }),
    { ...RUNS, numRuns: 5000 },
  )
})

test('every respelling of valid bytes that Buffer reads as the same bytes is refused', () => {
  const respell = fc.constantFrom('pad', 'std', 'space', 'newline', 'trailing-bits')
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 60 }), respell, fc.nat(), (bytes, how, at) => {
      const s = Buffer.from(bytes).toString('base64url')
      let t: string
      switch (how) {
        case 'pad':
          t = Buffer.from(bytes).toString('base64').replace(/\+/g, '-').replace(/\//g, '_')
          if (t === s) t = `${s}=`
          break
        case 'std':
          if (!/[-_]/.test(s)) return // the two alphabets agree on this text
          t = Buffer.from(bytes).toString('base64').replace(/=+$/, '')
          break
        case 'space':
        case 'newline': {
          const i = at % (s.length + 1)
          t = `${s.slice(0, i)}${how === 'space' ? ' ' : '\n'}${s.slice(i)}`
          break
        }
        default: {
          if (s.length % 4 === 0) return // whole quanta: no unused bits
          t = s.slice(0, -1) + (ALPHABET[ALPHABET.indexOf(s.slice(-1)) | 1] as string)
        }
      }
      assert.notEqual(t, s)
      assert.ok(refused(t), `accepted ${JSON.stringify(t)} for ${JSON.stringify(s)}`)
    }),
    RUNS,
  )
})

test('a length of 1 mod 4 is always refused', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 40 }), (s) => {
      if (s.length % 4 === 1) assert.ok(refused(s))
    }),
    RUNS,
  )
})
