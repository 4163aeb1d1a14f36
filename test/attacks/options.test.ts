/**
 * Options are data: every factory reads its options once, as own data properties, and keeps only its copies.
 * Prototype pollution elsewhere in the process, a getter, a Proxy that answers differently on a second read, an
 * array with a replaced iterator or a hole, or a change to the caller's arrays after the factory ran must change
 * nothing. Every pollution is set and removed inside one synchronous try/finally around the factory call.
 */
import assert from 'node:assert/strict'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { describe, test } from 'node:test'
import {
  authenticateRequest,
  createSigner,
  createVerifier,
  decodeUnverified,
  errorResponse,
  extractToken,
  type JwtRequestOptions,
  jwtMiddleware,
  sign,
  verify,
  withJwt,
} from '../../src/index.js'
import { b64, forge, NOW, SECRET, throwsCode } from '../helpers/forge.js'
import { serve } from '../helpers/server.js'

/** What an attacker would like every factory to pick up from `Object.prototype`. */
const POLLUTION: Record<string, unknown> = {
  credentialsRequired: false,
  algorithms: ['HS256', 'HS384', 'HS512'],
  algorithm: 'HS512',
  clockTolerance: 10 ** 9,
  audience: 'evil',
  issuer: 'evil',
  unless: { path: ['/me'], method: ['GET'] },
  readBody: true,
  complete: true,
  requestProperty: 'evil',
  sources: ['cookie'],
  secret: SECRET,
  maxTokenLength: 10,
  expiresIn: -100,
  noTimestamp: true,
  header: { kid: 'evil' },
  now: 1,
  limit: 1,
  path: ['/me'],
  method: ['GET'],
}

/** Runs `fn` with `Object.prototype` polluted, and always cleans up, even when `fn` throws. */
function polluted<T>(fn: () => T, pollution: Record<string, unknown> = POLLUTION): T {
  const proto = Object.prototype as Record<string, unknown>
  for (const [name, value] of Object.entries(pollution)) proto[name] = value
  try {
    return fn()
  } finally {
    for (const name of Object.keys(pollution)) delete proto[name]
  }
}

/** Runs `fn` with `Array.prototype[index]` set, and always removes it again. */
function withArrayIndex<T>(index: number, value: unknown, fn: () => T): T {
  Object.defineProperty(Array.prototype, index, { value, writable: true, configurable: true, enumerable: false })
  try {
    return fn()
  } finally {
    delete (Array.prototype as unknown as Record<number, unknown>)[index]
  }
}

const ONE_HOUR = 3600
const HS256 = { alg: 'HS256', typ: 'JWT' }
const HS512 = { alg: 'HS512', typ: 'JWT' }
/** A fresh, valid HS256 token for the adapters, which use the clock. */
const fresh = (payload: object = {}, header: object = HS256) =>
  forge(header, { sub: 'u1', exp: Math.floor(Date.now() / 1000) + ONE_HOUR, ...payload })
const NONE = `${b64('{"alg":"none","typ":"JWT"}')}.${b64('{"sub":"admin"}')}.`

interface Answer {
  status: number
  challenge: string | null
  body: unknown
}

async function answer(response: Response): Promise<Answer> {
  return { status: response.status, challenge: response.headers.get('www-authenticate'), body: await response.json() }
}

const MISSING: Answer = {
  status: 401,
  challenge: 'Bearer realm="api"',
  body: { error: 'unauthorized', error_description: 'a bearer token is required' },
}

function invalidToken(description: string): Answer {
  return {
    status: 401,
    challenge: `Bearer realm="api", error="invalid_token", error_description="${description}"`,
    body: { error: 'invalid_token', error_description: description },
  }
}

function echo(req: IncomingMessage, res: ServerResponse): void {
  const r = req as IncomingMessage & Record<string, unknown>
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify({ user: r.user ?? null, evil: r.evil ?? null }))
}

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void

/** A server that answers with the status and code `next(error)` received, and what the middleware attached. */
function middlewareServer(t: Parameters<typeof serve>[0], middleware: Middleware): Promise<string> {
  return serve(t, (req, res) => {
    middleware(req, res, (error?: unknown) => {
      const e = error as { status?: number; code?: string } | undefined
      const user = (req as IncomingMessage & { user?: unknown }).user ?? null
      res.writeHead(e?.status ?? 200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ code: e?.code ?? null, user }))
    })
  })
}

const bearer = (value: string) => ({ headers: { authorization: `Bearer ${value}` } })

