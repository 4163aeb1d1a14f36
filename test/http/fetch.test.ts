import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Hono } from 'hono'
import {
  authenticateRequest,
  errorResponse,
  JwtError,
  type JwtPayload,
  type JwtRequestOptions,
  UnauthorizedError,
} from '../../src/index.js'
import { expiredToken, OTHER_SECRET, SECRET, tampered, token } from '../helpers/tokens.js'

const options: JwtRequestOptions<Request> = { secret: SECRET, realm: 'fetch' }

/** Runs authenticateRequest and returns the error it rejected with (fails the test if it resolved). */
async function rejection(request: Request, opts: JwtRequestOptions<Request> = options): Promise<UnauthorizedError> {
  try {
    await authenticateRequest(request, opts)
  } catch (error) {
    assert.ok(error instanceof UnauthorizedError)
    return error
  }
  assert.fail('authenticateRequest resolved')
}

describe('authenticateRequest with new Request(...)', () => {
  test('resolves to the claims from each source', async () => {
    const value = token()
    const requests = [
      new Request('http://x/me', { headers: { authorization: `Bearer ${value}` } }),
      new Request('http://x/me', { headers: { 'x-access-token': value } }),
      new Request(`http://x/me?access_token=${value}`),
    ]
    for (const request of requests) {
      const claims = await authenticateRequest(request, options)
      assert.equal(claims?.sub, 'u1')
    }
  })

  test('readBody reads a JSON or form body from a clone; the handler can still read it', async () => {
    const value = token()
    const opts = { ...options, readBody: true }
    const jsonRequest = new Request('http://x/me', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ access_token: value, n: 1 }),
    })
    assert.equal((await authenticateRequest(jsonRequest, opts))?.sub, 'u1')
    assert.deepEqual(await jsonRequest.json(), { access_token: value, n: 1 })
    const formRequest = new Request('http://x/me', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `access_token=${value}`,
    })
    assert.equal((await authenticateRequest(formRequest, opts))?.sub, 'u1')
    const big = new Request('http://x/me', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(20_000) }),
    })
    const error = await rejection(big, opts)
    assert.deepEqual([error.code, error.status], ['ERR_JWT_BODY_TOO_LARGE', 413])
    assert.equal(errorResponse(error).status, 413)
  })

  test('no token: UnauthorizedError ERR_JWT_MISSING; errorResponse has a bare challenge', async () => {
    const error = await rejection(new Request('http://x/me'))
    assert.equal(error.name, 'UnauthorizedError')
    assert.deepEqual([error.code, error.status], ['ERR_JWT_MISSING', 401])
    // The adapter's options give errorResponse the realm (it reads only `realm` of them).
    const res = errorResponse(error, options)
    assert.equal(res.status, 401)
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="fetch"')
    assert.equal(errorResponse(error).headers.get('www-authenticate'), 'Bearer')
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8')
    assert.deepEqual(await res.json(), { error: 'unauthorized', error_description: 'a bearer token is required' })
  })

  test('bad and expired tokens: invalid_token', async () => {
    for (const [value, code, description] of [
      [tampered(token()), 'ERR_JWT_SIGNATURE', 'the token signature is invalid'],
      [expiredToken(), 'ERR_JWT_EXPIRED', 'the token has expired'],
    ] as const) {
      const error = await rejection(new Request('http://x/me', { headers: { authorization: `Bearer ${value}` } }))
      assert.equal(error.code, code)
      assert.ok(error.cause instanceof JwtError)
      const res = errorResponse(error, options)
      assert.equal(
        res.headers.get('www-authenticate'),
        `Bearer realm="fetch", error="invalid_token", error_description="${description}"`,
      )
      assert.deepEqual(await res.json(), { error: 'invalid_token', error_description: description })
    }
  })

  test('several tokens, or a list in one Authorization value: invalid_request', async () => {
    const headers = new Headers()
    headers.append('authorization', `Bearer ${token()}`)
    headers.append('authorization', `Bearer ${token({ sub: 'u2' })}`)
    for (const request of [
      new Request('http://x/me', { headers }),
      new Request(`http://x/me?access_token=${token({ sub: 'u2' })}`, { headers: { 'x-access-token': token() } }),
      new Request(`http://x/me?access_token=a.b.c&access_token=a.b.c`),
    ]) {
      const error = await rejection(request)
      assert.deepEqual([error.code, error.status], ['ERR_JWT_AMBIGUOUS', 400])
      assert.match(errorResponse(error).headers.get('www-authenticate') ?? '', /error="invalid_request"/)
    }
  })

  test('preflight, unless and credentialsRequired false resolve to undefined', async () => {
    const preflight = new Request('http://x/me', {
      method: 'OPTIONS',
      headers: { origin: 'https://a.example', 'access-control-request-method': 'GET' },
    })
    assert.equal(await authenticateRequest(preflight, options), undefined)
    const opts = { ...options, unless: { path: ['/health'] } }
    assert.equal(await authenticateRequest(new Request('http://x/health'), opts), undefined)
    await rejection(new Request('http://x/me?to=/health'), opts)
    const lax = { ...options, credentialsRequired: false }
    assert.equal(await authenticateRequest(new Request('http://x/me'), lax), undefined)
    await rejection(new Request('http://x/me', { headers: { authorization: `Bearer ${expiredToken()}` } }), lax)
  })

  test('a resolver and isRevoked', async () => {
    const keys = new Map([
      ['a', SECRET],
      ['b', OTHER_SECRET],
    ])
    const opts: JwtRequestOptions<Request> = {
      secret: ({ header }) => (typeof header.kid === 'string' ? keys.get(header.kid) : null),
      isRevoked: ({ claims }) => claims.jti === 'gone',
    }
    const b = token({ sub: 'b' }, { keyId: 'b' }, OTHER_SECRET)
    assert.equal(
      (await authenticateRequest(new Request('http://x', { headers: { authorization: `Bearer ${b}` } }), opts))?.sub,
      'b',
    )
    const gone = token({ sub: 'a', jti: 'gone' }, { keyId: 'a' })
    const error = await rejection(new Request('http://x', { headers: { authorization: `Bearer ${gone}` } }), opts)
    assert.equal(error.code, 'ERR_JWT_REVOKED')
    const unknown = token({ sub: 'a' }, { keyId: 'zz' })
    assert.equal(
      (await rejection(new Request('http://x', { headers: { authorization: `Bearer ${unknown}` } }), opts)).code,
      'ERR_JWT_HEADER',
    )
  })

  test('errorResponse of anything else is a 500 with no challenge', async () => {
    const res = errorResponse(new Error('boom'))
    assert.equal(res.status, 500)
    assert.equal(res.headers.get('www-authenticate'), null)
    assert.deepEqual(await res.json(), {
      error: 'server_error',
      error_description: 'the server is not configured correctly',
    })
    await assert.rejects(authenticateRequest(new Request('http://x'), { secret: 'short' }), {
      code: 'ERR_JWT_INVALID_OPTION',
    })
  })
})

