/** Public types of jwt-codec. This file holds types only. */
import type { KeyObject } from 'node:crypto'

/**
 * The HMAC algorithms jwt-codec supports (RFC 7518 §3.2).
 *
 * @example
 * ```ts
 * import type { Algorithm } from 'jwt-codec'
 * const allowed: Algorithm[] = ['HS256', 'HS512']
 * ```
 */
export type Algorithm = 'HS256' | 'HS384' | 'HS512'

/**
 * An HMAC secret: a string (its UTF-8 bytes), raw bytes, or a `KeyObject` of type `'secret'`.
 * It must be at least as long as the hash output: 32 bytes for HS256, 48 for HS384, 64 for HS512 (RFC 7518 §3.2).
 *
 * @example
 * ```ts
 * import { createSecretKey, randomBytes } from 'node:crypto'
 * import type { Secret } from 'jwt-codec'
 * const fromEnv: Secret = process.env.JWT_SECRET ?? ''
 * const fromBytes: Secret = randomBytes(64)
 * const fromKeyObject: Secret = createSecretKey(randomBytes(32))
 * ```
 */
export type Secret = string | Uint8Array | KeyObject

/**
 * A duration: a number of seconds, or a string with a unit such as `'30s'`, `'15m'`, `'24h'`, `'7d'`.
 *
 * @example
 * ```ts
 * import type { Duration } from 'jwt-codec'
 * const lifetimes: Duration[] = [900, '15m', '1.5h', '7 days']
 * ```
 */
export type Duration = number | string

/**
 * The JOSE header of a token (RFC 7515 §4). Unknown parameters are kept.
 *
 * @example
 * ```ts
 * import { decodeUnverified, type JwtHeader } from 'jwt-codec'
 * const header: JwtHeader = decodeUnverified(token).header
 * if (header.kid !== undefined) console.log('signed with key', header.kid)
 * ```
 */
export interface JwtHeader {
  /** The algorithm the token claims to use; only honoured when it is on the verifier's allowlist. */
  alg: string
  /** The media type of the whole token, usually `'JWT'` (RFC 7515 §4.1.9). */
  typ?: string
  /** The id of the key that signed the token, for choosing among several secrets. */
  kid?: string
  /** The media type of the payload (RFC 7515 §4.1.10). */
  cty?: string
  /** Header extensions the verifier must understand (RFC 7515 §4.1.11). */
  crit?: string[]
  [parameter: string]: unknown
}

/**
 * The registered claims of RFC 7519 §4.1, plus anything else the token carries.
 *
 * @example
 * ```ts
 * import { verify, type JwtPayload } from 'jwt-codec'
 * const claims: JwtPayload = verify(token, secret)
 * console.log(claims.sub, claims.exp)
 * ```
 */
export interface JwtPayload {
  /** Issuer: who made the token. */
  iss?: string
  /** Subject: whom the token is about, usually a user id. */
  sub?: string
  /** Audience: who the token is meant for. */
  aud?: string | string[]
  /** Expiration time, in seconds since the epoch; the token is refused from this instant on. */
  exp?: number
  /** Not before, in seconds since the epoch; the token is refused until this instant. */
  nbf?: number
  /** Issued at, in seconds since the epoch. */
  iat?: number
  /** JWT id: a unique id for the token, for denylists and replay checks. */
  jti?: string
  [claim: string]: unknown
}

/**
 * What `verify(..., { complete: true })` and `decodeUnverified` return. The payload is the caller's claims type
 * together with the registered claims, as `verify` returns it.
 *
 * @example
 * ```ts
 * import { verify, type CompleteResult } from 'jwt-codec'
 * const { header, payload }: CompleteResult<{ role: string }> = verify(token, secret, { complete: true })
 * console.log(header.kid, payload.role, payload.exp)
 * ```
 */
export interface CompleteResult<T extends object = JwtPayload> {
  /** The JOSE header. */
  header: JwtHeader
  /** The claims: `T` and the registered claims of {@link JwtPayload}. */
  payload: T & JwtPayload
  /** The signature segment, as it appears in the token (base64url). */
  signature: string
}

/**
 * Options of `sign` and `createSigner`. Unknown option names are refused.
 *
 * @example
 * ```ts
 * import { sign, type SignOptions } from 'jwt-codec'
 * const options: SignOptions = { algorithm: 'HS256', expiresIn: '15m', issuer: 'auth.example.com', keyId: 'k1' }
 * const token = sign({ sub: '42' }, secret, options)
 * ```
 */