describe('a polluted Object.prototype changes no option of any factory', () => {
  test('withJwt: no token is still 401, a token still lands on req.user as its payload', async (t) => {
    const listener = polluted(() => withJwt({ secret: SECRET, realm: 'api' }, echo))
    const url = await serve(t, listener)
    assert.deepEqual(await answer(await fetch(`${url}/me`)), MISSING)
    const value = fresh()
    const res = await fetch(`${url}/me`, bearer(value))
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), { user: decodeUnverified(value).payload, evil: null })
  })

  test('withJwt: only "secret" inherited is no secret at all', () => {
    throwsCode(() => polluted(() => withJwt({} as JwtRequestOptions, echo)), 'ERR_JWT_INVALID_OPTION')
  })

  test('jwtMiddleware: no token still reaches next() as a 401 ERR_JWT_MISSING', async (t) => {
    const url = await middlewareServer(
      t,
      polluted(() => jwtMiddleware({ secret: SECRET, realm: 'api' })),
    )
    const missing = await fetch(`${url}/me`)
    assert.equal(missing.status, 401)
    assert.deepEqual(await missing.json(), { code: 'ERR_JWT_MISSING', user: null })
    const value = fresh()
    const ok = await fetch(`${url}/me`, bearer(value))
    assert.equal(ok.status, 200)
    assert.deepEqual(await ok.json(), { code: null, user: decodeUnverified(value).payload })
  })

  test('jwtMiddleware with a resolver: an HS512 token is still refused (401 ERR_JWT_ALGORITHM)', async (t) => {
    const url = await middlewareServer(
      t,
      polluted(() => jwtMiddleware({ secret: () => SECRET })),
    )
    const res = await fetch(`${url}/me`, bearer(fresh({}, HS512)))
    assert.equal(res.status, 401)
    assert.deepEqual(await res.json(), { code: 'ERR_JWT_ALGORITHM', user: null })
    assert.equal((await fetch(`${url}/me`, bearer(fresh()))).status, 200)
  })

  test('authenticateRequest: no token is 401, a token is its payload, not the complete result', async () => {
    const options: JwtRequestOptions<Request> = { secret: SECRET, realm: 'api' }
    const error = await polluted(() => authenticateRequest(new Request('http://localhost/me'), options)).then(
      () => undefined,
      (e: unknown) => e,
    )
    assert.deepEqual(await answer(errorResponse(error, options)), MISSING)
    const value = fresh()
    const claims = await authenticateRequest(new Request('http://localhost/me', bearer(value)), options)
    assert.deepEqual(claims, decodeUnverified(value).payload)
  })

  test('extractToken: the default sources still find the bearer token', () => {
    const value = fresh()
    const req = { headers: { authorization: `Bearer ${value}` }, url: '/me', method: 'GET' }
    assert.equal(
      polluted(() => extractToken(req)),
      value,
    )
    assert.equal(
      polluted(() => extractToken(req, {})),
      value,
    )
  })

  test('createVerifier and verify: expiry, algorithm and audience are checked as without pollution', () => {
    const expired = forge(HS256, { sub: 'u1', exp: NOW - 10 })
    throwsCode(() => polluted(() => createVerifier(SECRET, { now: NOW })(expired)), 'ERR_JWT_EXPIRED')
    throwsCode(() => polluted(() => verify(expired, SECRET, { now: NOW })), 'ERR_JWT_EXPIRED')
    throwsCode(() => polluted(() => verify(forge(HS512, { sub: 'u1' }), SECRET)), 'ERR_JWT_ALGORITHM')
    const good = forge(HS256, { sub: 'u1', exp: NOW + 10 })
    assert.deepEqual(
      polluted(() => verify(good, SECRET, { now: NOW })),
      { sub: 'u1', exp: NOW + 10 },
    )
    assert.deepEqual(polluted(() => createVerifier(SECRET, { now: NOW }))(good), { sub: 'u1', exp: NOW + 10 })
  })

  test('sign and createSigner: the header and claims are those of the options given', () => {
    const token = polluted(() => sign({ sub: 'u1' }, SECRET, { now: NOW }))
    assert.deepEqual(decodeUnverified(token), {
      header: HS256,
      payload: { sub: 'u1', iat: NOW },
      signature: token.split('.')[2],
    })
    const signer = polluted(() => createSigner(SECRET, { now: NOW, expiresIn: 60 }))
    assert.deepEqual(decodeUnverified(signer({ sub: 'u2' })).payload, { sub: 'u2', iat: NOW, exp: NOW + 60 })
  })

  test('decodeUnverified: the size limit is the default one', () => {
    const token = forge(HS256, { sub: 'u1' })
    assert.deepEqual(polluted(() => decodeUnverified(token, {})).payload, { sub: 'u1' })
  })
})