describe('authenticateRequest in a real Hono app', () => {
  type Env = { Variables: { user: JwtPayload | undefined } }
  function makeApp(): Hono<Env> {
    const app = new Hono<Env>()
    const auth: JwtRequestOptions<Request> = { secret: SECRET, realm: 'hono', unless: { path: ['/'] } }
    app.use('*', async (c, next) => {
      try {
        c.set('user', await authenticateRequest(c.req.raw, auth))
      } catch (error) {
        return errorResponse(error, auth)
      }
      await next()
    })
    app.get('/', (c) => c.text('public'))
    app.get('/me', (c) => c.json({ sub: c.get('user')?.sub ?? null }))
    return app
  }

  test('an authorised, a public and a refused request', async () => {
    const app = makeApp()
    const ok = await app.request('/me', { headers: { authorization: `Bearer ${token()}` } })
    assert.equal(ok.status, 200)
    assert.deepEqual(await ok.json(), { sub: 'u1' })
    assert.equal(await (await app.request('/')).text(), 'public')
    const refused = await app.request('/me')
    assert.equal(refused.status, 401)
    assert.equal(refused.headers.get('www-authenticate'), 'Bearer realm="hono"')
    const bad = await app.request(`/me?access_token=${expiredToken()}`)
    assert.equal(bad.status, 401)
    assert.match(bad.headers.get('www-authenticate') ?? '', /error="invalid_token"/)
    const twice = await app.request(`/me?access_token=${token()}`, {
      headers: { authorization: `Bearer ${token({ sub: 'x' })}` },
    })
    assert.equal(twice.status, 400)
  })
})
