import { invalidOption } from './errors.js'
import { keyAlgorithms, type Signer, signerFor } from './lib/algorithms.js'
import { encodeString } from './lib/base64url.js'
import { isAudience, isNumericDate } from './lib/claims.js'
import { asJwtError } from './lib/contain.js'
import { DEFAULT_HEADER_SEGMENT } from './lib/header.js'
import { wipe } from './lib/hmac.js'
import { importKey } from './lib/keys.js'
import { type CompiledSignOptions, compileSignOptions } from './lib/options.js'
import { own } from './lib/segments.js'
import { jsonStringArray, snapshotObject } from './lib/snapshot.js'
import type { Algorithm, KeyInput, SignOptions } from './types.js'

/** Taken once, at load: the serialiser of the snapshot, whatever later replaces JSON.stringify. */
const stringify = JSON.stringify

/** Registered claims whose type sign() checks, so we never issue a token our own verifier would refuse. */
const TIME_CLAIMS = ['exp', 'nbf', 'iat'] as const
const STRING_CLAIMS = ['iss', 'sub', 'jti'] as const

/**
 * Checks the snapshot, never the caller's object: these are the values that will be serialised. Own members only,
 * so that a polluted Object.prototype.exp cannot stand in for a missing claim.
 */
function checkPayload(claims: Record<string, unknown>): void {
  for (const claim of TIME_CLAIMS) {
    const v = own(claims, claim)
    if (v !== undefined && !isNumericDate(v))
      throw invalidOption(`the payload "${claim}" must be a finite number of seconds`)
  }
  for (const claim of STRING_CLAIMS) {
    const v = own(claims, claim)
    if (v !== undefined && typeof v !== 'string') throw invalidOption(`the payload "${claim}" must be a string`)
  }
  const aud = own(claims, 'aud')
  // Snapshot arrays have no Array.prototype methods; the shared predicate gets an ordinary copy of the list.
  if (aud !== undefined && !isAudience(Array.isArray(aud) ? Array.from(aud) : aud))
    throw invalidOption('the payload "aud" must be a string or an array of strings')
}

