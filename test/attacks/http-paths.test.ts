/**
 * `unless.path` decides on the pathname as the URL standard normalises it, and never exempts a request whose raw
 * target and normalised pathname disagree about the segments: `/public/..\admin` is `/admin` to every WHATWG URL
 * a router builds from it, so it must authenticate even though its raw text starts with `/public/`.
 */
import assert from 'node:assert/strict'
import type { ServerResponse } from 'node:http'
import { describe, test } from 'node:test'
import express, { type Request as ExpressRequest, type Response as ExpressResponse, type NextFunction } from 'express'
import { agreedPathname } from '../../src/http/parts.js'
import {
  type AuthenticatedRequest,
  authenticateRequest,
  isJwtError,
  type JwtRequestOptions,
  jwtMiddleware,
  withJwt,
} from '../../src/index.js'
import { forge, SECRET } from '../helpers/forge.js'
import { rawRequest, serve } from '../helpers/server.js'

const unless = { path: [/^\/public\//, '/public/exact'] }

/** Targets whose raw text looks public but whose normalised pathname is not, or differs in its segments. */
const BYPASSES = [
  '/public/..\\admin',
  '/public\\..\\admin',
  '/public/%2e%2e/admin',
  '/public/%2E%2e/admin',
  '/public/.%2e/admin',
  '/public/%2e./admin',
  '/public/./x',
  '/public/%2e/x',
  '/public/x\\y',
  '/public/x/..',
  '/public/exact/.',
  'http://127.0.0.1/public/../admin',
  'http://127.0.0.1/public/..\\admin',
  'http://127.0.0.1/public/%2e%2E/admin',
  '//127.0.0.1/public/../admin',
  '//127.0.0.1/public/x',
]

/** Targets that really are public: their raw and normalised forms agree. */
const PUBLIC = [
  '/public/ok',
  '/public/exact',
  '/public/a%2eb',
  '/public/%7Euser?x=/admin',
  'http://127.0.0.1/public/ok',
]

function echo(req: AuthenticatedRequest, res: ServerResponse): void {
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify({ user: req.user ?? null }))
}

describe('unless.path and dot segments, separators and absolute form', () => {
  test('node:http: a target that normalises differently is not exempt: 401 with a bare challenge', async (t) => {
    const url = await serve(t, withJwt({ secret: SECRET, realm: 'api', unless }, echo))
    for (const target of BYPASSES) {
      const res = await rawRequest(url, [`GET ${target} HTTP/1.1`, 'Host: 127.0.0.1'])
      assert.equal(res.status, 401, target)
      assert.equal(res.headers['www-authenticate'], 'Bearer realm="api"', target)
      assert.deepEqual(
        JSON.parse(res.body),
        { error: 'unauthorized', error_description: 'a bearer token is required' },
        target,
      )
    }
    for (const target of PUBLIC) {
      const res = await rawRequest(url, [`GET ${target} HTTP/1.1`, 'Host: 127.0.0.1'])
      assert.deepEqual([res.status, JSON.parse(res.body)], [200, { user: null }], target)
    }
  })

  test('node:http: a bypass target with a valid token is still served (it is authenticated, not refused)', async (t) => {
    const url = await serve(t, withJwt({ secret: SECRET, unless }, echo))
    const value = forge({ alg: 'HS256' }, { sub: 'u1' })
    const res = await rawRequest(url, [
      'GET /public/..\\admin HTTP/1.1',
      'Host: 127.0.0.1',
      `Authorization: Bearer ${value}`,
    ])
    assert.deepEqual([res.status, JSON.parse(res.body)], [200, { user: { sub: 'u1' } }])
  })

  test('Express: req.originalUrl is judged the same way: ERR_JWT_MISSING, 401', async (t) => {
    const app = express()
    app.use(jwtMiddleware<ExpressRequest>({ secret: SECRET, realm: 'express', unless }))
    app.use((req: ExpressRequest & { user?: unknown }, res: ExpressResponse) => {
      res.json({ user: req.user ?? null })
    })
    app.use((err: unknown, _req: ExpressRequest, res: ExpressResponse, _next: NextFunction) => {
      if (!isJwtError(err)) return res.status(500).json({ code: 'not a JwtError' })
      res.status(err.status).json({ code: err.code, status: err.status, name: err.name })
    })
    const url = await serve(t, app)
    for (const target of BYPASSES) {
      const res = await rawRequest(url, [`GET ${target} HTTP/1.1`, 'Host: 127.0.0.1'])
      assert.deepEqual(
        [res.status, JSON.parse(res.body)],
        [401, { code: 'ERR_JWT_MISSING', status: 401, name: 'UnauthorizedError' }],
        target,
      )
    }
    for (const target of PUBLIC) {
      const res = await rawRequest(url, [`GET ${target} HTTP/1.1`, 'Host: 127.0.0.1'])
      assert.deepEqual([res.status, JSON.parse(res.body)], [200, { user: null }], target)
    }
  })

  test('Fetch: a real Request is judged on its normalised pathname, like node:http', async () => {
    const options: JwtRequestOptions<Request> = { secret: SECRET, unless }
    for (const target of ['/public/..\\admin', '/public/%2E%2e/admin', '/public/.%2e/admin', '/public\\..\\admin']) {
      await assert.rejects(authenticateRequest(new Request(`http://127.0.0.1${target}`), options), {
        name: 'UnauthorizedError',
        code: 'ERR_JWT_MISSING',
        status: 401,
      })
    }
    assert.equal(await authenticateRequest(new Request('http://127.0.0.1/public/ok'), options), undefined)
  })

  test('Fetch: a Request-like object with a relative URL gets the raw-versus-normalised check', async () => {
    const options: JwtRequestOptions<Request> = { secret: SECRET, unless }
    for (const target of ['/public/..\\admin', '/public\\..\\admin', '/public/x\\y', '//evil/public/x']) {
      const request = { method: 'GET', url: target, headers: new Headers() } as unknown as Request
      await assert.rejects(authenticateRequest(request, options), {
        name: 'UnauthorizedError',
        code: 'ERR_JWT_MISSING',
        status: 401,
      })
    }
    const ok = { method: 'GET', url: '/public/ok', headers: new Headers() } as unknown as Request
    assert.equal(await authenticateRequest(ok, options), undefined)
  })
})

describe('agreedPathname', () => {
  test('known targets', () => {
    const cases: Array<[string, string | undefined]> = [
      ['/public/ok', '/public/ok'],
      ['/public/ok?x=/../admin', '/public/ok'],
      ['/a//b', '/a//b'],
      ['/caf\u00e9/x', '/caf%C3%A9/x'],
      ['/a%20b/{c}', '/a%20b/%7Bc%7D'],
      ['http://h.example/public/ok?q', '/public/ok'],
      ['/public/..\\admin', undefined],
      ['/public/%2e%2E/admin', undefined],
      ['/public/.', undefined],
      ['//h/public', undefined],
      ['*', undefined],
      ['http://[bad/x', undefined],
      ['/a\tb', undefined],
    ]
    for (const [target, expected] of cases) assert.equal(agreedPathname(target), expected, target)
  })

  test('whenever it gives a pathname, it is the one new URL() gives', () => {
    const alphabet = [
      '/',
      '/',
      'a',
      'Z',
      '.',
      '.',
      '%2e',
      '%2E',
      '%',
      '2',
      'e',
      '\\',
      '\u00e9',
      ' ',
      '~',
      '@',
      ':',
      '?',
      '#',
    ]
    let agreed = 0
    let seed = 7
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed % n
    }
    for (let i = 0; i < 20_000; i++) {
      let target = '/'
      for (let j = 1 + next(10); j > 0; j--) target += alphabet[next(alphabet.length)]
      const pathname = agreedPathname(target)
      if (pathname === undefined) continue
      agreed++
      assert.equal(pathname, new URL(target, 'http://host.invalid').pathname, target)
      // No dot segment survives in what is agreed.
      assert.equal(/(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i.test(pathname), false, target)
    }
    assert.ok(agreed > 1000, `only ${agreed} targets agreed`)
  })
})
