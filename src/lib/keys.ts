/**
 * Turning what a caller gives as a key into one of two kinds: an HMAC secret (bytes of our own) or one half of a
 * key pair (a node:crypto KeyObject and what the algorithm rules need to know of it). What a key is comes from
 * its type, never from a token (RFC 8725 §3.1): a KeyObject by its own type, a plain object with `kty` is a JWK,
 * a string or bytes holding a PEM block of a known label is that key, and any other string or bytes is a secret.
 */
import { createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto'
import { types } from 'node:util'
import { invalidOption, JwtError } from '../errors.js'
import { decode } from './base64url.js'
import { secretBytes } from './hmac.js'

/** The members of a JWK that limit its use (RFC 7517 §4.2 to §4.4), read once. */
export interface JwkRules {
  readonly alg: string | undefined
  readonly use: string | undefined
  readonly keyOps: readonly string[] | undefined
  readonly kid: string | undefined
}

/** An HMAC secret: bytes of our own, which the caller zeroes once they are turned into pads. */
export interface SecretKey {
  readonly kind: 'secret'
  readonly bytes: Buffer
  /** The caller's value, for the cheap "surely not key material" pre-check of a string. */
  readonly input: unknown
  readonly jwk: JwkRules | undefined
}

/** One half of a key pair. */
export interface PairKey {
  readonly kind: 'public' | 'private'
  readonly key: KeyObject
  /** node:crypto's `asymmetricKeyType`: 'rsa', 'rsa-pss', 'ec', 'ed25519', 'ed448', ... */
  readonly type: string
  /** EC keys: node:crypto's curve name ('prime256v1', 'secp384r1', 'secp521r1', 'secp256k1', ...). */
  readonly curve: string | undefined
  /** RSA keys: the modulus length. */
  readonly bits: number | undefined
  /** RSA keys: the public exponent. */
  readonly exponent: bigint | undefined
  /** RSA-PSS keys restricted to one hash (RFC 4055 §3.1): that hash. */
  readonly pssHash: string | undefined
  /** RSA-PSS keys restricted to one MGF1 hash: that hash. */
  readonly pssMgf1Hash: string | undefined
  /** RSA-PSS keys restricted to a least salt length: that length, in bytes. */
  readonly pssSaltLength: number | undefined
  readonly jwk: JwkRules | undefined
}

export type ImportedKey = SecretKey | PairKey

/** PEM labels (RFC 7468) of the keys and certificates jwt-codec reads. */
const PEM_LABELS = [
  'PUBLIC KEY',
  'RSA PUBLIC KEY',
  'PRIVATE KEY',
  'RSA PRIVATE KEY',
  'EC PRIVATE KEY',
  'CERTIFICATE',
  'ENCRYPTED PRIVATE KEY',
] as const
type PemLabel = (typeof PEM_LABELS)[number]

/**
 * The first PEM block of a known label in `text` (from its BEGIN line to its END line, so that text before it on
 * the same line, which OpenSSL's decoder refuses, does not matter), or undefined when there is none.
 */
function pemBlock(text: string): { label: PemLabel; block: string } | undefined {
  let at = text.indexOf('-----BEGIN ')
  while (at !== -1) {
    const end = text.indexOf('-----', at + 11)
    if (end === -1) return undefined
    const label = text.slice(at + 11, end)
    for (const known of PEM_LABELS) {
      if (label !== known) continue
      const footer = `-----END ${known}-----`
      const stop = text.indexOf(footer, end + 5)
      return { label: known, block: text.slice(at, stop === -1 ? text.length : stop + footer.length) }
    }
    at = text.indexOf('-----BEGIN ', at + 1)
  }
  return undefined
}

/** How many imported public keys the one-shot verify keeps (parsing a PEM costs OpenSSL 150 to 300 µs). */
export const PUBLIC_KEY_CACHE_SIZE = 32

/**
 * Imported public keys by the exact input they came from, least recently used out first: PEM strings keyed by the
 * caller's own string (no new string to build and hash per lookup), PEM bytes and public JWKs by a content id, in
 * a map of their own so that no string can pose as another kind of input. Public keys only, never a secret or a
 * private key: whoever can read these maps learns nothing that is not public.
 */
const byText = new Map<string, Omit<PairKey, 'jwk'>>()
const byContent = new Map<string, Omit<PairKey, 'jwk'>>()

function cacheGet(map: Map<string, Omit<PairKey, 'jwk'>>, id: string): Omit<PairKey, 'jwk'> | undefined {
  const hit = map.get(id)
  if (hit !== undefined) {
    map.delete(id)
    map.set(id, hit)
  }
  return hit
}

function cachePut(map: Map<string, Omit<PairKey, 'jwk'>>, id: string, made: Omit<PairKey, 'jwk'>): void {
  if (made.kind !== 'public') return
  if (map.size >= PUBLIC_KEY_CACHE_SIZE) {
    const oldest = map.keys().next().value
    if (oldest !== undefined) map.delete(oldest)
  }
  map.set(id, made)
}

/** For tests: how many public keys are cached. */
export function publicKeyCacheSize(): number {
  return byText.size + byContent.size
}

function pair(key: KeyObject, certificate: boolean): Omit<PairKey, 'jwk'> {
  const type = key.asymmetricKeyType
  if (type === undefined) throw invalidOption('the key has no asymmetric key type')
  const details = key.asymmetricKeyDetails ?? {}
  return Object.freeze({
    kind: certificate || key.type === 'public' ? 'public' : 'private',
    key,
    type,
    curve: details.namedCurve,
    bits: type === 'rsa' || type === 'rsa-pss' ? details.modulusLength : undefined,
    exponent: type === 'rsa' || type === 'rsa-pss' ? details.publicExponent : undefined,
    pssHash: type === 'rsa-pss' ? details.hashAlgorithm : undefined,
    pssMgf1Hash: type === 'rsa-pss' ? details.mgf1HashAlgorithm : undefined,
    pssSaltLength: type === 'rsa-pss' ? details.saltLength : undefined,
  })
}

function importPem(text: string, label: PemLabel): Omit<PairKey, 'jwk'> {
  if (label === 'ENCRYPTED PRIVATE KEY') {
    throw invalidOption('the PEM key is encrypted; decrypt it into a KeyObject with crypto.createPrivateKey first')
  }
  try {
    if (label === 'CERTIFICATE') return pair(new X509Certificate(text).publicKey, true)
    if (label.endsWith('PRIVATE KEY')) return pair(createPrivateKey({ key: text, format: 'pem' }), false)
    return pair(createPublicKey({ key: text, format: 'pem' }), false)
  } catch (err) {
    if (err instanceof JwtError) throw err
    // OpenSSL's message may quote the input: none of it is kept.
    throw invalidOption(`the PEM ${label === 'CERTIFICATE' ? 'certificate' : 'key'} cannot be read`)
  }
}

/** String members of each key type's JWK (RFC 7518 §6, RFC 8037 §2), public ones first. */
const JWK_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  RSA: ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'],
  EC: ['crv', 'x', 'y', 'd'],
  OKP: ['crv', 'x', 'd'],
  oct: ['k'],
}
/**
 * Octets of each coordinate and private scalar, by curve: RFC 7518 §6.2.1.2, §6.2.1.3 and §6.2.2.1 ("MUST be the
 * full size", no more, no less) and RFC 8037 §2 for OKP keys. node:crypto would take a shorter `d` as another
 * (smaller) scalar, an empty one as zero, and a zero-prefixed coordinate as the same point.
 */
