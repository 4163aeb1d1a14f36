import { signatureMismatch } from './errors.js'
import { validateClaims } from './lib/claims.js'
import { asJwtError } from './lib/contain.js'
import { checkHeader, knownHeader } from './lib/header.js'
import { constantTimeEqualAt, type MacKey, macKey, macOf, macWithKey, prepareKey, wipe } from './lib/hmac.js'
import { type CompiledVerifyOptions, compileVerifyOptions } from './lib/options.js'
import { checkCanonical, parseObjectRange, splitToken } from './lib/segments.js'
import { warnShortSecret } from './lib/short-secret.js'
import type {
  Algorithm,
  AnyVerifyOptions,
  CompleteResult,
  CompleteVerifyOptions,
  JwtHeader,
  JwtPayload,
  Secret,
  VerifyOptions,
} from './types.js'

// Also exported from here, where it was first declared, for the modules that import it from this file.
export type { CompleteVerifyOptions } from './types.js'

/**
 * The last header segment that passed every header check, and the algorithm it named. Owned by one verifier.
 * The header checks are a pure function of the segment text and the verifier's own rules, so a token whose
 * header segment is the same text needs no second parse; any other text is parsed and checked in full.
 */
interface HeaderMemo {
  segment: string | undefined
  alg: Algorithm
}

/**
 * The per-token work, in the order RFC 8725 §3 asks for: size, structure, header and algorithm (from our own
 * allowlist, never from the token alone), the MAC, and only then the payload and its claims.
 * Segments are read in place (no slices): the MAC input is written from the token into a scratch buffer, and the
 * signature is compared with the computed MAC as text, in constant time.
 */
function verifyToken(
  token: string,
  o: CompiledVerifyOptions,
  keys: Partial<Record<Algorithm, MacKey>> | Uint8Array,
  memo: HeaderMemo | undefined,
): Record<string, unknown> | CompleteResult<Record<string, unknown>> {
  const { d1, d2 } = splitToken(token, o.maxTokenLength)
  let header: Record<string, unknown> | undefined
  let alg: Algorithm
  const known = memo?.segment
  if (known !== undefined && d1 === known.length && token.startsWith(known)) {
    alg = (memo as HeaderMemo).alg
  } else {
    // A header in the exact text our signers write: the checks run on its known parse (no decoding). Not with
    // `complete`, which hands the header object to the caller.
    const defaultHeader = o.complete ? undefined : knownHeader(token, d1)
    if (defaultHeader !== undefined) {
      alg = checkHeader(defaultHeader, o.header)
    } else {
      header = parseObjectRange(token, 0, d1, 'header')
      alg = checkHeader(header, o.header)
    }
    // Reached only when every header check passed.
    if (memo !== undefined) {
      memo.segment = token.slice(0, d1)
      memo.alg = alg
    }
  }
  // A verifier passes its precomputed pads; the one-shot form passes the secret's bytes, used for this call only.
  const expected = keys instanceof Uint8Array ? macWithKey(alg, keys, token, d2) : macOf(keys[alg] as MacKey, token, d2)
  if (!constantTimeEqualAt(expected, token, d2 + 1)) {
    // Only on the failure path: a segment that is not canonical base64url is MALFORMED (as decodeUnverified says
    // for the same token), not a mere mismatch. Checking the payload's spelling reads nothing it says.
    checkCanonical(token.slice(d1 + 1, d2))
    checkCanonical(token.slice(d2 + 1))
    throw signatureMismatch()
  }
  const payload = parseObjectRange(token, d1 + 1, d2, 'payload')
  validateClaims(payload, o.claims, o.now ?? Math.floor(Date.now() / 1000))
  if (!o.complete) return payload
  // With `complete` no memo is passed, so the header was parsed above.
  return { header: (header ?? {}) as JwtHeader, payload, signature: token.slice(d2 + 1) }
}

/**
 * The work both forms do before any token: the options compiled and the secret checked and copied. Whatever a
 * caller's object throws while being read (a Proxy trap, a detached buffer) becomes ERR_JWT_INVALID_OPTION.
 */
function prepare(secret: Secret, options: AnyVerifyOptions | undefined): { o: CompiledVerifyOptions; key: Buffer } {
  let o: CompiledVerifyOptions
  let key: Buffer
  try {
    o = compileVerifyOptions(options)
    key = prepareKey(secret, o.header.algorithms, o.insecureShortSecret)
  } catch (err) {
    throw asJwtError(err, 'the verify options or the secret cannot be read')
  }
  if (o.insecureShortSecret) warnShortSecret()
  return { o, key }
}

/**
 * Makes a verifying function: options are checked and the key prepared once, so each call does only the
 * per-token work.
 *
 * @param secret - the HMAC secret; at least as long as the longest hash among `algorithms`
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
 * ```
 */
export function createVerifier<T extends object = JwtPayload>(
  secret: Secret,
  options: CompleteVerifyOptions,
): (token: string) => CompleteResult<T>
export function createVerifier<T extends object = JwtPayload>(
  secret: Secret,
  options?: VerifyOptions,
): (token: string) => T & JwtPayload
export function createVerifier<T extends object = JwtPayload>(
  secret: Secret,
  options?: AnyVerifyOptions,
): (token: string) => (T & JwtPayload) | CompleteResult<T>
export function createVerifier<T extends object = JwtPayload>(
  secret: Secret,
  options?: AnyVerifyOptions,
): (token: string) => (T & JwtPayload) | CompleteResult<T> {
  const { o, key } = prepare(secret, options)
  // The RFC 2104 pads for every allowed algorithm are computed here, once, and kept in this closure only.
  const keys: Partial<Record<Algorithm, MacKey>> = {}
  for (const alg of o.header.algorithms) keys[alg] = macKey(alg, key)
  wipe(key)
  const memo: HeaderMemo | undefined = o.complete ? undefined : { segment: undefined, alg: 'HS256' }
  return (token: string) => verifyToken(token, o, keys, memo) as (T & JwtPayload) | CompleteResult<T>
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
 * @param secret - the HMAC secret
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
  secret: Secret,
  options: CompleteVerifyOptions,
): CompleteResult<T>
export function verify<T extends object = JwtPayload>(
  token: string,
  secret: Secret,
  options?: VerifyOptions,
): T & JwtPayload
export function verify<T extends object = JwtPayload>(
  token: string,
  secret: Secret,
  options?: AnyVerifyOptions,
): (T & JwtPayload) | CompleteResult<T>
export function verify<T extends object = JwtPayload>(
  token: string,
  secret: Secret,
  options?: AnyVerifyOptions,
): (T & JwtPayload) | CompleteResult<T> {
  // No cache of secrets or pads between calls: the pads for the one algorithm the header names are built for this
  // call (two 64- or 128-byte loops) and zeroed after the MAC, like the secret's bytes.
  const { o, key } = prepare(secret, options)
  try {
    return verifyToken(token, o, key, undefined) as (T & JwtPayload) | CompleteResult<T>
  } finally {
    // The secret's bytes are ours (prepareKey copies): nothing key-like outlives the call.
    wipe(key)
  }
}
