import { asJwtError } from './lib/contain.js'
import { importKey } from './lib/keys.js'
import { localSetData, SetVerifier } from './lib/keyset.js'
import { type CompiledVerifyOptions, compileVerifyOptions } from './lib/options.js'
import { remoteSetCache } from './lib/remote.js'
import { resolverVerifier, verifyRemote } from './lib/resolve.js'
import { warnShortSecret } from './lib/short-secret.js'
import { buildVerifier, disposeVerifier, memoFor, type Verifier, verifyToken } from './lib/verifier.js'
import type {
  AnyVerifyOptions,
  CompleteResult,
  CompleteVerifyOptions,
  JwtPayload,
  KeyInput,
  KeyResolver,
  KeySet,
  RemoteKeySet,
  VerifyOptions,
} from './types.js'

// Also exported from here, where it was first declared, for the modules that import it from this file.
export type { CompleteVerifyOptions } from './types.js'

/** The options compiled for a key set or resolver, whose keys are read later, token by token. */
function compileOptions(options: AnyVerifyOptions | undefined): CompiledVerifyOptions {
  try {
    return compileVerifyOptions(options)
  } catch (err) {
    throw asJwtError(err, 'the verify options cannot be read')
  }
}

/** What a verifier returns: the claims, or `{ header, payload, signature }` with `complete`. */
type Result<T extends object> = (T & JwtPayload) | CompleteResult<T>

/**
 * The work both forms do before any token: the options compiled, the key read, and a verifier built for it.
 * Whatever a caller's object throws while being read (a Proxy trap, a detached buffer) becomes
 * ERR_JWT_INVALID_OPTION.
 */
function prepare(key: KeyInput, options: AnyVerifyOptions | undefined, once: boolean): Verifier {
  let verifier: Verifier
  try {
    const o = compileVerifyOptions(options)
    verifier = buildVerifier(o, importKey(key, 'verify'), o.algorithms, once)
  } catch (err) {
    throw asJwtError(err, 'the verify options or the key cannot be read')
  }
  if (verifier.o.insecureShortSecret) warnShortSecret()
  return verifier
}

/**
 * Makes a verifying function: options are checked and the key prepared once, so each call does only the
 * per-token work.
 *
 * @param key - an HMAC secret (at least as long as the longest hash among `algorithms`), or a public key (a
 *   private key gives its public half): PEM text or bytes, an X.509 certificate, a KeyObject or a JWK
 * @param options - {@link VerifyOptions}; `algorithms` defaults to `['HS256']`
 * @returns a function that verifies a token and returns its claims (or `{ header, payload, signature }` with
 *   `complete: true`)
 * @throws {JwtError} `ERR_JWT_INVALID_OPTION` here, for bad options or a short (unless `insecureShortSecret`),
 *   empty or PEM/JWK-looking secret.
 *   The returned function throws `ERR_JWT_MALFORMED`, `ERR_JWT_ALGORITHM`, `ERR_JWT_HEADER`,
 *   `ERR_JWT_SIGNATURE`, `ERR_JWT_EXPIRED`, `ERR_JWT_NOT_BEFORE` or `ERR_JWT_CLAIM`
 * @example
 * ```ts
 * import { createVerifier } from 'jwt-codec'
 * const verifyAccess = createVerifier<{ sub: string }>(process.env.JWT_SECRET ?? '', { issuer: 'auth.example.com' })
 * const { sub } = verifyAccess(token)
 * // An identity provider's RS256 or ES256 tokens: its public key as PEM text (or a JWK); the key decides the algorithm.
 * const verifyIdToken = createVerifier(process.env.ISSUER_PUBLIC_KEY_PEM ?? '', { issuer: 'https://login.example.com/' })
 * ```
 */