function sameClaim(a: unknown, b: string | readonly string[]): boolean {
  if (typeof b === 'string') return a === b
  if (!Array.isArray(a) || a.length !== b.length) return false
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** What the per-payload code needs, prepared once per signer (or once per one-shot call). */
interface Plan {
  readonly o: CompiledSignOptions
  /** The signer of the one algorithm, with its key. */
  readonly signer: Signer
  /** iss, sub, aud, jti from the options; an `aud` list as a snapshot array, like the payload's members. */
  readonly optionClaims: ReadonlyArray<readonly [string, string | readonly string[]]>
  readonly headerSegment: string
}

const NO_CLAIMS: Plan['optionClaims'] = []

function optionClaimsOf(o: CompiledSignOptions): Plan['optionClaims'] {
  return o.claims.length === 0
    ? NO_CLAIMS
    : o.claims.map(([name, value]) => [name, typeof value === 'string' ? value : jsonStringArray(value)] as const)
}

function headerSegmentOf(o: CompiledSignOptions, alg: Algorithm): string {
  const h = o.header
  const keys = Object.keys(h)
  if (keys.length === 1 && keys[0] === 'typ' && h.typ === 'JWT') return DEFAULT_HEADER_SEGMENT[alg]
  if (Object.hasOwn(h, 'alg') && h.alg !== alg)
    throw invalidOption('set the algorithm with "algorithm", not header.alg')
  // `alg` first, as every signer writes it; then the compiled parameters in their order.
  const full: Record<string, unknown> = { alg }
  for (const name of keys) if (name !== 'alg') full[name] = h[name]
  // The compiled header is our own data, but an ordinary object: serialise a snapshot of it, so that no
  // `toJSON` on Object.prototype or Array.prototype can rewrite it (an "alg" included).
  const header = snapshotObject(full, 'header')
  if (header.alg !== alg) throw invalidOption('set the algorithm with "algorithm", not header.alg')
  return encodeString(stringify(header))
}

/** The per-payload work shared by {@link createSigner} and {@link sign}. */
function signPayload(payload: object, plan: Plan): string {
  const { o, optionClaims, headerSegment } = plan
  const { expiresIn, notBefore, noTimestamp, now: fixedNow } = o
  // The one read of the caller's object: checks and serialisation below see only this copy, in which
  // `undefined` members are already left out (as JSON.stringify would) and a `__proto__` key is plain data.
  const claims = snapshotObject(payload, 'payload')
  checkPayload(claims)
  // Whole seconds, so that iat, exp and nbf agree even when `now` is given as a fraction.
  const now = Math.floor(fixedNow ?? Date.now() / 1000)
  if (!noTimestamp && own(claims, 'iat') === undefined) claims.iat = now
  if (expiresIn !== undefined) {
    if (own(claims, 'exp') !== undefined)
      throw invalidOption('the payload already has "exp"; do not also set "expiresIn"')
    claims.exp = Math.floor(now + expiresIn)
  }
  if (notBefore !== undefined) {
    if (own(claims, 'nbf') !== undefined)
      throw invalidOption('the payload already has "nbf"; do not also set "notBefore"')
    claims.nbf = Math.floor(now + notBefore)
  }
  for (const [name, value] of optionClaims) {
    const current = own(claims, name)
    if (current !== undefined) {
      if (!sameClaim(current, value)) throw invalidOption(`the payload "${name}" contradicts the option that sets it`)
    } else {
      claims[name] = value
    }
  }
  let json: string
  try {
    // Cannot meet a toJSON, a getter, a cycle or a BigInt: the snapshot holds none. Only a string too long for
    // the engine can still fail here.
    json = stringify(claims)
  } catch {
    throw invalidOption('the payload is too large to serialise')
  }
  const payloadSegment = encodeString(json)
  return `${headerSegment}.${payloadSegment}.${plan.signer.sign(headerSegment, payloadSegment)}`
}

/**
 * The work both forms do before any payload: the options compiled, the key read and checked, the algorithm
 * decided (asked for, or the key's own), the header encoded and the signing function made. Whatever a caller's
 * object throws while being read (a Proxy trap, a detached buffer) becomes ERR_JWT_INVALID_OPTION.
 */
function prepare(key: KeyInput, options: SignOptions | undefined, once: boolean): Plan {
  try {
    const o = compileSignOptions(options)
    const imported = importKey(key, 'sign')
    let kept = false
    try {
      const [alg] = keyAlgorithms(imported, o.algorithm === undefined ? undefined : [o.algorithm], 'sign', false)
      const headerSegment = headerSegmentOf(o, alg as Algorithm)
      const signer = signerFor(alg as Algorithm, imported, once)
      // Used once, a secret's bytes key the MAC directly and belong to the signer, whose dispose zeroes them.
      kept = once && imported.kind === 'secret'
      return { o, signer, optionClaims: optionClaimsOf(o), headerSegment }
    } finally {
      // A secret's bytes are ours (importKey copies); a signer keeps only the pads made from them.
      if (imported.kind === 'secret' && !kept) wipe(imported.bytes)
    }
  } catch (err) {
    throw asJwtError(err, 'the sign options or the key cannot be read')
  }
}

/**
 * Makes a signing function: the options are checked, the key prepared and the header encoded once, so each
 * call only builds the claims, serialises them and computes one HMAC.
 *
 * @typeParam T - the payload type the returned function accepts (default: any object)
 * @param key - an HMAC secret (at least 32/48/64 bytes for HS256/384/512) or a private key: PEM text or bytes,
 *   a KeyObject or a JWK ({@link KeyInput}); the key decides the default algorithm
 * @param options - {@link SignOptions}
 * @returns a function that signs a payload object and returns a compact JWT
 * @throws {JwtError} `ERR_JWT_INVALID_OPTION` for bad options or a short, empty or PEM/JWK-looking secret (here);
 *   `ERR_JWT_INVALID_OPTION` from the returned function for a non-object payload, a payload claim of the wrong
 *   type, a claim that an option also sets to another value, or a payload JSON cannot serialise
 * @example
 * ```ts
 * import { createSigner, generateKeyPair } from 'jwt-codec'
 * const signAccess = createSigner(process.env.JWT_SECRET ?? '', { expiresIn: '15m', issuer: 'auth.example.com' })
 * const token = signAccess({ sub: '42' })
 * // With a key pair: the private key signs (ES256 here, from its curve), the public key verifies.
 * const { privateKey } = generateKeyPair('ES256')
 * const signEs = createSigner(privateKey, { expiresIn: '15m' })
 * ```
 */
export function createSigner<T extends object = object>(key: KeyInput, options?: SignOptions): (payload: T) => string {
  // For HMAC the RFC 2104 pads are computed here, once, and kept in this closure only: each call then costs two
  // one-shot hashes and no Hmac object. For a key pair, the KeyObject and node:crypto's options are kept.
  const plan = prepare(key, options, false)
  return (payload: T): string => {
    try {
      return signPayload(payload, plan)
    } catch (err) {
      throw asJwtError(err, 'the payload cannot be read')
    }
  }
}

/**
 * Signs a payload and returns a compact JWT (RFC 7519 §7.1). Adds `iat` unless `noTimestamp`; sets `exp`, `nbf`,
 * `iss`, `sub`, `aud`, `jti` and `kid` from the options. For many tokens with the same options, use
 * {@link createSigner}, which does the option work once.
 *
 * @typeParam T - the payload type, checked at compile time when given (`sign<Claims>(...)`)
 * @param payload - the claims, a plain object
 * @param key - an HMAC secret (at least 32/48/64 bytes for HS256/384/512) or a private key: PEM text or bytes,
 *   a KeyObject or a JWK ({@link KeyInput}); the key decides the default algorithm
 * @param options - {@link SignOptions}
 * @returns the token, `header.payload.signature`
 * @throws {JwtError} `ERR_JWT_INVALID_OPTION` for bad options, a bad secret or a bad payload
 * @example
 * ```ts
 * import { sign } from 'jwt-codec'
 * const token = sign({ sub: '42', name: 'Ada' }, process.env.JWT_SECRET ?? '', { expiresIn: '24h' })
 * ```
 */
export function sign<T extends object = object>(payload: T, key: KeyInput, options?: SignOptions): string {
  // The signer form called once, then disposed: no cache of keys or pads between calls, and the pads are zeroed
  // after the one MAC, so nothing key-derived outlives the call.
  const plan = prepare(key, options, true)
  try {
    return signPayload(payload, plan)
  } catch (err) {
    throw asJwtError(err, 'the payload cannot be read')
  } finally {
    plan.signer.dispose()
  }
}
