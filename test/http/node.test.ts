import assert from 'node:assert/strict'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { describe, test } from 'node:test'
import { type AuthenticatedRequest, type JwtRequestOptions, sign, withJwt } from '../../src/index.js'
import { rawRequest, serve } from '../helpers/server.js'
import { expiredToken, noneToken, OTHER_SECRET, SECRET, tampered, token } from '../helpers/tokens.js'

/** A listener that echoes what the adapter left on the request. */
function echo(req: AuthenticatedRequest, res: ServerResponse): void {
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify({ user: req.user ?? null, body: req.body ?? null }))
}

async function app(
  t: Parameters<typeof serve>[0],
  options: Partial<JwtRequestOptions<IncomingMessage>> = {},
): Promise<string> {
  return serve(t, withJwt({ secret: SECRET, realm: 'api', ...options }, echo))
}

async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>
}

describe('withJwt: every source', () => {
  test('Authorization: Bearer, scheme in any case', async (t) => {
    const url = await app(t)
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const res = await fetch(`${url}/me`, { headers: { authorization: `${scheme} ${token()}` } })
      assert.equal(res.status, 200)
      assert.deepEqual(((await json(res)).user as Record<string, unknown>).sub, 'u1')
    }
  })

  test('x-access-token header, and a configured header name', async (t) => {
    const url = await app(t)
    const res = await fetch(`${url}/me`, { headers: { 'x-access-token': token() } })
    assert.equal(res.status, 200)
    const url2 = await app(t, { headerName: 'X-Api-Token' })
    assert.equal((await fetch(`${url2}/me`, { headers: { 'x-api-token': token() } })).status, 200)
  })

  test('query access_token, and a configured parameter name', async (t) => {
    const url = await app(t)
    assert.equal((await fetch(`${url}/me?access_token=${token()}`)).status, 200)
    const url2 = await app(t, { queryParameter: 'jwt' })
    assert.equal((await fetch(`${url2}/me?jwt=${token()}`)).status, 200)
  })

  test('readBody: a JSON body is parsed, left on req.body, and its access_token used', async (t) => {
    const url = await app(t, { readBody: true })
    const res = await fetch(`${url}/me`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ access_token: token(), note: 'hi' }),
    })
    assert.equal(res.status, 200)
    const out = await json(res)
    assert.equal((out.user as Record<string, unknown>).sub, 'u1')
    assert.equal((out.body as Record<string, unknown>).note, 'hi')
  })

  test('readBody: a form body is parsed and its access_token used', async (t) => {
    const url = await app(t, { readBody: { limit: 4096 } })
    const res = await fetch(`${url}/me`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ access_token: token(), note: 'a b' }).toString(),
    })
    assert.equal(res.status, 200)
    const out = await json(res)
    assert.equal((out.user as Record<string, unknown>).sub, 'u1')
    assert.equal((out.body as Record<string, unknown>).note, 'a b')
  })

  test('without readBody the body is not read and gives no token', async (t) => {
    const url = await app(t)
    const res = await fetch(`${url}/me`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ access_token: token() }),
    })
    assert.equal(res.status, 401)
  })

  test('a cookie only when the cookie source is asked for', async (t) => {
    const plain = await app(t)
    assert.equal((await fetch(`${plain}/me`, { headers: { cookie: `access_token=${token()}` } })).status, 401)
    const url = await app(t, { sources: ['cookie'], cookieName: 'session' })
    const res = await fetch(`${url}/me`, { headers: { cookie: `theme=dark; session=${token()}` } })
    assert.equal(res.status, 200)
    // With only the cookie source, an Authorization header is not looked at.
    assert.equal((await fetch(`${url}/me`, { headers: { authorization: `Bearer ${token()}` } })).status, 401)
  })
})

