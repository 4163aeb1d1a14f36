/**
 * src/http/authenticate.ts on its own: the steps every adapter shares (skip a CORS preflight or an `unless`
 * route, find the one token, verify it, ask `isRevoked`) and how their failures are wrapped for the HTTP answer.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { adapterError, authenticateParts, shouldSkip } from '../../src/http/authenticate.js'
import { compileAdapterOptions } from '../../src/http/options.js'
import { nodeParts } from '../../src/http/parts.js'
import type { NodeRequestLike } from '../../src/http/types.js'
import {
  isJwtError,
  JwtError,
  type JwtErrorCode,
  type JwtHeader,
  type JwtPayload,
  sign,
  UnauthorizedError,
} from '../../src/index.js'
import { NOW, OTHER_SECRET, SECRET, throwsCode } from '../helpers/forge.js'

const adapter = (options: Record<string, unknown> = {}) =>
  compileAdapterOptions({ secret: SECRET, now: NOW, ...options })
const request = (headers: Record<string, string> = {}, url = '/api', method = 'GET'): NodeRequestLike => ({
  method,
  url,
  headers,
})
const parts = (headers: Record<string, string> = {}, url = '/api', method = 'GET') =>
  nodeParts(request(headers, url, method))

const CLAIMS = { sub: 'u1', iat: NOW, exp: NOW + 60 }
const TOKEN = sign({ sub: 'u1' }, SECRET, { now: NOW, expiresIn: 60 })
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

/** Awaits a rejection and checks that it is a JwtError with this code and status; returns it. */
async function rejectsWith(promise: Promise<unknown>, code: string, status: number): Promise<JwtError> {
  const error = await promise.then(
    () => assert.fail(`expected ${code}, but it resolved`),
    (err: unknown) => err,
  )
  assert.ok(error instanceof JwtError, `expected a JwtError ${code}, got ${String(error)}`)
  assert.deepStrictEqual([error.code, error.status], [code, status])
  return error
}

