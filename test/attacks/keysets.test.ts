/**
 * Key-set attacks: the failures users of other JWKS clients have met, each named after what goes wrong, each
 * against a real server on 127.0.0.1 port 0 and asserting exact codes (RFC 8725 §3.1 key confusion, §2.7/§3.10
 * "do not trust jku/x5u", RFC 7517 §4.2/§4.3 use and key_ops, OIDC Discovery §4.3 issuer mix-up).
 *
 * Hostile endpoints are ours: a hung one, a slow 50 MB one, a gzip bomb, a Content-Length lie, redirects to an
 * attacker's set. The verify must answer ERR_JWKS_UNAVAILABLE (503) in bounded time and memory, never follow a
 * redirect, never fetch a URL that came from a token.
 */
import assert from 'node:assert/strict'
import type { ServerResponse } from 'node:http'
import { describe, type TestContext, test } from 'node:test'
import { gzipSync } from 'node:zlib'
import { createKeySet, createRemoteKeySet, discoverKeySet, verify, withJwt } from '../../src/index.js'
import { b64, SECRET, throwsCode } from '../helpers/forge.js'
import {
  ecPair,
  ed25519Pair,
  type Jwk,
  jwksServer,
  leaksNothing,
  PAYLOAD,
  publicJwk,
  recordingFetch,
  rejectsCode,
  rsaPair,
  sendJson,
  signToken,
  sleep,
  until,
  within,
} from '../helpers/jwks.js'
import { serve } from '../helpers/server.js'

const NO_MATCH = 'ERR_JWKS_NO_MATCH'
const UNAVAILABLE = 'ERR_JWKS_UNAVAILABLE'

const rsa = rsaPair()
const rsa2 = rsaPair()
const rsaEnc = rsaPair()
const rsa1024 = rsaPair(1024)
const p256 = ecPair('P-256')
const p256b = ecPair('P-256')
const p384 = ecPair('P-384')
const k1 = ecPair('secp256k1')
const ed = ed25519Pair()
const attacker = rsaPair()

const rsaJwk = publicJwk(rsa, { kid: 'rsa-1', alg: 'RS256', use: 'sig' })
const p256Jwk = publicJwk(p256, { kid: 'ec-1', alg: 'ES256', use: 'sig' })
const rsaToken = signToken({ alg: 'RS256', kid: 'rsa-1' }, PAYLOAD, rsa.privateKey)
const ecToken = signToken({ alg: 'ES256', kid: 'ec-1' }, PAYLOAD, p256.privateKey)
const attackerJwk = publicJwk(attacker, { kid: 'evil', alg: 'RS256', use: 'sig' })

/** A token with a random kid, signed by the attacker (the flood of "unknown kid" requests). */
function randomKidToken(i: number): string {
  return signToken(
    { alg: 'RS256', kid: `flood-${i}-${Math.random().toString(36).slice(2)}` },
    PAYLOAD,
    attacker.privateKey,
  )
}

/**
 * A provider-shaped set: what Keycloak, Entra ID, Auth0 and Google publish (extra members x5t, issuer; an
 * encryption key beside the signing keys) plus what a set may hold that this library cannot use. Every unusable
 * key is skipped; the usable ones keep working.
 */
const skipped: Record<string, { jwk: unknown; token?: string; localOnly?: boolean }> = {
  'an encryption key (use: enc, alg RSA-OAEP)': {
    jwk: publicJwk(rsaEnc, { kid: 'enc-1', use: 'enc', alg: 'RSA-OAEP' }),
    token: signToken({ alg: 'RS256', kid: 'enc-1' }, PAYLOAD, rsaEnc.privateKey),
  },
  'an encryption key without alg (use: enc)': {
    jwk: publicJwk(rsaEnc, { kid: 'enc-2', use: 'enc' }),
    token: signToken({ alg: 'RS256', kid: 'enc-2' }, PAYLOAD, rsaEnc.privateKey),
  },
  'key_ops without verify': {
    jwk: publicJwk(rsaEnc, { kid: 'ops-1', key_ops: ['encrypt', 'wrapKey'] }),
    token: signToken({ alg: 'RS256', kid: 'ops-1' }, PAYLOAD, rsaEnc.privateKey),
  },
  'a 1024-bit RSA key': {
    jwk: publicJwk(rsa1024, { kid: 'short', alg: 'RS256', use: 'sig' }),
    token: signToken({ alg: 'RS256', kid: 'short' }, PAYLOAD, rsa1024.privateKey),
  },
  'a secp256k1 key (ES256K)': {
    jwk: publicJwk(k1, { kid: 'k1', alg: 'ES256K' }),
    token: signToken({ alg: 'ES256', kid: 'k1' }, PAYLOAD, k1.privateKey),
  },
  'an unknown kty (AKP, ML-DSA)': { jwk: { kty: 'AKP', kid: 'pq-1', alg: 'ML-DSA-44', pub: b64('x'.repeat(1312)) } },
  'an X25519 key (ECDH only)': { jwk: { kty: 'OKP', crv: 'X25519', kid: 'x-1', x: b64(Buffer.alloc(32, 9)) } },
  'an RSA key whose n is not base64url': { jwk: { kty: 'RSA', kid: 'bad-n', n: 'not base64url!', e: 'AQAB' } },
  'an RSA key with a numeric n': { jwk: { kty: 'RSA', kid: 'num-n', n: 12345, e: 'AQAB' } },
  'an RSA key without e': { jwk: { ...publicJwk(rsa2, { kid: 'no-e' }), e: undefined } },
  'an EC key without y': { jwk: { ...publicJwk(p256b, { kid: 'no-y', alg: 'ES256' }), y: undefined } },
  'an EC key whose x is too short': { jwk: { ...publicJwk(p256b, { kid: 'short-x' }), x: b64('abc') } },
  'an EC key whose point is not on the curve': {
    jwk: { kty: 'EC', crv: 'P-256', kid: 'off-curve', x: b64(Buffer.alloc(32, 1)), y: b64(Buffer.alloc(32, 2)) },
  },
  'a kty that is not a string': { jwk: { kty: ['RSA'], kid: 'arr-kty', n: rsaJwk.n, e: 'AQAB' } },
  'a key_ops that is not an array': { jwk: publicJwk(rsa2, { kid: 'ops-str', key_ops: 'verify' }) },
  'a key whose alg is not a JWS algorithm': { jwk: publicJwk(rsa2, { kid: 'alg-none', alg: 'none' }) },
  null: { jwk: null },
  'a string': { jwk: 'RSA' },
  'an array': { jwk: [rsaJwk] },
  'an RSA key whose alg says HS256 (the key-confusion JWK)': {
    jwk: publicJwk(rsa2, { kid: 'rsa-hs', alg: 'HS256' }),
    token: signToken({ alg: 'HS256', kid: 'rsa-hs' }, PAYLOAD, rsa2.publicKey.export({ type: 'spki', format: 'pem' })),
  },
  'an RSA key whose members are inherited, not own': {
    jwk: Object.assign(Object.create(publicJwk(rsa2, { alg: 'RS256' })) as Jwk, { kid: 'inherited' }),
    token: signToken({ alg: 'RS256', kid: 'inherited' }, PAYLOAD, rsa2.privateKey),
  },
  'an RSA key whose kty is a getter (local only: JSON has no getters)': {
    localOnly: true,
    jwk: Object.defineProperty(publicJwk(rsa2, { kid: 'getter', alg: 'RS256' }), 'kty', {
      get: () => 'RSA',
      enumerable: true,
    }),
    token: signToken({ alg: 'RS256', kid: 'getter' }, PAYLOAD, rsa2.privateKey),
  },
}
const providerSet: unknown[] = [
  { ...rsaJwk, x5t: 'bm90LWEtcmVhbC10aHVtYnByaW50', issuer: 'https://login.example/tenant/v2.0' },
  p256Jwk,
  ...Object.values(skipped).map((s) => s.jwk),
]