describe('withJwt: refusals', () => {
  test('no token: 401, a bare Bearer challenge with the realm and no error code', async (t) => {
    const url = await app(t)
    const res = await fetch(`${url}/me`)
    assert.equal(res.status, 401)
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="api"')
    assert.deepEqual(await json(res), { error: 'unauthorized', error_description: 'a bearer token is required' })
  })

  test('Authorization: Basic counts as no token', async (t) => {
    const url = await app(t)
    const res = await fetch(`${url}/me`, { headers: { authorization: 'Basic dXNlcjpwYXNz' } })
    assert.equal(res.status, 401)
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="api"')
  })

  const bad: Array<[string, () => string, string]> = [
    ['a tampered signature', () => tampered(token()), 'the token signature is invalid'],
    [
      'a token signed with another secret',
      () => token({ sub: 'u1' }, {}, OTHER_SECRET),
      'the token signature is invalid',
    ],
    ['an expired token', expiredToken, 'the token has expired'],
    ['alg none', noneToken, 'the token algorithm is not accepted'],
    ['not a JWT', () => 'abc.def', 'the token is malformed'],
  ]
  for (const [what, make, description] of bad) {
    test(`${what}: 401 invalid_token, described without the token`, async (t) => {
      const url = await app(t)
      const value = make()
      const res = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${value}` } })
      assert.equal(res.status, 401)
      const challenge = res.headers.get('www-authenticate') ?? ''
      assert.equal(challenge, `Bearer realm="api", error="invalid_token", error_description="${description}"`)
      const text = await res.text()
      assert.deepEqual(JSON.parse(text), { error: 'invalid_token', error_description: description })
      assert.ok(!text.includes(value) && !challenge.includes(value))
    })
  }

  test('a claim failure names the claim, never its value', async (t) => {
    const url = await app(t, { issuer: 'https://issuer.example' })
    const res = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${token({ iss: 'evil-"issuer"' })}` } })
    assert.equal(res.status, 401)
    const challenge = res.headers.get('www-authenticate') ?? ''
    assert.match(challenge, /error_description="the token claim 'iss' is not accepted"$/)
    assert.ok(!challenge.includes('evil'))
  })

  const ambiguous: Array<[string, (url: string) => Promise<Response>]> = [
    [
      'different tokens in the header and the query',
      (url) =>
        fetch(`${url}/me?access_token=${token({ sub: 'u2' })}`, { headers: { authorization: `Bearer ${token()}` } }),
    ],
    ['a repeated query parameter', (url) => fetch(`${url}/me?access_token=${token()}&access_token=${token()}`)],
    ['access_token[]= in the query', (url) => fetch(`${url}/me?access_token[]=${token()}`)],
    [
      'two tokens in one Authorization header',
      (url) => fetch(`${url}/me`, { headers: { authorization: `Bearer ${token()} ${token()}` } }),
    ],
    [
      'Authorization: Bearer with nothing after it',
      (url) => fetch(`${url}/me`, { headers: { authorization: 'Bearer' } }),
    ],
    [
      'a JSON array in the body',
      (url) =>
        fetch(`${url}/me`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ access_token: [token()] }),
        }),
    ],
    [
      'a repeated form field',
      (url) =>
        fetch(`${url}/me`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `access_token=${token()}&access_token=${token()}`,
        }),
    ],
    [
      'a body that is not UTF-8',
      (url) =>
        fetch(`${url}/me`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new Uint8Array([0x61, 0x3d, 0xff, 0xfe]),
        }),
    ],
    [
      'a body that is not JSON',
      (url) =>
        fetch(`${url}/me`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"access_token":',
        }),
    ],
  ]
  for (const [what, send] of ambiguous) {
    test(`${what}: 400 invalid_request before any verification`, async (t) => {
      const url = await app(t, { readBody: true })
      const res = await send(url)
      assert.equal(res.status, 400)
      assert.match(
        res.headers.get('www-authenticate') ?? '',
        /^Bearer realm="api", error="invalid_request", error_description="[^"]+"$/,
      )
      assert.equal((await json(res)).error, 'invalid_request')
    })
  }

  test('two Authorization header lines: 400 (Node keeps only the first in req.headers)', async (t) => {
    const url = await app(t)
    const res = await rawRequest(url, [
      'GET /me HTTP/1.1',
      'Host: 127.0.0.1',
      `Authorization: Bearer ${token()}`,
      `Authorization: Bearer ${token({ sub: 'admin' })}`,
    ])
    assert.equal(res.status, 400)
    assert.equal(JSON.parse(res.body).error, 'invalid_request')
  })

  test('the same token in two places is one credential', async (t) => {
    const url = await app(t)
    const value = token()
    const res = await fetch(`${url}/me?access_token=${value}`, { headers: { authorization: `Bearer ${value}` } })
    assert.equal(res.status, 200)
  })

  test('readBody: a body over the limit is 413 invalid_request', async (t) => {
    const url = await app(t, { readBody: { limit: 1024 } })
    const res = await fetch(`${url}/me`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token()}` },
      body: JSON.stringify({ pad: 'x'.repeat(2000) }),
    })
    assert.equal(res.status, 413)
    assert.equal((await json(res)).error, 'invalid_request')
  })

  test('readBody: a chunked body over the limit is 413 too', async (t) => {
    const url = await app(t, { readBody: { limit: 1024 } })
    const chunks = [
      new TextEncoder().encode('{"pad":"'),
      new TextEncoder().encode('x'.repeat(3000)),
      new TextEncoder().encode('"}'),
    ]
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift()
        if (next === undefined) controller.close()
        else controller.enqueue(next)
      },
    })
    const res = await fetch(`${url}/me`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit)
    assert.equal(res.status, 413)
  })
})

describe('withJwt: options', () => {
  test('credentialsRequired false: no token passes without claims, a bad token is still refused', async (t) => {
    const url = await app(t, { credentialsRequired: false })
    const open = await fetch(`${url}/me`)
    assert.equal(open.status, 200)
    assert.equal((await json(open)).user, null)
    assert.equal((await fetch(`${url}/me`, { headers: { authorization: `Bearer ${expiredToken()}` } })).status, 401)
    assert.equal((await fetch(`${url}/me?access_token=a&access_token=b`)).status, 400)
  })

  test('isRevoked (sync and async) refuses with invalid_token and sees claims and header', async (t) => {
    const seen: unknown[] = []
    const url = await app(t, {
      isRevoked: async ({ claims, header }) => {
        seen.push([claims.jti, header.alg])
        return claims.jti === 'revoked'
      },
    })
    const ok = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${token({ sub: 'u1', jti: 'fine' })}` } })
    assert.equal(ok.status, 200)
    const res = await fetch(`${url}/me`, {
      headers: { authorization: `Bearer ${token({ sub: 'u1', jti: 'revoked' })}` },
    })
    assert.equal(res.status, 401)
    assert.equal(
      res.headers.get('www-authenticate'),
      'Bearer realm="api", error="invalid_token", error_description="the token has been revoked"',
    )
    assert.deepEqual(seen, [
      ['fine', 'HS256'],
      ['revoked', 'HS256'],
    ])
    const sync = await app(t, { isRevoked: () => true })
    assert.equal((await fetch(`${sync}/me`, { headers: { authorization: `Bearer ${token()}` } })).status, 401)
  })

  test('a kid resolver with two keys; an unknown kid is 401, never 500', async (t) => {
    const keys = new Map([
      ['k1', SECRET],
      ['k2', OTHER_SECRET],
    ])
    const url = await app(t, {
      secret: ({ header }) => (typeof header.kid === 'string' ? keys.get(header.kid) : undefined),
    })
    const t1 = token({ sub: 'one' }, { keyId: 'k1' }, SECRET)
    const t2 = token({ sub: 'two' }, { keyId: 'k2' }, OTHER_SECRET)
    for (const [value, sub] of [
      [t1, 'one'],
      [t2, 'two'],
      [t1, 'one'],
    ] as const) {
      const res = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${value}` } })
      assert.equal(res.status, 200)
      assert.equal(((await json(res)).user as Record<string, unknown>).sub, sub)
    }
    const unknown = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${token({}, { keyId: 'k3' })}` } })
    assert.equal(unknown.status, 401)
    assert.match(
      unknown.headers.get('www-authenticate') ?? '',
      /error="invalid_token", error_description="the token header is not accepted"/,
    )
    // kid k2 names OTHER_SECRET, but the token was signed with SECRET.
    const wrong = await fetch(`${url}/me`, {
      headers: { authorization: `Bearer ${token({}, { keyId: 'k2' }, SECRET)}` },
    })
    assert.equal(wrong.status, 401)
  })

  test('a resolver that throws is a 500 server_error, not a 401', async (t) => {
    const url = await app(t, {
      secret: () => {
        throw new Error('key store down')
      },
    })
    const res = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${token()}` } })
    assert.equal(res.status, 500)
    assert.equal(res.headers.get('www-authenticate'), null)
    assert.deepEqual(await json(res), {
      error: 'server_error',
      error_description: 'the server is not configured correctly',
    })
  })

  test('a CORS preflight passes without a token', async (t) => {
    const url = await app(t)
    const res = await fetch(`${url}/me`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    })
    assert.equal(res.status, 200)
    // A plain OPTIONS request is not a preflight.
    assert.equal((await fetch(`${url}/me`, { method: 'OPTIONS' })).status, 401)
  })

  test('unless: exact paths match the pathname only, RegExps, methods, a predicate', async (t) => {
    const url = await app(t, { unless: { path: ['/public', /^\/docs\//], method: ['HEAD'] } })
    assert.equal((await fetch(`${url}/public`)).status, 200)
    assert.equal((await fetch(`${url}/public?x=1`)).status, 200)
    assert.equal((await fetch(`${url}/docs/intro`)).status, 200)
    assert.equal((await fetch(`${url}/me`, { method: 'HEAD' })).status, 200)
    assert.equal((await fetch(`${url}/private?next=/public`)).status, 401)
    assert.equal((await fetch(`${url}/public/more`)).status, 401)
    assert.equal((await fetch(`${url}/private`)).status, 401)
    // fetch resolves dot segments itself; a hand-written request keeps them, and they are never exempt.
    for (const target of ['/docs/../admin', '/docs/%2E%2E/admin', '/docs/./x']) {
      const res = await rawRequest(url, [`GET ${target} HTTP/1.1`, 'Host: 127.0.0.1'])
      assert.equal(res.status, 401, target)
    }
    const byPredicate = await app(t, { unless: (req) => req.url === '/health' })
    assert.equal((await fetch(`${byPredicate}/health`)).status, 200)
    assert.equal((await fetch(`${byPredicate}/other`)).status, 401)
  })

  test('requestProperty and complete', async (t) => {
    const url = await serve(
      t,
      withJwt({ secret: SECRET, requestProperty: 'auth', complete: true }, (req, res) => {
        const auth = (req as unknown as { auth: { header: { alg: string }; payload: { sub: string } } }).auth
        res.end(`${auth.header.alg} ${auth.payload.sub} ${req.user === undefined}`)
      }),
    )
    const res = await fetch(url, { headers: { authorization: `Bearer ${token()}` } })
    assert.equal(await res.text(), 'HS256 u1 true')
  })

  test('the claims are the verified payload: a __proto__ claim stays data', async (t) => {
    let claims: Record<string, unknown> | undefined
    const url = await serve(
      t,
      withJwt({ secret: SECRET }, (req, res) => {
        claims = req.user as Record<string, unknown>
        res.end()
      }),
    )
    const hostile = sign(JSON.parse('{"sub":"u1","__proto__":{"admin":true}}') as object, SECRET)
    assert.equal((await fetch(url, { headers: { authorization: `Bearer ${hostile}` } })).status, 200)
    assert.ok(claims !== undefined)
    assert.equal(Object.getPrototypeOf(claims), Object.prototype)
    assert.equal((claims as { admin?: unknown }).admin, undefined)
    assert.deepEqual(Object.hasOwn(claims, '__proto__'), true)
    assert.equal(({} as { admin?: unknown }).admin, undefined)
  })

  test('algorithms default to HS256 only', async (t) => {
    const long = 'z'.repeat(64)
    const url = await serve(t, withJwt({ secret: long }, echo))
    const hs512 = sign({ sub: 'u1' }, long, { algorithm: 'HS512' })
    assert.equal((await fetch(url, { headers: { authorization: `Bearer ${hs512}` } })).status, 401)
    const allowing = await serve(t, withJwt({ secret: long, algorithms: ['HS512'] }, echo))
    assert.equal((await fetch(allowing, { headers: { authorization: `Bearer ${hs512}` } })).status, 200)
  })
})

describe('withJwt: the common request is handled in the same tick', () => {
  /** Records in `seen`, per request, whether the handler had run by the time the listener returned. */
  function tracking(options: Partial<JwtRequestOptions<IncomingMessage>>, handled: { ran: boolean }) {
    const listener = withJwt({ secret: SECRET, ...options }, (_req, res) => {
      handled.ran = true
      res.end('ok')
    })
    return (req: IncomingMessage, res: ServerResponse): void => {
      handled.ran = false
      void listener(req, res)
      seen.push(handled.ran)
    }
  }
  const seen: boolean[] = []

  test('a fixed secret and no async hook: the handler runs before the listener returns', async (t) => {
    seen.length = 0
    const handled = { ran: false }
    const url = await serve(t, tracking({}, handled))
    const res = await fetch(url, { headers: { authorization: `Bearer ${token()}` } })
    assert.deepEqual([res.status, await res.text()], [200, 'ok'])
    const refused = await fetch(url)
    assert.equal(refused.status, 401)
    assert.deepEqual(seen, [true, false])
  })

  test('an async isRevoked: the handler runs later, and the request still passes', async (t) => {
    seen.length = 0
    const handled = { ran: false }
    const url = await serve(t, tracking({ isRevoked: async () => false }, handled))
    const res = await fetch(url, { headers: { authorization: `Bearer ${token()}` } })
    assert.deepEqual([res.status, await res.text()], [200, 'ok'])
    assert.deepEqual(seen, [false])
  })

  test("a handler's synchronous throw rejects the listener's Promise with that error, never a 401", async (t) => {
    const boom = new Error('handler failed')
    const listener = withJwt({ secret: SECRET }, () => {
      throw boom
    })
    const url = await serve(t, (req, res) => {
      listener(req, res).then(
        () => res.end('resolved'),
        (error: unknown) => res.writeHead(500).end(error === boom ? 'rejected with the error' : 'other'),
      )
    })
    const res = await fetch(url, { headers: { authorization: `Bearer ${token()}` } })
    assert.deepEqual([res.status, await res.text()], [500, 'rejected with the error'])
  })

  test('the header isRevoked sees is the verified header, parsed afresh for each request', async (t) => {
    const headers: unknown[] = []
    const url = await app(t, {
      isRevoked: ({ header }) => {
        headers.push(header)
        ;(header as Record<string, unknown>).changed = true
        return false
      },
    })
    for (let i = 0; i < 2; i++) {
      const res = await fetch(url, { headers: { authorization: `Bearer ${token()}` } })
      assert.equal(res.status, 200)
    }
    assert.deepEqual(headers, [
      { alg: 'HS256', typ: 'JWT', changed: true },
      { alg: 'HS256', typ: 'JWT', changed: true },
    ])
    assert.notEqual(headers[0], headers[1])
  })

  test("an async handler: the listener's Promise settles after the handler's", async (t) => {
    const order: string[] = []
    const listener = withJwt({ secret: SECRET }, async (_req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 5))
      order.push('handler done')
      res.end('ok')
    })
    const url = await serve(t, (req, res) => {
      void listener(req, res).then(() => order.push('listener settled'))
    })
    const res = await fetch(url, { headers: { authorization: `Bearer ${token()}` } })
    assert.equal(await res.text(), 'ok')
    await new Promise((resolve) => setImmediate(resolve))
    assert.deepEqual(order, ['handler done', 'listener settled'])
  })

  test('with complete, isRevoked gets the header of the complete result the request carries', async (t) => {
    const seen: unknown[] = []
    const url = await serve(
      t,
      withJwt(
        {
          secret: SECRET,
          complete: true,
          isRevoked: ({ header, claims }) => {
            seen.push([header, claims.sub])
            return false
          },
        },
        (req, res) => {
          const carried = req.user as unknown as { header: unknown }
          res.end(String(carried.header === (seen[0] as unknown[])[0]))
        },
      ),
    )
    const res = await fetch(url, { headers: { authorization: `Bearer ${token()}` } })
    assert.deepEqual([res.status, await res.text()], [200, 'true'])
    assert.deepEqual(seen, [[{ alg: 'HS256', typ: 'JWT' }, 'u1']])
  })
})
