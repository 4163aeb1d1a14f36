import { JwtError } from './errors.js'
import { decode } from './lib/base64url.js'
import { type ClaimRules, validateClaims } from './lib/claims.js'
import { checkHeader, type HeaderRules } from './lib/header.js'
import { constantTimeEqual, mac, prepareKey } from './lib/hmac.js'
import { compileVerifyOptions } from './lib/options.js'
import { parseObjectSegment, splitToken } from './lib/segments.js'
import type { CompleteResult, JwtHeader, JwtPayload, Secret, VerifyOptions } from './types.js'

/**
 * Verify options that make the result `{ header, payload, signature }`.
 *
 * @example
 * ```ts
 * import { verify, type CompleteVerifyOptions } from 'jwt-codec'
 * const options: CompleteVerifyOptions = { complete: true, algorithms: ['HS256'] }
 * const { header, payload } = verify(token, secret, options)
 * ```
 */
export type CompleteVerifyOptions = VerifyOptions & { complete: true }

/**
 * The per-token work, in the order RFC 8725 §3 asks for: size, structure, header and algorithm (from our own
 * allowlist, never from the token alone), the MAC, and only then the payload and its claims.
 */
function verifyToken(
  token: string,
  key: Buffer,
  header: HeaderRules,
  claims: ClaimRules,
  maxTokenLength: number,
  fixedNow: number | undefined,
): CompleteResult<Record<string, unknown>> {
  const { d1, d2 } = splitToken(token, maxTokenLength)
  const h = parseObjectSegment(token.slice(0, d1), 'header')
  const alg = checkHeader(h, header)
  const signature = token.slice(d2 + 1)
  if (!constantTimeEqual(mac(alg, key, token.slice(0, d2)), signature)) {
    // Only on the failure path: a segment that is not canonical base64url is MALFORMED (as decodeUnverified says
    // for the same token), not a mere mismatch. Checking the payload's spelling reads nothing it says.
    decode(token.slice(d1 + 1, d2))
    decode(signature)
    throw new JwtError('ERR_JWT_SIGNATURE', 'the signature does not match')
  }
  const payload = parseObjectSegment(token.slice(d1 + 1, d2), 'payload')
  validateClaims(payload, claims, fixedNow ?? Math.floor(Date.now() / 1000))
  return { header: h as JwtHeader, payload, signature }
}

/**
 * Makes a verifying function: options are checked and the key prepared once, so each call does only the
 * per-token work.
 *
 * @param secret - the HMAC secret; at least as long as the longest hash among `algorithms`
 * @param options - {@link VerifyOptions}; `algorithms` defaults to `['HS256']`
 * @returns a function that verifies a token and returns its claims (or `{ header, payload, signature }` with
 *   `complete: true`)
 * @throws {JwtError} `ERR_JWT_INVALID_OPTION` here, for bad options or a short, empty or PEM/JWK-looking secret.
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
  options?: VerifyOptions & { complete?: false },
): (token: string) => T
export function createVerifier<T extends object = JwtPayload>(
  secret: Secret,
  options?: VerifyOptions,
): (token: string) => T | CompleteResult<T>
export function createVerifier<T extends object = JwtPayload>(
  secret: Secret,
  options?: VerifyOptions,
): (token: string) => T | CompleteResult<T> {
  const o = compileVerifyOptions(options)
  const key = prepareKey(secret, o.header.algorithms)
  const { header, claims, maxTokenLength, now } = o
  if (o.complete) {
    return (token: string) =>
      verifyToken(token, key, header, claims, maxTokenLength, now) as unknown as CompleteResult<T>
  }
  return (token: string) => verifyToken(token, key, header, claims, maxTokenLength, now).payload as T
}

/**
 * Verifies a token and returns its claims. Checks, in order: the length limit, three segments, strict base64url,
 * the header JSON, `alg` against the allowlist (default `['HS256']`; `none` is never accepted), `crit` and `typ`,
 * the MAC in constant time, then `exp`, `nbf`, `iat`, `iss`, `aud`, `sub`, `jti`, `requiredClaims` and `maxAge`.
 * For many tokens with the same options, use {@link createVerifier}.
 *
 * @typeParam T - the claims type you expect (not checked at run time beyond the registered claims)
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
  options?: VerifyOptions & { complete?: false },
): T
export function verify<T extends object = JwtPayload>(
  token: string,
  secret: Secret,
  options?: VerifyOptions,
): T | CompleteResult<T>
export function verify<T extends object = JwtPayload>(
  token: string,
  secret: Secret,
  options?: VerifyOptions,
): T | CompleteResult<T> {
  return createVerifier<T>(secret, options)(token)
}
