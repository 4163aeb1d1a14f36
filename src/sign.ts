import { JwtError } from './errors.js'
import { encodeString } from './lib/base64url.js'
import { isAudience, isNumericDate } from './lib/claims.js'
import { asJwtError } from './lib/contain.js'
import { DEFAULT_HEADER_SEGMENT } from './lib/header.js'
import { type MacKey, macJoinedWithKey, macKey, macOfJoined, prepareKey } from './lib/hmac.js'
import { type CompiledSignOptions, compileSignOptions, invalidOption } from './lib/options.js'
import { own } from './lib/segments.js'
import type { Secret, SignOptions } from './types.js'

/** Registered claims whose type sign() checks, so we never issue a token our own verifier would refuse. */
const TIME_CLAIMS = ['exp', 'nbf', 'iat'] as const
const STRING_CLAIMS = ['iss', 'sub', 'jti'] as const

function checkPayload(payload: object): void {
  const p = payload as Record<string, unknown>
  for (const claim of TIME_CLAIMS) {
    const v = own(p, claim)
    if (v !== undefined && !isNumericDate(v))
      throw invalidOption(`the payload "${claim}" must be a finite number of seconds`)
  }
  for (const claim of STRING_CLAIMS) {
    const v = own(p, claim)
    if (v !== undefined && typeof v !== 'string') throw invalidOption(`the payload "${claim}" must be a string`)
  }
  const aud = own(p, 'aud')
  if (aud !== undefined && !isAudience(aud))
    throw invalidOption('the payload "aud" must be a string or an array of strings')
}

/**
 * Only object literals and null-prototype objects: a Buffer, Map, Date or class instance would be spread into
 * surprising claims (a Buffer's bytes become "0", "1", ...), so it is refused rather than guessed at.
 */
function isPlainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false
  // A root prototype (Object.prototype of this or another realm, e.g. a vm context) or none at all.
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === null || Object.getPrototypeOf(proto) === null
}

/** An own member with a value: `{ iat: undefined }` is absent, as JSON.stringify will make it. */
function present(claims: Record<string, unknown>, name: string): boolean {
  return Object.hasOwn(claims, name) && claims[name] !== undefined
}

function sameClaim(a: unknown, b: string | string[]): boolean {
  if (typeof b === 'string') return a === b
  return Array.isArray(a) && a.length === b.length && a.every((v, i) => v === b[i])
}

function headerSegmentOf(o: CompiledSignOptions): string {
  const h = o.header
  const keys = Object.keys(h)
  if (keys.length === 2 && keys[0] === 'alg' && keys[1] === 'typ' && h.typ === 'JWT') {
    return DEFAULT_HEADER_SEGMENT[o.algorithm]
  }
  let json: string
  try {
    json = JSON.stringify(h)
  } catch (cause) {
    throw new JwtError('ERR_JWT_INVALID_OPTION', '"header" cannot be serialised as JSON', { cause })
  }
  return encodeString(json)
}

/** The per-payload work shared by {@link createSigner} and {@link sign}. */
function signPayload(payload: object, o: CompiledSignOptions, headerSegment: string, key: MacKey | Uint8Array): string {
  const { claims: optionClaims, expiresIn, notBefore, noTimestamp, now: fixedNow } = o
  if (!isPlainObject(payload)) throw invalidOption('the payload must be a plain object')
  checkPayload(payload)
  // Spread copies own enumerable properties with define semantics: a `__proto__` key stays data.
  const claims: Record<string, unknown> = { ...payload }
  // Whole seconds, so that iat, exp and nbf agree even when `now` is given as a fraction.
  const now = Math.floor(fixedNow ?? Date.now() / 1000)
  if (!noTimestamp && !present(claims, 'iat')) claims.iat = now
  if (expiresIn !== undefined) {
    if (present(claims, 'exp')) throw invalidOption('the payload already has "exp"; do not also set "expiresIn"')
    claims.exp = Math.floor(now + expiresIn)
  }
  if (notBefore !== undefined) {
    if (present(claims, 'nbf')) throw invalidOption('the payload already has "nbf"; do not also set "notBefore"')
    claims.nbf = Math.floor(now + notBefore)
  }
  for (const [name, value] of optionClaims) {
    if (present(claims, name)) {
      if (!sameClaim(claims[name], value))
        throw invalidOption(`the payload "${name}" contradicts the option that sets it`)
    } else {
      claims[name] = value
    }
  }
  let json: string | undefined
  try {
    json = JSON.stringify(claims)
  } catch (cause) {
    throw new JwtError('ERR_JWT_INVALID_OPTION', 'the payload cannot be serialised as JSON', { cause })
  }
  // A `toJSON` member can make JSON.stringify return undefined or a non-object: neither is a claim set.
  if (typeof json !== 'string' || json.charCodeAt(0) !== 0x7b /* { */) {
    throw new JwtError('ERR_JWT_INVALID_OPTION', 'the payload cannot be serialised as a JSON object')
  }
  const payloadSegment = encodeString(json)
  // A signer passes its precomputed pads; the one-shot form passes the secret's bytes, used for this call only.
  const mac =
    key instanceof Uint8Array
      ? macJoinedWithKey(o.algorithm, key, headerSegment, payloadSegment)
      : macOfJoined(key, headerSegment, payloadSegment)
  return `${headerSegment}.${payloadSegment}.${mac}`
}