describe('selection in a set', () => {
  test('skipped, not fatal: every unusable key of a provider-shaped set is left out, the rest verify', () => {
    const set = createKeySet({ keys: providerSet as Jwk[] })
    assert.equal(set.size, 2)
    assert.deepEqual(verify(rsaToken, set), PAYLOAD)
    assert.deepEqual(verify(ecToken, set), PAYLOAD)
    for (const [name, { token }] of Object.entries(skipped)) {
      if (token !== undefined) assert.equal(throwsCode(() => verify(token, set), NO_MATCH).status, 401, name)
    }
  })

  test('the same provider-shaped set served remotely: the usable keys verify, the skipped ones are NO_MATCH', async (t) => {
    const server = await jwksServer(t, providerSet)
    const remote = createRemoteKeySet(server.jwksUrl, { cooldown: 60 })
    assert.deepEqual(await verify(rsaToken, remote), PAYLOAD)
    assert.deepEqual(await verify(ecToken, remote), PAYLOAD)
    for (const { token, localOnly } of Object.values(skipped)) {
      if (token !== undefined && localOnly !== true) await rejectsCode(() => verify(token, remote), NO_MATCH, 401)
    }
    assert.ok(server.count() <= 2, `requests: ${server.count()}`)
  })

  test('key confusion: a kid naming a key of another type or curve than the alg is NO_MATCH', () => {
    const set = createKeySet({
      keys: [rsaJwk, p256Jwk, publicJwk(p384, { kid: 'ec-384' }), publicJwk(ed, { kid: 'ed' })],
    })
    // An ES256 token whose kid names the RSA key, and so on: the token chooses the kid, never the key's type.
    throwsCode(() => verify(signToken({ alg: 'ES256', kid: 'rsa-1' }, PAYLOAD, p256.privateKey), set), NO_MATCH)
    throwsCode(() => verify(signToken({ alg: 'RS256', kid: 'ec-1' }, PAYLOAD, rsa.privateKey), set), NO_MATCH)
    throwsCode(() => verify(signToken({ alg: 'ES384', kid: 'ec-1' }, PAYLOAD, p384.privateKey), set), NO_MATCH)
    throwsCode(() => verify(signToken({ alg: 'ES256', kid: 'ec-384' }, PAYLOAD, p256.privateKey), set), NO_MATCH)
    throwsCode(() => verify(signToken({ alg: 'EdDSA', kid: 'ec-1' }, PAYLOAD, ed.privateKey), set), NO_MATCH)
    throwsCode(() => verify(signToken({ alg: 'ES256', kid: 'ed' }, PAYLOAD, p256.privateKey), set), NO_MATCH)
  })

  test("a JWK's alg binds it: an RS512 or PS256 token naming an alg: RS256 key is NO_MATCH", () => {
    const set = createKeySet({ keys: [rsaJwk] })
    throwsCode(() => verify(signToken({ alg: 'RS512', kid: 'rsa-1' }, PAYLOAD, rsa.privateKey), set), NO_MATCH)
    throwsCode(
      () => verify(signToken({ alg: 'PS256', kid: 'rsa-1' }, PAYLOAD, rsa.privateKey), set, { algorithms: ['PS256'] }),
      NO_MATCH,
    )
  })

  test('HS token against a set of public keys: an HMAC under the public key (PEM, n, JWK JSON) is refused', () => {
    const set = createKeySet({ keys: [rsaJwk, p256Jwk] })
    const pem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString()
    const secrets = [pem, Buffer.from(String(rsaJwk.n), 'base64url'), JSON.stringify(rsaJwk)]
    for (const secret of secrets) {
      for (const header of [{ alg: 'HS256', kid: 'rsa-1' }, { alg: 'HS256' }, { alg: 'HS512', kid: 'ec-1' }]) {
        const token = signToken(header, PAYLOAD, secret)
        // No key of the set is an HMAC key, so no key fits an HS alg, whatever the kid names or the allowlist says.
        throwsCode(() => verify(token, set), NO_MATCH)
        throwsCode(() => verify(token, set, { algorithms: ['HS256', 'HS512', 'RS256', 'ES256'] }), NO_MATCH)
      }
    }
  })

  test('oct keys in a remote set are skipped: a token MACed with the published k is refused', async (t) => {
    const k = Buffer.from(SECRET)
    const server = await jwksServer(t, [
      rsaJwk,
      { kty: 'oct', kid: 'shared', alg: 'HS256', k: k.toString('base64url') },
    ])
    const remote = createRemoteKeySet(server.jwksUrl, { cooldown: 60 })
    const token = signToken({ alg: 'HS256', kid: 'shared' }, PAYLOAD, k)
    assert.deepEqual(await verify(rsaToken, remote), PAYLOAD)
    await rejectsCode(() => verify(token, remote), NO_MATCH, 401)
    await rejectsCode(() => verify(token, remote, { algorithms: ['HS256', 'RS256'] }), NO_MATCH, 401)
    await rejectsCode(
      () => verify(signToken({ alg: 'HS256' }, PAYLOAD, k), remote, { algorithms: ['HS256'] }),
      NO_MATCH,
    )
  })

  test('the algorithms option narrows what any key may be used for', () => {
    const set = createKeySet({ keys: [rsaJwk, p256Jwk] })
    throwsCode(() => verify(rsaToken, set, { algorithms: ['ES256'] }), 'ERR_JWT_ALGORITHM')
    throwsCode(() => verify(ecToken, set, { algorithms: ['RS256'] }), 'ERR_JWT_ALGORITHM')
    assert.deepEqual(verify(ecToken, set, { algorithms: ['ES256'] }), PAYLOAD)
  })

  test('alg none, or a missing alg, never reaches the set', () => {
    const set = createKeySet({ keys: [rsaJwk] })
    const none = `${b64('{"alg":"none","kid":"rsa-1"}')}.${b64(JSON.stringify(PAYLOAD))}.`
    throwsCode(() => verify(none, set), 'ERR_JWT_ALGORITHM')
    throwsCode(() => verify(none, set, { algorithms: ['RS256'] }), 'ERR_JWT_ALGORITHM')
  })

  test('several keys fit and no kid: ERR_JWKS_MULTIPLE_MATCHES, never "try each until one verifies"', () => {
    const set = createKeySet({ keys: [rsaJwk, publicJwk(rsa2, { kid: 'rsa-2' }), p256Jwk] })
    const err = throwsCode(
      () => verify(signToken({ alg: 'RS256' }, PAYLOAD, rsa.privateKey), set),
      'ERR_JWKS_MULTIPLE_MATCHES',
    )
    assert.equal(err.status, 401)
    // One candidate for ES256: that one.
    assert.deepEqual(verify(signToken({ alg: 'ES256' }, PAYLOAD, p256.privateKey), set), PAYLOAD)
    // A kid chooses among several.
    assert.deepEqual(verify(signToken({ alg: 'RS256', kid: 'rsa-2' }, PAYLOAD, rsa2.privateKey), set), PAYLOAD)
  })

  test('no key fits: ERR_JWKS_NO_MATCH (an empty set; an alg no key has)', () => {
    throwsCode(() => verify(rsaToken, createKeySet({ keys: [] }), { algorithms: ['RS256'] }), NO_MATCH)
    const set = createKeySet({ keys: [rsaJwk, p256Jwk] })
    throwsCode(
      () => verify(signToken({ alg: 'ES512' }, PAYLOAD, ecPair('P-521').privateKey), set, { algorithms: ['ES512'] }),
      NO_MATCH,
    )
  })

  for (const kid of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__']) {
    test(`kid ${JSON.stringify(kid)}: looked up in a Map, never on an object (NO_MATCH, or the key of that kid)`, () => {
      const set = createKeySet({ keys: [rsaJwk] })
      throwsCode(() => verify(signToken({ alg: 'RS256', kid }, PAYLOAD, rsa.privateKey), set), NO_MATCH)
      const named = createKeySet({ keys: [publicJwk(rsa2, { kid, alg: 'RS256' }), rsaJwk] })
      assert.deepEqual(verify(signToken({ alg: 'RS256', kid }, PAYLOAD, rsa2.privateKey), named), PAYLOAD)
      throwsCode(() => verify(signToken({ alg: 'RS256', kid }, PAYLOAD, rsa.privateKey), named), 'ERR_JWT_SIGNATURE')
      assert.equal(Object.getPrototypeOf({}), Object.prototype)
    })
  }

  test('kid "__proto__" against a remote set: NO_MATCH after one fetch, nothing polluted', async (t) => {
    const server = await jwksServer(t, [rsaJwk])
    const remote = createRemoteKeySet(server.jwksUrl, { cooldown: 60 })
    for (const kid of ['__proto__', 'constructor', 'toString']) {
      await rejectsCode(() => verify(signToken({ alg: 'RS256', kid }, PAYLOAD, rsa.privateKey), remote), NO_MATCH, 401)
    }
    assert.ok(server.count() <= 2, `requests: ${server.count()}`)
    assert.equal(({} as Record<string, unknown>).alg, undefined)
  })

  test('a kid that is not a string is refused with a 401, never a 500 or a TypeError', () => {
    const set = createKeySet({ keys: [rsaJwk] })
    for (const kid of [1, {}, [], ['rsa-1'], null, true]) {
      const err = throwsCode(
        () => verify(signToken({ alg: 'RS256', kid }, PAYLOAD, rsa.privateKey), set),
        'ERR_JWT_HEADER',
      )
      assert.equal(err.status, 401)
    }
  })

  test('log injection: a hostile kid is not echoed into the error', () => {
    const set = createKeySet({ keys: [rsaJwk] })
    const kid = '\n[INFO] admin login ok <script>'
    const err = throwsCode(() => verify(signToken({ alg: 'RS256', kid }, PAYLOAD, rsa.privateKey), set), NO_MATCH)
    leaksNothing(err, kid, '<script>')
  })

  test('two keys under one kid: the kid does not choose, so ERR_JWKS_MULTIPLE_MATCHES (never "try each")', () => {
    const set = createKeySet({ keys: [rsaJwk, publicJwk(attacker, { kid: 'rsa-1', alg: 'RS256' })] })
    const byOther = signToken({ alg: 'RS256', kid: 'rsa-1' }, PAYLOAD, attacker.privateKey)
    throwsCode(() => verify(byOther, set), 'ERR_JWKS_MULTIPLE_MATCHES')
    throwsCode(() => verify(rsaToken, set), 'ERR_JWKS_MULTIPLE_MATCHES')
  })
})

