/**
 * Option checking, done once when a signer or verifier is made. Unknown names are refused: a misspelt
 * `audiance` must not silently turn a check off.
 */
import { JwtError } from '../errors.js'
import type { Algorithm } from '../types.js'
import type { ClaimRules } from './claims.js'
import { toSeconds } from './duration.js'
import { type HeaderRules, normaliseTyp } from './header.js'
import { isAlgorithm } from './hmac.js'
import { DEFAULT_MAX_TOKEN_LENGTH } from './segments.js'
import { snapshotObject } from './snapshot.js'

export function invalidOption(message: string): JwtError {
  return new JwtError('ERR_JWT_INVALID_OPTION', message)
}

/**
 * Refuses non-objects and unknown option names, and returns the own properties in a null-prototype object: an
 * option is never read from the prototype chain, so a polluted `Object.prototype.clockTolerance` or
 * `.algorithms` elsewhere in the process cannot loosen a check.
 */
export function checkOptionNames(options: unknown, known: ReadonlySet<string>, what: string): Record<string, unknown> {
  const own: Record<string, unknown> = Object.create(null)
  if (options === undefined) return own
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidOption(`${what} options must be an object`)
  }
  for (const name of Object.keys(options)) {
    if (!known.has(name)) throw invalidOption(`unknown ${what} option "${name}"`)
    own[name] = (options as Record<string, unknown>)[name]
  }
  return own
}

export function optionalString(options: Record<string, unknown>, name: string): string | undefined {
  const value = options[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw invalidOption(`"${name}" must be a string`)
  return value
}

export function optionalNow(options: Record<string, unknown>): number | undefined {
  const now = options.now
  if (now === undefined) return undefined
  if (typeof now !== 'number' || !Number.isFinite(now)) throw invalidOption('"now" must be a finite number of seconds')
  return now
}

function stringList(value: unknown, name: string, allowEmpty: boolean): string[] {
  const list = typeof value === 'string' ? [value] : value
  if (!Array.isArray(list) || (!allowEmpty && list.length === 0) || !list.every((v) => typeof v === 'string')) {
    throw invalidOption(`"${name}" must be a string or a ${allowEmpty ? '' : 'non-empty '}array of strings`)
  }
  return [...list]
}

export const VERIFY_OPTION_NAMES: ReadonlySet<string> = new Set([
  'algorithms',
  'issuer',
  'audience',
  'subject',
  'jwtId',
  'typ',
  'requiredClaims',
  'clockTolerance',
  'maxAge',
  'now',
  'complete',
  'maxTokenLength',
  'crit',
])

export interface CompiledVerifyOptions {
  readonly header: HeaderRules
  readonly claims: ClaimRules
  readonly now: number | undefined
  readonly complete: boolean
  readonly maxTokenLength: number
}

export function algorithmList(value: unknown): Algorithm[] {
  if (value === undefined) return ['HS256']
  if (!Array.isArray(value) || value.length === 0) {
    throw invalidOption('"algorithms" must be a non-empty array such as ["HS256"]')
  }
  for (const alg of value) {
    if (!isAlgorithm(alg)) throw invalidOption('"algorithms" may contain only "HS256", "HS384" and "HS512"')
  }
  return [...new Set(value as Algorithm[])]
}

export function maxTokenLength(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_TOKEN_LENGTH
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw invalidOption('"maxTokenLength" must be a positive integer')
  }
  return value
}

/**
 * A copy of an audience RegExp that matches whole values only: `^(?:...)$`, so that /api|api-admin/ accepts
 * "api-admin" (a match at index 0 of the first alternative is not enough) and /api/ refuses "evil-api". The g and
 * y flags are dropped (no lastIndex state between tokens), and m too, so ^ and $ cannot match at a line break.
 */
function anchored(pattern: RegExp): RegExp {
  return new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace(/[gmy]/g, ''))
}

