/**
 * A CORS-preflight request (Fetch standard §3.2.2/§4.8) is `OPTIONS` with an `Origin` header and an
 * `Access-Control-Request-Method` header. Only that passes without a token: any other `OPTIONS` request is an
 * ordinary request and must authenticate, or `OPTIONS` + one header becomes a way around the token.
 */
import assert from 'node:assert/strict'
import type { ServerResponse } from 'node:http'
import { describe, test } from 'node:test'
import express, { type Request as ExpressRequest, type Response as ExpressResponse, type NextFunction } from 'express'
import {
  type AuthenticatedRequest,
  authenticateRequest,
  errorResponse,
  isJwtError,
  type JwtRequestOptions,
  jwtMiddleware,
  withJwt,
} from '../../src/index.js'
import { SECRET } from '../helpers/forge.js'
import { serve } from '../helpers/server.js'

/** Header sets that look a bit like a preflight but are not one. */
const NOT_PREFLIGHTS: Array<Record<string, string>> = [
  { 'access-control-request-method': 'DELETE' },
  { 'access-control-request-headers': 'authorization' },
  { 'access-control-request-method': 'DELETE', 'access-control-request-headers': 'authorization' },
  { origin: 'https://app.example', 'access-control-request-headers': 'authorization' },
  { origin: 'https://app.example' },
  { origin: 'https://app.example', 'access-control-request-method': '' },
  { origin: '', 'access-control-request-method': 'DELETE' },
]

const PREFLIGHT = { origin: 'https://app.example', 'access-control-request-method': 'DELETE' }

function echo(req: AuthenticatedRequest, res: ServerResponse): void {
  res.end(JSON.stringify({ user: req.user ?? null }))
}

describe('CORS preflight detection', () => {
  test('node:http: OPTIONS without Origin and Access-Control-Request-Method is 401', async (t) => {
    const url = await serve(t, withJwt({ secret: SECRET, realm: 'api' }, echo))
    for (const headers of NOT_PREFLIGHTS) {
      const res = await fetch(`${url}/admin`, { method: 'OPTIONS', headers })
      assert.equal(res.status, 401, JSON.stringify(headers))
      assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="api"')
      assert.deepEqual(await res.json(), { error: 'unauthorized', error_description: 'a bearer token is required' })
    }
    const preflight = await fetch(`${url}/admin`, { method: 'OPTIONS', headers: PREFLIGHT })
    assert.deepEqual([preflight.status, await preflight.json()], [200, { user: null }])
  })

  test('Express: the same, ERR_JWT_MISSING with status 401', async (t) => {
    const app = express()
    app.use(jwtMiddleware<ExpressRequest>({ secret: SECRET }))
    app.options('/admin', (_req, res) => {
      res.json({ reached: true })
    })
    app.use((err: unknown, _req: ExpressRequest, res: ExpressResponse, _next: NextFunction) => {
      if (!isJwtError(err)) return res.status(500).json({ code: 'not a JwtError' })
      res.status(err.status).json({ code: err.code, status: err.status })
    })
    const url = await serve(t, app)
    for (const headers of NOT_PREFLIGHTS) {
      const res = await fetch(`${url}/admin`, { method: 'OPTIONS', headers })
      assert.deepEqual(
        [res.status, await res.json()],
        [401, { code: 'ERR_JWT_MISSING', status: 401 }],
        JSON.stringify(headers),
      )
    }
    const preflight = await fetch(`${url}/admin`, { method: 'OPTIONS', headers: PREFLIGHT })
    assert.deepEqual([preflight.status, await preflight.json()], [200, { reached: true }])
  })

  test('Fetch: the same, and errorResponse answers 401 with a bare challenge', async () => {
    const options: JwtRequestOptions<Request> = { secret: SECRET, realm: 'fetch' }
    for (const headers of NOT_PREFLIGHTS) {
      const request = new Request('http://127.0.0.1/admin', { method: 'OPTIONS', headers })
      const error = await authenticateRequest(request, options).then(
        () => assert.fail(`resolved for ${JSON.stringify(headers)}`),
        (e: unknown) => e,
      )
      assert.ok(isJwtError(error))
      assert.deepEqual([error.name, error.code, error.status], ['UnauthorizedError', 'ERR_JWT_MISSING', 401])
      const res = errorResponse(error, options)
      assert.deepEqual([res.status, res.headers.get('www-authenticate')], [401, 'Bearer realm="fetch"'])
    }
    const preflight = new Request('http://127.0.0.1/admin', { method: 'OPTIONS', headers: PREFLIGHT })
    assert.equal(await authenticateRequest(preflight, options), undefined)
  })
})
