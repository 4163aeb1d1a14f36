/**
 * Pure validation of the registered claims (RFC 7519 §4.1). Runs only after the MAC has matched, so nothing an
 * attacker wrote in the payload is looked at before we know it was signed with our key.
 */
import { claimRefused, expired, notYetValid } from '../errors.js'
import { matchesAudience } from './audience.js'
import { own } from './segments.js'

export interface ClaimRules {
  readonly issuer: readonly string[] | undefined
  readonly audience: ReadonlyArray<string | RegExp> | undefined
  readonly subject: string | undefined
  readonly jwtId: string | undefined
  readonly requiredClaims: readonly string[]
  /** seconds, >= 0 */
  readonly clockTolerance: number
  /** seconds, or undefined */
  readonly maxAge: number | undefined
}

/**
 * A NumericDate (RFC 7519 §2) must be a finite JSON number. `1e400` parses to Infinity and must not mean "never
 * expires"; a string "9999999999" must not be coerced. Shared with sign, which refuses to issue what we refuse.
 */
export function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}

/** RFC 7519 §4.1.3: `aud` is a string or an array of strings. Shared with sign. */
export function isAudience(value: unknown): value is string | string[] {
  return typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'))
}

function numericDate(payload: Record<string, unknown>, claim: string): number | undefined {
  const value = own(payload, claim)
  if (value === undefined) return undefined
  if (!isNumericDate(value)) {
    throw claimRefused(claim, `the "${claim}" claim must be a finite number of seconds`)
  }
  return value
}

function stringClaim(payload: Record<string, unknown>, claim: string): string | undefined {
  const value = own(payload, claim)
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw claimRefused(claim, `the "${claim}" claim must be a string`)
  return value
}

function audienceClaim(payload: Record<string, unknown>): string[] | undefined {
  const value = own(payload, 'aud')
  if (value === undefined) return undefined
  if (!isAudience(value)) throw claimRefused('aud', 'the "aud" claim must be a string or an array of strings')
  return typeof value === 'string' ? [value] : value
}

/** The largest time a Date can hold, in seconds (ECMA-262 §21.4.1.22: ±8.64e15 ms). */
const MAX_DATE_SECONDS = 8.64e12

/**
 * A finite NumericDate as a Date, clamped to the range a Date can hold. Unclamped, a huge but finite `exp` such
 * as -1e300 would give an Invalid Date whose toISOString() throws a RangeError in the caller's logging code.
 */
function toDate(seconds: number): Date {
  return new Date(Math.min(Math.max(seconds, -MAX_DATE_SECONDS), MAX_DATE_SECONDS) * 1000)
}

/**
 * Checks the claims of a verified payload against the rules at time `now` (seconds).
 * exp: refused from the instant now >= exp (RFC 7519 §4.1.4 "on or after"); nbf: accepted from now >= nbf
 * (§4.1.5); both widened by the clock tolerance.
 */
export function validateClaims(payload: Record<string, unknown>, rules: ClaimRules, now: number): void {
  const tolerance = rules.clockTolerance

  const exp = numericDate(payload, 'exp')
  if (exp !== undefined && now >= exp + tolerance) {
    throw expired(toDate(exp))
  }

  const nbf = numericDate(payload, 'nbf')
  if (nbf !== undefined && now < nbf - tolerance) {
    throw notYetValid(toDate(nbf))
  }

  const iat = numericDate(payload, 'iat')

  const iss = stringClaim(payload, 'iss')
  if (rules.issuer !== undefined) {
    if (iss === undefined) throw claimRefused('iss', 'the token has no "iss" claim')
    if (!rules.issuer.includes(iss)) throw claimRefused('iss', 'unexpected "iss" claim value')
  }

  const aud = audienceClaim(payload)
  if (rules.audience !== undefined) {
    if (aud === undefined) throw claimRefused('aud', 'the token has no "aud" claim')
    const expected = rules.audience
    const ok = aud.some((a) => expected.some((e) => (typeof e === 'string' ? e === a : matchesAudience(e, a))))
    if (!ok) throw claimRefused('aud', 'unexpected "aud" claim value')
  }

  const sub = stringClaim(payload, 'sub')
  if (rules.subject !== undefined) {
    if (sub === undefined) throw claimRefused('sub', 'the token has no "sub" claim')
    if (sub !== rules.subject) throw claimRefused('sub', 'unexpected "sub" claim value')
  }

  const jti = stringClaim(payload, 'jti')
  if (rules.jwtId !== undefined) {
    if (jti === undefined) throw claimRefused('jti', 'the token has no "jti" claim')
    if (jti !== rules.jwtId) throw claimRefused('jti', 'unexpected "jti" claim value')
  }

  for (const claim of rules.requiredClaims) {
    if (!Object.hasOwn(payload, claim)) throw claimRefused(claim, `the token has no "${claim}" claim`)
  }

  if (rules.maxAge !== undefined) {
    if (iat === undefined) throw claimRefused('iat', 'the token has no "iat" claim, required by maxAge')
    if (iat > now + tolerance) throw claimRefused('iat', 'the "iat" claim is in the future')
    if (now >= iat + rules.maxAge + tolerance) throw claimRefused('iat', 'the token is older than maxAge')
  }
}