const MEMBER_BYTES: Readonly<Record<string, number>> = {
  'P-256': 32,
  'P-384': 48,
  'P-521': 66,
  secp256k1: 32,
  Ed25519: 32,
  Ed448: 57,
  X25519: 32,
  X448: 56,
}

/** Members that make a JWK private. */
const PRIVATE_MEMBERS: ReadonlySet<string> = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'])

/** An own data property of a caller's object (never a getter, never inherited), or undefined. */
function ownValue(object: object, name: string): unknown {
  const d = Object.getOwnPropertyDescriptor(object, name)
  if (d === undefined) return undefined
  if (!('value' in d)) throw invalidOption(`the JWK "${name}" is an accessor, not data`)
  return d.value
}

function ownString(object: object, name: string): string | undefined {
  const v = ownValue(object, name)
  if (v !== undefined && typeof v !== 'string') throw invalidOption(`the JWK "${name}" must be a string`)
  return v
}

function jwkRules(jwk: object): JwkRules {
  const keyOps = ownValue(jwk, 'key_ops')
  let ops: string[] | undefined
  if (keyOps !== undefined) {
    if (!Array.isArray(keyOps)) throw invalidOption('the JWK "key_ops" must be an array of strings')
    ops = []
    for (let i = 0; i < keyOps.length; i++) {
      const op = ownValue(keyOps, String(i))
      if (typeof op !== 'string') throw invalidOption('the JWK "key_ops" must be an array of strings')
      ops.push(op)
    }
  }
  return Object.freeze({
    alg: ownString(jwk, 'alg'),
    use: ownString(jwk, 'use'),
    keyOps: ops,
    kid: ownString(jwk, 'kid'),
  })
}

/** True for a plain object with an own `kty`: a JWK. */
export function isJwkObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  if (types.isUint8Array(value) || isKeyObject(value)) return false
  return Object.hasOwn(value, 'kty')
}

