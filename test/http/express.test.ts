import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import express, { type Response as ExpressResponse, type NextFunction, type Request } from 'express'
import { describeError, isJwtError, type JwtRequestOptions, jwtMiddleware } from '../../src/index.js'
import { rawRequest, serve } from '../helpers/server.js'
import { expiredToken, OTHER_SECRET, SECRET, tampered, token } from '../helpers/tokens.js'

type UserRequest = Request & { user?: Record<string, unknown> }

/**
 * The set-up people write with express-jwt: body parsers, the middleware with public routes, protected routes
 * and an error handler that tests `err.name === 'UnauthorizedError'`.
 */
function makeApp(options: Partial<JwtRequestOptions<Request>> = {}, before?: express.RequestHandler): express.Express {
  const app = express()
  app.use(express.json())
  app.use(express.urlencoded({ extended: false }))
  if (before) app.use(before)
  app.use(
    jwtMiddleware<Request>({
      secret: SECRET,
      realm: 'express',
      unless: { path: ['/login', /^\/public\//] },
      ...options,
    }),
  )
  app.post('/login', (_req, res) => {
    res.json({ ok: true })
  })
  app.get('/public/info', (_req, res) => {
    res.json({ public: true })
  })
  app.all('/me', (req: UserRequest, res) => {
    res.json({ user: req.user ?? null })
  })
  app.use((err: unknown, req: UserRequest, res: ExpressResponse, next: NextFunction) => {
    if (err instanceof Error && err.name === 'UnauthorizedError' && isJwtError(err)) {
      const { headers } = describeError(err, { realm: 'express' })
      res
        .status(err.status)
        .set(headers)
        .json({ name: err.name, code: err.code, user: req.user ?? null })
      return
    }
    next(err)
  })
  // Express's default handler would print the stack: answer server errors quietly for the tests.
  app.use((err: unknown, _req: Request, res: ExpressResponse, _next: NextFunction) => {
    res.status(500).json({ name: err instanceof Error ? err.name : 'unknown' })
  })
  return app
}

async function get(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; body: Record<string, unknown>; res: Response }> {
  const res = await fetch(url, init)
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, res }
}

const bearer = (value: string): RequestInit => ({ headers: { authorization: `Bearer ${value}` } })

describe('Express 5 with jwtMiddleware', () => {
  test('public routes need no token; protected ones do', async (t) => {
    const url = await serve(t, makeApp())
    assert.deepEqual((await get(`${url}/login`, { method: 'POST' })).body, { ok: true })
    assert.deepEqual((await get(`${url}/public/info`)).body, { public: true })
    const refused = await get(`${url}/me`)
    assert.equal(refused.status, 401)
    assert.deepEqual(refused.body, { name: 'UnauthorizedError', code: 'ERR_JWT_MISSING', user: null })
    assert.equal(refused.res.headers.get('www-authenticate'), 'Bearer realm="express"')
    // The query string never unlocks a route.
    assert.equal((await get(`${url}/me?path=/login`)).status, 401)
  })

  test('every source: Bearer, x-access-token, JSON body, form body, query', async (t) => {
    const url = await serve(t, makeApp())
    const value = token()
    const sends: RequestInit[] = [
      bearer(value),
      { headers: { 'x-access-token': value } },
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ access_token: value }),
      },
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `access_token=${value}`,
      },
    ]
    for (const init of sends) {
      const { status, body } = await get(`${url}/me`, init)
      assert.equal(status, 200)
      assert.equal((body.user as Record<string, unknown>).sub, 'u1')
    }
    const q = await get(`${url}/me?access_token=${value}`)
    assert.equal(q.status, 200)
  })

  const failures: Array<[string, (url: string) => Promise<Response>, number, string]> = [
    ['a tampered token', (url) => fetch(`${url}/me`, bearer(tampered(token()))), 401, 'ERR_JWT_SIGNATURE'],
    ['an expired token', (url) => fetch(`${url}/me`, bearer(expiredToken())), 401, 'ERR_JWT_EXPIRED'],
    [
      'Authorization: Basic',
      (url) => fetch(`${url}/me`, { headers: { authorization: 'Basic dTpw' } }),
      401,
      'ERR_JWT_MISSING',
    ],
    [
      'different tokens in header and body',
      (url) =>
        fetch(`${url}/me`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-access-token': token() },
          body: JSON.stringify({ access_token: token({ sub: 'other' }) }),
        }),
      400,
      'ERR_JWT_AMBIGUOUS',
    ],
    [
      'a repeated query parameter',
      (url) => fetch(`${url}/me?access_token=a.b.c&access_token=a.b.c`),
      400,
      'ERR_JWT_AMBIGUOUS',
    ],
    ['access_token[] in the query', (url) => fetch(`${url}/me?access_token[]=${token()}`), 400, 'ERR_JWT_AMBIGUOUS'],
    [
      'a non-string body field',
      (url) =>
        fetch(`${url}/me`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ access_token: { $ne: null } }),
        }),
      400,
      'ERR_JWT_AMBIGUOUS',
    ],
    [
      'access_token[] in a form body',
      (url) =>
        fetch(`${url}/me`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `access_token[]=${token()}`,
        }),
      400,
      'ERR_JWT_AMBIGUOUS',
    ],
  ]
  for (const [what, send, status, code] of failures) {
    test(`${what}: the error handler sees an UnauthorizedError ${code}`, async (t) => {
      const url = await serve(t, makeApp())
      const res = await send(url)
      assert.equal(res.status, status)
      const body = (await res.json()) as Record<string, unknown>
      assert.deepEqual(body, { name: 'UnauthorizedError', code, user: null })
      const challenge = res.headers.get('www-authenticate') ?? ''
      if (code === 'ERR_JWT_MISSING') assert.equal(challenge, 'Bearer realm="express"')
      else assert.match(challenge, status === 400 ? /error="invalid_request"/ : /error="invalid_token"/)
    })
  }

  test('two Authorization header lines: 400 UnauthorizedError ERR_JWT_AMBIGUOUS', async (t) => {
    const url = await serve(t, makeApp())
    const res = await rawRequest(url, [
      'GET /me HTTP/1.1',
      'Host: 127.0.0.1',
      `Authorization: Bearer ${token()}`,
      `Authorization: Bearer ${token({ sub: 'admin' })}`,
    ])
    assert.equal(res.status, 400)
    assert.deepEqual(JSON.parse(res.body), { name: 'UnauthorizedError', code: 'ERR_JWT_AMBIGUOUS', user: null })
  })

  test('an existing req.user is not overwritten by a failing request', async (t) => {
    const anonymous: express.RequestHandler = (req, _res, next) => {
      ;(req as UserRequest).user = { anonymous: true }
      next()
    }
    const url = await serve(t, makeApp({}, anonymous))
    const { status, body } = await get(`${url}/me`, bearer(expiredToken()))
    assert.equal(status, 401)
    assert.deepEqual(body.user, { anonymous: true })
  })

  test('credentialsRequired false: anonymous requests pass, bad tokens do not', async (t) => {
    const url = await serve(t, makeApp({ credentialsRequired: false }))
    assert.deepEqual(await get(`${url}/me`).then((r) => [r.status, r.body.user]), [200, null])
    assert.equal((await get(`${url}/me`, bearer(tampered(token())))).status, 401)
    assert.equal((await get(`${url}/me`, bearer(token()))).status, 200)
  })

  test('isRevoked', async (t) => {
    const url = await serve(t, makeApp({ isRevoked: ({ claims }) => Promise.resolve(claims.sub === 'banned') }))
    const { status, body } = await get(`${url}/me`, bearer(token({ sub: 'banned' })))
    assert.equal(status, 401)
    assert.equal(body.code, 'ERR_JWT_REVOKED')
    assert.equal((await get(`${url}/me`, bearer(token({ sub: 'fine' })))).status, 200)
  })

  test('a kid resolver with two keys', async (t) => {
    const keys = new Map([
      ['2024', SECRET],
      ['2025', OTHER_SECRET],
    ])
    const url = await serve(
      t,
      makeApp({ secret: async ({ header }) => (typeof header.kid === 'string' ? keys.get(header.kid) : undefined) }),
    )
    const old = await get(`${url}/me`, bearer(token({ sub: 'a' }, { keyId: '2024' }, SECRET)))
    const next = await get(`${url}/me`, bearer(token({ sub: 'b' }, { keyId: '2025' }, OTHER_SECRET)))
    assert.deepEqual([old.status, (old.body.user as Record<string, unknown>).sub], [200, 'a'])
    assert.deepEqual([next.status, (next.body.user as Record<string, unknown>).sub], [200, 'b'])
    const none = await get(`${url}/me`, bearer(token({ sub: 'c' })))
    assert.deepEqual([none.status, none.body.code], [401, 'ERR_JWT_HEADER'])
  })

  test('an isRevoked that throws reaches the error handler unwrapped (a 500)', async (t) => {
    const url = await serve(
      t,
      makeApp({
        isRevoked: () => {
          throw new TypeError('denylist unavailable')
        },
      }),
    )
    const { status, body } = await get(`${url}/me`, bearer(token()))
    assert.deepEqual([status, body.name], [500, 'TypeError'])
  })

  test('under a mount path, unless matches the full pathname', async (t) => {
    const app = express()
    const api = express.Router()
    api.use(jwtMiddleware({ secret: SECRET, unless: { path: ['/api/health'] } }))
    api.get('/health', (_req, res) => {
      res.json({ ok: true })
    })
    api.get('/me', (req: UserRequest, res) => {
      res.json({ user: req.user })
    })
    app.use('/api', api)
    app.use((err: { status?: number }, _req: Request, res: ExpressResponse, _next: NextFunction) => {
      res.status(err.status ?? 500).json({})
    })
    const url = await serve(t, app)
    assert.equal((await fetch(`${url}/api/health`)).status, 200)
    assert.equal((await fetch(`${url}/api/me`)).status, 401)
    assert.equal((await fetch(`${url}/api/me`, bearer(token()))).status, 200)
  })

  test('readBody without a body parser: the body source works, and 413 over the limit', async (t) => {
    const app = express()
    app.use(jwtMiddleware({ secret: SECRET, readBody: { limit: 2048 } }))
    app.post('/me', (req: UserRequest, res) => {
      res.json({ sub: req.user?.sub, body: req.body as unknown })
    })
    app.use((err: { status?: number; code?: string }, _req: Request, res: ExpressResponse, _next: NextFunction) => {
      res.status(err.status ?? 500).json({ code: err.code })
    })
    const url = await serve(t, app)
    const value = token()
    const ok = await get(`${url}/me`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ access_token: value, x: 1 }),
    })
    assert.deepEqual(ok.body, { sub: 'u1', body: { access_token: value, x: 1 } })
    const big = await get(`${url}/me`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `access_token=${value}&pad=${'x'.repeat(3000)}`,
    })
    assert.deepEqual([big.status, big.body.code], [413, 'ERR_JWT_BODY_TOO_LARGE'])
    assert.equal(big.res.headers.get('connection'), 'close')
  })

  test('a CORS preflight reaches the routes', async (t) => {
    const app = makeApp()
    const url = await serve(t, app)
    const res = await fetch(`${url}/me`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    })
    assert.equal(res.status, 200)
  })
})

