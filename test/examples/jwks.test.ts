/**
 * examples/jwks/: one issuer that rotates its keys, two APIs that find them through discovery, a shared Redis
 * denylist. Everything real and on loopback: Debian's redis-server, the issuer and both APIs as processes, fetch
 * as the client. The issuer rotates every second and its tokens live 6 s; the APIs refresh their key sets every
 * half second. Each phase waits for what it shows within a bound and fails with a message if it never comes;
 * nothing asserts how long anything took.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { isDeepStrictEqual } from 'node:util'
import { createClient } from 'redis'
import { REDIS_SERVER, type Service, startRedis, startService } from '../../examples/jwks/run.js'
import {
  createKeySet,
  decodeUnverified,
  describeError,
  type JsonWebKey,
  JwtError,
  type JwtErrorCode,
  UnauthorizedError,
  verify,
} from '../../src/index.js'

const TOKEN_TTL = 6
const FRESHNESS = { CACHE_MAX_AGE: '0.5', COOLDOWN: '0.2', STALE_IF_ERROR: '3' }

interface Answer {
  status: number
  challenge: string | null
  retryAfter: string | null
  body: unknown
}

/** What an API answers: status, `WWW-Authenticate` and the JSON body. */
async function call(api: Service, token: string): Promise<Answer> {
  const response = await fetch(`${api.url}/me`, { headers: { authorization: `Bearer ${token}` } })
  const text = await response.text()
  return {
    status: response.status,
    challenge: response.headers.get('www-authenticate'),
    retryAfter: response.headers.get('retry-after'),
    body: text === '' ? undefined : JSON.parse(text),
  }
}

/** The answer withJwt gives for a failure with this code (its wording is test/http's business, not this file's). */
function refusal(api: Service, code: JwtErrorCode): Answer {
  const { status, headers, body } = describeError(new UnauthorizedError(new JwtError(code, 'test')), {
    realm: nameOf(api),
  })
  return { status, challenge: headers['www-authenticate'] ?? null, retryAfter: headers['retry-after'] ?? null, body }
}

const names = new Map<Service, string>()
const nameOf = (api: Service): string => names.get(api) ?? ''
const accepted = (api: Service): Answer => ({
  status: 200,
  challenge: null,
  retryAfter: null,
  body: { api: nameOf(api), sub: 'ada' },
})