describe('remote sets: outages, floods, hostile endpoints', () => {
  test('an outage longer than cacheMaxAge: cached keys serve during staleIfError, then 503 ERR_JWKS_UNAVAILABLE; recovery', async (t) => {
    const server = await jwksServer(t, [rsaJwk])
    let down = false
    server.routes.set('/jwks', (_req, res) =>
      down ? sendJson(res, 'Service Unavailable', 503) : sendJson(res, { keys: server.keys }),
    )
    const cacheMaxAge = 0.3
    const staleIfError = 1.5
    const remote = createRemoteKeySet(server.jwksUrl, { cacheMaxAge, staleIfError, cooldown: 0.05 })
    const start = performance.now()
    assert.deepEqual(await verify(rsaToken, remote), PAYLOAD)
    down = true
    await sleep(600)
    assert.deepEqual(await verify(rsaToken, remote), PAYLOAD, 'past cacheMaxAge, within staleIfError: cached keys')
    await until(() => server.count() >= 2, 5000, 'a refetch attempt after cacheMaxAge')
    const inWindow = (performance.now() - start) / 1000
    assert.ok(inWindow < cacheMaxAge + staleIfError, `the machine was too slow to test the window (${inWindow} s)`)
    await sleep((cacheMaxAge + staleIfError) * 1000 - (performance.now() - start) + 400)
    const err = await rejectsCode(() => verify(rsaToken, remote), UNAVAILABLE, 503)
    leaksNothing(err, 'Service Unavailable')
    down = false
    await sleep(100)
    assert.deepEqual(await verify(rsaToken, remote), PAYLOAD, 'the endpoint is back: keys serve again')
  })

  test('the endpoint down from the start: 503 ERR_JWKS_UNAVAILABLE (not 401: the token is not at fault)', async () => {
    await rejectsCode(() => verify(rsaToken, createRemoteKeySet('http://127.0.0.1:1/jwks')), UNAVAILABLE, 503)
  })

  test('a flood of random kids makes at most one fetch per cooldown; a new key is found at the first fetch after it is published', async (t) => {
    const server = await jwksServer(t, [rsaJwk])
    const cooldown = 0.5
    const remote = createRemoteKeySet(server.jwksUrl, { cooldown })
    assert.deepEqual(await verify(rsaToken, remote), PAYLOAD)
    assert.equal(server.count(), 1)
    const start = performance.now()
    for (let i = 0; i < 300; i++) await rejectsCode(() => verify(randomKidToken(i), remote), NO_MATCH, 401)
    // Concurrent floods too: 100 at once.
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => rejectsCode(() => verify(randomKidToken(i), remote), NO_MATCH)),
    )
    const elapsed = (performance.now() - start) / 1000
    const allowed = 1 + Math.floor(elapsed / cooldown)
    assert.ok(server.count() - 1 <= allowed, `${server.count() - 1} fetches in ${elapsed} s with cooldown ${cooldown}`)
    assert.deepEqual(await verify(rsaToken, remote), PAYLOAD, 'the flood did not evict the known key')

    const rsa2 = rsaPair()
    server.keys = [rsaJwk, publicJwk(rsa2, { kid: 'rsa-new', alg: 'RS256' })]
    const fresh = signToken({ alg: 'RS256', kid: 'rsa-new' }, PAYLOAD, rsa2.privateKey)
    const published = server.count()
    const deadline = performance.now() + cooldown * 1000 * 6
    let found = false
    for (let i = 0; !found; i++) {
      assert.ok(performance.now() < deadline, 'the new key was never found')
      await rejectsCode(() => verify(randomKidToken(i), remote), NO_MATCH)
      try {
        assert.deepEqual(await verify(fresh, remote), PAYLOAD)
        found = true
      } catch (err) {
        assert.equal((err as { code?: string }).code, NO_MATCH)
        // Refused only while no fetch has happened since the key was published.
        assert.equal(server.count(), published, 'a fetch after publishing must have found the new key')
        await sleep(50)
      }
    }
    assert.equal(server.count(), published + 1, 'exactly one fetch found it')
  })

  test('concurrent verifies, known and unknown kids, during the first fetch share it (count at the server)', async (t) => {
    const server = await jwksServer(t, [rsaJwk])
    let hold = true
    const held: (() => void)[] = []
    server.routes.set('/jwks', (_req, res) => {
      const send = () => sendJson(res, { keys: server.keys })
      if (hold) held.push(send)
      else send()
    })
    const remote = createRemoteKeySet(server.jwksUrl, { cooldown: 60 })
    const known = Array.from({ length: 20 }, () => verify(rsaToken, remote))
    const unknown = Array.from({ length: 30 }, (_, i) => rejectsCode(() => verify(randomKidToken(i), remote), NO_MATCH))
    await until(() => held.length > 0, 5000, 'the first request')
    await sleep(150) // room for a wrong implementation's second request to arrive
    assert.equal(server.count(), 1, 'one request while the first fetch is in flight')
    hold = false
    for (const release of held) release()
    for (const result of await Promise.all(known)) assert.deepEqual(result, PAYLOAD)
    await Promise.all(unknown)
    // The unknown kids may cause one fetch of their own once the first is done; the cooldown (60 s) allows no more.
    assert.ok(server.count() <= 2, `requests: ${server.count()}`)
  })

  test('a hung endpoint: timeout holds, ERR_JWKS_UNAVAILABLE, and the connection is dropped', {
    timeout: 15_000,
  }, async (t) => {
    const server = await jwksServer(t)
    let closed = false
    server.routes.set('/jwks', (req) => req.socket.on('close', () => (closed = true)))
    const remote = createRemoteKeySet(server.jwksUrl, { timeout: 0.3 })
    const start = performance.now()
    await rejectsCode(() => within(verify(rsaToken, remote), 4000), UNAVAILABLE, 503)
    const seconds = (performance.now() - start) / 1000
    // Loose bound: well under the default 5 s, so the option was honoured.
    assert.ok(seconds < 3, `took ${seconds} s with timeout 0.3 s`)
    await until(() => closed, 3000, 'the client to drop the hung connection')
  })

  test('a hung body (headers sent, then nothing): the timeout covers reading the body too', {
    timeout: 15_000,
  }, async (t) => {
    const server = await jwksServer(t)
    let closed = false
    server.routes.set('/jwks', (req, res) => {
      req.socket.on('close', () => (closed = true))
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"keys":[')
    })
    const start = performance.now()
    await rejectsCode(
      () => within(verify(rsaToken, createRemoteKeySet(server.jwksUrl, { timeout: 0.3 })), 4000),
      UNAVAILABLE,
      503,
    )
    assert.ok((performance.now() - start) / 1000 < 3)
    await until(() => closed, 3000, 'the client to drop the connection')
  })

  test('a fetch option that ignores the AbortSignal: the timeout still holds against a hung endpoint', {
    timeout: 15_000,
  }, async (t) => {
    const server = await jwksServer(t)
    server.routes.set('/jwks', () => {})
    // A wrapper that builds its own init and drops the signal, as many fetch wrappers do.
    const deaf = (input: string, init: RequestInit) => globalThis.fetch(input, { headers: init.headers })
    const start = performance.now()
    await rejectsCode(
      () => within(verify(rsaToken, createRemoteKeySet(server.jwksUrl, { timeout: 0.3, fetch: deaf })), 4000),
      UNAVAILABLE,
      503,
    )
    assert.ok((performance.now() - start) / 1000 < 3)
  })

  test('a fetch option that ignores the signal, answered late: the late response is let go, its body unread', {
    timeout: 15_000,
  }, async (t) => {
    const server = await jwksServer(t)
    const stats = { written: 0, closed: false }
    server.routes.set('/jwks', (_req, res) => {
      setTimeout(() => streamHuge(res, 50 * 1024 * 1024, {}, stats), 700)
    })
    const deaf = (input: string, init: RequestInit) => globalThis.fetch(input, { headers: init.headers })
    const remote = createRemoteKeySet(server.jwksUrl, { timeout: 0.3, fetch: deaf })
    await rejectsCode(() => within(verify(rsaToken, remote), 4000), UNAVAILABLE, 503)
    await until(() => stats.closed, 5000, 'the late response to be let go')
    assert.ok(stats.written < 8 * 1024 * 1024, `the server wrote ${stats.written} bytes`)
  })

  test('a fetch option whose body never ends and ignores the signal: the timeout still holds', {
    timeout: 15_000,
  }, async () => {
    const stalled = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"keys":['))
          },
        }),
        { status: 200, headers: { 'content-type': 'application/json' } },
      )
    const start = performance.now()
    const remote = createRemoteKeySet('https://issuer.example/jwks', { timeout: 0.3, fetch: stalled })
    await rejectsCode(() => within(verify(rsaToken, remote), 4000), UNAVAILABLE, 503)
    assert.ok((performance.now() - start) / 1000 < 3)
  })

  test('a fetch option that throws, or resolves to what is not a Response: ERR_JWKS_UNAVAILABLE, never a TypeError', async () => {
    const fetches: Record<string, (input: string, init: RequestInit) => Promise<Response>> = {
      'throws synchronously': () => {
        throw new TypeError('boom')
      },
      rejects: () => Promise.reject(new Error('network down')),
      'resolves to null': () => Promise.resolve(null as unknown as Response),
      'resolves to undefined': () => Promise.resolve(undefined as unknown as Response),
      'resolves to a string': () => Promise.resolve('{"keys":[]}' as unknown as Response),
      'resolves to {}': () => Promise.resolve({} as Response),
      'resolves to { status: 200 } without a body reader': () => Promise.resolve({ status: 200 } as Response),
      'resolves to a 200 Response without a body': () => Promise.resolve(new Response(null, { status: 200 })),
      'resolves to a Response whose body is already used': async () => {
        const used = new Response(JSON.stringify({ keys: [rsaJwk] }))
        await used.text()
        return used
      },
    }
    for (const [name, fetch] of Object.entries(fetches)) {
      const remote = createRemoteKeySet('https://issuer.example/jwks', { fetch })
      const err = await rejectsCode(() => within(verify(rsaToken, remote), 4000), UNAVAILABLE, 503)
      assert.equal(err.code, UNAVAILABLE, name)
    }
  })

  test('a kid of 1 000 characters (over the 256 looked up) is ERR_JWT_HEADER and causes no fetch', async (t) => {
    const server = await jwksServer(t, [rsaJwk])
    const remote = createRemoteKeySet(server.jwksUrl, { cooldown: 0 })
    const token = signToken({ alg: 'RS256', kid: 'k'.repeat(1000) }, PAYLOAD, attacker.privateKey)
    await rejectsCode(() => verify(token, remote), 'ERR_JWT_HEADER', 401)
    throwsCode(() => verify(token, createKeySet({ keys: [rsaJwk] })), 'ERR_JWT_HEADER')
    assert.equal(server.count(), 0)
  })

  /** Streams `{"keys":[...]` then whitespace (valid JSON, so only the size can fail it) up to `total` bytes. */
  function streamHuge(
    res: ServerResponse,
    total: number,
    headers: Record<string, string | number>,
    stats: { written: number; closed: boolean },
  ) {
    res.on('close', () => (stats.closed = true))
    res.writeHead(200, { 'content-type': 'application/json', ...headers })
    const head = `{"keys":[${JSON.stringify(rsaJwk)}]`
    res.write(head)
    stats.written = head.length
    const chunk = Buffer.alloc(16 * 1024, 0x20)
    const pump = () => {
      while (!stats.closed && stats.written + chunk.length < total - 1) {
        stats.written += chunk.length
        if (!res.write(chunk)) {
          res.once('drain', () => setTimeout(pump, 2))
          return
        }
        if (stats.written % (256 * 1024) < chunk.length) {
          setTimeout(pump, 2)
          return
        }
      }
      if (!stats.closed) res.end(`${' '.repeat(total - 1 - stats.written)}}`)
    }
    pump()
  }

  test('a 50 MB response streamed slowly is cut at maxBytes: the client stops reading', {
    timeout: 15_000,
  }, async (t) => {
    const server = await jwksServer(t)
    const stats = { written: 0, closed: false }
    const total = 50 * 1024 * 1024
    server.routes.set('/jwks', (_req, res) => streamHuge(res, total, {}, stats))
    const maxBytes = 64 * 1024
    const remote = createRemoteKeySet(server.jwksUrl, { maxBytes })
    await rejectsCode(() => within(verify(rsaToken, remote), 4000), UNAVAILABLE, 503)
    await until(() => stats.closed, 5000, 'the client to close the connection')
    // What the server could hand over before the client hung up: maxBytes plus socket buffers, far from 50 MB.
    assert.ok(stats.written < 8 * 1024 * 1024, `the server wrote ${stats.written} bytes`)
  })

  test('the bytes the library reads stay near maxBytes (counted through the fetch option)', {
    timeout: 15_000,
  }, async (t) => {
    const server = await jwksServer(t)
    const stats = { written: 0, closed: false }
    server.routes.set('/jwks', (_req, res) => streamHuge(res, 50 * 1024 * 1024, {}, stats))
    let read = 0
    const counting = async (input: string, init: RequestInit): Promise<Response> => {
      const response = await globalThis.fetch(input, init)
      const body = response.body?.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            read += chunk.byteLength
            controller.enqueue(chunk)
          },
        }),
      )
      return new Response(body, { status: response.status, headers: response.headers })
    }
    const maxBytes = 64 * 1024
    await rejectsCode(
      () => within(verify(rsaToken, createRemoteKeySet(server.jwksUrl, { maxBytes, fetch: counting })), 4000),
      UNAVAILABLE,
      503,
    )
    assert.ok(read <= maxBytes + 128 * 1024, `read ${read} bytes with maxBytes ${maxBytes}`)
    await until(() => stats.closed, 5000, 'the client to close the connection')
  })

  test('an honest Content-Length of 50 MB is refused (early or while reading), never buffered', {
    timeout: 15_000,
  }, async (t) => {
    const server = await jwksServer(t)
    const stats = { written: 0, closed: false }
    const total = 50 * 1024 * 1024
    server.routes.set('/jwks', (_req, res) => streamHuge(res, total, { 'content-length': total }, stats))
    await rejectsCode(
      () => within(verify(rsaToken, createRemoteKeySet(server.jwksUrl, { maxBytes: 64 * 1024 })), 4000),
      UNAVAILABLE,
      503,
    )
    await until(() => stats.closed, 5000, 'the client to close the connection')
    assert.ok(stats.written < 8 * 1024 * 1024, `the server wrote ${stats.written} bytes`)
  })

  test('a Content-Length lie (says 100 bytes, sends 50 MB through a fetch option) is still cut at maxBytes', {
    timeout: 15_000,
  }, async (t) => {
    const server = await jwksServer(t)
    const stats = { written: 0, closed: false }
    server.routes.set('/jwks', (_req, res) => streamHuge(res, 50 * 1024 * 1024, {}, stats))
    const lying = async (input: string, init: RequestInit): Promise<Response> => {
      const response = await globalThis.fetch(input, init)
      const headers = new Headers(response.headers)
      headers.set('content-length', '100')
      return new Response(response.body, { status: 200, headers })
    }
    await rejectsCode(
      () => within(verify(rsaToken, createRemoteKeySet(server.jwksUrl, { maxBytes: 64 * 1024, fetch: lying })), 4000),
      UNAVAILABLE,
      503,
    )
    await until(() => stats.closed, 5000, 'the client to close the connection')
    assert.ok(stats.written < 8 * 1024 * 1024, `the server wrote ${stats.written} bytes`)
  })

  test('a gzip bomb (50 KB on the wire, 50 MB of valid JSON inflated) is cut at maxBytes', {
    timeout: 15_000,
  }, async (t) => {
    const server = await jwksServer(t)
    const json = Buffer.alloc(50 * 1024 * 1024, 0x20)
    const head = Buffer.from(`{"keys":[${JSON.stringify(rsaJwk)}]`)
    head.copy(json)
    json[json.length - 1] = 0x7d // }
    const bomb = gzipSync(json, { level: 9 })
    assert.ok(bomb.length < 200 * 1024)
    server.routes.set('/jwks', (_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': bomb.length,
      })
      res.end(bomb)
    })
    // The default maxBytes (1 MiB) counts what is read, after inflation: 50 KB on the wire must not become 50 MB.
    await rejectsCode(() => within(verify(rsaToken, createRemoteKeySet(server.jwksUrl)), 4000), UNAVAILABLE, 503)
  })

  for (const status of [301, 302, 303, 307, 308]) {
    test(`redirects are not followed: a ${status} to the attacker's set is ERR_JWKS_UNAVAILABLE and never fetched`, async (t) => {
      const evil = await jwksServer(t, [attackerJwk])
      const server = await jwksServer(t, [rsaJwk])
      server.routes.set('/jwks', (_req, res) => {
        res.writeHead(status, { location: evil.jwksUrl })
        res.end()
      })
      server.routes.set('/same-origin', (_req, res) => {
        res.writeHead(status, { location: '/jwks-real' })
        res.end()
      })
      server.routes.set('/jwks-real', (_req, res) => sendJson(res, { keys: [rsaJwk] }))
      const evilToken = signToken({ alg: 'RS256', kid: 'evil' }, PAYLOAD, attacker.privateKey)
      await rejectsCode(() => verify(evilToken, createRemoteKeySet(server.jwksUrl)), UNAVAILABLE, 503)
      await rejectsCode(() => verify(rsaToken, createRemoteKeySet(`${server.base}/same-origin`)), UNAVAILABLE, 503)
      assert.equal(evil.count(), 0, "the attacker's server was contacted")
      assert.equal(server.count('/jwks-real'), 0, 'a same-origin redirect was followed')
    })
  }

  const badResponses: Record<string, (res: ServerResponse) => void> = {
    'a 404': (res) => sendJson(res, { keys: [rsaJwk] }, 404),
    'a 500 with a valid set in the body': (res) => sendJson(res, { keys: [rsaJwk] }, 500),
    'a 201 with a valid set': (res) => sendJson(res, { keys: [rsaJwk] }, 201),
    'a 204': (res) => {
      res.writeHead(204)
      res.end()
    },
    'an HTML error page with status 200': (res) => {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<html><body>SECRET-PAGE-MARKER Sign in</body></html>')
    },
    'JSON without keys': (res) => sendJson(res, { SECRET_PAGE_MARKER: [rsaJwk] }),
    'keys that is not an array': (res) => sendJson(res, { keys: { 0: rsaJwk } }),
    'keys that is a string': (res) => sendJson(res, { keys: 'SECRET-PAGE-MARKER' }),
    'a JSON array of keys (not a set)': (res) => sendJson(res, [rsaJwk]),
    'JSON null': (res) => sendJson(res, 'null'),
    'truncated JSON': (res) => sendJson(res, JSON.stringify({ keys: [rsaJwk] }).slice(0, -3)),
    'an empty body': (res) => sendJson(res, ''),
    'invalid UTF-8 in the JSON': (res) => {
      const body = Buffer.concat([Buffer.from('{"keys":['), Buffer.from([0xff, 0xfe]), Buffer.from(']}')])
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(body)
    },
    'a connection reset mid-body': (res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 1000 })
      res.write('{"keys":[')
      setTimeout(() => res.socket?.destroy(), 20)
    },
  }
  for (const [name, respond] of Object.entries(badResponses)) {
    test(`${name}: ERR_JWKS_UNAVAILABLE, and the body is not put into the error`, async (t) => {
      const server = await jwksServer(t)
      server.routes.set('/jwks', (_req, res) => respond(res))
      const err = await rejectsCode(() => verify(rsaToken, createRemoteKeySet(server.jwksUrl)), UNAVAILABLE, 503)
      leaksNothing(err, 'SECRET-PAGE-MARKER', 'SECRET_PAGE_MARKER', String(rsaJwk.n).slice(0, 40))
    })
  }

  test('an endpoint down from the start is not hammered: concurrent verifies share one failing fetch', async (t) => {
    const server = await jwksServer(t)
    server.routes.set('/jwks', (_req, res) => setTimeout(() => sendJson(res, 'down', 500), 100))
    const remote = createRemoteKeySet(server.jwksUrl, { cooldown: 60 })
    await Promise.all(Array.from({ length: 30 }, () => rejectsCode(() => verify(rsaToken, remote), UNAVAILABLE, 503)))
    assert.equal(server.count(), 1)
    // Within the cooldown a failed set is not fetched again, however many tokens arrive.
    for (let i = 0; i < 50; i++) await rejectsCode(() => verify(rsaToken, remote), UNAVAILABLE, 503)
    assert.equal(server.count(), 1)
  })

  test('during an outage a flood of unknown kids makes at most one fetch per cooldown to the failing endpoint', async (t) => {
    const server = await jwksServer(t, [rsaJwk])
    let down = false
    server.routes.set('/jwks', (_req, res) =>
      down ? sendJson(res, 'down', 502) : sendJson(res, { keys: server.keys }),
    )
    const cooldown = 0.3
    const remote = createRemoteKeySet(server.jwksUrl, { cooldown })
    assert.deepEqual(await verify(rsaToken, remote), PAYLOAD)
    down = true
    const start = performance.now()
    for (let i = 0; i < 200; i++) {
      await rejectsCode(() => verify(randomKidToken(i), remote), NO_MATCH, 401)
      if (i % 20 === 0) assert.deepEqual(await verify(rsaToken, remote), PAYLOAD, 'the cached key serves meanwhile')
    }
    const elapsed = (performance.now() - start) / 1000
    const fetches = server.count() - 1
    assert.ok(fetches <= 1 + Math.floor(elapsed / cooldown), `${fetches} fetches in ${elapsed} s, cooldown ${cooldown}`)
  })

  test('a failed fetch does not poison the cache: good keys fetched before keep serving', async (t) => {
    const server = await jwksServer(t, [rsaJwk])
    const remote = createRemoteKeySet(server.jwksUrl, { cooldown: 0.05 })
    assert.deepEqual(await verify(rsaToken, remote), PAYLOAD)
    server.routes.set('/jwks', (_req, res) => sendJson(res, '<html>oops</html>'))
    await sleep(100)
    // An unknown kid makes a fetch that fails: the token has no key among the cached ones, which are untouched.
    await rejectsCode(() => verify(randomKidToken(0), remote), NO_MATCH, 401)
    assert.equal(server.count(), 2)
    assert.deepEqual(await verify(rsaToken, remote), PAYLOAD)
  })

  const refusedUrls = [
    'http://example.com/jwks',
    'http://10.0.0.1/jwks',
    'http://192.168.1.1/.well-known/jwks.json',
    'http://169.254.169.254/latest/meta-data/',
    'http://0.0.0.0/jwks',
    'http://localhost.attacker.example/jwks',
    'http://127.0.0.1.nip.io/jwks',
    'http://[::ffff:a00:1]/jwks',
    'ftp://127.0.0.1/jwks',
    'file:///etc/passwd',
    'data:application/json,{"keys":[]}',
    'javascript:alert(1)',
    'not a url',
    '',
    '/jwks',
    'https://user:password@issuer.example/jwks',
    'https://:token@issuer.example/jwks',
  ]
  for (const url of refusedUrls) {
    test(`the URL ${JSON.stringify(url)} is refused at creation (ERR_JWT_INVALID_OPTION)`, () => {
      throwsCode(() => createRemoteKeySet(url), 'ERR_JWT_INVALID_OPTION')
      if (url.startsWith('http'))
        throwsCode(() => discoverKeySet(url.replace(/\/[^/]*$/, '')), 'ERR_JWT_INVALID_OPTION')
    })
  }

  test('https: anywhere and http: on loopback (localhost, 127.0.0.0/8, [::1]) are accepted at creation', () => {
    const calls = recordingFetch()
    for (const url of [
      'https://issuer.example/jwks',
      'http://localhost:8080/jwks',
      'http://127.7.8.9/jwks',
      'http://[::1]:9/jwks',
    ]) {
      assert.equal(createRemoteKeySet(url, { fetch: calls.fetch }).url, url)
    }
    assert.equal(calls.calls.length, 0)
    for (const bad of [undefined, null, 42, {}, ['https://a.example/jwks']]) {
      throwsCode(() => createRemoteKeySet(bad as never), 'ERR_JWT_INVALID_OPTION')
      throwsCode(() => discoverKeySet(bad as never), 'ERR_JWT_INVALID_OPTION')
    }
  })

  test('jku, x5u, jwk and x5c in a token are never used: the attacker server sees no request', async (t) => {
    const evil = await jwksServer(t, [attackerJwk])
    evil.routes.set('/cert.pem', (_req, res) => sendJson(res, 'x'))
    const server = await jwksServer(t, [rsaJwk])
    const remote = createRemoteKeySet(server.jwksUrl, { cooldown: 60 })
    const local = createKeySet({ keys: [rsaJwk] })
    const headers = [
      { alg: 'RS256', kid: 'evil', jku: evil.jwksUrl },
      { alg: 'RS256', jku: evil.jwksUrl },
      { alg: 'RS256', kid: 'evil', x5u: `${evil.base}/cert.pem` },
      { alg: 'RS256', kid: 'evil', jwk: attackerJwk },
      { alg: 'RS256', jwk: attackerJwk },
      { alg: 'RS256', kid: 'evil', x5c: [b64('not a certificate')] },
    ]
    for (const header of headers) {
      const token = signToken(header, PAYLOAD, attacker.privateKey)
      await rejectsCode(() => verify(token, remote), header.kid === undefined ? 'ERR_JWT_SIGNATURE' : NO_MATCH, 401)
      throwsCode(() => verify(token, local), header.kid === undefined ? 'ERR_JWT_SIGNATURE' : NO_MATCH)
    }
    await sleep(50)
    assert.equal(evil.count(), 0, 'a URL from the token was fetched')
    assert.ok(server.count() <= 2, `requests: ${server.count()}`)
  })

  test('the URL never comes from iss: a token whose iss names the attacker makes no request there', async (t) => {
    const evil = await jwksServer(t, [attackerJwk])
    evil.routes.set('/.well-known/openid-configuration', (_req, res) =>
      sendJson(res, { issuer: evil.base, jwks_uri: evil.jwksUrl }),
    )
    const server = await jwksServer(t, [rsaJwk])
    server.routes.set('/.well-known/openid-configuration', (_req, res) =>
      sendJson(res, { issuer: server.base, jwks_uri: server.jwksUrl }),
    )
    const token = signToken({ alg: 'RS256', kid: 'evil' }, { ...PAYLOAD, iss: evil.base }, attacker.privateKey)
    await rejectsCode(() => verify(token, createRemoteKeySet(server.jwksUrl)), NO_MATCH, 401)
    await rejectsCode(() => verify(token, discoverKeySet(server.base)), NO_MATCH, 401)
    await sleep(50)
    assert.equal(evil.count(), 0)
  })
})

