/**
 * The steps every adapter shares: skip (CORS preflight, `unless`), find the one token, verify it, ask
 * `isRevoked`, and wrap failures as `UnauthorizedError`.
 */
import { invalidOption, isJwtError, missingToken, revoked, UnauthorizedError } from '../errors.js'
import type { CompleteResult, JwtPayload } from '../types.js'
import { findToken } from './extract.js'
import { type Verified, verifiedHeader } from './keys.js'
import type { CompiledAdapter } from './options.js'
import type { RequestParts } from './parts.js'

/**
 * A CORS preflight (Fetch standard, "CORS-preflight request") never carries credentials, so demanding a token
 * would break every cross-origin call; the CORS layer, not this one, answers it. It is exactly `OPTIONS` with an
 * `Origin` and an `Access-Control-Request-Method` header (both non-empty, as a browser sends them): an `OPTIONS`
 * with only one of them, or with `Access-Control-Request-Headers` alone, is an ordinary request and authenticates.
 */
export function isPreflight(parts: RequestParts): boolean {
  return parts.method === 'OPTIONS' && hasValue(parts, 'origin') && hasValue(parts, 'access-control-request-method')
}

function hasValue(parts: RequestParts, name: string): boolean {
  return parts.fieldValues(name).some((value) => value.trim() !== '')
}

/**
 * True when `unless` exempts the request; a Promise only when a predicate answered with one, so the common
 * request decides synchronously.
 */
export function isExempt(adapter: CompiledAdapter, parts: RequestParts, request: unknown): boolean | Promise<boolean> {
  return adapter.skip === undefined ? false : adapter.skip(parts, request)
}

/** True when the request needs no token: a CORS preflight, or one that `unless` exempts. */
export function shouldSkip(
  adapter: CompiledAdapter,
  parts: RequestParts,
  request: unknown,
): boolean | Promise<boolean> {
  return isPreflight(parts) || isExempt(adapter, parts, request)
}

/**
 * The token a `getToken` option finds. Its errors and odd answers are the server's, not the client's: a 500 with
 * a fixed message and no `cause`, since what it threw may quote the request (a header, a cookie, the token).
 */
async function tokenFromGetter(
  getToken: NonNullable<CompiledAdapter['getToken']>,
  request: unknown,
): Promise<string | undefined> {
  let value: unknown
  try {
    value = await getToken(request)
  } catch {
    throw invalidOption('the getToken function threw')
  }
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value !== 'string') {
    throw invalidOption('the getToken function must return a string, undefined or null')
  }
  return value
}

/** True for a Promise or any thenable: the one test for "this step went asynchronous". */
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
}

/**
 * Finds and verifies the token. Resolves to what the request should carry (the payload, or the complete result
 * with `complete: true`), or to undefined when there is no token and none is required. `request` is what
 * `getToken`, a secret resolver and `isRevoked` are given.
 * @throws {JwtError} `ERR_JWT_MISSING`, `ERR_JWT_AMBIGUOUS`, `ERR_JWT_REVOKED` and every verification code;
 *   `ERR_JWT_INVALID_OPTION` for a `getToken` that threw or returned something other than a string
 */
export async function authenticateParts(
  adapter: CompiledAdapter,
  parts: RequestParts,
  request: unknown,
): Promise<object | undefined> {
  return authenticateNow(adapter, parts, request)
}

/**
 * {@link authenticateParts} without a Promise where none is needed: with a fixed secret, no `getToken` and no
 * `isRevoked` (or hooks that answer synchronously) it returns, or throws, at once, so an adapter can call the
 * handler in the same tick. A Promise only once a hook answered with one. Callers handle both a throw and a
 * rejection.
 */
export function authenticateNow(
  adapter: CompiledAdapter,
  parts: RequestParts,
  request: unknown,
): object | undefined | Promise<object | undefined> {
  if (adapter.getToken !== undefined) {
    return tokenFromGetter(adapter.getToken, request).then((token) => verifyFound(adapter, token, request))
  }
  return verifyFound(adapter, findToken(parts, adapter.extract), request)
}

function verifyFound(
  adapter: CompiledAdapter,
  token: string | undefined,
  request: unknown,
): object | undefined | Promise<object | undefined> {
  if (token === undefined) {
    if (!adapter.credentialsRequired) return undefined
    throw missingToken()
  }
  const result = adapter.verifyToken(token, request)
  if (isThenable(result)) {
    return Promise.resolve(result).then((verified) => checkRevoked(adapter, token, verified, request))
  }
  return checkRevoked(adapter, token, result, request)
}

function checkRevoked(
  adapter: CompiledAdapter,
  token: string,
  result: Verified,
  request: unknown,
): object | Promise<object> {
  if (adapter.isRevoked === undefined) return result
  // Without `complete` the verifier returned the payload alone; the header is parsed for the hook only.
  const { payload, header } = adapter.complete
    ? (result as CompleteResult)
    : { payload: result as JwtPayload, header: verifiedHeader(token) }
  const answer = adapter.isRevoked({ claims: payload, header, request })
  // Any truthy answer revokes (a found denylist record, say), as with express-jwt: the safe reading of a hook.
  if (!isThenable(answer)) {
    if (answer) throw revoked()
    return result
  }
  return Promise.resolve(answer).then((value) => {
    if (value) throw revoked()
    return result
  })
}

/**
 * Wraps a token or request failure in an `UnauthorizedError`; its status is the code's own (413 and 408
 * included). Anything else (a resolver or `isRevoked` that threw, a bad secret from a resolver) is a server
 * problem and passes through unchanged, so it becomes a 500 rather than a misleading 401.
 */
export function adapterError(error: unknown): unknown {
  if (!isJwtError(error) || error.code === 'ERR_JWT_INVALID_OPTION') return error
  return new UnauthorizedError(error)
}