/** Validates verify options into the rules the per-token code uses. */
export function compileVerifyOptions(input: unknown): CompiledVerifyOptions {
  const o = checkOptionNames(input, VERIFY_OPTION_NAMES, 'verify')
  const algorithms = algorithmList(o.algorithms)

  let audience: Array<string | RegExp> | undefined
  if (o.audience !== undefined) {
    const list = Array.isArray(o.audience) ? o.audience : [o.audience]
    if (list.length === 0 || !list.every((a) => typeof a === 'string' || a instanceof RegExp)) {
      throw invalidOption('"audience" must be a string, a RegExp or a non-empty array of them')
    }
    audience = (list as Array<string | RegExp>).map((a) => (typeof a === 'string' ? a : anchored(a)))
  }

  const typ = optionalString(o, 'typ')
  if (o.complete !== undefined && typeof o.complete !== 'boolean') throw invalidOption('"complete" must be a boolean')

  return {
    header: {
      algorithms,
      crit: new Set(o.crit === undefined ? [] : stringList(o.crit, 'crit', true)),
      typ: typ === undefined ? undefined : normaliseTyp(typ),
    },
    claims: {
      issuer: o.issuer === undefined ? undefined : stringList(o.issuer, 'issuer', false),
      audience,
      subject: optionalString(o, 'subject'),
      jwtId: optionalString(o, 'jwtId'),
      requiredClaims: o.requiredClaims === undefined ? [] : stringList(o.requiredClaims, 'requiredClaims', true),
      clockTolerance: o.clockTolerance === undefined ? 0 : toSeconds(o.clockTolerance, 'clockTolerance', false),
      maxAge: o.maxAge === undefined ? undefined : toSeconds(o.maxAge, 'maxAge', false),
    },
    now: optionalNow(o),
    complete: o.complete === true,
    maxTokenLength: maxTokenLength(o.maxTokenLength),
  }
}

export const SIGN_OPTION_NAMES: ReadonlySet<string> = new Set([
  'algorithm',
  'expiresIn',
  'notBefore',
  'issuer',
  'subject',
  'audience',
  'jwtId',
  'keyId',
  'header',
  'noTimestamp',
  'now',
])

export interface CompiledSignOptions {
  readonly algorithm: Algorithm
  readonly expiresIn: number | undefined
  readonly notBefore: number | undefined
  /** claims set from options: iss, sub, aud, jti */
  readonly claims: ReadonlyArray<readonly [string, string | string[]]>
  readonly header: Record<string, unknown>
  readonly noTimestamp: boolean
  readonly now: number | undefined
}

/** Validates sign options. The header is fixed here, once, so each sign only serialises the payload. */
export function compileSignOptions(input: unknown): CompiledSignOptions {
  const o = checkOptionNames(input, SIGN_OPTION_NAMES, 'sign')
  const algorithm = o.algorithm === undefined ? 'HS256' : o.algorithm
  if (!isAlgorithm(algorithm)) throw invalidOption('"algorithm" must be "HS256", "HS384" or "HS512"')

  const claims: Array<readonly [string, string | string[]]> = []
  const iss = optionalString(o, 'issuer')
  if (iss !== undefined) claims.push(['iss', iss])
  const sub = optionalString(o, 'subject')
  if (sub !== undefined) claims.push(['sub', sub])
  if (o.audience !== undefined) {
    const aud = o.audience
    if (typeof aud !== 'string' && !(Array.isArray(aud) && aud.length > 0 && aud.every((a) => typeof a === 'string'))) {
      throw invalidOption('"audience" must be a string or a non-empty array of strings')
    }
    claims.push(['aud', typeof aud === 'string' ? aud : [...(aud as string[])]])
  }
  const jti = optionalString(o, 'jwtId')
  if (jti !== undefined) claims.push(['jti', jti])

  const header: Record<string, unknown> = { alg: algorithm, typ: 'JWT' }
  if (o.header !== undefined) {
    const extra = o.header
    if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) {
      throw invalidOption('"header" must be an object of extra header parameters')
    }
    // A deep, read-once copy of the extra parameters: the alg and b64 checks below see the very values that
    // will be serialised, so a getter or toJSON cannot answer one thing here and another to JSON.stringify.
    const snapshot = snapshotObject(extra, 'header')
    for (const name of Object.keys(snapshot)) {
      const value = snapshot[name]
      if (name === '__proto__') throw invalidOption('"header" may not contain "__proto__"')
      if (name === 'alg' && value !== algorithm)
        throw invalidOption('set the algorithm with "algorithm", not header.alg')
      // We sign the encoded payload; announcing an RFC 7797 unencoded one would make peers read it differently.
      if (name === 'b64' && value !== true && value !== undefined) throw invalidOption('"b64": false is not supported')
      if (value !== undefined) header[name] = value
    }
  }
  const kid = optionalString(o, 'keyId')
  if (kid !== undefined) {
    // Like a payload claim contradicted by an option: refuse rather than silently pick one.
    if (header.kid !== undefined && header.kid !== kid) throw invalidOption('"keyId" contradicts header.kid')
    header.kid = kid
  }

  if (o.noTimestamp !== undefined && typeof o.noTimestamp !== 'boolean') {
    throw invalidOption('"noTimestamp" must be a boolean')
  }
  return {
    algorithm,
    expiresIn: o.expiresIn === undefined ? undefined : toSeconds(o.expiresIn, 'expiresIn', true),
    notBefore: o.notBefore === undefined ? undefined : toSeconds(o.notBefore, 'notBefore', true),
    claims,
    header,
    noTimestamp: o.noTimestamp === true,
    now: optionalNow(o),
  }
}