describe('Array.prototype pollution cannot fill an option array', () => {
  test('algorithms with a hole is refused, not read as Array.prototype[0]', () => {
    const err = withArrayIndex(0, 'HS512', () =>
      throwsCode(() => createVerifier(SECRET, { algorithms: new Array(1) }), 'ERR_JWT_INVALID_OPTION'),
    )
    assert.equal(err.status, 500)
  })

  test('an adapter audience with a hole is refused', () => {
    const audience = ['api']
    audience[2] = 'web'
    withArrayIndex(1, 'evil', () =>
      throwsCode(() => withJwt({ secret: SECRET, audience }, echo), 'ERR_JWT_INVALID_OPTION'),
    )
  })
})

describe('arrays that answer differently on a second read', () => {
  test('a replaced Symbol.iterator cannot put "none" in the allowlist', () => {
    let reads = 0
    const algorithms = ['HS256'] as Array<'HS256'>
    Object.defineProperty(algorithms, Symbol.iterator, {
      value: function* () {
        yield reads++ === 0 ? 'HS256' : 'none'
      },
    })
    const verifyToken = createVerifier(SECRET, { algorithms })
    const err = throwsCode(() => verifyToken(NONE), 'ERR_JWT_ALGORITHM')
    assert.equal(err.status, 401)
    assert.deepEqual(verifyToken(forge(HS256, { sub: 'u1' })), { sub: 'u1' })
  })

  test('a getter element is refused', () => {
    let reads = 0
    const algorithms: string[] = []
    Object.defineProperty(algorithms, 0, { get: () => (reads++ === 0 ? 'HS256' : 'HS512'), enumerable: true })
    throwsCode(() => createVerifier(SECRET, { algorithms: algorithms as never }), 'ERR_JWT_INVALID_OPTION')
    assert.equal(reads, 0)
  })

  test('a Proxy whose second answer differs: the first answer is the only one used', () => {
    let reads = 0
    const algorithms = new Proxy(['HS256'], {
      get: (target, key, receiver) =>
        key === '0' ? (reads++ === 0 ? 'HS256' : 'HS512') : Reflect.get(target, key, receiver),
    })
    const verifyToken = createVerifier(SECRET, { algorithms: algorithms as never })
    throwsCode(() => verifyToken(forge(HS512, { sub: 'u1' })), 'ERR_JWT_ALGORITHM')
    assert.deepEqual(verifyToken(forge(HS256, { sub: 'u1' })), { sub: 'u1' })
  })

  test('an options Proxy answering for a name it does not list changes nothing in an adapter', async (t) => {
    const options = new Proxy({ secret: SECRET, realm: 'api' } as JwtRequestOptions<IncomingMessage>, {
      get: (target, key, receiver) => (key === 'credentialsRequired' ? false : Reflect.get(target, key, receiver)),
    })
    const url = await serve(t, withJwt(options, echo))
    assert.deepEqual(await answer(await fetch(`${url}/me`)), MISSING)
  })

  test("a Proxy whose traps throw is ERR_JWT_INVALID_OPTION, and the trap's error is not passed on", () => {
    const boom = () => {
      throw new TypeError('trap error quoting do-not-echo-this')
    }
    for (const options of [
      new Proxy({}, { ownKeys: boom }),
      new Proxy({ algorithms: ['HS256'] }, { getOwnPropertyDescriptor: boom }),
      { algorithms: new Proxy(['HS256'], { getOwnPropertyDescriptor: boom }) },
    ]) {
      const err = throwsCode(() => createVerifier(SECRET, options as never), 'ERR_JWT_INVALID_OPTION')
      assert.equal(err.cause, undefined)
      assert.doesNotMatch(err.message, /do-not-echo-this/)
    }
  })
})

