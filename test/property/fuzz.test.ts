/**
 * A bounded mutation fuzz run, part of `npm test`: a fixed seed and a fixed number of runs, so it is repeatable
 * and finishes in seconds. Valid tokens are mutated as text (no re-MAC: nothing may verify) and as JSON (re-MACed
 * with the right key: whatever verifies must satisfy every configured rule). Nothing may throw anything but a
 * JwtError. To explore further: FUZZ_RUNS=200000 FUZZ_SEED=123 node scripts/test.mjs test/property/fuzz.test.ts
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { type Algorithm, createVerifier, decodeUnverified, JwtError, sign } from '../../src/index.js'
import { b64, hmac, NOW, SECRET } from '../helpers/forge.js'

const SEED = Number(process.env.FUZZ_SEED ?? 0x6675_7a7a)
const RUNS = Number(process.env.FUZZ_RUNS ?? 25_000)

const ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const
const RULES = { issuer: 'auth.example', audience: 'api', subject: 'user-42', typ: 'JWT', crit: ['ext'] } as const

/** Valid tokens of several shapes: the seeds of every mutation. */
const CORPUS: ReadonlyArray<{ token: string; algorithm: (typeof ALGORITHMS)[number] }> = ALGORITHMS.flatMap(
  (algorithm) => [
    { algorithm, token: sign({ sub: 'user-42' }, SECRET, { algorithm, now: NOW }) },
    {
      algorithm,
      token: sign({ sub: 'user-42', roles: ['a', 'b'], n: 1.5 }, SECRET, {
        algorithm,
        now: NOW,
        expiresIn: 60,
        notBefore: -5,
        issuer: RULES.issuer,
        audience: [RULES.audience, 'other'],
        jwtId: 'j1',
        keyId: 'k1',
        header: { crit: ['ext'], ext: 1 },
      }),
    },
  ],
)

const strictVerifiers = new Map(
  ALGORITHMS.map((a) => [
    a,
    createVerifier(SECRET, {
      algorithms: [a],
      now: NOW,
      ...RULES,
      maxAge: '1h',
      clockTolerance: 5,
      crit: [...RULES.crit],
    }),
  ]),
)
const looseVerifiers = new Map(
  ALGORITHMS.map((a) => [a, createVerifier(SECRET, { algorithms: [a], now: NOW, complete: true, crit: ['ext'] })]),
)

/** Text fragments that matter to base64url, JSON or the claim rules. */
const FRAGMENTS = [
  ...'Aa0-_.=+/ {}[]":,\\e',
  '\n',
  '\u0000',
  '\u00e9',
  '\ud800',
  '\u{1F600}',
  '\ufeff',
  'null',
  'true',
  '[]',
  '{}',
  '1e400',
  '-1e400',
  '1e300',
  '-0',
  '0',
  '"x"',
  '"__proto__":',
  '"constructor":',
  '"alg":',
  '"none"',
  '"exp":',
  '"crit":',
  '"b64":false,',
  '"iss":["auth.example"],',
]

const edit = fc.record({
  kind: fc.constantFrom('replace', 'insert', 'delete', 'cut', 'dup'),
  at: fc.nat(),
  len: fc.integer({ min: 1, max: 8 }),
  text: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: 'binary', maxLength: 3 })),
})
type Edit = { kind: string; at: number; len: number; text: string }

function apply(s: string, edits: readonly Edit[]): string {
  let out = s
  for (const { kind, at, len, text } of edits) {
    const i = at % (out.length + 1)
    if (kind === 'replace') out = out.slice(0, i) + text + out.slice(i + len)
    else if (kind === 'insert') out = out.slice(0, i) + text + out.slice(i)
    else if (kind === 'delete') out = out.slice(0, i) + out.slice(i + len)
    else if (kind === 'cut') out = out.slice(0, i)
    else out = out.slice(0, i) + out.slice(i, i + len) + out.slice(i)
  }
  return out
}

function outcome(run: () => unknown): { ok: true; value: unknown } | { ok: false; error: JwtError } {
  try {
    return { ok: true, value: run() }
  } catch (err) {
    if (!(err instanceof JwtError)) {
      assert.fail(`threw a non-JwtError: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`)
    }
    return { ok: false, error: err }
  }
}

