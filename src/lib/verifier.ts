/**
 * A verifier: the compiled options, the header rules and one signature check per allowed algorithm for one key,
 * and the per-token work. `createVerifier`, the one-shot `verify` and the key sets all build theirs here.
 */
import { signatureMismatch } from '../errors.js'
import type { Algorithm, CompleteResult, JwtHeader } from '../types.js'
import { keyAlgorithms, type SignatureCheck, signatureCheck } from './algorithms.js'
import { validateClaims } from './claims.js'
import { checkHeader, type HeaderRules, knownHeader, knownHeadersOf } from './header.js'
import { wipe } from './hmac.js'
import type { ImportedKey, SecretKey } from './keys.js'
import type { CompiledVerifyOptions } from './options.js'
import { checkCanonical, parseObjectRange, splitToken } from './segments.js'

/**
 * The last header segment that passed every header check, and the algorithm it named. Owned by one verifier.
 * The header checks are a pure function of the segment text and the verifier's own rules, so a token whose
 * header segment is the same text needs no second parse; any other text is parsed and checked in full.
 */
export interface HeaderMemo {
  segment: string | undefined
  /** Index of the algorithm in the allowlist. */
  index: number
}

/** What a verifier holds: its options, its header rules and one signature check per allowed algorithm. */
export interface Verifier {
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
export function verifyToken(
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
 * A verifier for `key` (already imported) with the compiled options `o`: the allowlist given (or `requested`, or
 * the key's own), every key rule applied, and one signature check per algorithm. A secret's bytes are zeroed here
 * unless `once` (the one-shot form), where they key the MAC directly and {@link disposeVerifier} zeroes them.
 * Throws ERR_JWT_INVALID_OPTION.
 */
export function buildVerifier(
  o: CompiledVerifyOptions,
  imported: ImportedKey,
  requested: readonly Algorithm[] | undefined,
  once: boolean,
): Verifier {
  let kept = false
  try {
    const algorithms = keyAlgorithms(imported, requested, 'verify', o.insecureShortSecret)
    const checks: SignatureCheck[] = []
    for (const alg of algorithms) checks.push(signatureCheck(alg, imported, once))
    kept = once && imported.kind === 'secret'
    return {
      o,
      rules: { algorithms, known: knownHeadersOf(algorithms), crit: o.crit, typ: o.typ },
      checks,
      secret: kept ? (imported as SecretKey).bytes : undefined,
    }
  } finally {
    // A secret's bytes are ours (importKey copies); a verifier keeps only the pads made from them.
    if (imported.kind === 'secret' && !kept) wipe(imported.bytes)
  }
}

/** A header memo for a verifier, or undefined with `complete` (which hands the parsed header to the caller). */
export function memoFor(v: Verifier): HeaderMemo | undefined {
  return v.o.complete ? undefined : { segment: undefined, index: 0 }
}

/** Zeroes what a verifier holds: the HMAC pads, or the secret's bytes when it was made for one call. */
export function disposeVerifier(v: Verifier): void {
  for (const c of v.checks) c.dispose()
  if (v.secret !== undefined) wipe(v.secret)
}
