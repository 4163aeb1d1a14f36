/**
 * The adapters' `secret` with key sets: a local set, a remote set, and a resolver returning either (one set per
 * issuer, say). Real servers on 127.0.0.1: one serving the JWK Set, one behind the adapter.
 */
import assert from 'node:assert/strict'
import type { IncomingMessage } from 'node:http'
import { describe, test } from 'node:test'
import {
  authenticateRequest,
  createKeySet,
  createRemoteKeySet,
  generateKeyPair,
  type JsonWebKey,
  type JwtRequestOptions,
  type KeySet,
  type RemoteKeySet,
  type SecretResolver,
  sign,
  toPublicJwk,
  withJwt,
} from '../../src/index.js'
import { serve, startServer } from '../helpers/server.js'

const pair = generateKeyPair('ES256')
const other = generateKeyPair('ES256')
const jwk: JsonWebKey = { ...toPublicJwk(pair.publicKey), kid: 'k1', alg: 'ES256', use: 'sig' }
const token = sign({ sub: 'ada' }, pair.privateKey, { algorithm: 'ES256', keyId: 'k1' })
const unknownKid = sign({ sub: 'ada' }, other.privateKey, { algorithm: 'ES256', keyId: 'k2' })

/** An adapter on its own server; resolves to what a request with `value` gets: status, challenge, body. */
async function ask(
  t: import('node:test').TestContext,
  secret: JwtRequestOptions<IncomingMessage>['secret'],
  value: string,
): Promise<{ status: number; challenge: string | null; body: unknown }> {
  const url = await serve(
    t,
    withJwt({ secret, realm: 'api' }, (req, res) => {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ sub: req.user?.sub }))
    }),
  )
  const response = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${value}` } })
  return { status: response.status, challenge: response.headers.get('www-authenticate'), body: await response.json() }
}

const OK = { status: 200, challenge: null, body: { sub: 'ada' } }
const NO_KEY = {
  status: 401,
  challenge: 'Bearer realm="api", error="invalid_token", error_description="no key is known for this token"',
  body: { error: 'invalid_token', error_description: 'no key is known for this token' },
}

async function jwksServer(t: import('node:test').TestContext): Promise<string> {
  const url = await serve(t, (_req, res) => {
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ keys: [jwk] }))
  })
  return `${url}/jwks.json`
}

describe('adapters: secret takes a key set', () => {
  test('a local set: the kid chooses the key; an unknown kid is 401 ERR_JWKS_NO_MATCH', async (t) => {
    const set: KeySet = createKeySet({ keys: [jwk] })
    assert.deepEqual(await ask(t, set, token), OK)
    assert.deepEqual(await ask(t, set, unknownKid), NO_KEY)
  })

  test('a remote set; with its endpoint gone and nothing cached, 503 with Retry-After and no challenge', async (t) => {
    const remote: RemoteKeySet = createRemoteKeySet(await jwksServer(t))
    assert.deepEqual(await ask(t, remote, token), OK)
    const gone = await startServer(() => {})
    await gone.close()
    const unreachable = createRemoteKeySet(`${gone.url}/jwks.json`, { timeout: 2 })
    const url = await serve(
      t,
      withJwt({ secret: unreachable, realm: 'api' }, (_req, res) => res.end('ok')),
    )
    const response = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${token}` } })
    assert.equal(response.status, 503)
    assert.equal(response.headers.get('www-authenticate'), null)
    assert.equal(response.headers.get('retry-after'), '30')
    assert.deepEqual(await response.json(), {
      error: 'temporarily_unavailable',
      error_description: 'the keys to check the token cannot be had right now',
    })
  })

  test('a resolver returning a local or a remote set (one per issuer): the set chooses the key', async (t) => {
    const local = createKeySet({ keys: [jwk] })
    const remote = createRemoteKeySet(await jwksServer(t))
    let calls = 0
    const byIssuer: SecretResolver<IncomingMessage> = ({ request }) => {
      calls++
      return request.url === '/remote' ? remote : local
    }
    const url = await serve(
      t,
      withJwt({ secret: byIssuer }, (req, res) => res.end(String(req.user?.sub))),
    )
    for (const path of ['/local', '/remote', '/local', '/remote']) {
      const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } })
      assert.equal(response.status, 200, path)
      assert.equal(await response.text(), 'ada')
    }
    assert.equal(calls, 4)
    const response = await fetch(`${url}/local`, { headers: { authorization: `Bearer ${unknownKid}` } })
    assert.equal(response.status, 401)
    assert.match(response.headers.get('www-authenticate') ?? '', /error_description="no key is known for this token"/)
  })

  test('authenticateRequest with a remote set', async (t) => {
    const options: JwtRequestOptions<Request> = { secret: createRemoteKeySet(await jwksServer(t)) }
    const request = new Request('http://localhost/me', { headers: { authorization: `Bearer ${token}` } })
    assert.deepEqual(await authenticateRequest(request, options), { sub: 'ada', iat: decodeIat(token) })
  })
})

function decodeIat(value: string): number {
  return (JSON.parse(Buffer.from(value.split('.')[1] ?? '', 'base64url').toString()) as { iat: number }).iat
}
