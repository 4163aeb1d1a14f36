/**
 * Option checking, done once when a signer or verifier is made, through the tables of ./option-table.ts.
 * Unknown names are refused: a misspelt `audiance` must not silently turn a check off.
 */
import { invalidOption } from '../errors.js'
import type { Algorithm } from '../types.js'
import { algorithmNames, isAlgorithm } from './algorithms.js'
import { compileAudiencePattern } from './audience.js'
import type { ClaimRules } from './claims.js'
import { toSeconds } from './duration.js'
import { normaliseTyp } from './header.js'
import { copyArray, copyRegExp, type OptionValues, readOptions } from './option-table.js'
import { DEFAULT_MAX_TOKEN_LENGTH } from './segments.js'
import { snapshotObject } from './snapshot.js'

export function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw invalidOption(`"${name}" must be a string`)
  return value
}

function optionalBoolean(value: unknown, name: string): boolean {
  if (value === undefined) return false
  if (typeof value !== 'boolean') throw invalidOption(`"${name}" must be a boolean`)
  return value
}

export function optionalNow(now: unknown): number | undefined {
  if (now === undefined) return undefined
  if (typeof now !== 'number' || !Number.isFinite(now)) throw invalidOption('"now" must be a finite number of seconds')
  return now
}

function stringList(value: unknown, name: string, allowEmpty: boolean): string[] {
  const list = typeof value === 'string' ? [value] : copyArray(value, name)
  if (list === undefined || (!allowEmpty && list.length === 0) || !list.every((v) => typeof v === 'string')) {
    throw invalidOption(`"${name}" must be a string or a ${allowEmpty ? '' : 'non-empty '}array of strings`)
  }
  return list as string[]
}

/** The allowlist as our own array; undefined when not given, so that the key's own algorithms apply. */
export function algorithmList(value: unknown): Algorithm[] | undefined {
  if (value === undefined) return undefined
  const list = copyArray(value, 'algorithms')
  if (list === undefined || list.length === 0) {
    throw invalidOption('"algorithms" must be a non-empty array such as ["HS256"]')
  }
  for (const alg of list) {
    if (!isAlgorithm(alg)) throw invalidOption(`"algorithms" may contain only ${algorithmNames()}`)
  }
  // Duplicates dropped by hand: `new Set` and spreading go through iterators, several times slower on the one-shot
  // path, which compiles its options on every call.
  const unique: Algorithm[] = []
  for (let i = 0; i < list.length; i++) {
    const alg = list[i] as Algorithm
    if (!unique.includes(alg)) unique[unique.length] = alg
  }
  return unique
}

export function maxTokenLength(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_TOKEN_LENGTH
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw invalidOption('"maxTokenLength" must be a positive integer')
  }
  return value
}

/** The audience matchers as data: our own list, with our own copy of each RegExp. */
function audienceList(value: unknown): Array<string | RegExp> | undefined {
  if (value === undefined) return undefined
  const list = copyArray(value, 'audience') ?? [value]
  if (list.length === 0 || !list.every((a) => typeof a === 'string' || a instanceof RegExp)) {
    throw invalidOption('"audience" must be a string, a RegExp or a non-empty array of them')
  }
  return (list as Array<string | RegExp>).map((a) => (typeof a === 'string' ? a : copyRegExp(a)))
}

/**
 * The verify options, each checked into data of the same shape a caller may pass (durations as seconds, lists as
 * our own arrays), so the values read here are themselves valid verify options: the adapters hand them, rather
 * than the caller's object, to `createVerifier` for every secret a resolver picks.
 */
