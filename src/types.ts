/** Public types of jwt-codec. This file holds types only. */
import type { KeyObject, JsonWebKey as NodeJsonWebKey } from 'node:crypto'

/**
 * The JWS algorithms jwt-codec supports: HMAC (RFC 7518 §3.2), RSASSA-PKCS1-v1_5 (§3.3), ECDSA (§3.4),
 * RSASSA-PSS (§3.5), EdDSA (RFC 8037) and the fully-specified `Ed25519` (RFC 9864). `none` is never one of them.
 *
 * @example
 * ```ts
 * import type { Algorithm } from 'jwt-codec'
 * const allowed: Algorithm[] = ['RS256', 'ES256']
 * ```
 */
export type Algorithm =
  | 'HS256'
  | 'HS384'
  | 'HS512'
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA'
  | 'Ed25519'

/**
 * A JSON Web Key (RFC 7517 §4; members of RFC 7518 §6 and RFC 8037 §2): `oct` (an HMAC secret in `k`), `RSA`,
 * `EC` or `OKP`. Private members (`d`, `p`, `q`, `dp`, `dq`, `qi`, `k`) make it a private key.
 *
 * @example
 * ```ts
 * import type { JsonWebKey } from 'jwt-codec'
 * const jwk: JsonWebKey = { kty: 'EC', crv: 'P-256', x: '...', y: '...', kid: 'k1', alg: 'ES256', use: 'sig' }
 * ```
 */
export interface JsonWebKey {
  /** Key type: `oct`, `RSA`, `EC` or `OKP`. */
  kty: string
  /** Key id, matched against a token's `kid`. */
  kid?: string
  /** Public key use; only `sig` keys sign or verify. */
  use?: string
  /** Operations the key may be used for; signing needs `sign`, verifying `verify`. */
  key_ops?: string[]
  /** The one algorithm the key may be used with. */
  alg?: string
  /** Curve of an `EC` or `OKP` key. */
  crv?: string
  /** EC and OKP: the public point's x coordinate (or the public key), base64url. */
  x?: string
  /** EC: the public point's y coordinate, base64url. */
  y?: string
  /** RSA: the modulus, base64url. */
  n?: string
  /** RSA: the public exponent, base64url. */
  e?: string
  /** Private: the RSA private exponent, or the EC or OKP private key. */
  d?: string
  /** Private (RSA): the first prime factor. */
  p?: string
  /** Private (RSA): the second prime factor. */
  q?: string
  /** Private (RSA): the first factor's CRT exponent. */
  dp?: string
  /** Private (RSA): the second factor's CRT exponent. */
  dq?: string
  /** Private (RSA): the first CRT coefficient. */
  qi?: string
  /** Private (`oct`): the secret itself, base64url. */
  k?: string
  [member: string]: unknown
}

/**
 * A key for signing or verifying. What it is comes from its type, never from a token: a `KeyObject` by its own
 * type; a {@link JsonWebKey} by `kty`; a string or bytes holding a PEM block (SPKI, PKCS#8, PKCS#1, SEC1, or an
 * X.509 certificate for verifying) is that key; any other string or bytes is an HMAC {@link Secret}. node:crypto's own
 * `JsonWebKey` type (what `keyObject.export({ format: 'jwk' })` returns) is accepted as well.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs'
 * import type { KeyInput } from 'jwt-codec'
 * const publicKey: KeyInput = readFileSync('issuer.pub', 'utf8')
 * ```
 */
export type KeyInput = Secret | JsonWebKey | NodeJsonWebKey

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
  /**
   * The algorithm; by default the key's own: HS256 for a secret, RS256 for RSA, PS256 for an RSA-PSS key, ES256/384/512
   * by curve, EdDSA for Ed25519 and Ed448, or a JWK's `alg`.
   */
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
  /**
   * The allowlist of algorithms; by default the key's own (`['HS256']` for a secret, `['RS256']` for RSA,
   * `['ES256']` for P-256, `['EdDSA', 'Ed25519']` for Ed25519, a JWK's `alg`). Every algorithm must fit the key.
   * `none` is never accepted.
   */
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

/** Brands that only objects made by jwt-codec carry (a look-alike object is not a key set). */
declare const keySetBrand: unique symbol
declare const remoteKeySetBrand: unique symbol

