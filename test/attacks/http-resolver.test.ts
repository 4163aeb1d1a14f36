/**
 * A secret resolver is handed an unverified header. With the common `keys[header.kid]` lookup on a plain object,
 * `kid: "constructor"` or `"__proto__"` returns a function or a prototype; whatever a resolver returns that is not
 * a key means "no key for this token": 401 `ERR_JWT_HEADER`, never a 500. A `kid` that is not a string, or is
 * longer than the adapter passes on, is refused before the resolver runs.
 */
import assert from 'node:assert/strict'
import { KeyObject } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { describe, test } from 'node:test'
import { inspect } from 'node:util'
import {
  type AuthenticatedRequest,
  authenticateRequest,
  errorResponse,
  isJwtError,
  type JwtRequestOptions,
  type SecretResolver,
  withJwt,
} from '../../src/index.js'
import { forge, SECRET } from '../helpers/forge.js'
import { serve } from '../helpers/server.js'

const HEADER_CHALLENGE =
  'Bearer realm="api", error="invalid_token", error_description="the token header is not accepted"'

function echo(req: AuthenticatedRequest, res: ServerResponse): void {
  res.end(JSON.stringify({ user: req.user ?? null }))
}

function bearer(value: string): RequestInit {
  return { headers: { authorization: `Bearer ${value}` } }
}

async function fetchError(request: Request, options: JwtRequestOptions<Request>): Promise<unknown> {
  return authenticateRequest(request, options).then(
    () => assert.fail('authenticateRequest resolved'),
    (error: unknown) => error,
  )
}

function request(value: string): Request {
  return new Request('http://127.0.0.1/me', { headers: { authorization: `Bearer ${value}` } })
}

describe('resolvers that return something other than a key', () => {
  test('node:http: a plain-object lookup with kid constructor, __proto__, toString... is 401, not 500', async (t) => {
    const keys: Record<string, string> = { k1: SECRET }
    // The pattern this library used to show in its docs: a plain-object lookup on the unverified kid.
    const url = await serve(t, withJwt({ secret: ({ header }) => keys[header.kid as string], realm: 'api' }, echo))
    for (const kid of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf']) {
      const res = await fetch(`${url}/me`, bearer(forge({ alg: 'HS256', kid }, { sub: 'u1' })))
      assert.equal(res.status, 401, kid)
      assert.equal(res.headers.get('www-authenticate'), HEADER_CHALLENGE, kid)
      assert.deepEqual(await res.json(), {
        error: 'invalid_token',
        error_description: 'the token header is not accepted',
      })
    }
    const ok = await fetch(`${url}/me`, bearer(forge({ alg: 'HS256', kid: 'k1' }, { sub: 'u1' })))
    assert.deepEqual([ok.status, await ok.json()], [200, { user: { sub: 'u1' } }])
  })

  test('Fetch: any non-key a resolver returns (or resolves to) is ERR_JWT_HEADER 401', async () => {
    const fakeBytes = Object.create(Uint8Array.prototype) as Uint8Array
    const returns: unknown[] = [
      undefined,
      null,
      0,
      42,
      Number.NaN,
      true,
      Symbol('k'),
      10n,
      () => SECRET,
      Object,
      Object.prototype,
      Function.prototype,
      Uint8Array.prototype,
      fakeBytes,
      Object.create(KeyObject.prototype),
      {},
      Object.create(null),
      [SECRET],
      new String(SECRET),
      new ArrayBuffer(64),
      new Uint16Array(32),
      new DataView(new ArrayBuffer(64)),
      new Map([['k', SECRET]]),
      new Date(),
      /secret/,
      Promise.resolve(() => SECRET),
      Promise.resolve(Object.prototype),
      Promise.resolve(null),
    ]
    const value = forge({ alg: 'HS256', kid: 'k1' }, { sub: 'u1' })
    for (const returned of returns) {
      const options: JwtRequestOptions<Request> = {
        secret: (() => returned) as unknown as SecretResolver,
        realm: 'api',
      }
      const error = await fetchError(request(value), options)
      assert.ok(isJwtError(error), inspect(returned))
      assert.deepEqual([error.name, error.code, error.status], ['UnauthorizedError', 'ERR_JWT_HEADER', 401])
      const res = errorResponse(error, options)
      assert.deepEqual([res.status, res.headers.get('www-authenticate')], [401, HEADER_CHALLENGE])
    }
    // A real key of each kind still works.
    for (const key of [SECRET, new TextEncoder().encode(SECRET), Buffer.from(SECRET)]) {
      const claims = await authenticateRequest(request(value), { secret: () => key })
      assert.deepEqual(claims, { sub: 'u1' })
    }
  })

  test('a kid that is not a string, or longer than 256 characters, is refused before the resolver runs', async () => {
    const seen: unknown[] = []
    const options: JwtRequestOptions<Request> = {
      secret: ({ header }) => {
        seen.push(header.kid)
        return SECRET
      },
    }
    for (const kid of [1, 0, true, null, ['k1'], { k: 1 }, 'k'.repeat(257), 'k'.repeat(100_000)]) {
      const error = await fetchError(request(forge({ alg: 'HS256', kid }, { sub: 'u1' })), {
        ...options,
        maxTokenLength: 200_000,
      })
      assert.ok(isJwtError(error))
      assert.deepEqual([error.name, error.code, error.status], ['UnauthorizedError', 'ERR_JWT_HEADER', 401])
    }
    assert.deepEqual(seen, [])
    // At the limit, and without a kid at all, the resolver is asked (a missing kid as undefined).
    const atLimit = 'k'.repeat(256)
    assert.deepEqual(await authenticateRequest(request(forge({ alg: 'HS256', kid: atLimit }, { sub: 'a' })), options), {
      sub: 'a',
    })
    assert.deepEqual(await authenticateRequest(request(forge({ alg: 'HS256' }, { sub: 'b' })), options), { sub: 'b' })
    assert.deepEqual(seen, [atLimit, undefined])
  })

  test('a resolver that throws stays a 500 whose answer says nothing of the error', async (t) => {
    const secretWord = 'vault-password-XYZ'
    const resolver: SecretResolver = ({ header }) => {
      throw new Error(`key store down (${secretWord}, kid ${String(header.kid)})`)
    }
    const url = await serve(t, withJwt({ secret: resolver, realm: 'api' }, echo))
    const res = await fetch(`${url}/me`, bearer(forge({ alg: 'HS256', kid: 'k1' }, { sub: 'u1' })))
    const text = await res.text()
    assert.deepEqual(
      [res.status, res.headers.get('www-authenticate'), JSON.parse(text)],
      [500, null, { error: 'server_error', error_description: 'the server is not configured correctly' }],
    )
    assert.equal(text.includes(secretWord), false)
    const error = await fetchError(request(forge({ alg: 'HS256', kid: 'k1' }, { sub: 'u1' })), { secret: resolver })
    const answer = errorResponse(error)
    assert.equal(answer.status, 500)
    assert.equal((await answer.text()).includes(secretWord), false)
  })
})
