/**
 * Every failure in jwt-codec is a {@link JwtError} with a stable `code`.
 *
 * Messages are written for logs: they never contain the token, the secret or a claim value, so that an error
 * passed to a logger or echoed to a client cannot leak credentials (RFC 8725 §3.11 spirit).
 */

/**
 * The stable error codes. New codes may be added in minor releases; existing ones never change meaning.
 *
 * @example
 * ```ts
 * import { isJwtError, verify, type JwtErrorCode } from 'jwt-codec'
 * const retryable: JwtErrorCode[] = ['ERR_JWT_EXPIRED', 'ERR_JWT_NOT_BEFORE']
 * try {
 *   verify(token, secret)
 * } catch (err) {
 *   if (isJwtError(err) && retryable.includes(err.code)) console.log('refresh the token')
 * }
 * ```
 */
export type JwtErrorCode =
  | 'ERR_JWT_MALFORMED'
  | 'ERR_JWT_ALGORITHM'
  | 'ERR_JWT_SIGNATURE'
  | 'ERR_JWT_HEADER'
  | 'ERR_JWT_EXPIRED'
  | 'ERR_JWT_NOT_BEFORE'
  | 'ERR_JWT_CLAIM'
  | 'ERR_JWT_INVALID_OPTION'
  | 'ERR_JWT_MISSING'
  | 'ERR_JWT_AMBIGUOUS'
  | 'ERR_JWT_REVOKED'
  | 'ERR_JWT_BODY_TOO_LARGE'
  | 'ERR_JWT_BODY_TIMEOUT'
  | 'ERR_JWKS_NO_MATCH'
  | 'ERR_JWKS_MULTIPLE_MATCHES'
  | 'ERR_JWKS_UNAVAILABLE'

const STATUS: Readonly<Record<JwtErrorCode, number>> = {
  ERR_JWT_MALFORMED: 401,
  ERR_JWT_ALGORITHM: 401,
  ERR_JWT_SIGNATURE: 401,
  ERR_JWT_HEADER: 401,
  ERR_JWT_EXPIRED: 401,
  ERR_JWT_NOT_BEFORE: 401,
  ERR_JWT_CLAIM: 401,
  ERR_JWT_INVALID_OPTION: 500,
  ERR_JWT_MISSING: 401,
  ERR_JWT_AMBIGUOUS: 400,
  ERR_JWT_REVOKED: 401,
  // RFC 9110 §15.5.14 (Content Too Large) and §15.5.9 (Request Timeout): the request, not the token, is at fault.
  ERR_JWT_BODY_TOO_LARGE: 413,
  ERR_JWT_BODY_TIMEOUT: 408,
  ERR_JWKS_NO_MATCH: 401,
  ERR_JWKS_MULTIPLE_MATCHES: 401,
  // RFC 9110 §15.6.4 (Service Unavailable): the key set cannot be had; the token is not at fault.
  ERR_JWKS_UNAVAILABLE: 503,
}

/**
 * A registry-wide symbol, so that the ES module and CommonJS copies of this file (the dual-package hazard: one
 * application may load both) recognise each other's errors where `instanceof` cannot.
 */
const BRAND: unique symbol = Symbol.for('jwt-codec.JwtError')

/**
 * Extra, code-specific details carried by a {@link JwtError}.
 *
 * @example
 * ```ts
 * import { JwtError, type JwtErrorDetails } from 'jwt-codec'
 * const details: JwtErrorDetails = { claim: 'aud' }
 * const err = new JwtError('ERR_JWT_CLAIM', 'unexpected "aud" claim value', details)
 * ```
 */
export interface JwtErrorDetails {
  /** For `ERR_JWT_CLAIM`: the name of the claim that failed (`'iat'` for a `maxAge` failure). */
  claim?: string
  /** For `ERR_JWT_EXPIRED`: when the token expired (`exp` as a Date, clamped to the range a Date can hold). */
  expiredAt?: Date
  /** For `ERR_JWT_NOT_BEFORE`: when the token becomes valid (`nbf` as a Date). */
  date?: Date
  /** The underlying error, if any. */
  cause?: unknown
}

