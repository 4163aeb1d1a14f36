/**
 * The steps every adapter shares: skip (CORS preflight, `unless`), find the one token, verify it, ask
 * `isRevoked`, and wrap failures as `UnauthorizedError`.
 */
import { isJwtError, JwtError, UnauthorizedError } from '../errors.js'
import { REALM } from './challenge.js'
import { findToken } from './extract.js'
import type { CompiledAdapter } from './options.js'
import type { RequestParts } from './parts.js'

/**
 * A CORS preflight (Fetch standard, "CORS-preflight request") never carries credentials, so demanding a token
 * would break every cross-origin call; the CORS layer, not this one, answers it. It is exactly `OPTIONS` with an
 * `Origin` and an `Access-Control-Request-Method` header (both non-empty, as a browser sends them): an `OPTIONS`
 * with only one of them, or with `Access-Control-Request-Headers` alone, is an ordinary request and authenticates.
 */
function isPreflight(parts: RequestParts): boolean {
  return parts.method === 'OPTIONS' && hasValue(parts, 'origin') && hasValue(parts, 'access-control-request-method')
}

function hasValue(parts: RequestParts, name: string): boolean {
  return parts.fieldValues(name).some((value) => value.trim() !== '')
}

/** True when the request needs no token: a CORS preflight, or one that `unless` exempts. */
export function shouldSkip(adapter: CompiledAdapter, parts: RequestParts, request: unknown): boolean {
  return isPreflight(parts) || adapter.skip?.(parts, request) === true
}

/**
 * Finds and verifies the token. Resolves to what the request should carry (the payload, or the complete result
 * with `complete: true`), or to undefined when there is no token and none is required.
 * @throws {JwtError} `ERR_JWT_MISSING`, `ERR_JWT_AMBIGUOUS`, `ERR_JWT_REVOKED` and every verification code
 */
export async function authenticateParts(adapter: CompiledAdapter, parts: RequestParts): Promise<object | undefined> {
  const token = findToken(parts, adapter.extract)
  if (token === undefined) {
    if (!adapter.credentialsRequired) return undefined
    throw new JwtError('ERR_JWT_MISSING', 'the request carries no bearer token')
  }
  const result = await adapter.verifyToken(token)
  if (adapter.isRevoked !== undefined && (await adapter.isRevoked(result.payload, result.header))) {
    throw new JwtError('ERR_JWT_REVOKED', 'the token has been revoked')
  }
  return adapter.complete ? result : result.payload
}

/**
 * Wraps a token or request failure in an `UnauthorizedError` that remembers the realm (for the challenge); its
 * status is the code's own (413 and 408 included). Anything else (a resolver or `isRevoked` that threw, a bad
 * secret from a resolver) is a server problem and passes through unchanged, so it becomes a 500 rather than a
 * misleading 401.
 */
export function adapterError(error: unknown, realm: string | undefined): unknown {
  if (!isJwtError(error) || error.code === 'ERR_JWT_INVALID_OPTION') return error
  const wrapped = new UnauthorizedError(error)
  if (realm !== undefined) Object.defineProperty(wrapped, REALM, { value: realm })
  return wrapped
}