export const VERIFY_OPTIONS = {
  algorithms: algorithmList,
  issuer: (v: unknown): string[] | undefined => (v === undefined ? undefined : stringList(v, 'issuer', false)),
  audience: audienceList,
  subject: (v: unknown): string | undefined => optionalString(v, 'subject'),
  jwtId: (v: unknown): string | undefined => optionalString(v, 'jwtId'),
  typ: (v: unknown): string | undefined => optionalString(v, 'typ'),
  requiredClaims: (v: unknown): string[] => (v === undefined ? [] : stringList(v, 'requiredClaims', true)),
  clockTolerance: (v: unknown): number => (v === undefined ? 0 : toSeconds(v, 'clockTolerance', false)),
  maxAge: (v: unknown): number | undefined => (v === undefined ? undefined : toSeconds(v, 'maxAge', false)),
  now: optionalNow,
  complete: (v: unknown): boolean => optionalBoolean(v, 'complete'),
  maxTokenLength,
  crit: (v: unknown): string[] => (v === undefined ? [] : stringList(v, 'crit', true)),
  insecureShortSecret: (v: unknown): boolean => optionalBoolean(v, 'insecureShortSecret'),
} as const

/** Verify options after checking: every name present, every list our own copy. */
export type VerifyOptionValues = OptionValues<typeof VERIFY_OPTIONS>

export const VERIFY_OPTION_NAMES: ReadonlySet<string> = new Set(Object.keys(VERIFY_OPTIONS))

/** Reads and checks verify options; see {@link VERIFY_OPTIONS}. */
export function readVerifyOptions(input: unknown): VerifyOptionValues {
  return readOptions(VERIFY_OPTIONS, input, 'verify')
}

export interface CompiledVerifyOptions {
  /** The allowlist, or undefined for the key's own algorithms. */
  readonly algorithms: readonly Algorithm[] | undefined
  /** Extensions the caller understands (RFC 7515 §4.1.11). */
  readonly crit: ReadonlySet<string>
  /** The required `typ`, normalised, or undefined. */
  readonly typ: string | undefined
  readonly claims: ClaimRules
  readonly now: number | undefined
  readonly complete: boolean
  readonly maxTokenLength: number
  /** Accept a secret shorter than RFC 7518 §3.2 asks (old tokens during a migration); never an empty one. */
  readonly insecureShortSecret: boolean
}

/** The `crit` rules without a `crit` option, shared (only ever read), instead of a new Set per one-shot call. */
const NO_CRIT: ReadonlySet<string> = new Set<string>()

function compileVerifyValues(o: VerifyOptionValues): CompiledVerifyOptions {
  return {
    algorithms: o.algorithms,
    crit: o.crit.length === 0 ? NO_CRIT : new Set(o.crit),
    typ: o.typ === undefined ? undefined : normaliseTyp(o.typ),
    claims: {
      issuer: o.issuer,
      audience: o.audience?.map((a) => (typeof a === 'string' ? a : compileAudiencePattern(a))),
      subject: o.subject,
      jwtId: o.jwtId,
      requiredClaims: o.requiredClaims,
      clockTolerance: o.clockTolerance,
      maxAge: o.maxAge,
    },
    now: o.now,
    complete: o.complete,
    maxTokenLength: o.maxTokenLength,
    insecureShortSecret: o.insecureShortSecret,
  }
}

/** The rules without options, made once: a one-shot `verify(token, secret)` does no option work. */
const DEFAULT_VERIFY_OPTIONS = compileVerifyValues(readVerifyOptions(undefined))

/** Validates verify options into the rules the per-token code uses. */
export function compileVerifyOptions(input: unknown): CompiledVerifyOptions {
  if (input === undefined) return DEFAULT_VERIFY_OPTIONS
  return compileVerifyValues(readVerifyOptions(input))
}

function signAudience(value: unknown): string | string[] | undefined {
  if (value === undefined || typeof value === 'string') return value
  const list = copyArray(value, 'audience')
  if (list === undefined || list.length === 0 || !list.every((a) => typeof a === 'string')) {
    throw invalidOption('"audience" must be a string or a non-empty array of strings')
  }
  return list as string[]
}