function importJwk(input: object, purpose: 'sign' | 'verify'): ImportedKey {
  const kty = ownString(input, 'kty')
  const names = kty === undefined ? undefined : JWK_MEMBERS[kty]
  if (names === undefined || !Object.hasOwn(JWK_MEMBERS, kty as string)) {
    throw invalidOption('the JWK "kty" must be "oct", "RSA", "EC" or "OKP"')
  }
  const rules = jwkRules(input)
  // Our own copy of the members node:crypto reads, each checked as canonical base64url (RFC 7518 §6: Base64urlUInt
  // and base64url members), so that what is imported is exactly what was checked.
  const jwk: Record<string, string> = { kty: kty as string }
  let isPrivate = false
  for (const name of names) {
    const value = ownString(input, name)
    if (value === undefined) continue
    if (name !== 'crv') {
      let bytes: Uint8Array
      try {
        bytes = decode(value)
      } catch {
        throw invalidOption(`the JWK "${name}" is not base64url`)
      }
      const length = bytes.length
      // Only the spelling was wanted; private members' bytes do not linger.
      bytes.fill(0)
      if (kty === 'EC' || kty === 'OKP') {
        // `crv` comes first in the member list, so it is already read.
        const crv = jwk.crv
        const size = crv !== undefined && Object.hasOwn(MEMBER_BYTES, crv) ? MEMBER_BYTES[crv] : undefined
        if (size !== undefined && length !== size) {
          throw invalidOption(`the ${crv} JWK "${name}" must be ${size} bytes`)
        }
      }
    }
    jwk[name] = value
    if (PRIVATE_MEMBERS.has(name)) isPrivate = true
  }
  if (kty === 'oct') {
    if (jwk.k === undefined) throw invalidOption('the "oct" JWK has no "k"')
    const raw = decode(jwk.k)
    const bytes = Buffer.alloc(raw.length)
    bytes.set(raw)
    raw.fill(0)
    return { kind: 'secret', bytes, input: undefined, jwk: rules }
  }
  // A public JWK is cached by its key members alone (each length-prefixed: no two keys share an id, and no
  // toJSON anywhere can change it); a private one is never cached.
  let id: string | undefined
  if (!isPrivate && purpose === 'verify') {
    id = 'j'
    for (const name of Object.keys(jwk)) id += `${name}=${(jwk[name] as string).length}:${jwk[name] as string}`
    const hit = cacheGet(byContent, id)
    if (hit !== undefined) return { ...hit, jwk: rules }
  }
  let made: Omit<PairKey, 'jwk'>
  try {
    made = pair(
      isPrivate ? createPrivateKey({ key: jwk, format: 'jwk' }) : createPublicKey({ key: jwk, format: 'jwk' }),
      false,
    )
  } catch (err) {
    if (err instanceof JwtError) throw err
    throw invalidOption(`the ${kty} JWK cannot be read`)
  }
  if (id !== undefined) cachePut(byContent, id, made)
  return { ...made, jwk: rules }
}

/**
 * The content of a JWK as a cache key: its own data members that importing and the rules read, in a fixed order,
 * or undefined when it cannot be read (then no verifier is cached for it). Never through JSON.stringify, which a
 * `toJSON` on Object.prototype could make answer the same for two different keys.
 */
export function jwkContentId(jwk: unknown): string | undefined {
  if (!isJwkObject(jwk)) return undefined
  try {
    // Each member length-prefixed, so no two different keys can give the same id.
    let id = 'j'
    for (const name of ['kty', 'kid', 'alg', 'use', 'n', 'e', 'crv', 'x', 'y', 'd', 'p', 'q', 'dp', 'dq', 'qi', 'k']) {
      const v = ownValue(jwk, name)
      id += typeof v === 'string' ? `${v.length}:${v}` : v === undefined ? '-' : '?'
    }
    const ops = jwkRules(jwk).keyOps
    if (ops !== undefined) for (const op of ops) id += `${op.length}:${op}`
    return id
  } catch {
    return undefined
  }
}

/** util.types.isKeyObject reads a property, which a revoked Proxy answers with a TypeError: that is a "no". */
function isKeyObject(value: unknown): boolean {
  try {
    return types.isKeyObject(value)
  } catch {
    return false
  }
}

/**
 * Reads a key for `purpose`. Throws ERR_JWT_INVALID_OPTION for anything that is not a usable key; the algorithm
 * rules (./algorithms.ts) check the result against the algorithms.
 */
export function importKey(input: unknown, purpose: 'sign' | 'verify'): ImportedKey {
  if (typeof input === 'string' || types.isUint8Array(input)) {
    // PEM is ASCII: latin1 keeps every byte as one char, so the label search sees exactly the bytes.
    const text =
      typeof input === 'string'
        ? input
        : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1')
    const pem = pemBlock(text)
    if (pem === undefined) return secret(input)
    if (purpose === 'sign') return { ...importPem(pem.block, pem.label), jwk: undefined }
    const map = typeof input === 'string' ? byText : byContent
    const id = typeof input === 'string' ? input : `b${text}`
    let made = cacheGet(map, id)
    if (made === undefined) {
      made = importPem(pem.block, pem.label)
      cachePut(map, id, made)
    }
    return { ...made, jwk: undefined }
  }
  if (isKeyObject(input)) {
    const key = input as KeyObject
    if (key.type === 'secret') return secret(input)
    try {
      return { ...pair(key, false), jwk: undefined }
    } catch (err) {
      if (err instanceof JwtError) throw err
      throw invalidOption('the KeyObject cannot be read')
    }
  }
  if (isJwkObject(input)) return importJwk(input, purpose)
  throw invalidOption('the key must be a string, a Uint8Array, a KeyObject or a JWK object')
}

function secret(input: unknown): SecretKey {
  return { kind: 'secret', bytes: secretBytes(input), input, jwk: undefined }
}