/**
 * A local JWK Set (RFC 7517 §5), made by `createKeySet`: `verify` and `createVerifier` choose the key for each token
 * by its `kid` and `alg`, synchronously.
 *
 * @example
 * ```ts
 * import { createKeySet, createVerifier, type KeySet } from 'jwt-codec'
 * const keys: KeySet = createKeySet({ keys: [] })
 * const verifyToken = createVerifier(keys, { issuer: 'https://login.example.com/' })
 * ```
 */
export interface KeySet {
  /** Only sets made by `createKeySet` are key sets; this brand keeps look-alike types apart. */
  readonly [keySetBrand]: true
  /** How many of the set's keys jwt-codec can use (the others were skipped). */
  readonly size: number
}

/**
 * A JWK Set fetched from a URL and cached, made by `createRemoteKeySet` or `discoverKeySet`. `verify` and
 * `createVerifier` with one return Promises; a verify whose key is cached never waits on the network.
 *
 * @example
 * ```ts
 * import { createRemoteKeySet, type RemoteKeySet } from 'jwt-codec'
 * const keys: RemoteKeySet = createRemoteKeySet('https://login.example.com/.well-known/jwks.json')
 * await keys.refresh()
 * ```
 */
export interface RemoteKeySet {
  /** Only sets made by `createRemoteKeySet` or `discoverKeySet` are remote sets; this brand keeps look-alikes apart. */
  readonly [remoteKeySetBrand]: true
  /** Where the keys are fetched from (for a discovered set, once the discovery document has been read). */
  readonly url: string
  /**
   * Fetches the set now, or joins the fetch in flight.
   * @throws {JwtError} `ERR_JWKS_UNAVAILABLE` (as a rejection) when it cannot be had
   */
  refresh(): Promise<void>
}

/**
 * Options of `createRemoteKeySet` and `discoverKeySet`.
 *
 * @example
 * ```ts
 * import type { RemoteKeySetOptions } from 'jwt-codec'
 * const options: RemoteKeySetOptions = { cacheMaxAge: '10m', cooldown: '30s', timeout: '5s', staleIfError: '1h' }
 * ```
 */
export interface RemoteKeySetOptions {
  /** How long fetched keys are fresh; within it a verify never waits on the network. Default `'10m'`. */
  cacheMaxAge?: Duration
  /** The least time between two fetches caused by unknown `kid`s (and between retries of a failing endpoint). Default `'30s'`. */
  cooldown?: Duration
  /** How long one fetch may take, the body included. Default `'5s'`. */
  timeout?: Duration
  /** How long past `cacheMaxAge` cached keys still serve while the endpoint fails. Default `'1h'`. */
  staleIfError?: Duration
  /** The largest response read, in bytes; reading stops there. Default 1 MiB. */
  maxBytes?: number
  /** Extra request headers (an API key for a private endpoint, a `user-agent`). */
  headers?: Record<string, string>
  /** A `fetch`-compatible function; default the global `fetch`. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>
}

/**
 * What a key resolver is given: the **unverified** header and payload of the token, to choose a key by `kid` or
 * `iss`. Trust nothing else in them.
 *
 * @example
 * ```ts
 * import type { KeyResolverInput } from 'jwt-codec'
 * const kidOf = ({ header }: KeyResolverInput) => header.kid
 * ```
 */
export interface KeyResolverInput {
  /** The unverified header: use `kid` to choose a key. */
  header: JwtHeader
  /** The unverified payload: use `iss` to choose an issuer's keys. */
  payload: JwtPayload
}

/**
 * Chooses the key for one token: a key, a {@link KeySet} or a {@link RemoteKeySet}, or anything else (`undefined`,
 * `null`) for "no key" (`ERR_JWT_HEADER`). `verify` and `createVerifier` with a resolver return Promises.
 *
 * @example
 * ```ts
 * import { createRemoteKeySet, type KeyResolver } from 'jwt-codec'
 * const issuers = new Map([['https://a.example.com/', createRemoteKeySet('https://a.example.com/jwks.json')]])
 * const resolver: KeyResolver = ({ payload }) => (payload.iss === undefined ? undefined : issuers.get(payload.iss))
 * ```
 */
export type KeyResolver = (
  input: KeyResolverInput,
) => KeyInput | KeySet | RemoteKeySet | null | undefined | Promise<KeyInput | KeySet | RemoteKeySet | null | undefined>
