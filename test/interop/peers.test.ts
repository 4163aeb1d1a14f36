/**
 * Interop with jsonwebtoken, jose, fast-jwt and jwt-simple, in both directions, for HS256, HS384 and HS512, with
 * exp, nbf, iss, aud and sub set; and one tampered token that every library refuses. Real clock: every token is
 * valid from a minute ago to an hour from now, so no assertion depends on timing.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type Algorithm, JwtError, sign, verify } from '../../src/index.js'
import { SECRET } from '../helpers/forge.js'
import { accepts, CLAIMS, PEERS } from './peers.js'

const ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const
const nowSeconds = () => Math.floor(Date.now() / 1000)

function ours(now: number, alg: Algorithm): string {
  return sign({ role: 'admin' }, SECRET, {
    algorithm: alg,
    now,
    expiresIn: '1h',
    notBefore: -60,
    issuer: CLAIMS.iss,
    audience: CLAIMS.aud,
    subject: CLAIMS.sub,
  })
}

const ourRules = (alg: Algorithm) => ({
  algorithms: [alg],
  issuer: CLAIMS.iss,
  audience: CLAIMS.aud,
  subject: CLAIMS.sub,
  requiredClaims: ['exp', 'nbf', 'iat'],
})

/** Changes the role claim inside the payload segment and keeps the original signature. */
function tamper(token: string): string {
  const [h, p, s] = token.split('.') as [string, string, string]
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString())
  claims.role = 'root'
  return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`
}

for (const peer of PEERS) {
  describe(peer.name, () => {
    for (const alg of ALGORITHMS) {
      test(`${alg}: a token signed by ${peer.name} verifies with jwt-codec`, async () => {
        const now = nowSeconds()
        const token = await peer.sign({ role: 'admin' }, SECRET, alg, now)
        const claims = verify(token, SECRET, ourRules(alg))
        assert.equal(claims.role, 'admin')
        assert.equal(claims.iss, CLAIMS.iss)
        assert.equal(claims.sub, CLAIMS.sub)
        assert.ok(claims.aud === CLAIMS.aud || (Array.isArray(claims.aud) && claims.aud.includes(CLAIMS.aud)))
        assert.equal(claims.exp, (claims.iat as number) + 3600)
        assert.equal(claims.nbf, (claims.iat as number) - 60)
      })
      test(`${alg}: a token signed by jwt-codec verifies with ${peer.name}`, async () => {
        const now = nowSeconds()
        const claims = await peer.verify(ours(now, alg), SECRET, alg)
        assert.deepEqual({ ...claims }, { role: 'admin', iat: now, exp: now + 3600, nbf: now - 60, ...CLAIMS })
      })
      test(`${alg}: the same tampered token is refused by ${peer.name} and by jwt-codec`, async () => {
        for (const token of [
          tamper(ours(nowSeconds(), alg)),
          tamper(await peer.sign({ role: 'admin' }, SECRET, alg, nowSeconds())),
        ]) {
          assert.equal(await accepts(peer, token, SECRET, alg), false)
          assert.throws(
            () => verify(token, SECRET, ourRules(alg)),
            (err: unknown) => err instanceof JwtError && err.code === 'ERR_JWT_SIGNATURE',
          )
        }
      })
    }
  })
}

test('one tampered token, refused by all five libraries at once', async () => {
  const token = tamper(ours(nowSeconds(), 'HS256'))
  const verdicts = await Promise.all(PEERS.map(async (p) => [p.name, await accepts(p, token, SECRET)] as const))
  assert.deepEqual(Object.fromEntries(verdicts), {
    jsonwebtoken: false,
    jose: false,
    'fast-jwt': false,
    'jwt-simple': false,
  })
  assert.throws(() => verify(token, SECRET), { code: 'ERR_JWT_SIGNATURE' })
})