describe('discovery attacks', () => {
  async function issuerServer(t: TestContext, document: (base: string) => unknown) {
    const server = await jwksServer(t, [rsaJwk])
    const handler = (_req: unknown, res: ServerResponse) => sendJson(res, document(server.base))
    for (const prefix of ['', '/tenant', '/tenant/', '/Tenant']) {
      const path = `${prefix}/.well-known/openid-configuration`
      server.routes.set(path, handler)
    }
    return server
  }

  const mismatches: Record<string, { given: (base: string) => string; said: (base: string) => string }> = {
    'a trailing slash in the document': { given: (b) => b, said: (b) => `${b}/` },
    'a trailing slash in the given issuer': { given: (b) => `${b}/tenant/`, said: (b) => `${b}/tenant` },
    'case of the path': { given: (b) => `${b}/Tenant`, said: (b) => `${b}/tenant` },
    'another issuer altogether (mix-up)': { given: (b) => b, said: () => 'https://accounts.example.com' },
    'the issuer with a query': { given: (b) => b, said: (b) => `${b}?x=1` },
  }
  for (const [name, { given, said }] of Object.entries(mismatches)) {
    test(`issuer mismatch, ${name}: ERR_JWKS_UNAVAILABLE and jwks_uri never fetched`, async (t) => {
      const server = await issuerServer(t, (base) => ({ issuer: said(base), jwks_uri: `${base}/jwks` }))
      await rejectsCode(() => verify(rsaToken, discoverKeySet(given(server.base))), UNAVAILABLE, 503)
      assert.ok(
        server.requests.some((r) => r.path.endsWith('/.well-known/openid-configuration')),
        'the document was read',
      )
      assert.equal(server.count('/jwks'), 0)
    })
  }

  const badDocuments: Record<string, (base: string) => unknown> = {
    'jwks_uri on http: to a non-loopback host': (b) => ({ issuer: b, jwks_uri: 'http://example.com/jwks' }),
    'jwks_uri on http: to the cloud metadata address': (b) => ({
      issuer: b,
      jwks_uri: 'http://169.254.169.254/latest',
    }),
    'jwks_uri as file:': (b) => ({ issuer: b, jwks_uri: 'file:///etc/passwd' }),
    'jwks_uri relative': (b) => ({ issuer: b, jwks_uri: '/jwks' }),
    'jwks_uri missing': (b) => ({ issuer: b }),
    'jwks_uri not a string': (b) => ({ issuer: b, jwks_uri: [`${b}/jwks`] }),
    'issuer missing': (b) => ({ jwks_uri: `${b}/jwks` }),
    'issuer not a string': (b) => ({ issuer: [b], jwks_uri: `${b}/jwks` }),
    'not an object': (b) => [b],
  }
  for (const [name, document] of Object.entries(badDocuments)) {
    test(`discovery document with ${name}: ERR_JWKS_UNAVAILABLE, nothing else fetched`, async (t) => {
      const server = await issuerServer(t, document)
      const calls = recordingFetch()
      await rejectsCode(() => verify(rsaToken, discoverKeySet(server.base, { fetch: calls.fetch })), UNAVAILABLE, 503)
      assert.deepEqual(
        calls.calls.map((c) => c.url),
        [`${server.base}/.well-known/openid-configuration`],
      )
    })
  }

  test('a redirected discovery document is not followed', async (t) => {
    const evil = await jwksServer(t, [attackerJwk])
    evil.routes.set('/.well-known/openid-configuration', (_req, res) =>
      sendJson(res, { issuer: evil.base, jwks_uri: evil.jwksUrl }),
    )
    const server = await jwksServer(t, [rsaJwk])
    server.routes.set('/.well-known/openid-configuration', (_req, res) => {
      res.writeHead(302, { location: `${evil.base}/.well-known/openid-configuration` })
      res.end()
    })
    await rejectsCode(() => verify(rsaToken, discoverKeySet(server.base)), UNAVAILABLE, 503)
    assert.equal(evil.count(), 0)
  })

  test('a discovery document that fails once is fetched again after the cooldown, then kept', async (t) => {
    const server = await jwksServer(t, [rsaJwk])
    let up = false
    server.routes.set('/.well-known/openid-configuration', (_req, res) =>
      up ? sendJson(res, { issuer: server.base, jwks_uri: server.jwksUrl }) : sendJson(res, 'down', 503),
    )
    const remote = discoverKeySet(server.base, { cooldown: 0.1 })
    await rejectsCode(() => verify(rsaToken, remote), UNAVAILABLE, 503)
    up = true
    await sleep(200)
    assert.deepEqual(await verify(rsaToken, remote), PAYLOAD)
    await remote.refresh()
    assert.equal(server.count('/.well-known/openid-configuration'), 2, 'the document is kept once read')
    assert.equal(server.count('/jwks'), 2)
    assert.equal(remote.url, server.jwksUrl)
  })

  test('a hung discovery endpoint: the timeout holds', { timeout: 15_000 }, async (t) => {
    const server = await jwksServer(t)
    server.routes.set('/.well-known/openid-configuration', () => {})
    const start = performance.now()
    await rejectsCode(
      () => within(verify(rsaToken, discoverKeySet(server.base, { timeout: 0.3 })), 4000),
      UNAVAILABLE,
      503,
    )
    assert.ok((performance.now() - start) / 1000 < 3)
  })

  test('discoverKeySet refuses http: issuers that are not loopback at creation', () => {
    const issuers = [
      'http://accounts.example.com',
      'http://10.1.2.3',
      'ftp://127.0.0.1',
      'not a url',
      '',
      'https://issuer.example?tenant=a',
      'https://issuer.example/#frag',
      'https://user:pass@issuer.example',
    ]
    for (const issuer of issuers) {
      throwsCode(() => discoverKeySet(issuer), 'ERR_JWT_INVALID_OPTION')
    }
  })
})