describe('shouldSkip', () => {
  test('a CORS preflight (OPTIONS with Origin and Access-Control-Request-Method) needs no token', () => {
    const a = adapter()
    const skips = (headers: Record<string, string>) => {
      const req = request(headers, '/api', 'OPTIONS')
      return shouldSkip(a, nodeParts(req), req)
    }
    assert.equal(skips({ origin: 'https://app.example', 'access-control-request-method': 'POST' }), true)
    // Only both headers together make a preflight (Fetch standard, CORS-preflight request).
    assert.equal(skips({ 'access-control-request-method': 'POST' }), false)
    assert.equal(skips({ origin: 'https://app.example', 'access-control-request-headers': 'x' }), false)
    // OPTIONS alone is not a preflight; a GET with the header is not either.
    assert.equal(shouldSkip(a, parts({}, '/api', 'OPTIONS'), request()), false)
    assert.equal(shouldSkip(a, parts({ 'access-control-request-method': 'POST' }), request()), false)
  })

  test('unless: listed pathnames and methods skip; the query string never does', () => {
    const a = adapter({ unless: { path: ['/health', /^\/public\//], method: ['HEAD'] } })
    const skip = (url: string, method = 'GET') => shouldSkip(a, parts({}, url, method), request({}, url, method))
    assert.deepStrictEqual(
      [
        skip('/health'),
        skip('/health?x=1'),
        skip('/public/logo.png'),
        skip('/api', 'HEAD'),
        skip('/api', 'head'),
        skip('/api'),
        skip('/api?path=/health'),
        skip('/api?/public/'),
        skip('/healthz'),
        skip('/public/../admin'),
        skip('/public/%2e%2e/admin'),
      ],
      [true, true, true, true, true, false, false, false, false, false, false],
    )
  })

  test('an unless function is given the request itself and must answer exactly true', () => {
    const seen: unknown[] = []
    const answers: unknown[] = [true, 1, 'yes', false, undefined]
    const a = adapter({
      unless: (req: unknown) => {
        seen.push(req)
        return answers[seen.length - 1]
      },
    })
    const req = request()
    const results = answers.map(() => shouldSkip(a, nodeParts(req), req))
    assert.deepStrictEqual(results, [true, false, false, false, false])
    assert.equal(seen.length, answers.length)
    assert.equal(
      seen.every((r) => r === req),
      true,
    )
  })

  test('without unless, an ordinary request is not skipped', () => {
    assert.equal(shouldSkip(adapter(), parts(), request()), false)
  })
})

/** The request handed to getToken, the resolver and isRevoked; these tests read only the parts. */
const authenticate = (a: ReturnType<typeof adapter>, p: ReturnType<typeof parts>) => authenticateParts(a, p, request())

describe('authenticateParts', () => {
  test('a valid bearer token resolves to its claims', async () => {
    assert.deepStrictEqual(await authenticate(adapter(), parts(bearer(TOKEN))), CLAIMS)
  })

  test('with complete: true, to the header, the claims and the signature', async () => {
    assert.deepStrictEqual(await authenticate(adapter({ complete: true }), parts(bearer(TOKEN))), {
      header: { alg: 'HS256', typ: 'JWT' },
      payload: CLAIMS,
      signature: TOKEN.slice(TOKEN.lastIndexOf('.') + 1),
    })
  })

  test('no token: ERR_JWT_MISSING (401), or undefined when credentials are not required', async () => {
    await rejectsWith(authenticate(adapter(), parts()), 'ERR_JWT_MISSING', 401)
    await rejectsWith(authenticate(adapter(), parts({ authorization: 'Basic dTpw' })), 'ERR_JWT_MISSING', 401)
    assert.equal(await authenticate(adapter({ credentialsRequired: false }), parts()), undefined)
  })

  test('a bad token is refused even when credentials are not required', async () => {
    const other = sign({ sub: 'u1' }, OTHER_SECRET, { now: NOW })
    const lax = adapter({ credentialsRequired: false })
    await rejectsWith(authenticate(lax, parts(bearer(other))), 'ERR_JWT_SIGNATURE', 401)
    await rejectsWith(authenticate(lax, parts(bearer('a.b'))), 'ERR_JWT_MALFORMED', 401)
    const expired = adapter({ now: NOW + 60 })
    await rejectsWith(authenticate(expired, parts(bearer(TOKEN))), 'ERR_JWT_EXPIRED', 401)
  })

  test('different tokens in two places: ERR_JWT_AMBIGUOUS (400)', async () => {
    const second = sign({ sub: 'u2' }, SECRET, { now: NOW })
    const both = parts({ ...bearer(TOKEN), 'x-access-token': second })
    await rejectsWith(authenticate(adapter(), both), 'ERR_JWT_AMBIGUOUS', 400)
  })

  test('isRevoked is asked with the verified claims and header; true refuses with ERR_JWT_REVOKED (401)', async () => {
    const calls: Array<[JwtPayload, JwtHeader]> = []
    const revoking = (answer: boolean | Promise<boolean>) =>
      adapter({
        isRevoked: ({ claims, header }: { claims: JwtPayload; header: JwtHeader }) => {
          calls.push([claims, header])
          return answer
        },
      })
    await rejectsWith(authenticate(revoking(true), parts(bearer(TOKEN))), 'ERR_JWT_REVOKED', 401)
    await rejectsWith(authenticate(revoking(Promise.resolve(true)), parts(bearer(TOKEN))), 'ERR_JWT_REVOKED', 401)
    assert.deepStrictEqual(await authenticate(revoking(false), parts(bearer(TOKEN))), CLAIMS)
    assert.deepStrictEqual(calls, [
      [CLAIMS, { alg: 'HS256', typ: 'JWT' }],
      [CLAIMS, { alg: 'HS256', typ: 'JWT' }],
      [CLAIMS, { alg: 'HS256', typ: 'JWT' }],
    ])
  })

  test('isRevoked is not asked about a token that did not verify', async () => {
    let asked = 0
    const a = adapter({
      isRevoked: () => {
        asked++
        return false
      },
    })
    await rejectsWith(authenticate(a, parts(bearer(`${TOKEN}x`))), 'ERR_JWT_SIGNATURE', 401)
    assert.equal(asked, 0)
  })

  test('an isRevoked that throws passes its error through unchanged', async () => {
    const boom = new Error('store down')
    const a = adapter({
      isRevoked: () => {
        throw boom
      },
    })
    await assert.rejects(authenticate(a, parts(bearer(TOKEN))), (err: unknown) => err === boom)
  })
})

describe('adapterError', () => {
  test('a token error becomes an UnauthorizedError: same code, status and details, the original as cause', () => {
    const original = new JwtError('ERR_JWT_EXPIRED', 'the token has expired', { expiredAt: new Date(1000) })
    const wrapped = adapterError(original)
    assert.ok(wrapped instanceof UnauthorizedError)
    assert.deepStrictEqual(
      [wrapped.name, wrapped.code, wrapped.status, wrapped.cause, wrapped.expiredAt],
      ['UnauthorizedError', 'ERR_JWT_EXPIRED', 401, original, new Date(1000)],
    )
  })

  test('nothing but the error is recorded on it: the realm reaches describeError as an argument', () => {
    const wrapped = adapterError(new JwtError('ERR_JWT_MISSING', 'm'))
    assert.ok(wrapped instanceof UnauthorizedError)
    assert.deepStrictEqual(Object.getOwnPropertySymbols(wrapped), [])
    assert.equal(wrapped.status, 401)
  })

  test('request errors keep their own status: 400 ambiguous, 413 too large, 408 too slow', () => {
    const cases: Array<[JwtErrorCode, number]> = [
      ['ERR_JWT_AMBIGUOUS', 400],
      ['ERR_JWT_BODY_TOO_LARGE', 413],
      ['ERR_JWT_BODY_TIMEOUT', 408],
    ]
    for (const [code, status] of cases) {
      const wrapped = adapterError(new JwtError(code, 'm'))
      assert.ok(isJwtError(wrapped), code)
      assert.deepStrictEqual([wrapped.name, wrapped.code, wrapped.status], ['UnauthorizedError', code, status])
    }
  })

  test('a bad option and anything that is not a JwtError pass through unchanged (they become a 500)', () => {
    const option = throwsCode(() => compileAdapterOptions({ secret: 'short' }), 'ERR_JWT_INVALID_OPTION')
    for (const error of [option, new Error('resolver threw'), 'text', undefined]) {
      assert.equal(adapterError(error), error)
    }
  })
})