export interface SignOptions {
  /** The algorithm; default `'HS256'`. */
  algorithm?: Algorithm
  /** Sets `exp` to now + this duration. Refused if the payload already has `exp`. */
  expiresIn?: Duration
  /** Sets `nbf` to now + this duration. Refused if the payload already has `nbf`. */
  notBefore?: Duration
  /** Sets `iss`. */
  issuer?: string
  /** Sets `sub`. */
  subject?: string
  /** Sets `aud`. */
  audience?: string | string[]
  /** Sets `jti`. */
  jwtId?: string
  /** Sets the `kid` header parameter. */
  keyId?: string
  /** Extra header parameters (`alg` cannot be changed here; use `algorithm`). */
  header?: Record<string, unknown>
  /** Do not add `iat`. */
  noTimestamp?: boolean
  /** The current time in seconds since the epoch, for tests and replays; default: the clock. */
  now?: number
}

/**
 * Options of `verify` and `createVerifier` that return the claims. Unknown option names are refused. A variable
 * of this type gives the claims, never the union with {@link CompleteResult}: for `{ header, payload, signature }`
 * use {@link CompleteVerifyOptions} (or a literal `complete: true`).
 *
 * @example
 * ```ts
 * import { verify, type VerifyOptions } from 'jwt-codec'
 * const options: VerifyOptions = { algorithms: ['HS256'], issuer: 'auth.example.com', clockTolerance: '30s' }
 * const claims = verify<{ role: string }>(token, secret, options)
 * console.log(claims.role, claims.sub)
 * ```
 */
export interface VerifyOptions {
  /** The allowlist of algorithms; default `['HS256']`. `none` is never accepted. */
  algorithms?: Algorithm[]
  /** Required issuer(s): the token's `iss` must equal one of them. */
  issuer?: string | string[]
  /** Required audience(s): one of the token's `aud` values must match one of these. */
  audience?: string | RegExp | Array<string | RegExp>
  /** Required subject. */
  subject?: string
  /** Required token id. */
  jwtId?: string
  /** Required `typ` header, compared case-insensitively with any `application/` prefix ignored. */
  typ?: string
  /** Claims that must be present. */
  requiredClaims?: string[]
  /** Leeway for `exp`, `nbf`, `iat` and `maxAge`: seconds or a duration string. Default 0. */
  clockTolerance?: Duration
  /** The oldest acceptable `iat`, as a duration; makes `iat` required. */
  maxAge?: Duration
  /** The current time in seconds since the epoch; default: the clock. */
  now?: number
  /** `false` or absent: return the payload. (`true` is {@link CompleteVerifyOptions}.) */
  complete?: false
  /** Tokens longer than this many characters are refused before any work. Default 8192. */
  maxTokenLength?: number
  /** Header parameter names this caller understands when they appear in `crit` (RFC 7515 §4.1.11). */
  crit?: string[]
  /**
   * Verify only, for a migration: accept a secret shorter than RFC 7518 §3.2 asks (32/48/64 bytes), so tokens
   * signed with an old weak secret keep verifying until they expire. Only the boolean `true` turns it on; empty
   * and key-like (PEM, JWK, ...) secrets stay refused, `sign` and `createSigner` refuse the option, and the
   * first verifier made with it emits a `process` warning with the code `'JWT_CODEC_SHORT_SECRET'`.
   */
  insecureShortSecret?: boolean
}

/**
 * Verify options that make the result `{ header, payload, signature }` ({@link CompleteResult}).
 *
 * @example
 * ```ts
 * import { verify, type CompleteVerifyOptions } from 'jwt-codec'
 * const options: CompleteVerifyOptions = { complete: true, algorithms: ['HS256'] }
 * const { header, payload } = verify(token, secret, options)
 * ```
 */
export interface CompleteVerifyOptions extends Omit<VerifyOptions, 'complete'> {
  /** Return `{ header, payload, signature }` instead of the payload. */
  complete: true
}

/**
 * Verify options whose `complete` is only known at run time (a `boolean`): the result is then either the claims
 * or a {@link CompleteResult}, told apart by that same flag.
 *
 * @example
 * ```ts
 * import { verify, type AnyVerifyOptions, type CompleteResult, type JwtPayload } from 'jwt-codec'
 * const options: AnyVerifyOptions = { complete: process.env.DEBUG === '1' }
 * const result: JwtPayload | CompleteResult = verify(token, secret, options)
 * ```
 */
export interface AnyVerifyOptions extends Omit<VerifyOptions, 'complete'> {
  /** `true` returns `{ header, payload, signature }`, anything else the payload. */
  complete?: boolean
}

/**
 * Options of `decodeUnverified`.
 *
 * @example
 * ```ts
 * import { decodeUnverified, type DecodeOptions } from 'jwt-codec'
 * const options: DecodeOptions = { maxTokenLength: 4096 }
 * const { header } = decodeUnverified(token, options)
 * ```
 */
export interface DecodeOptions {
  /** Tokens longer than this many characters are refused. Default 8192. */
  maxTokenLength?: number
}