export function createVerifier<T extends object = JwtPayload>(
  key: RemoteKeySet | KeyResolver,
  options: CompleteVerifyOptions,
): (token: string) => Promise<CompleteResult<T>>
export function createVerifier<T extends object = JwtPayload>(
  key: RemoteKeySet | KeyResolver,
  options?: VerifyOptions,
): (token: string) => Promise<T & JwtPayload>
export function createVerifier<T extends object = JwtPayload>(
  key: RemoteKeySet | KeyResolver,
  options?: AnyVerifyOptions,
): (token: string) => Promise<(T & JwtPayload) | CompleteResult<T>>
export function createVerifier<T extends object = JwtPayload>(
  key: KeyInput | KeySet,
  options: CompleteVerifyOptions,
): (token: string) => CompleteResult<T>
export function createVerifier<T extends object = JwtPayload>(
  key: KeyInput | KeySet,
  options?: VerifyOptions,
): (token: string) => T & JwtPayload
export function createVerifier<T extends object = JwtPayload>(
  key: KeyInput | KeySet,
  options?: AnyVerifyOptions,
): (token: string) => (T & JwtPayload) | CompleteResult<T>
export function createVerifier<T extends object = JwtPayload>(
  key: KeyInput | KeySet | RemoteKeySet | KeyResolver,
  options?: AnyVerifyOptions,
): (token: string) => Result<T> | Promise<Result<T>> {
  const set = localSetData(key)
  const remote = set === undefined ? remoteSetCache(key) : undefined
  if (set !== undefined || remote !== undefined || typeof key === 'function') {
    const o = compileOptions(options)
    if (set !== undefined) {
      const sv = new SetVerifier(o)
      return (token: string) => sv.verify(token, set) as Result<T>
    }
    if (remote !== undefined) {
      const sv = new SetVerifier(o)
      return (token: string) => verifyRemote(token, sv, remote) as Promise<Result<T>>
    }
    const rv = resolverVerifier(o, key as KeyResolver)
    return (token: string) => rv.verify(token) as Promise<Result<T>>
  }
  // For HMAC the RFC 2104 pads of every allowed algorithm are computed here, once, and kept in this closure only.
  const v = prepare(key as KeyInput, options, false)
  const memo = memoFor(v)
  return (token: string) => verifyToken(token, v, memo) as Result<T>
}

/**
 * Verifies a token and returns its claims. Checks, in order: the length limit, three segments, strict base64url,
 * the header JSON, `alg` against the allowlist (default `['HS256']`; `none` is never accepted), `crit` and `typ`,
 * the MAC in constant time, then `exp`, `nbf`, `iat`, `iss`, `aud`, `sub`, `jti`, `requiredClaims` and `maxAge`.
 * For many tokens with the same options, use {@link createVerifier}.
 *
 * @typeParam T - the claims type you expect (not checked at run time beyond the registered claims); the result
 *   is `T & JwtPayload`, so the registered claims (`exp`, `sub`, ...) type-check beside your own
 * @param token - the compact JWT
 * @param key - an HMAC secret or a public key, as for {@link createVerifier}
 * @param options - {@link VerifyOptions}
 * @returns the verified payload (or `{ header, payload, signature }` with `complete: true`)
 * @throws {JwtError} `ERR_JWT_INVALID_OPTION` for bad options or secret; `ERR_JWT_MALFORMED`, `ERR_JWT_ALGORITHM`,
 *   `ERR_JWT_HEADER`, `ERR_JWT_SIGNATURE`, `ERR_JWT_EXPIRED`, `ERR_JWT_NOT_BEFORE`, `ERR_JWT_CLAIM` for a bad token
 * @example
 * ```ts
 * import { verify } from 'jwt-codec'
 * const claims = verify<{ sub: string; name: string }>(token, process.env.JWT_SECRET ?? '', { issuer: 'auth.example.com' })
 * ```
 */
export function verify<T extends object = JwtPayload>(
  token: string,
  key: RemoteKeySet | KeyResolver,
  options: CompleteVerifyOptions,
): Promise<CompleteResult<T>>
export function verify<T extends object = JwtPayload>(
  token: string,
  key: RemoteKeySet | KeyResolver,
  options?: VerifyOptions,
): Promise<T & JwtPayload>
export function verify<T extends object = JwtPayload>(
  token: string,
  key: RemoteKeySet | KeyResolver,
  options?: AnyVerifyOptions,
): Promise<(T & JwtPayload) | CompleteResult<T>>
export function verify<T extends object = JwtPayload>(
  token: string,
  key: KeyInput | KeySet,
  options: CompleteVerifyOptions,
): CompleteResult<T>
export function verify<T extends object = JwtPayload>(
  token: string,
  key: KeyInput | KeySet,
  options?: VerifyOptions,
): T & JwtPayload
export function verify<T extends object = JwtPayload>(
  token: string,
  key: KeyInput | KeySet,
  options?: AnyVerifyOptions,
): (T & JwtPayload) | CompleteResult<T>
export function verify<T extends object = JwtPayload>(
  token: string,
  key: KeyInput | KeySet | RemoteKeySet | KeyResolver,
  options?: AnyVerifyOptions,
): Result<T> | Promise<Result<T>> {
  // Sets and resolvers keep what they learn between tokens: the one-shot form is their verifier called once.
  if (localSetData(key) !== undefined || remoteSetCache(key) !== undefined || typeof key === 'function') {
    return createVerifier<T>(key as KeySet, options)(token)
  }
  // The verifier form called once, then disposed: no cache of secrets or pads between calls (only of public keys,
  // see lib/keys.ts), and the pads are zeroed after the one MAC.
  const v = prepare(key as KeyInput, options, true)
  try {
    return verifyToken(token, v, undefined) as Result<T>
  } finally {
    disposeVerifier(v)
  }
}
