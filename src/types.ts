/** Public types of jwt-codec. This file holds types only. */
import type { KeyObject } from 'node:crypto'

/** The HMAC algorithms jwt-codec supports (RFC 7518 §3.2). */
export type Algorithm = 'HS256' | 'HS384' | 'HS512'

/**
 * An HMAC secret: a string (its UTF-8 bytes), raw bytes, or a `KeyObject` of type `'secret'`.
 * It must be at least as long as the hash output: 32 bytes for HS256, 48 for HS384, 64 for HS512 (RFC 7518 §3.2).
 */
export type Secret = string | Uint8Array | KeyObject

/** A duration: a number of seconds, or a string with a unit such as `'30s'`, `'15m'`, `'24h'`, `'7d'`. */
export type Duration = number | string

/** The JOSE header of a token (RFC 7515 §4). Unknown parameters are kept. */
export interface JwtHeader {
  alg: string
  typ?: string
  kid?: string
  cty?: string
  crit?: string[]
  [parameter: string]: unknown
}

/** The registered claims of RFC 7519 §4.1, plus anything else the token carries. */
export interface JwtPayload {
  iss?: string
  sub?: string
  aud?: string | string[]
  exp?: number
  nbf?: number
  iat?: number
  jti?: string
  [claim: string]: unknown
}

/** What `verify(..., { complete: true })` and `decodeUnverified` return. */
export interface CompleteResult<T extends object = JwtPayload> {
  header: JwtHeader
  payload: T
  /** The signature segment, as it appears in the token (base64url). */
  signature: string
}

/** Options of `sign` and `createSigner`. Unknown option names are refused. */
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

/** Options of `verify` and `createVerifier`. Unknown option names are refused. */
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
  /** Return `{ header, payload, signature }` instead of the payload. */
  complete?: boolean
  /** Tokens longer than this many characters are refused before any work. Default 8192. */
  maxTokenLength?: number
  /** Header parameter names this caller understands when they appear in `crit` (RFC 7515 §4.1.11). */
  crit?: string[]
}

/** Options of `decodeUnverified`. */
export interface DecodeOptions {
  /** Tokens longer than this many characters are refused. Default 8192. */
  maxTokenLength?: number
}