/**
 * Makes a signing function: the options are checked, the key prepared and the header encoded once, so each
 * call only builds the claims, serialises them and computes one HMAC.
 *
 * @typeParam T - the payload type the returned function accepts (default: any object)
 * @param secret - the HMAC secret; at least 32/48/64 bytes for HS256/384/512
 * @param options - {@link SignOptions}
 * @returns a function that signs a payload object and returns a compact JWT
 * @throws {JwtError} `ERR_JWT_INVALID_OPTION` for bad options or a short, empty or PEM/JWK-looking secret (here);
 *   `ERR_JWT_INVALID_OPTION` from the returned function for a non-object payload, a payload claim of the wrong
 *   type, a claim that an option also sets to another value, or a payload JSON cannot serialise
 * @example
 * ```ts
 * import { createSigner } from 'jwt-codec'
 * const signAccess = createSigner(process.env.JWT_SECRET ?? '', { expiresIn: '15m', issuer: 'auth.example.com' })
 * const token = signAccess({ sub: '42' })
 * ```
 */
export function createSigner<T extends object = object>(secret: Secret, options?: SignOptions): (payload: T) => string {
  let o: CompiledSignOptions
  let bytes: Buffer
  try {
    o = compileSignOptions(options)
    bytes = prepareKey(secret, [o.algorithm])
  } catch (err) {
    throw asJwtError(err, 'the sign options or the secret cannot be read')
  }
  // The RFC 2104 pads are computed here, once, and kept in this closure only: each call then costs two one-shot
  // hashes and no Hmac object.
  const key = macKey(o.algorithm, bytes)
  bytes.fill(0)
  const headerSegment = headerSegmentOf(o)
  return (payload: T): string => {
    try {
      return signPayload(payload, o, headerSegment, key)
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
 * @param secret - the HMAC secret; at least 32/48/64 bytes for HS256/384/512
 * @param options - {@link SignOptions}
 * @returns the token, `header.payload.signature`
 * @throws {JwtError} `ERR_JWT_INVALID_OPTION` for bad options, a bad secret or a bad payload
 * @example
 * ```ts
 * import { sign } from 'jwt-codec'
 * const token = sign({ sub: '42', name: 'Ada' }, process.env.JWT_SECRET ?? '', { expiresIn: '24h' })
 * ```
 */
export function sign<T extends object = object>(payload: T, secret: Secret, options?: SignOptions): string {
  // No cache of secrets or pads between calls: the pads are built for this call and zeroed after the MAC.
  let o: CompiledSignOptions
  let key: Buffer
  try {
    o = compileSignOptions(options)
    key = prepareKey(secret, [o.algorithm])
  } catch (err) {
    throw asJwtError(err, 'the sign options or the secret cannot be read')
  }
  try {
    return signPayload(payload, o, headerSegmentOf(o), key)
  } catch (err) {
    throw asJwtError(err, 'the payload cannot be read')
  } finally {
    // The secret's bytes are ours (prepareKey copies): nothing key-like outlives the call.
    key.fill(0)
  }
}