/**
 * The one error class of jwt-codec. Test `code`, not `message`: codes are stable, messages may improve.
 *
 * @example
 * ```ts
 * import { verify, isJwtError } from 'jwt-codec'
 * try {
 *   verify(token, secret)
 * } catch (err) {
 *   if (isJwtError(err) && err.code === 'ERR_JWT_EXPIRED') console.log('expired at', err.expiredAt)
 * }
 * ```
 */
export class JwtError extends Error {
  /** The stable, machine-readable error code. */
  readonly code: JwtErrorCode
  /** The HTTP status an adapter answers with: 401, 400 for an ambiguous request, 500 for a server-side mistake. */
  readonly status: number
  // `declare`: no class-field initialisers, so a detail that was not given is absent, not an own `undefined`.
  /** For `ERR_JWT_CLAIM`: which claim failed. */
  declare readonly claim?: string
  /** For `ERR_JWT_EXPIRED`: when the token expired. */
  declare readonly expiredAt?: Date
  /** For `ERR_JWT_NOT_BEFORE`: when the token becomes valid. */
  declare readonly date?: Date

  static {
    // On the prototype, not enumerable: invisible to JSON.stringify, util.inspect and spreads of the error.
    Object.defineProperty(JwtError.prototype, BRAND, { value: true })
  }

  /**
   * @param code - the stable error code
   * @param message - a human-readable reason that never contains a token, secret or claim value
   * @param details - code-specific details
   * @throws never
   * @example
   * ```ts
   * throw new JwtError('ERR_JWT_CLAIM', 'unexpected "iss" claim value', { claim: 'iss' })
   * ```
   */
  constructor(code: JwtErrorCode, message: string, details?: JwtErrorDetails) {
    super(message, details?.cause === undefined ? undefined : { cause: details.cause })
    this.name = 'JwtError'
    this.code = code
    this.status = STATUS[code]
    if (details?.claim !== undefined) this.claim = details.claim
    if (details?.expiredAt !== undefined) this.expiredAt = details.expiredAt
    if (details?.date !== undefined) this.date = details.date
  }
}

/**
 * The error the HTTP adapters raise: a {@link JwtError} whose `name` is `'UnauthorizedError'` (what express-jwt
 * error handlers test), with the same `code`, `status` and details, and the original error as `cause` and as
 * `inner` (express-jwt's name for it; the same object).
 *
 * @example
 * ```ts
 * import express, { type NextFunction, type Request, type Response } from 'express'
 * import { isJwtError } from 'jwt-codec'
 * const app = express()
 * app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
 *   if (isJwtError(err) && err.name === 'UnauthorizedError') return res.status(err.status).json({ error: err.code })
 *   next(err)
 * })
 * ```
 */
export class UnauthorizedError extends JwtError {
  /**
   * The original error, the same object as `cause`: what express-jwt handlers read as `err.inner`. Not
   * enumerable, like `cause`, so logging or serialising the error does not print it twice.
   */
  declare readonly inner: JwtError

  /**
   * @param original - the error to wrap
   * @throws never
   * @example
   * ```ts
   * const err = new UnauthorizedError(new JwtError('ERR_JWT_MISSING', 'no token'))
   * ```
   */
  constructor(original: JwtError) {
    super(original.code, original.message, {
      claim: original.claim,
      expiredAt: original.expiredAt,
      date: original.date,
      cause: original,
    })
    this.name = 'UnauthorizedError'
    Object.defineProperty(this, 'inner', { value: original, writable: true, configurable: true, enumerable: false })
  }
}

/**
 * Tells whether a value is a {@link JwtError} (including {@link UnauthorizedError}). Prefer it to `instanceof`:
 * when an application loads both the ES module and the CommonJS build of jwt-codec (say, its own `import` and a
 * dependency's `require`), each has its own `JwtError` class and `instanceof` fails across them, while
 * `isJwtError` recognises errors from either copy.
 *
 * @param value - anything caught
 * @returns true when `value` is a JwtError from this or the other module format
 * @throws never
 * @example
 * ```ts
 * import { isJwtError, verify } from 'jwt-codec'
 * try {
 *   verify(token, secret)
 * } catch (err) {
 *   if (isJwtError(err)) console.log(err.code, err.status)
 * }
 * ```
 */