async function login(issuer: Service, lifetime = TOKEN_TTL): Promise<string> {
  const response = await fetch(`${issuer.url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'ada', password: 'lovelace' }),
  })
  assert.equal(response.status, 200)
  const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number }
  assert.equal(body.token_type, 'Bearer')
  assert.equal(body.expires_in, lifetime)
  return body.access_token
}

async function logout(issuer: Service, token: string): Promise<number> {
  const response = await fetch(`${issuer.url}/logout`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  })
  await response.arrayBuffer()
  return response.status
}

async function jwks(issuer: Service): Promise<Record<string, unknown>[]> {
  const body = (await (await fetch(`${issuer.url}/.well-known/jwks.json`)).json()) as {
    keys: Record<string, unknown>[]
  }
  return body.keys
}

/** Resolves with `promise`, or fails with `what` after `bound` seconds. */
async function within<T>(what: string, bound: number, promise: Promise<T>): Promise<T> {
  const timer = new AbortController()
  const late = sleep(bound * 1000, undefined, { signal: timer.signal }).then(() =>
    assert.fail(`not seen within ${bound} s: ${what}`),
  )
  try {
    return await Promise.race([promise, late])
  } finally {
    timer.abort()
    late.catch(() => {})
  }
}

const kidOf = (token: string): string => String(decodeUnverified(token).header.kid)
const expOf = (token: string): number => Number(decodeUnverified(token).payload.exp)
const nowSeconds = (): number => Date.now() / 1000

/** Runs `step` about every 50 ms until it returns true; fails with `what` if that has not happened by `bound` s. */
async function until(what: string, bound: number, step: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + bound * 1000
  while (!(await step())) {
    if (Date.now() > end) assert.fail(`not seen within ${bound} s: ${what}`)
    await sleep(50)
  }
}

test('one issuer, many APIs: rotation, withdrawal, logout and an issuer outage (examples/jwks)', async (t) => {
  // CI installs redis-server (.ci/run); a machine without it must not pass this test by skipping it.
  assert.ok(existsSync(REDIS_SERVER), `${REDIS_SERVER} is missing: apt-get install redis-server (or set REDIS_SERVER)`)
  const redis = await startRedis()
  t.after(() => redis.stop())
  const issuer = await startService('issuer', {
    PORT: '0',
    REDIS_URL: redis.url,
    ROTATE_EVERY: '1',
    TOKEN_TTL: String(TOKEN_TTL),
  })
  t.after(() => issuer.stop())
  const apis = await Promise.all(
    ['orders', 'billing'].map(async (name) => {
      const env = { ...FRESHNESS, PORT: '0', API_NAME: name, ISSUER: issuer.url, REDIS_URL: redis.url }
      const api = await startService('api', env)
      t.after(() => api.stop())
      names.set(api, name)
      return api
    }),
  )
  const pids = apis.map((api) => api.child.pid)

  await t.test('discovery document and key set', async () => {
    const config = await (await fetch(`${issuer.url}/.well-known/openid-configuration`)).json()
    assert.deepEqual(config, { issuer: issuer.url, jwks_uri: `${issuer.url}/.well-known/jwks.json` })
    const keys = await jwks(issuer)
    assert.ok(keys.length >= 2, 'the signing key and the next one')
    for (const key of keys) {
      // Public members only: never d.
      assert.deepEqual(Object.keys(key).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y'])
      assert.deepEqual(
        { ...key, kid: '', x: '', y: '' },
        { kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: '', x: '', y: '' },
      )
    }
  })

  let first = ''
  await t.test('no request fails across rotations, and both APIs take new keys without a restart', async () => {
    first = await login(issuer)
    // The first token of each key, sent again while it has at least two seconds to live: after its key has retired
    // from signing, it must still verify.
    const firstOfKey = new Map<string, string>([[kidOf(first), first]])
    const verifiedKids = new Map<Service, Set<string>>(apis.map((api) => [api, new Set<string>()]))
    const rotationsBefore = issuer.events.filter((e) => e.event === 'rotated').length
    let requests = 0
    let ofRetiredKeys = 0
    await until('three signing keys verified by both APIs across two rotations', 25, async () => {
      const newest = await login(issuer)
      if (!firstOfKey.has(kidOf(newest))) firstOfKey.set(kidOf(newest), newest)
      const live = [newest, ...[...firstOfKey.values()].filter((token) => expOf(token) - nowSeconds() > 2)]
      for (const token of live) {
        for (const api of apis) {
          assert.deepEqual(await call(api, token), accepted(api), `a token of key ${kidOf(token)}`)
          verifiedKids.get(api)?.add(kidOf(token))
          requests++
          if (kidOf(token) !== kidOf(newest)) ofRetiredKeys++
        }
      }
      const rotations = issuer.events.filter((e) => e.event === 'rotated').length - rotationsBefore
      return rotations >= 2 && apis.every((api) => (verifiedKids.get(api)?.size ?? 0) >= 3)
    })
    assert.ok(ofRetiredKeys > 0, 'tokens of keys that no longer sign were sent')
    assert.ok(requests > 12, `${requests} requests`)
    assert.deepEqual(
      apis.map((api) => api.child.pid),
      pids,
    )
    assert.deepEqual(
      apis.map((api) => api.child.exitCode),
      [null, null],
    )
  })

  await t.test("a withdrawn key stops verifying after the APIs' next refresh", async () => {
    const kid = kidOf(first)
    // Withdrawn once every token it signed has expired, so `first` has expired by then: its answer changes from
    // "expired" (the key still cached) to "no key" (a kid is looked up before the signature or the claims).
    await within(
      `the withdrawal of ${kid}`,
      20,
      issuer.waitFor((e) => e.event === 'withdrawn' && e.kid === kid),
    )
    assert.equal(
      (await jwks(issuer)).some((key) => key.kid === kid),
      false,
    )
    for (const api of apis) {
      await until(`${nameOf(api)} refusing the withdrawn key`, 10, async () => {
        const answer = await call(api, first)
        if (isDeepStrictEqual(answer, refusal(api, 'ERR_JWKS_NO_MATCH'))) return true
        assert.deepEqual(answer, refusal(api, 'ERR_JWT_EXPIRED'))
        return false
      })
      // From then on the key stays unknown: another fetch (after the cooldown) does not bring it back.
      await sleep(300)
      assert.deepEqual(await call(api, first), refusal(api, 'ERR_JWKS_NO_MATCH'))
    }
  })

  await t.test('logout at the issuer makes both APIs refuse the token', async () => {
    const token = await login(issuer)
    const other = await login(issuer)
    for (const api of apis) assert.deepEqual(await call(api, token), accepted(api))
    assert.equal(await logout(issuer, token), 204)
    for (const api of apis) {
      assert.deepEqual(await call(api, token), refusal(api, 'ERR_JWT_REVOKED'))
      assert.deepEqual(await call(api, other), accepted(api), 'another token of the same user')
    }
    assert.equal(await logout(issuer, token), 401, 'the issuer reads the same denylist')
    // The denylist entry ends with the token: Redis drops it at exp by itself.
    const client = createClient({ url: redis.url })
    await client.connect()
    try {
      const { jti, exp } = decodeUnverified(token).payload as { jti: string; exp: number }
      assert.equal(await client.get(`revoked:${jti}`), '1')
      assert.equal(await client.expireTime(`revoked:${jti}`), exp)
    } finally {
      await client.close()
    }
  })

  await t.test('with the issuer stopped, the APIs serve from cache for staleIfError, then answer 503', async () => {
    const token = await login(issuer)
    for (const api of apis) assert.deepEqual(await call(api, token), accepted(api))
    await issuer.stop()
    const seen = new Map<Service, number[]>(apis.map((api) => [api, []]))
    await until('503 from both APIs', 15, async () => {
      for (const api of apis) {
        const statuses = seen.get(api) as number[]
        if (statuses.at(-1) === 503) continue
        const answer = await call(api, token)
        if (answer.status === 503) assert.deepEqual(answer, refusal(api, 'ERR_JWKS_UNAVAILABLE'))
        else assert.deepEqual(answer, accepted(api))
        statuses.push(answer.status)
      }
      return apis.every((api) => seen.get(api)?.at(-1) === 503)
    })
    assert.ok(expOf(token) > nowSeconds(), 'the token was still valid when the APIs gave up on their keys')
    for (const api of apis) {
      const statuses = seen.get(api) as number[]
      // Answers from the cached keys after the issuer went away, then 503, and 503 it stays.
      assert.equal(statuses[0], 200, `${nameOf(api)}: ${statuses.join(' ')}`)
      assert.deepEqual(await call(api, token), refusal(api, 'ERR_JWKS_UNAVAILABLE'))
    }
  })
})

test('the issuer signs with Ed25519 keys when ALG=EdDSA, and its JWK Set verifies them locally', async (t) => {
  assert.ok(existsSync(REDIS_SERVER), `${REDIS_SERVER} is missing: apt-get install redis-server (or set REDIS_SERVER)`)
  const redis = await startRedis()
  t.after(() => redis.stop())
  const issuer = await startService('issuer', { PORT: '0', REDIS_URL: redis.url, ALG: 'EdDSA' })
  t.after(() => issuer.stop())
  const keys = await jwks(issuer)
  assert.deepEqual(
    keys.map((key) => [Object.keys(key).sort(), key.kty, key.crv, key.alg, key.use]),
    keys.map(() => [['alg', 'crv', 'kid', 'kty', 'use', 'x'], 'OKP', 'Ed25519', 'EdDSA', 'sig']),
  )
  const token = await login(issuer, 900)
  assert.equal(decodeUnverified(token).header.alg, 'EdDSA')
  const set = createKeySet({ keys: keys as unknown as JsonWebKey[] })
  assert.deepEqual(verify(token, set, { issuer: issuer.url }), decodeUnverified(token).payload)
})
