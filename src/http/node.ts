/**
 * The Node.js adapters: `jwtMiddleware` for Express/Connect-style stacks and `withJwt` for a bare `node:http`
 * request listener.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { invalidOption, isJwtError } from '../errors.js'
import type { JwtPayload } from '../types.js'
import { adapterError, authenticateNow, isExempt, isPreflight, isThenable } from './authenticate.js'
import { type BodyReading, bodyKind, parseBody, readNodeBody } from './body.js'
import { describeError } from './challenge.js'
import { type CompiledAdapter, compileAdapterOptions, compileUnless, eitherSkip } from './options.js'
import { nodeParts, type RequestParts } from './parts.js'
import type { JwtMiddleware, JwtRequestOptions, NodeRequestLike, UnlessOptions } from './types.js'

/**
 * A request after {@link withJwt}: the claims on `user` (or the configured `requestProperty`), a parsed body.
 *
 * @example
 * ```ts
 * import type { ServerResponse } from 'node:http'
 * import type { AuthenticatedRequest } from 'jwt-codec/http'
 * function me(req: AuthenticatedRequest<{ sub: string }>, res: ServerResponse): void {
 *   res.end(req.user?.sub ?? 'anonymous')
 * }
 * ```
 */
export type AuthenticatedRequest<T extends object = JwtPayload> = IncomingMessage & { body?: unknown; user?: T }

/** True for the body errors that stop reading midway (413, 408): the connection cannot be reused. */
function leavesBodyUnread(error: unknown): boolean {
  return isJwtError(error) && (error.code === 'ERR_JWT_BODY_TOO_LARGE' || error.code === 'ERR_JWT_BODY_TIMEOUT')
}

const SKIPPED: unique symbol = Symbol('skipped')

type Outcome = object | undefined | typeof SKIPPED

/**
 * A preflight first (it has no body, and passes untouched), then `unless`, then `readBody`, then the token. An
 * exempt request's body is read too, so a login route behind `unless` finds its form on `req.body`; it is not
 * checked for a repeated token field, as no token is taken from it. Synchronous (a value or a throw) unless a
 * body is to be read or a hook answered with a Promise, so the common request reaches its handler in the same
 * tick, with no Promise made for it.
 */
function authenticateNode(adapter: CompiledAdapter, req: IncomingMessage): Outcome | Promise<Outcome> {
  const request = req as IncomingMessage & NodeRequestLike
  const parts = nodeParts(request)
  if (isPreflight(parts)) return SKIPPED
  const answer = isExempt(adapter, parts, req)
  if (adapter.readBody !== undefined && request.body === undefined) return withBody(adapter, req, parts, answer)
  if (answer === true) return SKIPPED
  if (answer === false) return authenticateNow(adapter, parts, req)
  return answer.then((exempt) => (exempt ? SKIPPED : authenticateNow(adapter, parts, req)))
}

async function withBody(
  adapter: CompiledAdapter,
  req: IncomingMessage,
  first: RequestParts,
  answer: boolean | Promise<boolean>,
): Promise<Outcome> {
  const request = req as IncomingMessage & NodeRequestLike
  let parts = first
  const exempt = answer === true || (answer !== false && (await answer))
  const readBody = adapter.readBody as BodyReading
  const kind = bodyKind(req.headers['content-type'])
  const bytes = kind === undefined ? undefined : await readNodeBody(req, readBody)
  if (kind !== undefined && bytes !== undefined) {
    request.body = parseBody(kind, bytes, exempt ? undefined : adapter.bodyTokenField)
    parts = nodeParts(request)
  }
  if (exempt) return SKIPPED
  return authenticateNow(adapter, parts, req)
}

function attach(req: IncomingMessage, property: string, claims: Outcome): void {
  // Only a verified token sets the property: a skipped or anonymous request keeps whatever was there.
  if (claims === undefined || claims === SKIPPED) return
  ;(req as unknown as Record<string, unknown>)[property] = claims
}

/**
 * Express/Connect middleware. On success it sets `req.user` (or `requestProperty`) to the verified claims and
 * calls `next()`; on failure it calls `next(err)` with an `UnauthorizedError` (`name === 'UnauthorizedError'`,
 * `status`, `code`, the original error as `cause` and `inner`) and leaves `req.user` as it was. A CORS preflight
 * and the requests `unless` (or `.unless()`, as with express-jwt) names pass untouched. Errors that are the
 * server's (a resolver or `isRevoked` that threw) reach `next` unwrapped; a `getToken` that threw or returned a
 * non-string reaches it as a 500 `ERR_JWT_INVALID_OPTION` without its own error.
 *
 * @typeParam Req - your framework's request type, for `unless`, `getToken`, the resolver and `isRevoked`
 * @typeParam T - the claims type `isRevoked` is given
 * @param options - {@link JwtRequestOptions}; `secret` is required, `algorithms` defaults to `['HS256']`
 * @returns the middleware, with `.unless(rules)` ({@link JwtMiddleware})
 * @throws {JwtError} `ERR_JWT_INVALID_OPTION` (here, not per request) for an unknown option name, a bad value or
 *   a bad secret. Requests fail with `ERR_JWT_MISSING` (401), `ERR_JWT_AMBIGUOUS` (400),
 *   `ERR_JWT_BODY_TOO_LARGE` (413) or `ERR_JWT_BODY_TIMEOUT` (408) with `readBody`, `ERR_JWT_REVOKED` or a
 *   verification code (401)
 * @example
 * ```ts
 * import express, { type NextFunction, type Request, type Response } from 'express'
 * import { isJwtError, jwtMiddleware, type JwtPayload } from 'jwt-codec'
 * const app = express()
 * app.use(jwtMiddleware({ secret: process.env.JWT_SECRET ?? '', unless: { path: ['/login', '/health'] } }))
 * app.get('/me', (req, res) => res.json((req as Request & { user?: JwtPayload }).user))
 * app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
 *   if (isJwtError(err) && err.name === 'UnauthorizedError') return res.status(err.status).json({ error: err.code })
 *   next(err)
 * })
 * ```
 */