export function isJwtError(value: unknown): value is JwtError {
  // Documented never to throw: a revoked Proxy throws on `instanceof` and on any property read, and an object may
  // have a throwing getter for the brand. Any such value is not one of our errors.
  try {
    if (value instanceof JwtError) return true
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true
  } catch {
    return false
  }
}

/*
 * The factories the library raises its errors through, one per kind of failure, so that every error is made here
 * and each code keeps one meaning. Internal: the package exports the classes and `isJwtError`, not these.
 * Messages name options, claims and parts of a token, never their values.
 */

/** A bad option, secret or payload: the caller's mistake, found when a factory or `sign` runs (500). */
export function invalidOption(message: string): JwtError {
  return new JwtError('ERR_JWT_INVALID_OPTION', message)
}

/** A token that is not a well-formed compact JWS: size, segments, base64url, UTF-8, JSON. */
export function malformed(message: string, cause?: unknown): JwtError {
  return new JwtError('ERR_JWT_MALFORMED', message, cause === undefined ? undefined : { cause })
}

/** A missing, non-string or not-allowed `alg` (RFC 8725 §3.1). */
export function algorithmRefused(message: string): JwtError {
  return new JwtError('ERR_JWT_ALGORITHM', message)
}

/** The MAC does not match. */
export function signatureMismatch(): JwtError {
  return new JwtError('ERR_JWT_SIGNATURE', 'the signature does not match')
}

/** A header the verifier does not accept: `crit`, `typ`, `b64`, `kid`, or no key for it. */
export function headerRefused(message: string): JwtError {
  return new JwtError('ERR_JWT_HEADER', message)
}

/** A registered or required claim that is missing, of the wrong type or value; `claim` names it. */
export function claimRefused(claim: string, message: string): JwtError {
  return new JwtError('ERR_JWT_CLAIM', message, { claim })
}

/** `now >= exp` (RFC 7519 §4.1.4). */
export function expired(expiredAt: Date): JwtError {
  return new JwtError('ERR_JWT_EXPIRED', 'the token has expired', { expiredAt })
}

/** `now < nbf` (RFC 7519 §4.1.5). */
export function notYetValid(date: Date): JwtError {
  return new JwtError('ERR_JWT_NOT_BEFORE', 'the token is not valid yet', { date })
}

/** A request without a token where one is required. */
export function missingToken(): JwtError {
  return new JwtError('ERR_JWT_MISSING', 'the request carries no bearer token')
}

/** A request that does not carry exactly one well-formed token (RFC 6750 `invalid_request`). */
export function ambiguous(message: string, cause?: unknown): JwtError {
  return new JwtError('ERR_JWT_AMBIGUOUS', message, cause === undefined ? undefined : { cause })
}

/** The `isRevoked` hook refused the token. */
export function revoked(): JwtError {
  return new JwtError('ERR_JWT_REVOKED', 'the token has been revoked')
}

/** A body over the `readBody` limit (RFC 9110 §15.5.14). */
export function bodyTooLarge(): JwtError {
  return new JwtError('ERR_JWT_BODY_TOO_LARGE', 'the request body is larger than the limit')
}

/** A body that did not arrive within the `readBody` timeout (RFC 9110 §15.5.9). */
export function bodyTimeout(): JwtError {
  return new JwtError('ERR_JWT_BODY_TIMEOUT', 'the request body did not arrive in time')
}

/** No key of a key set fits the token (its `kid`, its `alg`). */
export function noKeyMatch(message: string): JwtError {
  return new JwtError('ERR_JWKS_NO_MATCH', message)
}

/** Several keys of a set fit a token that has no `kid` to choose between them. */
export function multipleKeyMatches(): JwtError {
  return new JwtError(
    'ERR_JWKS_MULTIPLE_MATCHES',
    'several keys of the set fit the token, and it has no "kid" to choose between them',
  )
}

/** A remote key set or discovery document cannot be had, and no usable cached key is left. */
export function keySetUnavailable(message: string): JwtError {
  return new JwtError('ERR_JWKS_UNAVAILABLE', message)
}
