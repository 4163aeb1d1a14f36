/**
 * Properties of whole tokens: random claim sets round-trip for every algorithm; every one-character change,
 * deletion or insertion of a valid token is refused; arbitrary input never makes verify or decodeUnverified throw
 * anything but a JwtError. Fixed seeds, bounded runs.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { createVerifier, decodeUnverified, JwtError, sign, verify } from '../../src/index.js'
import { b64, hmac, NOW, onlyJwtErrors, SECRET } from '../helpers/forge.js'

const SEED = 0x6a7774
const ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const
const REGISTERED = new Set(['exp', 'nbf', 'iat', 'iss', 'sub', 'aud', 'jti'])

/** Registered claims with valid types and times, plus any other JSON members. */
const claims = fc
  .record(
    {
      iss: fc.string(),
      sub: fc.string({ unit: 'binary' }),
      aud: fc.oneof(fc.string(), fc.array(fc.string(), { minLength: 1, maxLength: 3 })),
      jti: fc.string(),
      exp: fc.integer({ min: NOW + 1, max: 2 ** 40 }),
      nbf: fc.integer({ min: 0, max: NOW }),
      iat: fc.oneof(fc.integer({ min: 0, max: NOW }), fc.double({ min: 0, max: NOW, noNaN: true })),
    },
    { requiredKeys: [] },
  )
  .chain((registered) =>
    fc
      .dictionary(
        fc.string({ unit: 'binary', maxLength: 10 }).filter((k) => !REGISTERED.has(k)),
        fc.jsonValue({ maxDepth: 3 }),
        { maxKeys: 5 },
      )
      .map((extra) => ({ ...extra, ...registered })),
  )

for (const algorithm of ALGORITHMS) {
  test(`${algorithm}: random claim sets round-trip through sign and verify`, () => {
    const check = createVerifier(SECRET, { algorithms: [algorithm], now: NOW })
    fc.assert(
      fc.property(claims, (payload) => {
        const token = sign(payload, SECRET, { algorithm, noTimestamp: true })
        // JSON is the contract: -0 becomes 0, and that is what comes back.
        assert.deepEqual(check(token), JSON.parse(JSON.stringify(payload)))
      }),
      { seed: SEED, numRuns: 300 },
    )
  })
}

/** Characters worth trying at each position: the alphabet, the separators and the usual lenient extras. */
const PROBES = [
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  '.',
  '=',
  '+',
  '/',
  ' ',
  '\n',
  '\u0141',
]

for (const algorithm of ALGORITHMS) {
  test(`${algorithm}: every single-character change, deletion and insertion of a valid token is refused`, () => {
    const check = createVerifier(SECRET, { algorithms: [algorithm], now: NOW })
    const token = sign({ sub: 'user-42', aud: ['api'], exp: NOW + 60 }, SECRET, { algorithm, now: NOW })
    assert.deepStrictEqual(check(token), { sub: 'user-42', aud: ['api'], exp: NOW + 60, iat: NOW })
    const refused = (t: string) => {
      if (t !== token) assert.throws(() => check(t), JwtError, `an altered token verified: ${JSON.stringify(t)}`)
    }
    for (let i = 0; i <= token.length; i++) {
      for (const c of PROBES) {
        if (i < token.length) refused(token.slice(0, i) + c + token.slice(i + 1))
        refused(token.slice(0, i) + c + token.slice(i))
      }
      if (i < token.length) refused(token.slice(0, i) + token.slice(i + 1))
    }
  })
}

test('random single-character edits with any Unicode character are refused', () => {
  const token = sign({ sub: '42' }, SECRET, { now: NOW })
  const check = createVerifier(SECRET, { now: NOW })
  const edit = fc.record({
    kind: fc.constantFrom('replace', 'insert', 'delete'),
    at: fc.nat({ max: token.length }),
    c: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  })
  fc.assert(
    fc.property(edit, ({ kind, at, c }) => {
      const t =
        kind === 'replace'
          ? token.slice(0, at) + c + token.slice(at + 1)
          : kind === 'insert'
            ? token.slice(0, at) + c + token.slice(at)
            : token.slice(0, at) + token.slice(at + 1)
      if (t !== token) assert.throws(() => check(t), JwtError)
    }),
    { seed: SEED, numRuns: 3000 },
  )
})

test('random strings never make verify or decodeUnverified throw anything but a JwtError', () => {
  const check = createVerifier(SECRET, { now: NOW })
  const anyText = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
    fc.string({ unit: fc.constantFrom(...PROBES, '{', '}', '"'), maxLength: 200 }),
  )
  fc.assert(
    fc.property(anyText, (t) => {
      onlyJwtErrors(() => check(t))
      onlyJwtErrors(() => decodeUnverified(t))
    }),
    { seed: SEED, numRuns: 3000 },
  )
})

test('random JSON headers and payloads, correctly MACed, never throw anything but a JwtError', () => {
  const json = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.string({ unit: 'binary' }),
  )
  fc.assert(
    fc.property(json, json, (h, p) => {
      const header = `{"alg":"HS256"${h.startsWith('{') && h.length > 2 ? `,${h.slice(1)}` : '}'}`
      for (const [hh, pp] of [
        [header, p],
        [h, p],
      ] as const) {
        const input = `${b64(hh)}.${b64(pp)}`
        const token = `${input}.${hmac(input)}`
        onlyJwtErrors(() => verify(token, SECRET, { now: NOW, crit: ['x'], typ: 'JWT' }))
        onlyJwtErrors(() => verify(token, SECRET, { now: NOW, issuer: 'i', audience: /a/, maxAge: 60 }))
        onlyJwtErrors(() => decodeUnverified(token))
      }
    }),
    { seed: SEED, numRuns: 2000 },
  )
})