export function jwtMiddleware<Req extends IncomingMessage = IncomingMessage, T extends object = JwtPayload>(
  options: JwtRequestOptions<Req, T>,
): JwtMiddleware<Req> {
  return middlewareFor<Req>(compileAdapterOptions(options))
}

/** The middleware for checked options, with `.unless()` making another from the same options and more rules. */
function middlewareFor<Req extends IncomingMessage>(adapter: CompiledAdapter): JwtMiddleware<Req> {
  function fail(res: ServerResponse, next: (error?: unknown) => void, error: unknown): void {
    const wrapped = adapterError(error)
    // The rest of an oversized or stalled body is never read: close the connection rather than leave it
    // unsynced or held by a client that stopped sending.
    if (leavesBodyUnread(wrapped) && !res.headersSent) res.setHeader('connection', 'close')
    next(wrapped)
  }
  function jwtCodecMiddleware(req: Req, res: ServerResponse, next: (error?: unknown) => void): void {
    let outcome: Outcome | Promise<Outcome>
    try {
      outcome = authenticateNode(adapter, req)
    } catch (error) {
      fail(res, next, error)
      return
    }
    if (outcome instanceof Promise) {
      outcome.then(
        (claims) => {
          attach(req, adapter.requestProperty, claims)
          next()
        },
        (error: unknown) => fail(res, next, error),
      )
      return
    }
    // Outside the try: what the rest of the stack throws is not an authentication failure.
    attach(req, adapter.requestProperty, outcome)
    next()
  }
  // Checked here, when `.unless()` is called, through the same table and matcher as the `unless` option.
  const unless = (rules: UnlessOptions<Req>): JwtMiddleware<Req> => {
    const skip = compileUnless(rules)
    if (skip === undefined) throw invalidOption('".unless()" needs rules or a function')
    return middlewareFor<Req>({ ...adapter, skip: eitherSkip(adapter.skip, skip) })
  }
  return Object.assign(jwtCodecMiddleware, { unless })
}

/**
 * Wraps a `node:http` request listener. On success it sets `req.user` (or `requestProperty`) and calls
 * `handler(req, res)`; on failure it answers by itself: the status, `WWW-Authenticate` (RFC 6750 §3) and a JSON
 * body `{ error, error_description }`. With `readBody`, a JSON or form body is read (up to the limit, 413 over
 * it; within the timeout, 408 after it) and left parsed on `req.body`, so the body source works without a
 * framework.
 *
 * @typeParam T - the claims type the handler expects on `req.user`
 * @param options - {@link JwtRequestOptions}
 * @param handler - your listener, called only for authenticated (or exempt) requests
 * @returns a listener for `http.createServer`
 * @throws {JwtError} `ERR_JWT_INVALID_OPTION` (here) for an unknown option name, a bad value or a bad secret
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { withJwt } from 'jwt-codec'
 * createServer(withJwt({ secret: process.env.JWT_SECRET ?? '', readBody: true }, (req, res) => {
 *   res.end(`hello ${req.user?.sub}`)
 * })).listen(3000)
 * ```
 */
export function withJwt<T extends object = JwtPayload>(
  options: JwtRequestOptions<IncomingMessage, T>,
  handler: (req: AuthenticatedRequest<T>, res: ServerResponse) => unknown,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const adapter = compileAdapterOptions(options)
  const answer = (res: ServerResponse, error: unknown): void => {
    const { status, headers, body } = describeError(adapterError(error), { realm: adapter.realm })
    if (res.headersSent) return
    if (leavesBodyUnread(error)) headers.connection = 'close'
    const text = JSON.stringify(body)
    headers['content-length'] = String(Buffer.byteLength(text))
    res.writeHead(status, headers).end(text)
  }
  const proceed = (req: IncomingMessage, res: ServerResponse, claims: Outcome): Promise<void> => {
    attach(req, adapter.requestProperty, claims)
    // The handler's own errors are not ours to answer: they surface exactly as from an async listener (a
    // rejection), whether it throws or rejects.
    let result: unknown
    try {
      result = handler(req as AuthenticatedRequest<T>, res)
    } catch (error) {
      return Promise.reject(error)
    }
    return isThenable(result) ? Promise.resolve(result).then(ignore) : DONE
  }
  return function jwtCodecListener(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let outcome: Outcome | Promise<Outcome>
    try {
      outcome = authenticateNode(adapter, req)
    } catch (error) {
      answer(res, error)
      return DONE
    }
    if (outcome instanceof Promise) {
      return outcome.then(
        (claims) => proceed(req, res, claims),
        (error: unknown) => answer(res, error),
      )
    }
    return proceed(req, res, outcome)
  }
}

/** What a listener whose work ended synchronously returns: one settled Promise, shared (it carries nothing). */
const DONE: Promise<void> = Promise.resolve()

function ignore(): void {}
