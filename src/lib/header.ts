/**
 * Checks of the JOSE header, all made before the MAC (RFC 8725 §3.1: decide the algorithm from the verifier's
 * own configuration, never from the token alone).
 */
import { algorithmRefused, headerRefused } from '../errors.js'
import type { Algorithm } from '../types.js'
import { ALGORITHMS } from './algorithms.js'
import { encodeString } from './base64url.js'
import { own } from './segments.js'

/** Header parameter names registered by RFC 7515 §4.1 and RFC 7519 §5.3: never valid in `crit` (§4.1.11). */
const REGISTERED = new Set([
  'alg',
  'jku',
  'jwk',
  'kid',
  'x5u',
  'x5c',
  'x5t',
  'x5t#S256',
  'typ',
  'cty',
  'crit',
  'iss',
  'sub',
  'aud',
])

/** `{"alg":"…","typ":"JWT"}`, the header our signers (and most others) write when given no header options. */
export const DEFAULT_HEADER_SEGMENT: Readonly<Record<Algorithm, string>> = Object.freeze(
  Object.fromEntries(ALGORITHMS.map((alg) => [alg, encodeString(JSON.stringify({ alg, typ: 'JWT' }))])) as Record<
    Algorithm,
    string
  >,
)

/** A default header segment and the (frozen) object it parses to. */
export type KnownHeader = readonly [segment: string, header: Readonly<Record<string, unknown>>]

/** One-entry lists, made once: the one-shot verify asks for one on every call. */
const KNOWN_ONE: ReadonlyMap<Algorithm, readonly KnownHeader[]> = new Map(
  ALGORITHMS.map((alg) => [
    alg,
    Object.freeze([[DEFAULT_HEADER_SEGMENT[alg], Object.freeze({ alg, typ: 'JWT' })] as const]),
  ]),
)

/** The {@link KnownHeader}s of these algorithms, for a verifier's rules. */
export function knownHeadersOf(algorithms: readonly Algorithm[]): readonly KnownHeader[] {
  if (algorithms.length === 1) return KNOWN_ONE.get(algorithms[0] as Algorithm) as readonly KnownHeader[]
  return algorithms.map((alg) => (KNOWN_ONE.get(alg) as readonly KnownHeader[])[0] as KnownHeader)
}

/**
 * The parsed header for `token[0, end)` when that text is exactly one of the `known` segments, else undefined.
 * Parsing those texts always gives these (frozen) objects, so the checks can run on them without decoding: the
 * same result, without the base64url and JSON work. Never hand the result to a caller.
 */
export function knownHeader(
  token: string,
  end: number,
  known: readonly KnownHeader[],
): Readonly<Record<string, unknown>> | undefined {
  for (const [segment, header] of known) {
    if (end === segment.length && token.startsWith(segment)) return header
  }
  return undefined
}

export interface HeaderRules {
  /** The allowlist. */
  readonly algorithms: readonly Algorithm[]
  /** The default headers of those algorithms, parsed in advance. */
  readonly known: readonly KnownHeader[]
  /** Extensions the caller understands. */
  readonly crit: ReadonlySet<string>
  /** The required `typ`, normalised by {@link normaliseTyp}, or undefined. */
  readonly typ: string | undefined
}

/** RFC 7515 §4.1.9: media types are case-insensitive, and "application/" may be omitted. */
export function normaliseTyp(typ: string): string {
  const lower = typ.toLowerCase()
  return lower.startsWith('application/') ? lower.slice(12) : lower
}

/**
 * Returns the index in `rules.algorithms` of the algorithm to verify with, or throws. `alg` is read as an own
 * property, so `{}` has no `alg` even though every object inherits `constructor` and `toString`.
 */
export function checkHeader(header: Readonly<Record<string, unknown>>, rules: HeaderRules): number {
  const alg = own(header, 'alg')
  if (typeof alg !== 'string') throw algorithmRefused('the header has no "alg" string')
  const allowed = rules.algorithms.indexOf(alg as Algorithm)
  if (allowed === -1) {
    // `none` is never in an allowlist (options refuse it), so it always ends here, in any spelling.
    throw algorithmRefused('the token "alg" is not one of the allowed algorithms')
  }
  if (Object.hasOwn(header, 'crit')) checkCrit(header, rules.crit)
  if (Object.hasOwn(header, 'b64') && header.b64 !== true) {
    // RFC 7797 unencoded payloads change what is signed; we do not support them, so refuse rather than misread.
    throw headerRefused('unencoded payloads ("b64": false) are not supported')
  }
  if (rules.typ !== undefined) {
    const typ = own(header, 'typ')
    if (typeof typ !== 'string' || normaliseTyp(typ) !== rules.typ) {
      throw headerRefused('the token "typ" header is not the one required')
    }
  }
  return allowed
}

/** RFC 7515 §4.1.11: a recipient must refuse a token whose `crit` lists an extension it does not understand. */
function checkCrit(header: Readonly<Record<string, unknown>>, understood: ReadonlySet<string>): void {
  const crit = header.crit
  if (!Array.isArray(crit) || crit.length === 0) {
    throw headerRefused('"crit" must be a non-empty array of header parameter names')
  }
  const seen = new Set<string>()
  for (const name of crit) {
    if (typeof name !== 'string' || seen.has(name) || REGISTERED.has(name) || !Object.hasOwn(header, name)) {
      throw headerRefused('"crit" is malformed')
    }
    if (!understood.has(name)) throw headerRefused('"crit" lists an extension that is not understood')
    seen.add(name)
  }
}