describe('accessor options are refused, never called', () => {
  test('verify option getter: ERR_JWT_INVALID_OPTION at the factory', () => {
    let calls = 0
    const options = {
      get algorithms(): Array<'HS256'> {
        calls++
        return ['HS256']
      },
    }
    const err = throwsCode(() => createVerifier(SECRET, options), 'ERR_JWT_INVALID_OPTION')
    assert.equal(err.status, 500)
    assert.equal(calls, 0)
    throwsCode(() => verify(forge(HS256, {}), SECRET, options), 'ERR_JWT_INVALID_OPTION')
  })

  test('sign option getter: ERR_JWT_INVALID_OPTION', () => {
    const options = Object.defineProperty({}, 'expiresIn', { get: () => 60, enumerable: true })
    throwsCode(() => sign({}, SECRET, options), 'ERR_JWT_INVALID_OPTION')
    throwsCode(() => createSigner(SECRET, options), 'ERR_JWT_INVALID_OPTION')
  })

  test('adapter option getter: ERR_JWT_INVALID_OPTION for withJwt, jwtMiddleware and extractToken', () => {
    const options = {
      secret: SECRET,
      get credentialsRequired() {
        return false
      },
    }
    throwsCode(() => withJwt(options, echo), 'ERR_JWT_INVALID_OPTION')
    throwsCode(() => jwtMiddleware(options), 'ERR_JWT_INVALID_OPTION')
    const sources = Object.defineProperty({}, 'sources', { get: () => ['cookie'], enumerable: true })
    throwsCode(() => extractToken({ headers: {} }, sources), 'ERR_JWT_INVALID_OPTION')
  })

  test('nested unless and readBody getters: ERR_JWT_INVALID_OPTION', () => {
    const unless = Object.defineProperty({}, 'path', { get: () => ['/me'], enumerable: true })
    throwsCode(() => withJwt({ secret: SECRET, unless: unless as never }, echo), 'ERR_JWT_INVALID_OPTION')
    const readBody = Object.defineProperty({}, 'limit', { get: () => 1, enumerable: true })
    throwsCode(() => withJwt({ secret: SECRET, readBody: readBody as never }, echo), 'ERR_JWT_INVALID_OPTION')
  })
})

describe("changing the caller's arrays after the factory changes nothing", () => {
  test('core verifier: algorithms.push("HS512") and audience.push("evil")', () => {
    const algorithms: Array<'HS256' | 'HS512'> = ['HS256']
    const audience = ['api']
    const verifyToken = createVerifier(SECRET, { algorithms, audience })
    algorithms.push('HS512')
    audience.push('evil')
    throwsCode(() => verifyToken(forge(HS512, { aud: 'api' })), 'ERR_JWT_ALGORITHM')
    const err = throwsCode(() => verifyToken(forge(HS256, { aud: 'evil' })), 'ERR_JWT_CLAIM')
    assert.equal(err.claim, 'aud')
  })

  test('adapter with a resolver: the allowlist and the audience are the ones given at start-up', async (t) => {
    const algorithms: Array<'HS256' | 'HS512'> = ['HS256']
    const audience = ['api']
    const url = await serve(t, withJwt({ secret: () => SECRET, realm: 'api', algorithms, audience }, echo))
    algorithms.push('HS512')
    audience.push('evil')
    // The resolver's verifier for SECRET is made on the first request, after the pushes.
    assert.deepEqual(
      await answer(await fetch(`${url}/me`, bearer(fresh({ aud: 'api' }, HS512)))),
      invalidToken('the token algorithm is not accepted'),
    )
    assert.deepEqual(
      await answer(await fetch(`${url}/me`, bearer(fresh({ aud: 'evil' })))),
      invalidToken("the token claim 'aud' is not accepted"),
    )
    const ok = await fetch(`${url}/me`, bearer(fresh({ aud: 'api' })))
    assert.equal(ok.status, 200)
  })

  test('unless paths: a RegExp recompiled later exempts nothing new', async (t) => {
    const pattern = /^\/public$/
    const url = await serve(t, withJwt({ secret: SECRET, realm: 'api', unless: { path: [pattern] } }, echo))
    // RegExp.prototype.compile changes a pattern in place.
    ;(pattern as RegExp & { compile(source: string): void }).compile('^/admin$')
    assert.deepEqual(await answer(await fetch(`${url}/admin`)), MISSING)
    assert.equal((await fetch(`${url}/public`)).status, 200)
  })
})

describe('unknown names are refused without showing values', () => {
  test('the message names the option, never its value', () => {
    const value = 'do-not-echo-this-value'
    for (const make of [
      () => createVerifier(SECRET, { audiance: value } as never),
      () => createSigner(SECRET, { expiresin: value } as never),
      () => withJwt({ secret: SECRET, credentialsRequred: value } as never, echo),
      () => extractToken({ headers: {} }, { sourcse: value } as never),
    ]) {
      const err = throwsCode(make, 'ERR_JWT_INVALID_OPTION')
      assert.doesNotMatch(err.message, new RegExp(value))
      assert.match(err.message, /^unknown (verify|sign|adapter|extract) option "\w+"$/)
    }
  })
})
