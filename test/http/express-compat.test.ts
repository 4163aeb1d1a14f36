/**
 * What express-jwt users chain and pass: `.unless()` with every express-unless option, `getToken`, a secret
 * resolver and `isRevoked` that see the request, `err.inner`, and bodies read for exempt routes. Real Express 5
 * (or node:http) over 127.0.0.1.
 */
import assert from 'node:assert/strict'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { describe, test } from 'node:test'
import express, { type Response as ExpressResponse, type NextFunction, type Request } from 'express'
import {
  authenticateRequest,
  isJwtError,
  type JwtMiddleware,
  type JwtRequestOptions,
  jwtMiddleware,
  UnauthorizedError,
  withJwt,
} from '../../src/index.js'
import { rawRequest, serve } from '../helpers/server.js'
import { expiredToken, OTHER_SECRET, SECRET, token } from '../helpers/tokens.js'

type UserRequest = Request & { user?: Record<string, unknown> }

/** What the error handler saw, for the assertions: name, code, status, and whether `inner` is `cause`. */
function errorHandler(err: unknown, _req: Request, res: ExpressResponse, _next: NextFunction): void {
  if (err instanceof UnauthorizedError) {
    res.status(err.status).json({ name: err.name, code: err.code, inner: err.inner.code })
    return
  }
  const error = err as { name?: string; code?: string; status?: number; message?: string }
  res.status(error.status ?? 500).json({ name: error.name, code: error.code ?? null, message: error.message ?? null })
}

/** An Express app whose every route answers with the claims it got and the body. */
function appWith(middleware: express.RequestHandler | JwtMiddleware<Request>, mount?: string): express.Express {
  const app = express()
  const handler = (req: UserRequest, res: ExpressResponse): void => {
    res.json({ user: req.user?.sub ?? null, body: (req.body as unknown) ?? null })
  }
  if (mount === undefined) {
    app.use(middleware)
    app.all(/.*/, handler)
  } else {
    const router = express.Router()
    router.use(middleware)
    router.all(/.*/, handler)
    app.use(mount, router)
  }
  app.use(errorHandler)
  return app
}

async function statusOf(url: string, init?: RequestInit): Promise<number> {
  const res = await fetch(url, init)
  await res.arrayBuffer()
  return res.status
}

async function answer(url: string, init?: RequestInit): Promise<[number, unknown]> {
  const res = await fetch(url, init)
  return [res.status, await res.json()]
}

const bearer = (value: string): RequestInit => ({ headers: { authorization: `Bearer ${value}` } })