/** The sign options; `header` is taken as given here and checked below, where the algorithm is known. */
export const SIGN_OPTIONS = {
  algorithm: (v: unknown): Algorithm | undefined => {
    if (v === undefined) return undefined
    if (!isAlgorithm(v)) throw invalidOption(`"algorithm" must be one of ${algorithmNames()}`)
    return v
  },
  expiresIn: (v: unknown): number | undefined => (v === undefined ? undefined : toSeconds(v, 'expiresIn', true)),
  notBefore: (v: unknown): number | undefined => (v === undefined ? undefined : toSeconds(v, 'notBefore', true)),
  issuer: (v: unknown): string | undefined => optionalString(v, 'issuer'),
  subject: (v: unknown): string | undefined => optionalString(v, 'subject'),
  audience: signAudience,
  jwtId: (v: unknown): string | undefined => optionalString(v, 'jwtId'),
  keyId: (v: unknown): string | undefined => optionalString(v, 'keyId'),
  header: (v: unknown): unknown => v,
  noTimestamp: (v: unknown): boolean => optionalBoolean(v, 'noTimestamp'),
  now: optionalNow,
} as const

export const SIGN_OPTION_NAMES: ReadonlySet<string> = new Set(Object.keys(SIGN_OPTIONS))

export interface CompiledSignOptions {
  /** The algorithm asked for, or undefined for the key's own. */
  readonly algorithm: Algorithm | undefined
  readonly expiresIn: number | undefined
  readonly notBefore: number | undefined
  /** claims set from options: iss, sub, aud, jti */
  readonly claims: ReadonlyArray<readonly [string, string | string[]]>
  /**
   * The header without `alg`, which the key decides: `typ` first, then the extra parameters and `kid`, in the
   * order they will be written after `alg`. An `alg` the caller put in `header` is kept here, to be compared.
   */
  readonly header: Record<string, unknown>
  readonly noTimestamp: boolean
  readonly now: number | undefined
}

/** Validates sign options. The header is fixed here, once, so each sign only serialises the payload. */
function compileSignValues(o: OptionValues<typeof SIGN_OPTIONS>): CompiledSignOptions {
  const algorithm = o.algorithm

  const claims: Array<readonly [string, string | string[]]> = []
  if (o.issuer !== undefined) claims.push(['iss', o.issuer])
  if (o.subject !== undefined) claims.push(['sub', o.subject])
  if (o.audience !== undefined) claims.push(['aud', o.audience])
  if (o.jwtId !== undefined) claims.push(['jti', o.jwtId])

  const header: Record<string, unknown> = { typ: 'JWT' }
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
      if (name === 'alg' && (typeof value !== 'string' || (algorithm !== undefined && value !== algorithm)))
        throw invalidOption('set the algorithm with "algorithm", not header.alg')
      // We sign the encoded payload; announcing an RFC 7797 unencoded one would make peers read it differently.
      if (name === 'b64' && value !== true && value !== undefined) throw invalidOption('"b64": false is not supported')
      if (value !== undefined) header[name] = value
    }
  }
  const kid = o.keyId
  if (kid !== undefined) {
    // Like a payload claim contradicted by an option: refuse rather than silently pick one.
    if (header.kid !== undefined && header.kid !== kid) throw invalidOption('"keyId" contradicts header.kid')
    header.kid = kid
  }

  return {
    algorithm,
    expiresIn: o.expiresIn,
    notBefore: o.notBefore,
    claims,
    header,
    noTimestamp: o.noTimestamp,
    now: o.now,
  }
}

/** The compiled options without options, made once: a one-shot `sign(payload, secret)` does no option work. */
const DEFAULT_SIGN_OPTIONS = compileSignValues(readOptions(SIGN_OPTIONS, undefined, 'sign'))

/** Validates sign options; see {@link SIGN_OPTIONS}. */
export function compileSignOptions(input: unknown): CompiledSignOptions {
  if (input === undefined) return DEFAULT_SIGN_OPTIONS
  return compileSignValues(readOptions(SIGN_OPTIONS, input, 'sign'))
}
