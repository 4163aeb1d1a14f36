/**
 * Key sets (RFC 7517 §5): createKeySet, createRemoteKeySet and discoverKeySet, against real JWKS servers on
 * 127.0.0.1 port 0. Tokens are signed with node:crypto directly (test/helpers/jwks.ts). What hostile inputs and
 * hostile endpoints get is in test/attacks/keysets.test.ts; this file is the behaviour a user relies on.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createKeySet, createRemoteKeySet, createVerifier, discoverKeySet, verify } from '../src/index.js'
import { throwsCode } from './helpers/forge.js'
import {
  ecPair,
  ed25519Pair,
  jwksServer,
  PAYLOAD,
  publicJwk,
  recordingFetch,
  rejectsCode,
  resolves,
  rsaPair,
  sendJson,
  signToken,
  sleep,
  until,
} from './helpers/jwks.js'

const rsa = rsaPair()
const rsa2 = rsaPair()
const p256 = ecPair('P-256')
const p384 = ecPair('P-384')
const ed = ed25519Pair()

const rsaJwk = publicJwk(rsa, { kid: 'rsa-1', alg: 'RS256', use: 'sig' })
const rsa2Jwk = publicJwk(rsa2, { kid: 'rsa-2', alg: 'RS256', use: 'sig' })
const p256Jwk = publicJwk(p256, { kid: 'ec-1', alg: 'ES256', use: 'sig' })
const p384Jwk = publicJwk(p384, { kid: 'ec-384' })
const edJwk = publicJwk(ed, { kid: 'ed-1', alg: 'EdDSA' })

const rsaToken = signToken({ alg: 'RS256', kid: 'rsa-1' }, PAYLOAD, rsa.privateKey)
const rsa2Token = signToken({ alg: 'RS256', kid: 'rsa-2' }, PAYLOAD, rsa2.privateKey)
const ecToken = signToken({ alg: 'ES256', kid: 'ec-1' }, PAYLOAD, p256.privateKey)

describe('createKeySet: a local set, verified synchronously', () => {
  const set = createKeySet({ keys: [rsaJwk, rsa2Jwk, p256Jwk, p384Jwk, edJwk] })

  test('size counts the usable keys', () => {
    assert.equal(set.size, 5)
    assert.equal(createKeySet({ keys: [] }).size, 0)
  })

  test('verify picks the key the kid names, and returns the payload synchronously', () => {
    const result = verify(rsaToken, set)
    assert.ok(!(result instanceof Promise), 'a local set verifies synchronously')
    assert.deepEqual(result, PAYLOAD)
    assert.deepEqual(verify(rsa2Token, set), PAYLOAD)
    assert.deepEqual(verify(ecToken, set), PAYLOAD)
    assert.deepEqual(verify(signToken({ alg: 'EdDSA', kid: 'ed-1' }, PAYLOAD, ed.privateKey), set), PAYLOAD)
  })

  test('each key keeps its own default algorithm: a P-384 key without alg verifies ES384', () => {
    const token = signToken({ alg: 'ES384', kid: 'ec-384' }, PAYLOAD, p384.privateKey)
    assert.deepEqual(verify(token, set), PAYLOAD)
  })

  test('a token signed by another key under a known kid is ERR_JWT_SIGNATURE', () => {
    const forged = signToken({ alg: 'RS256', kid: 'rsa-1' }, PAYLOAD, rsa2.privateKey)
    throwsCode(() => verify(forged, set), 'ERR_JWT_SIGNATURE')
  })

  test('without a kid, the one key that fits the alg is used', () => {
    assert.deepEqual(verify(signToken({ alg: 'ES256' }, PAYLOAD, p256.privateKey), set), PAYLOAD)
    assert.deepEqual(verify(signToken({ alg: 'EdDSA' }, PAYLOAD, ed.privateKey), set), PAYLOAD)
  })

  test('without a kid and several keys fitting: ERR_JWKS_MULTIPLE_MATCHES (401)', () => {
    const err = throwsCode(
      () => verify(signToken({ alg: 'RS256' }, PAYLOAD, rsa.privateKey), set),
      'ERR_JWKS_MULTIPLE_MATCHES',
    )
    assert.equal(err.status, 401)
  })

  test('a kid the set does not have: ERR_JWKS_NO_MATCH (401)', () => {
    const err = throwsCode(
      () => verify(signToken({ alg: 'RS256', kid: 'rsa-9' }, PAYLOAD, rsa.privateKey), set),
      'ERR_JWKS_NO_MATCH',
    )
    assert.equal(err.status, 401)
  })

  test('createVerifier takes a set and verifies synchronously, with the usual claim options', () => {
    const check = createVerifier(set, { issuer: 'https://issuer.example' })
    const token = signToken(
      { alg: 'ES256', kid: 'ec-1' },
      { ...PAYLOAD, iss: 'https://issuer.example' },
      p256.privateKey,
    )
    const result = check(token)
    assert.ok(!(result instanceof Promise))
    assert.deepEqual(result, { ...PAYLOAD, iss: 'https://issuer.example' })
    throwsCode(() => check(ecToken), 'ERR_JWT_CLAIM')
  })

  test('complete: true returns the header with its kid', () => {
    const result = verify(rsaToken, set, { complete: true })
    assert.deepEqual(result.header, { alg: 'RS256', kid: 'rsa-1' })
    assert.deepEqual(result.payload, PAYLOAD)
  })

  test('the algorithms option narrows: with [ES256] an RS256 token is refused, ES256 still verifies', () => {
    throwsCode(() => verify(rsaToken, set, { algorithms: ['ES256'] }), 'ERR_JWT_ALGORITHM')
    assert.deepEqual(verify(ecToken, set, { algorithms: ['ES256'] }), PAYLOAD)
  })

  test('the set copies the keys: changing the array afterwards changes nothing', () => {
    const keys = [publicJwk(rsa, { kid: 'copy', alg: 'RS256' })]
    const copied = createKeySet({ keys })
    keys.length = 0
    assert.equal(copied.size, 1)
    assert.deepEqual(verify(signToken({ alg: 'RS256', kid: 'copy' }, PAYLOAD, rsa.privateKey), copied), PAYLOAD)
  })

  test('a local set may hold oct secrets: an HS256 token under its kid verifies, again and again', () => {
    const k = Buffer.alloc(32, 7)
    const local = createKeySet({ keys: [{ kty: 'oct', kid: 'hs', alg: 'HS256', k: k.toString('base64url') }, rsaJwk] })
    const token = signToken({ alg: 'HS256', kid: 'hs' }, PAYLOAD, k)
    const check = createVerifier(local)
    for (let i = 0; i < 3; i++) assert.deepEqual(check(token), PAYLOAD)
    assert.deepEqual(verify(token, local), PAYLOAD)
    throwsCode(() => check(signToken({ alg: 'HS256', kid: 'hs' }, PAYLOAD, Buffer.alloc(32, 8))), 'ERR_JWT_SIGNATURE')
  })

  test('a bad argument to createKeySet is ERR_JWT_INVALID_OPTION', () => {
    for (const bad of [undefined, null, 'keys', [], {}, { keys: 'x' }, { keys: {} }]) {
      throwsCode(() => createKeySet(bad as never), 'ERR_JWT_INVALID_OPTION')
    }
  })
})

describe('createRemoteKeySet: fetched, cached, shared', () => {
  test('the first verify fetches the set once; later verifies of cached keys make no request', async (t) => {
    const server = await jwksServer(t, [rsaJwk, p256Jwk])
    const remote = createRemoteKeySet(server.jwksUrl)
    assert.equal(remote.url, server.jwksUrl)
    assert.deepEqual(await resolves(() => verify(rsaToken, remote)), PAYLOAD)
    assert.equal(server.count('/jwks'), 1)
    for (let i = 0; i < 20; i++) {
      assert.deepEqual(await resolves(() => verify(i % 2 ? rsaToken : ecToken, remote)), PAYLOAD)
    }
    assert.equal(server.count(), 1)
  })

  test('creating a remote set makes no request by itself', async (t) => {
    const server = await jwksServer(t, [rsaJwk])
    createRemoteKeySet(server.jwksUrl)
    await sleep(50)
    assert.equal(server.count(), 0)
  })

  test('a verify whose key is cached resolves without any I/O (before a setImmediate fires)', async (t) => {
    const server = await jwksServer(t, [rsaJwk])
    const calls = recordingFetch()
    const remote = createRemoteKeySet(server.jwksUrl, { fetch: calls.fetch })
    await verify(rsaToken, remote)
    assert.equal(calls.calls.length, 1)
    for (let i = 0; i < 5; i++) {
      const first = await Promise.race([
        verify(rsaToken, remote).then(() => 'verify'),
        new Promise((resolve) => setImmediate(() => resolve('io'))),
      ])
      assert.equal(first, 'verify', 'a cached verify must not wait for the event loop')
    }
    assert.equal(calls.calls.length, 1)
    assert.equal(server.count(), 1)
  })

  test('createVerifier with a remote set returns a verifier that resolves to the payload', async (t) => {
    const server = await jwksServer(t, [rsaJwk])
    const check = createVerifier(createRemoteKeySet(server.jwksUrl), { algorithms: ['RS256'] })
    assert.deepEqual(await resolves(() => check(rsaToken)), PAYLOAD)
    await rejectsCode(() => check(ecToken), 'ERR_JWT_ALGORITHM', 401)
    await rejectsCode(() => check('not.a.token'), 'ERR_JWT_MALFORMED', 401)
    assert.equal(server.count(), 1)
  })

  test('a URL object is accepted, and its string form is the url property', async (t) => {
    const server = await jwksServer(t, [rsaJwk])
    const remote = createRemoteKeySet(new URL(server.jwksUrl))
    assert.equal(remote.url, server.jwksUrl)
    assert.deepEqual(await verify(rsaToken, remote), PAYLOAD)
  })

  test('concurrent verifies during the first fetch share it: the server sees one request', async (t) => {
    const server = await jwksServer(t, [rsaJwk, p256Jwk])
    const held: (() => void)[] = []
    server.routes.set('/jwks', (_req, res) => held.push(() => sendJson(res, { keys: server.keys })))
    const remote = createRemoteKeySet(server.jwksUrl)
    const pending = Array.from({ length: 25 }, (_, i) => verify(i % 2 ? rsaToken : ecToken, remote))
    await until(() => held.length > 0, 5000, 'the first request')
    await sleep(100) // room for a wrong implementation's second request to arrive
    assert.equal(server.count(), 1)
    for (const release of held) release()
    for (const result of await Promise.all(pending)) assert.deepEqual(result, PAYLOAD)
    assert.equal(server.count(), 1)
  })

  test('refresh() fetches now, and concurrent refreshes share one fetch', async (t) => {
    const server = await jwksServer(t, [rsaJwk])
    const remote = createRemoteKeySet(server.jwksUrl)
    const held: (() => void)[] = []
    let hold = true
    server.routes.set('/jwks', (_req, res) => {
      const send = () => sendJson(res, { keys: server.keys })
      if (hold) held.push(send)
      else send()
    })
    const refreshes = [remote.refresh(), remote.refresh(), remote.refresh()]
    const verifying = verify(rsaToken, remote)
    await until(() => held.length > 0, 5000, 'the refresh request')
    await sleep(100)
    assert.equal(server.count(), 1)
    hold = false
    for (const release of held) release()
    for (const done of await Promise.all(refreshes)) assert.equal(done, undefined)
    assert.deepEqual(await verifying, PAYLOAD)
    assert.equal(server.count(), 1)
    await remote.refresh()
    assert.equal(server.count(), 2)
  })

  test('a refresh that fails rejects with ERR_JWKS_UNAVAILABLE', async (t) => {
    const server = await jwksServer(t, [rsaJwk])
    server.routes.set('/jwks', (_req, res) => sendJson(res, { error: 'down' }, 500))
    await rejectsCode(() => createRemoteKeySet(server.jwksUrl).refresh(), 'ERR_JWKS_UNAVAILABLE', 503)
  })

  test('rotation: after refresh() a withdrawn key stops verifying and the new one verifies', async (t) => {
    const server = await jwksServer(t, [rsaJwk])
    const remote = createRemoteKeySet(server.jwksUrl, { cooldown: 60 })
    assert.deepEqual(await verify(rsaToken, remote), PAYLOAD)
    server.keys = [rsa2Jwk]
    await remote.refresh()
    assert.deepEqual(await verify(rsa2Token, remote), PAYLOAD)
    await rejectsCode(() => verify(rsaToken, remote), 'ERR_JWKS_NO_MATCH', 401)
    await rejectsCode(() => verify(rsaToken, remote), 'ERR_JWKS_NO_MATCH', 401)
    // Two fetches, and at most one more that the withdrawn kid may cause (the cooldown is 60 s).
    assert.ok(server.count() <= 3, `requests: ${server.count()}`)
  })

  test('after cacheMaxAge the set is fetched again (once, however many verifies ask)', async (t) => {
    const server = await jwksServer(t, [rsaJwk])
    const remote = createRemoteKeySet(server.jwksUrl, { cacheMaxAge: 0.2, cooldown: 60 })
    await verify(rsaToken, remote)
    assert.equal(server.count(), 1)
    await sleep(400)
    const results = await Promise.all(Array.from({ length: 10 }, () => verify(rsaToken, remote)))
    for (const result of results) assert.deepEqual(result, PAYLOAD)
    await until(() => server.count() === 2, 5000, 'the refetch after cacheMaxAge')
    await sleep(50)
    assert.equal(server.count(), 2)
  })

  test('past cacheMaxAge a verify of a cached key does not wait for the refetch (it runs in the background)', async (t) => {
    const server = await jwksServer(t, [rsaJwk])
    const remote = createRemoteKeySet(server.jwksUrl, { cacheMaxAge: 0.2, cooldown: 0.1 })
    assert.deepEqual(await verify(rsaToken, remote), PAYLOAD)
    const held: (() => void)[] = []
    server.routes.set('/jwks', (_req, res) => held.push(() => sendJson(res, { keys: [rsaJwk, rsa2Jwk] })))
    await sleep(300)
    assert.deepEqual(await verify(rsaToken, remote), PAYLOAD, 'resolved while the refetch is held')
    await until(() => held.length === 1, 5000, 'the background refetch')
    for (const release of held) release()
    // Once the refetch is in, its new key verifies without another request.
    await until(() => server.count() === 2, 5000, 'the refetch')
    await sleep(50)
    assert.deepEqual(await verify(rsa2Token, remote), PAYLOAD)
    assert.equal(server.count(), 2)
  })

  test('a healthy endpoint never answers 503, whatever the cooldown: cacheMaxAge + staleIfError shorter than it', async (t) => {
    // cacheMaxAge '10s' with staleIfError '5s' and the default cooldown '30s' is a plausible configuration: the set
    // must be refetched when it is no longer fresh, not kept from refreshing by a cooldown meant for unknown kids.
    const server = await jwksServer(t, [rsaJwk])
    const remote = createRemoteKeySet(server.jwksUrl, { cacheMaxAge: 0.2, staleIfError: 0.2, cooldown: 5 })
    assert.deepEqual(await verify(rsaToken, remote), PAYLOAD)
    await sleep(300)
    assert.deepEqual(await verify(rsaToken, remote), PAYLOAD)
    await sleep(500)
    assert.deepEqual(await verify(rsaToken, remote), PAYLOAD, 'past cacheMaxAge + staleIfError, the endpoint is up')
    assert.ok(server.count() >= 2, `requests: ${server.count()}`)
  })

  test('an unknown kid makes one fetch, which finds a key published since (first fetch after publishing)', async (t) => {
    const server = await jwksServer(t, [rsaJwk])
    const remote = createRemoteKeySet(server.jwksUrl)
    await verify(rsaToken, remote)
    server.keys = [rsaJwk, rsa2Jwk]
    assert.deepEqual(await verify(rsa2Token, remote), PAYLOAD)
    assert.equal(server.count(), 2)
    assert.deepEqual(await verify(rsa2Token, remote), PAYLOAD)
    assert.equal(server.count(), 2)
  })

  test('the headers option is sent with each fetch', async (t) => {
    const server = await jwksServer(t, [rsaJwk])
    const remote = createRemoteKeySet(server.jwksUrl, { headers: { 'x-api-key': 'k-123', 'user-agent': 'my-api/1' } })
    await verify(rsaToken, remote)
    assert.equal(server.requests[0]?.headers['x-api-key'], 'k-123')
    assert.equal(server.requests[0]?.headers['user-agent'], 'my-api/1')
  })

  test('the fetch option is called with the URL, an AbortSignal and redirects not followed', async (t) => {
    const server = await jwksServer(t, [rsaJwk])
    const calls = recordingFetch()
    const remote = createRemoteKeySet(server.jwksUrl, { fetch: calls.fetch })
    assert.deepEqual(await verify(rsaToken, remote), PAYLOAD)
    assert.equal(calls.calls.length, 1)
    const [call] = calls.calls
    assert.equal(call?.url, server.jwksUrl)
    assert.ok(call?.init.signal instanceof AbortSignal, 'the fetch gets an AbortSignal for the timeout')
    assert.ok(call?.init.redirect === 'manual' || call?.init.redirect === 'error', `redirect: ${call?.init.redirect}`)
    assert.equal(server.count(), 1)
  })

  test('a body of exactly maxBytes is read; one byte more is ERR_JWKS_UNAVAILABLE', async (t) => {
    const server = await jwksServer(t)
    const json = JSON.stringify({ keys: [rsaJwk] })
    const maxBytes = 4096
    let body = `${json.slice(0, -1)}${' '.repeat(maxBytes - json.length)}}`
    assert.equal(Buffer.byteLength(body), maxBytes)
    server.routes.set('/jwks', (_req, res) => sendJson(res, body))
    assert.deepEqual(await verify(rsaToken, createRemoteKeySet(server.jwksUrl, { maxBytes })), PAYLOAD)
    body = `${json.slice(0, -1)}${' '.repeat(maxBytes + 1 - json.length)}}`
    await rejectsCode(
      () => verify(rsaToken, createRemoteKeySet(server.jwksUrl, { maxBytes })),
      'ERR_JWKS_UNAVAILABLE',
      503,
    )
  })

  test('a set fetched over http://localhost works (loopback http is allowed)', async (t) => {
    const server = await jwksServer(t, [rsaJwk])
    const port = new URL(server.base).port
    assert.deepEqual(await verify(rsaToken, createRemoteKeySet(`http://localhost:${port}/jwks`)), PAYLOAD)
    assert.equal(server.count(), 1)
  })

  test('options: bad values are ERR_JWT_INVALID_OPTION at creation', () => {
    const url = 'http://127.0.0.1:1/jwks'
    const bad: Record<string, unknown>[] = [
      { cacheMaxAge: -1 },
      { cacheMaxAge: '10' },
      { cooldown: 'soon' },
      { timeout: 0 },
      { timeout: Number.NaN },
      { staleIfError: -5 },
      { maxBytes: 0 },
      { maxBytes: 1.5 },
      { maxBytes: '1MB' },
      { headers: 'x-api-key: 1' },
      { headers: { 'x-api-key': 1 } },
      { headers: ['x-api-key', '1'] },
      { fetch: 'fetch' },
      { cacheMaxAg: '10m' },
    ]
    for (const options of bad) {
      throwsCode(() => createRemoteKeySet(url, options as never), 'ERR_JWT_INVALID_OPTION')
    }
  })
})

describe('discoverKeySet: OpenID Connect Discovery', () => {
  test('end to end: the configuration names jwks_uri, its keys verify, and both are cached', async (t) => {
    const server = await jwksServer(t, [rsaJwk, p256Jwk])
    server.routes.set('/.well-known/openid-configuration', (_req, res) =>
      sendJson(res, { issuer: server.base, jwks_uri: server.jwksUrl, response_types_supported: ['code'] }),
    )
    const remote = discoverKeySet(server.base)
    const token = signToken({ alg: 'ES256', kid: 'ec-1' }, { ...PAYLOAD, iss: server.base }, p256.privateKey)
    assert.deepEqual(await verify(token, remote, { algorithms: ['ES256'], issuer: server.base }), {
      ...PAYLOAD,
      iss: server.base,
    })
    assert.deepEqual(
      server.requests.map((r) => r.path),
      ['/.well-known/openid-configuration', '/jwks'],
    )
    for (let i = 0; i < 5; i++) await verify(token, remote, { algorithms: ['ES256'] })
    assert.equal(server.count(), 2)
  })

  test('an issuer with a path: the configuration is read under that path', async (t) => {
    const server = await jwksServer(t, [rsaJwk])
    const issuer = `${server.base}/realms/main`
    server.routes.set('/realms/main/.well-known/openid-configuration', (_req, res) =>
      sendJson(res, { issuer, jwks_uri: server.jwksUrl }),
    )
    assert.deepEqual(await verify(rsaToken, discoverKeySet(issuer)), PAYLOAD)
    assert.equal(server.count('/realms/main/.well-known/openid-configuration'), 1)
  })
})