describe('.unless() on jwtMiddleware', () => {
  test('path as a string, a RegExp, { url, methods }, { url, method } and an array of them', async (t) => {
    const auth = jwtMiddleware<Request>({ secret: SECRET, algorithms: ['HS256'] })
    const single = await serve(t, appWith(auth.unless({ path: '/login' })))
    assert.equal(await statusOf(`${single}/login`, { method: 'POST' }), 200)
    assert.equal(await statusOf(`${single}/me`), 401)

    const regexp = await serve(t, appWith(auth.unless({ path: /^\/noToken\// })))
    assert.equal(await statusOf(`${regexp}/noToken/x`), 200)
    assert.equal(await statusOf(`${regexp}/me/noToken/x`), 401)

    const list = await serve(
      t,
      appWith(
        auth.unless({
          path: ['/health', /^\/public\//, { url: '/login', methods: ['POST'] }, { url: /^\/feed/, method: 'GET' }],
        }),
      ),
    )
    assert.equal(await statusOf(`${list}/health`), 200)
    assert.equal(await statusOf(`${list}/public/a`), 200)
    assert.equal(await statusOf(`${list}/login`, { method: 'POST' }), 200)
    // A path limited to some methods exempts only those.
    assert.equal(await statusOf(`${list}/login`), 401)
    assert.equal(await statusOf(`${list}/feed.xml`), 200)
    assert.equal(await statusOf(`${list}/feed.xml`, { method: 'DELETE' }), 401)
    // The query string never unlocks a route; a token still works on a protected one.
    assert.equal(await statusOf(`${list}/me?x=/health`), 401)
    assert.deepStrictEqual(await answer(`${list}/me`, bearer(token())), [200, { user: 'u1', body: null }])
  })

  test('method as a string or an array; ext as a string or an array', async (t) => {
    const auth = jwtMiddleware<Request>({ secret: SECRET })
    const oneMethod = await serve(t, appWith(auth.unless({ method: 'HEAD' })))
    assert.equal(await statusOf(`${oneMethod}/me`, { method: 'HEAD' }), 200)
    assert.equal(await statusOf(`${oneMethod}/me`), 401)
    const methods = await serve(t, appWith(auth.unless({ method: ['get', 'HEAD'] })))
    assert.equal(await statusOf(`${methods}/me`), 200)
    assert.equal(await statusOf(`${methods}/me`, { method: 'POST' }), 401)

    const oneExt = await serve(t, appWith(auth.unless({ ext: '.css' })))
    assert.equal(await statusOf(`${oneExt}/assets/site.css`), 200)
    assert.equal(await statusOf(`${oneExt}/assets/site.js`), 401)
    const exts = await serve(t, appWith(auth.unless({ ext: ['.css', '.js'] })))
    assert.equal(await statusOf(`${exts}/assets/site.js`), 200)
    // The extension is the pathname's, never the query string's.
    assert.equal(await statusOf(`${exts}/me?file=x.js`), 401)
  })

  test('custom: exactly true (or a Promise of true) exempts; anything else does not', async (t) => {
    const auth = jwtMiddleware<Request>({ secret: SECRET })
    const sync = await serve(t, appWith(auth.unless({ custom: (req) => req.headers['x-public'] === 'yes' })))
    assert.equal(await statusOf(`${sync}/me`, { headers: { 'x-public': 'yes' } }), 200)
    assert.equal(await statusOf(`${sync}/me`, { headers: { 'x-public': 'no' } }), 401)
    const async = await serve(t, appWith(auth.unless({ custom: async (req) => req.headers['x-public'] === 'yes' })))
    assert.equal(await statusOf(`${async}/me`, { headers: { 'x-public': 'yes' } }), 200)
    assert.equal(await statusOf(`${async}/me`), 401)
    // A function alone is `custom`, as with express-unless.
    const bare = await serve(t, appWith(auth.unless(async (req) => req.path === '/open')))
    assert.equal(await statusOf(`${bare}/open`), 200)
    assert.equal(await statusOf(`${bare}/closed`), 401)
    // A truthy answer that is not true (a string, 1) exempts nothing: only true opens a route.
    const truthy = await serve(t, appWith(auth.unless({ custom: () => 'yes' as unknown as boolean })))
    assert.equal(await statusOf(`${truthy}/me`), 401)
    const truthyPromise = await serve(t, appWith(auth.unless(() => Promise.resolve(1 as unknown as boolean))))
    assert.equal(await statusOf(`${truthyPromise}/me`), 401)
  })

  test('useOriginalUrl: the full pathname by default, the mount-relative one when false', async (t) => {
    const auth = jwtMiddleware<Request>({ secret: SECRET })
    const original = await serve(t, appWith(auth.unless({ path: '/api/health' }), '/api'))
    assert.equal(await statusOf(`${original}/api/health`), 200)
    const relative = await serve(t, appWith(auth.unless({ path: '/health', useOriginalUrl: false }), '/api'))
    assert.equal(await statusOf(`${relative}/api/health`), 200)
    assert.equal(await statusOf(`${relative}/api/me`), 401)
    const relativeDefault = await serve(t, appWith(auth.unless({ path: '/health' }), '/api'))
    assert.equal(await statusOf(`${relativeDefault}/api/health`), 401)
  })

  test('dot segments, %2e and backslashes are never exempt, by path, RegExp or extension', async (t) => {
    const auth = jwtMiddleware<Request>({ secret: SECRET })
    const url = await serve(
      t,
      appWith(
        auth.unless({ path: ['/public/exact', /^\/public\//, { url: /^\/open\//, methods: 'GET' }], ext: '.css' }),
      ),
    )
    for (const target of [
      '/public/../admin',
      '/public/%2e%2e/admin',
      '/public/.%2E/admin',
      '/public/..\\admin',
      '/public/./exact',
      '/open/../admin',
      '/admin/../x.css',
      '/admin/%2e%2e/x.css',
    ]) {
      const res = await rawRequest(url, [`GET ${target} HTTP/1.1`, 'Host: 127.0.0.1'])
      assert.equal(res.status, 401, target)
    }
    assert.equal((await rawRequest(url, ['GET /public/a HTTP/1.1', 'Host: 127.0.0.1'])).status, 200)
    assert.equal((await rawRequest(url, ['GET /a/x.css HTTP/1.1', 'Host: 127.0.0.1'])).status, 200)
  })

  test('a new middleware each time: the original is unchanged, and chained rules add up', async (t) => {
    const auth = jwtMiddleware<Request>({ secret: SECRET, unless: { path: '/health' } })
    const withLogin = auth.unless({ path: '/login' })
    const withBoth = withLogin.unless({ ext: '.css' })
    assert.notEqual(withLogin, auth)
    const plain = await serve(t, appWith(auth))
    assert.equal(await statusOf(`${plain}/health`), 200)
    assert.equal(await statusOf(`${plain}/login`), 401)
    const both = await serve(t, appWith(withBoth))
    for (const path of ['/health', '/login', '/site.css']) assert.equal(await statusOf(`${both}${path}`), 200, path)
    assert.equal(await statusOf(`${both}/me`), 401)
    // A rule that answers with a Promise, chained before a path rule: either exempts.
    const asyncFirst = await serve(
      t,
      appWith(auth.unless(async (req) => req.path === '/open').unless({ path: '/login' })),
    )
    for (const path of ['/open', '/login', '/health']) assert.equal(await statusOf(`${asyncFirst}${path}`), 200, path)
    assert.equal(await statusOf(`${asyncFirst}/me`), 401)
  })

  test('rules are checked when .unless() is called: unknown names and bad values are ERR_JWT_INVALID_OPTION', () => {
    const auth = jwtMiddleware({ secret: SECRET })
    const bad: unknown[] = [
      { paths: ['/x'] },
      { path: 7 },
      { path: [''] },
      { path: { url: '/x', verbs: ['GET'] } },
      { path: { methods: ['GET'] } },
      { path: { url: '/x', method: 'GET', methods: ['GET'] } },
      { method: [1] },
      { ext: '' },
      { ext: [3] },
      { custom: 'yes' },
      { useOriginalUrl: 'no' },
      Object.defineProperty({}, 'path', { get: () => '/x', enumerable: true }),
      undefined,
      null,
      ['/x'],
    ]
    for (const rules of bad) {
      assert.throws(() => auth.unless(rules as never), { name: 'JwtError', code: 'ERR_JWT_INVALID_OPTION' })
    }
  })
})

describe('the unless option shares the matcher', () => {
  test('withJwt takes the same forms: a single path, ext, custom, { url, methods }', async (t) => {
    const echo = (req: IncomingMessage & { user?: { sub?: string } }, res: ServerResponse): void => {
      res.end(JSON.stringify({ user: req.user?.sub ?? null }))
    }
    const url = await serve(
      t,
      withJwt(
        {
          secret: SECRET,
          unless: {
            path: { url: '/login', methods: 'POST' },
            ext: '.ico',
            custom: (req) => req.headers['x-probe'] === 'ok',
          },
        },
        echo,
      ),
    )
    assert.equal(await statusOf(`${url}/login`, { method: 'POST' }), 200)
    assert.equal(await statusOf(`${url}/login`), 401)
    assert.equal(await statusOf(`${url}/favicon.ico`), 200)
    assert.equal(await statusOf(`${url}/me`, { headers: { 'x-probe': 'ok' } }), 200)
    assert.equal(await statusOf(`${url}/me`), 401)
  })

  test('authenticateRequest: an async custom rule exempts', async () => {
    const fetchOptions: JwtRequestOptions<globalThis.Request> = {
      secret: SECRET,
      unless: { custom: async (request) => new URL(request.url).pathname === '/open' },
    }
    assert.equal(await authenticateRequest(new globalThis.Request('http://x/open'), fetchOptions), undefined)
    await assert.rejects(authenticateRequest(new globalThis.Request('http://x/closed'), fetchOptions), {
      name: 'UnauthorizedError',
      code: 'ERR_JWT_MISSING',
      status: 401,
    })
  })
})

describe('getToken', () => {
  const fromHeader = (req: Request): string | undefined => {
    const value = req.headers['x-session']
    return typeof value === 'string' ? value : undefined
  }

  test('sync and async: the string it returns is the token; the built-in finder is not used', async (t) => {
    const sync = await serve(t, appWith(jwtMiddleware<Request>({ secret: SECRET, getToken: fromHeader })))
    assert.deepStrictEqual(await answer(`${sync}/me`, { headers: { 'x-session': token() } }), [
      200,
      { user: 'u1', body: null },
    ])
    // The Bearer header is not looked at any more.
    assert.deepStrictEqual(await answer(`${sync}/me`, bearer(token())), [
      401,
      { name: 'UnauthorizedError', code: 'ERR_JWT_MISSING', inner: 'ERR_JWT_MISSING' },
    ])
    const async = await serve(
      t,
      appWith(jwtMiddleware<Request>({ secret: SECRET, getToken: async (req) => fromHeader(req) })),
    )
    assert.deepStrictEqual(await answer(`${async}/me`, { headers: { 'x-session': token({ sub: 'u2' }) } }), [
      200,
      { user: 'u2', body: null },
    ])
    // What it returns is verified like any token.
    assert.deepStrictEqual(await answer(`${async}/me`, { headers: { 'x-session': expiredToken() } }), [
      401,
      { name: 'UnauthorizedError', code: 'ERR_JWT_EXPIRED', inner: 'ERR_JWT_EXPIRED' },
    ])
  })

  test('undefined, null or an empty string: no token (401, or a pass when credentials are not required)', async (t) => {
    for (const none of [undefined, null, '']) {
      const url = await serve(t, appWith(jwtMiddleware<Request>({ secret: SECRET, getToken: () => none })))
      assert.deepStrictEqual(await answer(`${url}/me`, bearer(token())), [
        401,
        { name: 'UnauthorizedError', code: 'ERR_JWT_MISSING', inner: 'ERR_JWT_MISSING' },
      ])
    }
    const lax = await serve(
      t,
      appWith(jwtMiddleware<Request>({ secret: SECRET, credentialsRequired: false, getToken: async () => null })),
    )
    assert.deepStrictEqual(await answer(`${lax}/me`), [200, { user: null, body: null }])
  })

  test('a getToken that throws, or returns a non-string: 500 ERR_JWT_INVALID_OPTION, its error text nowhere', async (t) => {
    const secretText = 'db password hunter2 in getToken'
    const cases: Array<JwtRequestOptions<Request>['getToken']> = [
      () => {
        throw new Error(secretText)
      },
      async () => Promise.reject(new Error(secretText)),
      () => 42 as unknown as string,
      async () => ({ token: token() }) as unknown as string,
    ]
    for (const getToken of cases) {
      const url = await serve(t, appWith(jwtMiddleware<Request>({ secret: SECRET, getToken })))
      const res = await fetch(`${url}/me`, bearer(token()))
      const text = await res.text()
      assert.equal(res.status, 500)
      const body = JSON.parse(text) as { name: string; code: string; message: string }
      assert.deepStrictEqual([body.name, body.code], ['JwtError', 'ERR_JWT_INVALID_OPTION'])
      assert.ok(!text.includes('hunter2'), text)
    }
    // withJwt answers by itself: a bare 500 server_error.
    const listener = await serve(
      t,
      withJwt(
        {
          secret: SECRET,
          getToken: () => {
            throw new Error(secretText)
          },
        },
        (_req, res) => res.end('ok'),
      ),
    )
    const res = await fetch(`${listener}/me`)
    assert.equal(res.status, 500)
    assert.deepStrictEqual(await res.json(), {
      error: 'server_error',
      error_description: 'the server is not configured correctly',
    })
  })

  test('the error passed to next has no cause carrying the thrown error', async (t) => {
    const app = express()
    let seen: unknown
    app.use(
      jwtMiddleware<Request>({
        secret: SECRET,
        getToken: () => {
          throw new Error('quoted cookie value')
        },
      }),
    )
    app.use((err: unknown, _req: Request, res: ExpressResponse, _next: NextFunction) => {
      seen = err
      res.status(500).end()
    })
    const url = await serve(t, app)
    assert.equal(await statusOf(`${url}/me`), 500)
    assert.ok(isJwtError(seen))
    assert.deepStrictEqual(
      [seen.code, seen.status, seen.cause, seen.message.includes('quoted')],
      ['ERR_JWT_INVALID_OPTION', 500, undefined, false],
    )
  })

  test('checked at the factory: a function; not together with the built-in finder options', () => {
    assert.equal(typeof jwtMiddleware({ secret: SECRET, getToken: () => undefined }).unless, 'function')
    const bad: Array<Record<string, unknown>> = [
      { getToken: 'x-session' },
      { getToken: () => undefined, sources: ['cookie'] },
      { getToken: () => undefined, headerName: 'x-session' },
      { getToken: () => undefined, cookieName: 'sid' },
    ]
    for (const options of bad) {
      assert.throws(() => jwtMiddleware({ secret: SECRET, ...options }), {
        name: 'JwtError',
        code: 'ERR_JWT_INVALID_OPTION',
      })
    }
  })
})

describe('resolvers and isRevoked see the request', () => {
  test('a per-tenant secret chosen by Host', async (t) => {
    const tenants = new Map([
      ['a.example', SECRET],
      ['b.example', OTHER_SECRET],
    ])
    const url = await serve(
      t,
      appWith(jwtMiddleware<Request>({ secret: ({ request }) => tenants.get(request.headers.host ?? '') })),
    )
    const get = (host: string, value: string) =>
      rawRequest(url, ['GET /me HTTP/1.1', `Host: ${host}`, `Authorization: Bearer ${value}`])
    const a = await get('a.example', token({ sub: 'alice' }))
    assert.deepStrictEqual([a.status, JSON.parse(a.body)], [200, { user: 'alice', body: null }])
    const b = await get('b.example', token({ sub: 'bob' }, {}, OTHER_SECRET))
    assert.deepStrictEqual([b.status, JSON.parse(b.body)], [200, { user: 'bob', body: null }])
    // Tenant a's token at tenant b: the wrong key, a bad signature.
    const crossed = await get('b.example', token({ sub: 'alice' }))
    assert.deepStrictEqual([crossed.status, JSON.parse(crossed.body).code], [401, 'ERR_JWT_SIGNATURE'])
    // An unknown tenant has no key: 401 ERR_JWT_HEADER, never a 500.
    const unknown = await get('c.example', token())
    assert.deepStrictEqual([unknown.status, JSON.parse(unknown.body).code], [401, 'ERR_JWT_HEADER'])
  })

  test('a per-tenant secret chosen by path prefix, in withJwt and authenticateRequest', async (t) => {
    const byPrefix = (path: string): string | undefined =>
      path.startsWith('/t/a/') ? SECRET : path.startsWith('/t/b/') ? OTHER_SECRET : undefined
    const url = await serve(
      t,
      withJwt<{ sub: string }>({ secret: ({ request }) => byPrefix(request.url ?? '') }, (req, res) => {
        res.end(req.user?.sub)
      }),
    )
    const a = await fetch(`${url}/t/a/me`, bearer(token({ sub: 'alice' })))
    assert.deepStrictEqual([a.status, await a.text()], [200, 'alice'])
    assert.equal(await statusOf(`${url}/t/b/me`, bearer(token({ sub: 'alice' }))), 401)
    const options: JwtRequestOptions<globalThis.Request> = {
      secret: ({ request }) => byPrefix(new URL(request.url).pathname),
    }
    const request = new globalThis.Request('http://x/t/b/me', bearer(token({ sub: 'bob' }, {}, OTHER_SECRET)))
    assert.deepStrictEqual(await authenticateRequest(request, options).then((c) => c?.sub), 'bob')
  })

  test('isRevoked gets one object: the verified claims, the header and the request itself', async (t) => {
    const seen: unknown[] = []
    const url = await serve(
      t,
      appWith(
        jwtMiddleware<Request, { sub: string; jti?: string }>({
          secret: SECRET,
          isRevoked: ({ claims, header, request }) => {
            seen.push([claims.sub, claims.jti, header.alg, request.headers['x-device'], request.path])
            return claims.jti === 'gone'
          },
        }),
      ),
    )
    const ok = token({ sub: 'u1' }, { jwtId: 'fine' })
    assert.deepStrictEqual(
      await answer(`${url}/me`, { headers: { authorization: `Bearer ${ok}`, 'x-device': 'd1' } }),
      [200, { user: 'u1', body: null }],
    )
    const gone = token({ sub: 'u2' }, { jwtId: 'gone' })
    assert.deepStrictEqual(await answer(`${url}/me`, bearer(gone)), [
      401,
      { name: 'UnauthorizedError', code: 'ERR_JWT_REVOKED', inner: 'ERR_JWT_REVOKED' },
    ])
    assert.deepStrictEqual(seen, [
      ['u1', 'fine', 'HS256', 'd1', '/me'],
      ['u2', 'gone', 'HS256', undefined, '/me'],
    ])
  })

  test('a truthy answer that is not true revokes too (a denylist record, say)', async (t) => {
    const url = await serve(
      t,
      appWith(
        jwtMiddleware<Request>({
          secret: SECRET,
          isRevoked: async ({ claims }) => (claims.sub === 'gone' ? ({ reason: 'logout' } as never) : false),
        }),
      ),
    )
    assert.deepStrictEqual(await answer(`${url}/me`, bearer(token({ sub: 'gone' }))), [
      401,
      { name: 'UnauthorizedError', code: 'ERR_JWT_REVOKED', inner: 'ERR_JWT_REVOKED' },
    ])
    assert.deepStrictEqual(await answer(`${url}/me`, bearer(token({ sub: 'kept' }))), [
      200,
      { user: 'kept', body: null },
    ])
  })

  test('an isRevoked or resolver declared with two parameters (the old shapes) is refused when the adapter is made', () => {
    const old = (claims: { jti?: string }, _header: unknown): boolean => claims.jti === 'gone'
    const expressJwtResolver = (_req: unknown, _token: unknown): string => SECRET
    for (const make of [
      () => jwtMiddleware({ secret: SECRET, isRevoked: old as never }),
      () => withJwt({ secret: SECRET, isRevoked: old as never }, () => undefined),
      () => jwtMiddleware({ secret: expressJwtResolver as never }),
    ]) {
      assert.throws(make, { name: 'JwtError', code: 'ERR_JWT_INVALID_OPTION' })
    }
    // One parameter (or none) is the shape: accepted.
    assert.equal(
      typeof jwtMiddleware({ secret: () => SECRET, isRevoked: ({ claims }) => claims.jti === 'x' }),
      'function',
    )
  })
})

describe('err.inner', () => {
  test('the original error, the same object as cause, not enumerable', async (t) => {
    let seen: unknown
    const app = express()
    app.use(jwtMiddleware({ secret: SECRET }))
    app.use((err: unknown, _req: Request, res: ExpressResponse, _next: NextFunction) => {
      seen = err
      res.status(401).end()
    })
    const url = await serve(t, app)
    assert.equal(await statusOf(`${url}/me`, bearer(expiredToken())), 401)
    assert.ok(seen instanceof UnauthorizedError)
    assert.equal(seen.inner, seen.cause)
    assert.deepStrictEqual([seen.name, seen.code, seen.status], ['UnauthorizedError', 'ERR_JWT_EXPIRED', 401])
    assert.deepStrictEqual(
      [seen.inner.name, seen.inner.code, seen.inner.expiredAt instanceof Date],
      ['JwtError', 'ERR_JWT_EXPIRED', true],
    )
    assert.equal(Object.getOwnPropertyDescriptor(seen, 'inner')?.enumerable, false)
    assert.equal(Object.keys(seen).includes('inner'), false)
  })
})

describe('readBody and exempt requests', () => {
  test('a login route behind unless finds its form and JSON body on req.body', async (t) => {
    const app = express()
    app.use(jwtMiddleware<Request>({ secret: SECRET, readBody: true }).unless({ path: '/login' }))
    app.post('/login', (req, res) => {
      res.json({ body: req.body as unknown })
    })
    app.use(errorHandler)
    const url = await serve(t, app)
    const form = await answer(`${url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=ada&password=pw',
    })
    assert.deepStrictEqual(form, [200, { body: { username: 'ada', password: 'pw' } }])
    const json = await answer(`${url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username":"ada","access_token":"a","access_token":"b"}',
    })
    // No token is taken from an exempt request's body, so a repeated token field is nothing to refuse.
    assert.deepStrictEqual(json, [200, { body: { username: 'ada', access_token: 'b' } }])
    // The limit holds on exempt routes too.
    const big = await fetch(`${url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(20_000) }),
    })
    assert.deepStrictEqual([big.status, ((await big.json()) as { code: string }).code], [413, 'ERR_JWT_BODY_TOO_LARGE'])
  })

  test('withJwt with the unless option: the exempt handler reads req.body; a preflight is not read', async (t) => {
    const url = await serve(
      t,
      withJwt({ secret: SECRET, readBody: true, unless: { path: ['/login'] } }, (req, res) => {
        res.end(JSON.stringify({ body: (req.body as unknown) ?? null }))
      }),
    )
    assert.deepStrictEqual(
      await answer(`${url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"username":"ada"}',
      }),
      [200, { body: { username: 'ada' } }],
    )
    const preflight = await answer(`${url}/login`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'content-type': 'application/json',
      },
      body: '{"username":"ada"}',
    })
    assert.deepStrictEqual(preflight, [200, { body: null }])
  })

  test('a body a framework already parsed is left alone on exempt routes', async (t) => {
    const app = express()
    app.use(express.json())
    app.use(jwtMiddleware<Request>({ secret: SECRET, readBody: true }).unless({ path: '/login' }))
    app.post('/login', (req, res) => {
      res.json({ body: req.body as unknown })
    })
    const url = await serve(t, app)
    const res = await answer(`${url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username":"ada"}',
    })
    assert.deepStrictEqual(res, [200, { body: { username: 'ada' } }])
  })
})

/** true when A and B are the same type (not merely assignable either way). */
type Equal<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false
type Expect<T extends true> = T

describe('types', () => {
  test('.unless() keeps the request type; hooks see the adapter request and the claims type', () => {
    const auth = jwtMiddleware<Request, { sub: string }>({
      secret: ({ request }) => {
        type _1 = Expect<Equal<typeof request, Request>>
        return request.hostname === 'a.example' ? SECRET : undefined
      },
      getToken: (request) => {
        type _2 = Expect<Equal<typeof request, Request>>
        return undefined
      },
      isRevoked: ({ claims, request }) => {
        type _3 = Expect<Equal<typeof claims, { sub: string }>>
        type _4 = Expect<Equal<typeof request, Request>>
        return false
      },
    })
    const exempt = auth.unless({ custom: (req) => req.path === '/x' })
    type _5 = Expect<Equal<typeof exempt, JwtMiddleware<Request>>>
    const fetchOptions: JwtRequestOptions<globalThis.Request> = {
      secret: ({ request }) => {
        type _6 = Expect<Equal<typeof request, globalThis.Request>>
        return new URL(request.url).pathname.startsWith('/a/') ? SECRET : undefined
      },
    }
    // @ts-expect-error the two-argument isRevoked of before is not an isRevoked any more
    const old: JwtRequestOptions<Request>['isRevoked'] = (_claims: unknown, _header: unknown) => false
    assert.deepStrictEqual(
      [typeof exempt, typeof exempt.unless, typeof fetchOptions.secret, typeof old],
      ['function', 'function', 'function', 'function'],
    )
  })
})
