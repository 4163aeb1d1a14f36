/**
 * Signature attacks: every change to the signature segment is refused. Where the segment is still canonical
 * base64url the code is ERR_JWT_SIGNATURE; where it is not (a length of 1 mod 4, non-zero trailing bits, padding,
 * foreign characters) it is ERR_JWT_MALFORMED, the same answer decodeUnverified gives for that token.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type Algorithm, sign, verify } from '../../src/index.js'
import { b64, forge, hmac, NOW, OTHER_SECRET, SECRET, throwsCode } from '../helpers/forge.js'

const payload = { sub: '42', iat: NOW }
const at = { now: NOW }
const ALL: Algorithm[] = ['HS256', 'HS384', 'HS512']

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** Whether a segment is the one canonical spelling of its bytes (checked with Buffer, not our codec). */
function canonical(segment: string): boolean {
  return [...segment].every((c) => ALPHABET.includes(c)) && b64(Buffer.from(segment, 'base64url')) === segment
}

/** A changed signature segment: a mismatch if it is still canonical base64url, malformed otherwise. */
function refusal(segment: string): 'ERR_JWT_SIGNATURE' | 'ERR_JWT_MALFORMED' {
  return canonical(segment) ? 'ERR_JWT_SIGNATURE' : 'ERR_JWT_MALFORMED'
}

function parts(token: string): { input: string; sig: string } {
  const cut = token.lastIndexOf('.')
  return { input: token.slice(0, cut), sig: token.slice(cut + 1) }
}

for (const algorithm of ALL) {
  describe(`${algorithm} signature tampering`, () => {
    const opts = { ...at, algorithms: [algorithm] }
    const token = sign(payload, SECRET, { algorithm, now: NOW })
    const { input, sig } = parts(token)
    const refused = (seg: string) => throwsCode(() => verify(`${input}.${seg}`, SECRET, opts), refusal(seg))

    test('control: the untouched token verifies', () => {
      assert.deepEqual(verify(token, SECRET, opts), payload)
    })
    test('empty signature', () => {
      throwsCode(() => verify(`${input}.`, SECRET, opts), 'ERR_JWT_SIGNATURE')
    })
    test('truncated by one character', () => {
      refused(sig.slice(0, -1))
    })
    test('truncated to half', () => {
      refused(sig.slice(0, sig.length >> 1))
    })
    test('truncated to the first 16 bytes (a shortened-MAC attack)', () => {
      throwsCode(
        () => verify(`${input}.${b64(Buffer.from(sig, 'base64url').subarray(0, 16))}`, SECRET, opts),
        'ERR_JWT_SIGNATURE',
      )
    })
    test('extended by one character', () => {
      refused(`${sig}A`)
    })
    test('extended by a whole base64url quantum', () => {
      throwsCode(() => verify(`${input}.${sig}AAAA`, SECRET, opts), 'ERR_JWT_SIGNATURE')
    })
    test('the signature repeated twice', () => {
      refused(`${sig}${sig}`)
    })
    test('every single bit of the MAC flipped, one at a time', () => {
      const bytes = Buffer.from(sig, 'base64url')
      for (let bit = 0; bit < bytes.length * 8; bit++) {
        const flipped = Buffer.from(bytes)
        flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (1 << (bit & 7))
        throwsCode(() => verify(`${input}.${b64(flipped)}`, SECRET, opts), 'ERR_JWT_SIGNATURE')
      }
    })
    test('one character dropped, at every position', () => {
      for (let i = 0; i < sig.length; i++) {
        refused(`${sig.slice(0, i)}${sig.slice(i + 1)}`)
      }
    })
    test('MAC keyed with an empty secret', () => {
      throwsCode(() => verify(`${input}.${hmac(input, '', algorithm)}`, SECRET, opts), 'ERR_JWT_SIGNATURE')
    })
    test('MAC keyed with another secret', () => {
      throwsCode(() => verify(`${input}.${hmac(input, OTHER_SECRET, algorithm)}`, SECRET, opts), 'ERR_JWT_SIGNATURE')
    })
    test('MAC keyed with a one-byte-different secret', () => {
      throwsCode(
        () => verify(`${input}.${hmac(input, `${SECRET.slice(0, -1)}X`, algorithm)}`, SECRET, opts),
        'ERR_JWT_SIGNATURE',
      )
    })
    test('the signature of another token under the same key', () => {
      const other = parts(sign({ sub: '43', iat: NOW }, SECRET, { algorithm, now: NOW }))
      throwsCode(() => verify(`${input}.${other.sig}`, SECRET, opts), 'ERR_JWT_SIGNATURE')
    })
    test('the right MAC with "=" padding', () => {
      throwsCode(() => verify(`${input}.${sig}=`, SECRET, opts), 'ERR_JWT_MALFORMED')
    })
    test('the right MAC in standard base64 (+ and /)', () => {
      const std = Buffer.from(sig, 'base64url').toString('base64').replace(/=+$/, '')
      // Only meaningful when the MAC has a + or /; pick a token whose MAC does.
      let t = token
      let s = std
      for (let n = 0; !/[+/]/.test(s); n++) {
        t = sign({ ...payload, n }, SECRET, { algorithm, now: NOW })
        s = Buffer.from(parts(t).sig, 'base64url').toString('base64').replace(/=+$/, '')
      }
      throwsCode(() => verify(`${parts(t).input}.${s}`, SECRET, opts), 'ERR_JWT_MALFORMED')
    })
    // An HS384 MAC (48 bytes) fills whole base64url quanta, so it has no trailing bits to abuse.
    if (sig.length % 4 !== 0)
      test('the right MAC bytes with non-zero trailing bits (a second spelling Buffer would accept)', () => {
        const last = sig.charCodeAt(sig.length - 1)
        const alt = `${sig.slice(0, -1)}${ALPHABET[ALPHABET.indexOf(String.fromCharCode(last)) | 1]}`
        assert.notEqual(alt, sig)
        assert.deepEqual(Buffer.from(alt, 'base64url'), Buffer.from(sig, 'base64url'))
        throwsCode(() => verify(`${input}.${alt}`, SECRET, opts), 'ERR_JWT_MALFORMED')
      })
    test('the right MAC with a space, a newline and a tab inside', () => {
      for (const ws of [' ', '\n', '\t', '\r\n']) {
        throwsCode(() => verify(`${input}.${sig.slice(0, 8)}${ws}${sig.slice(8)}`, SECRET, opts), 'ERR_JWT_MALFORMED')
      }
    })
  })
}

test('a hand-forged HS384 MAC on a token whose header says HS384 but the verifier allows only HS256', () => {
  throwsCode(() => verify(forge({ alg: 'HS384' }, payload), SECRET, at), 'ERR_JWT_ALGORITHM')
})
