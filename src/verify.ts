import { signatureMismatch } from './errors.js'
import { keyAlgorithms, type SignatureCheck, signatureCheck } from './lib/algorithms.js'
import { validateClaims } from './lib/claims.js'
import { asJwtError } from './lib/contain.js'
import { checkHeader, type HeaderRules, knownHeader, knownHeadersOf } from './lib/header.js'
import { wipe } from './lib/hmac.js'
import { importKey, type SecretKey } from './lib/keys.js'
import { type CompiledVerifyOptions, compileVerifyOptions } from './lib/options.js'
import { checkCanonical, parseObjectRange, splitToken } from './lib/segments.js'
import { warnShortSecret } from './lib/short-secret.js'
import type {
  AnyVerifyOptions,
  CompleteResult,
  CompleteVerifyOptions,
  JwtHeader,
  JwtPayload,
  KeyInput,
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
  /** Index of the algorithm in the allowlist. */
  index: number
}

/** What a verifier holds: its options, its header rules and one signature check per allowed algorithm. */
interface Verifier {
  readonly o: CompiledVerifyOptions
  readonly rules: HeaderRules
  /** In the order of `rules.algorithms`. */
  readonly checks: readonly SignatureCheck[]
  /** The secret's bytes when the verifier is used once (the one-shot form), zeroed after the call. */
  readonly secret: Uint8Array | undefined
}

/**
 * The per-token work, in the order RFC 8725 §3 asks for: size, structure, header and algorithm (from our own
 * allowlist, never from the token alone), the MAC, and only then the payload and its claims.
 * Segments are read in place (no slices): the MAC input is written from the token into a scratch buffer, and the
 * signature is compared with the computed MAC as text, in constant time.
 */
function verifyToken(
  token: string,
  v: Verifier,
  memo: HeaderMemo | undefined,
): Record<string, unknown> | CompleteResult<Record<string, unknown>> {
  const { o, rules } = v
  const { d1, d2 } = splitToken(token, o.maxTokenLength)
  let header: Record<string, unknown> | undefined
  let index: number
  const known = memo?.segment
  if (known !== undefined && d1 === known.length && token.startsWith(known)) {
    index = (memo as HeaderMemo).index
  } else {
    // A header in the exact text our signers write: the checks run on its known parse (no decoding). Not with
    // `complete`, which hands the header object to the caller.
    const defaultHeader = o.complete ? undefined : knownHeader(token, d1, rules.known)
    if (defaultHeader !== undefined) {
      index = checkHeader(defaultHeader, rules)
    } else {
      header = parseObjectRange(token, 0, d1, 'header')
      index = checkHeader(header, rules)
    }
    // Reached only when every header check passed.
    if (memo !== undefined) {
      memo.segment = token.slice(0, d1)
      memo.index = index
    }
  }
  if (!(v.checks[index] as SignatureCheck).check(token, d2)) {
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
 * The work both forms do before any token: the options compiled, the key read and checked against every allowed
 * algorithm (or given its own algorithms), and one signature check made per algorithm. Whatever a caller's object
 * throws while being read (a Proxy trap, a detached buffer) becomes ERR_JWT_INVALID_OPTION.
 */
function prepare(key: KeyInput, options: AnyVerifyOptions | undefined, once: boolean): Verifier {
  let o: CompiledVerifyOptions
  let verifier: Verifier
  try {
    o = compileVerifyOptions(options)
    const imported = importKey(key, 'verify')
    let kept = false
    try {
      const algorithms = keyAlgorithms(imported, o.algorithms, 'verify', o.insecureShortSecret)
      const checks: SignatureCheck[] = []
      for (const alg of algorithms) checks.push(signatureCheck(alg, imported, once))
      // Used once, a secret's bytes key the MAC directly and are zeroed by disposeVerifier, after the one call.
      kept = once && imported.kind === 'secret'
      verifier = {
        o,
        rules: { algorithms, known: knownHeadersOf(algorithms), crit: o.crit, typ: o.typ },
        checks,
        secret: kept ? (imported as SecretKey).bytes : undefined,
      }
    } finally {
      // A secret's bytes are ours (importKey copies); a verifier keeps only the pads made from them.
      if (imported.kind === 'secret' && !kept) wipe(imported.bytes)
    }
  } catch (err) {
    throw asJwtError(err, 'the verify options or the key cannot be read')
  }
  if (o.insecureShortSecret) warnShortSecret()
  return verifier
}

/** Zeroes what a verifier holds: the HMAC pads, or the secret's bytes when it was made for one call. */
function disposeVerifier(v: Verifier): void {
  for (const c of v.checks) c.dispose()
  if (v.secret !== undefined) wipe(v.secret)
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
  key: KeyInput,
  options: CompleteVerifyOptions,
): (token: string) => CompleteResult<T>
export function createVerifier<T extends object = JwtPayload>(
  key: KeyInput,
  options?: VerifyOptions,
): (token: string) => T & JwtPayload
export function createVerifier<T extends object = JwtPayload>(
  key: KeyInput,
  options?: AnyVerifyOptions,
): (token: string) => (T & JwtPayload) | CompleteResult<T>
export function createVerifier<T extends object = JwtPayload>(
  key: KeyInput,
  options?: AnyVerifyOptions,
): (token: string) => (T & JwtPayload) | CompleteResult<T> {
  // For HMAC the RFC 2104 pads of every allowed algorithm are computed here, once, and kept in this closure only.
  const v = prepare(key, options, false)
  const memo: HeaderMemo | undefined = v.o.complete ? undefined : { segment: undefined, index: 0 }
  return (token: string) => verifyToken(token, v, memo) as (T & JwtPayload) | CompleteResult<T>
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
  key: KeyInput,
  options: CompleteVerifyOptions,
): CompleteResult<T>
export function verify<T extends object = JwtPayload>(
  token: string,
  key: KeyInput,
  options?: VerifyOptions,
): T & JwtPayload
export function verify<T extends object = JwtPayload>(
  token: string,
  key: KeyInput,
  options?: AnyVerifyOptions,
): (T & JwtPayload) | CompleteResult<T>
export function verify<T extends object = JwtPayload>(
  token: string,
  key: KeyInput,
  options?: AnyVerifyOptions,
): (T & JwtPayload) | CompleteResult<T> {
  // The verifier form called once, then disposed: no cache of secrets or pads between calls (only of public keys,
  // see lib/keys.ts), and the pads are zeroed after the one MAC.
  const v = prepare(key, options, true)
  try {
    return verifyToken(token, v, undefined) as (T & JwtPayload) | CompleteResult<T>
  } finally {
    disposeVerifier(v)
  }
}