/** What any token that passes the strict verifier must satisfy, checked independently of the library. */
function assertRulesHold(
  payload: Record<string, unknown>,
  header: Record<string, unknown>,
  algorithm: Algorithm,
): void {
  assert.equal(header.alg, algorithm)
  if (Object.hasOwn(header, 'b64')) assert.equal(header.b64, true)
  if (Object.hasOwn(header, 'crit')) assert.deepEqual(header.crit, ['ext'])
  assert.match(String(header.typ), /^(application\/)?jwt$/i)
  const exp = payload.exp
  if (exp !== undefined) assert.ok(typeof exp === 'number' && Number.isFinite(exp) && NOW < exp + 5, 'exp holds')
  const nbf = payload.nbf
  if (nbf !== undefined) assert.ok(typeof nbf === 'number' && Number.isFinite(nbf) && NOW >= nbf - 5, 'nbf holds')
  const iat = payload.iat
  assert.ok(typeof iat === 'number' && Number.isFinite(iat) && iat <= NOW + 5 && NOW < iat + 3600 + 5, 'iat holds')
  assert.equal(payload.iss, RULES.issuer)
  assert.equal(payload.sub, RULES.subject)
  const aud = payload.aud
  assert.ok(
    aud === RULES.audience ||
      (Array.isArray(aud) && aud.every((a) => typeof a === 'string') && aud.includes(RULES.audience)),
    'aud holds',
  )
}

test(`mutation fuzz: ${RUNS} runs, seed ${SEED}`, (t) => {
  let verifiedAfterRemac = 0
  const check = () =>
    fc.assert(
      fc.property(
        fc.nat({ max: CORPUS.length - 1 }),
        fc.constantFrom('token', 'header', 'payload'),
        fc.array(edit, { minLength: 1, maxLength: 4 }),
        (pick, where, edits) => {
          const { token, algorithm } = CORPUS[pick] as (typeof CORPUS)[number]
          const strict = strictVerifiers.get(algorithm) as (t: string) => unknown
          const loose = looseVerifiers.get(algorithm) as (t: string) => unknown
          if (where === 'token') {
            // Text edits without a new MAC: nothing but the untouched token may verify.
            const t = apply(token, edits)
            const r = outcome(() => strict(t))
            if (t !== token) assert.equal(r.ok, false, `an altered token verified: ${JSON.stringify(t)}`)
            outcome(() => loose(t))
            outcome(() => decodeUnverified(t))
            return
          }
          // JSON edits, re-encoded and re-MACed with the right key: only the rules stand between them and success.
          const [h, p] = token.split('.') as [string, string, string]
          const headerText = Buffer.from(h, 'base64url').toString()
          const payloadText = Buffer.from(p, 'base64url').toString()
          const hh = where === 'header' ? apply(headerText, edits) : headerText
          const pp = where === 'payload' ? apply(payloadText, edits) : payloadText
          const input = `${b64(hh)}.${b64(pp)}`
          const t = `${input}.${hmac(input, SECRET, algorithm)}`
          const r = outcome(() => strict(t))
          const l = outcome(() => loose(t)) as { ok: boolean; value?: { header: object; payload: object } }
          outcome(() => decodeUnverified(t))
          if (r.ok) {
            verifiedAfterRemac++
            assert.ok(l.ok && l.value !== undefined, 'the loose verifier agrees')
            // The signed text is pp's UTF-8 (a lone surrogate in pp became U+FFFD there).
            const signed = JSON.parse(Buffer.from(pp).toString())
            assert.deepEqual(r.value, signed, 'the claims returned are the claims that were signed')
            assertRulesHold(
              l.value.payload as Record<string, unknown>,
              l.value.header as Record<string, unknown>,
              algorithm,
            )
          }
        },
      ),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    )
  try {
    check()
  } catch (err) {
    // node:test does not print an error's cause; the cause is the assertion that failed.
    const cause = (err as Error).cause
    throw new Error(`${(err as Error).message}\nCause: ${cause instanceof Error ? cause.message : String(cause)}`)
  }
  // The JSON mutations must sometimes leave a valid token, or the oracle above checked nothing.
  t.diagnostic(`${verifiedAfterRemac} of the re-MACed JSON mutations verified and passed the rule oracle`)
  assert.ok(verifiedAfterRemac > 0, 'some re-MACed mutations verified')
})