describe('a remote set behind the node:http adapter', () => {
  test('JWKS down: 503 temporarily_unavailable with Retry-After, never a 401 that makes clients drop good tokens', async (t) => {
    const jwks = await jwksServer(t)
    jwks.routes.set('/jwks', (_req, res) => sendJson(res, 'down', 502))
    const api = await serve(
      t,
      withJwt({ secret: createRemoteKeySet(jwks.jwksUrl), algorithms: ['RS256'] }, (_req, res) => res.end('ok')),
    )
    const res = await fetch(`${api}/me`, { headers: { authorization: `Bearer ${rsaToken}` } })
    assert.equal(res.status, 503)
    assert.ok(res.headers.get('retry-after') !== null, 'a Retry-After header')
    assert.equal(res.headers.get('www-authenticate'), null)
    const body = (await res.json()) as Record<string, unknown>
    assert.equal(body.error, 'temporarily_unavailable')
  })

  test('an unknown kid is 401 invalid_token; a known one passes; the flood stays within the cooldown', async (t) => {
    const jwks = await jwksServer(t, [rsaJwk])
    const api = await serve(
      t,
      withJwt({ secret: createRemoteKeySet(jwks.jwksUrl, { cooldown: 60 }), algorithms: ['RS256'] }, (_req, res) =>
        res.end('ok'),
      ),
    )
    const ok = await fetch(`${api}/me`, { headers: { authorization: `Bearer ${rsaToken}` } })
    assert.equal(ok.status, 200)
    assert.equal(await ok.text(), 'ok')
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${api}/me`, { headers: { authorization: `Bearer ${randomKidToken(i)}` } })
      assert.equal(res.status, 401)
      assert.match(res.headers.get('www-authenticate') ?? '', /error="invalid_token"/)
      await res.arrayBuffer()
    }
    // The first fetch, and at most one more for the unknown kids (the cooldown is 60 s).
    assert.ok(jwks.count() <= 2, `requests: ${jwks.count()}`)
  })
})