describe('jwtMiddleware: the common request calls next in the same tick', () => {
  test('a route that throws reaches the error handler with its own error, once, not as an UnauthorizedError', async (t) => {
    const app = express()
    const errors: unknown[] = []
    app.use(jwtMiddleware({ secret: SECRET }))
    app.get('/boom', () => {
      throw new Error('route failed')
    })
    app.use((err: unknown, _req: Request, res: ExpressResponse, _next: NextFunction) => {
      errors.push(err)
      res.status(500).send(err instanceof Error ? `${err.name}: ${err.message}` : 'other')
    })
    const url = await serve(t, app)
    const res = await fetch(`${url}/boom`, { headers: { authorization: `Bearer ${token()}` } })
    assert.deepEqual([res.status, await res.text()], [500, 'Error: route failed'])
    assert.equal(errors.length, 1)
  })

  test('next is called before the middleware returns; a missing token calls next(err) before it returns too', () => {
    const middleware = jwtMiddleware({ secret: SECRET })
    const calls: unknown[] = []
    const req = { method: 'GET', url: '/', headers: { authorization: `Bearer ${token()}` } }
    middleware(req as never, {} as never, (error?: unknown) => calls.push(error ?? 'next()'))
    assert.deepEqual([...calls], ['next()'])
    middleware({ method: 'GET', url: '/', headers: {} } as never, {} as never, (error?: unknown) => calls.push(error))
    assert.equal(calls.length, 2)
    const missing = calls[1]
    assert.equal(isJwtError(missing) ? missing.code : 'not a JwtError', 'ERR_JWT_MISSING')
  })
})
