/**
 * The one table of JWS algorithms (RFC 7518 §3, RFC 8037, RFC 9864): for each, the key it needs, how a key is
 * checked for it, how it signs and how it verifies. The rest of the library asks this module and never names an
 * algorithm: adding one is a row here (and a line in the runtime conformance table).
 */
import { constants, createPublicKey, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto'
import { invalidOption } from '../errors.js'
import type { Algorithm } from '../types.js'
import { decode, encodeBytes } from './base64url.js'
import {
  checkSecret,
  constantTimeEqualAt,
  type HmacParams,
  type MacKey,
  macKey,
  macOf,
  macOfJoined,
  macWithKey,
  wipe,
  wipeMacKey,
} from './hmac.js'
import { type ImportedKey, importKey, type PairKey, type SecretKey } from './keys.js'
import { latin1Write } from './latin1.js'

/** The key family an algorithm belongs to, named by its JWK `kty` (RFC 7518 §6.1). */
export type KeyFamily = 'oct' | 'RSA' | 'EC' | 'OKP'

export interface AlgorithmSpec {
  readonly name: Algorithm
  readonly family: KeyFamily
  /** The node:crypto digest; null for EdDSA, whose hash is part of the signature scheme (RFC 8032). */
  readonly hash: HmacParams['hash'] | null
  /** The digest's size: the least HMAC key length (RFC 7518 §3.2) and the PSS salt length (§3.5). */
  readonly hashBytes: number
  /** The digest's block size (RFC 2104 "B"), for HMAC. */
  readonly block: number
  /** The `asymmetricKeyType`s of node:crypto that may sign and verify it. */
  readonly keyTypes: readonly string[]
  /** ECDSA: the one curve (node:crypto's name) the algorithm is defined over (RFC 7518 §3.4). */
  readonly curve: string | undefined
  /** ECDSA: the length of JOSE's raw `R || S` (RFC 7518 §3.4), the only signature encoding accepted. */
  readonly signatureBytes: number | undefined
  /** RSASSA-PSS: MGF1 with the same hash, a salt as long as the hash (RFC 7518 §3.5). */
  readonly pss: boolean
  /** The key types for which this algorithm is the default when no algorithm is given. */
  readonly defaultFor: readonly string[]
}

function hs(name: Algorithm, hash: HmacParams['hash'], hashBytes: number, block: number): AlgorithmSpec {
  return spec(name, 'oct', hash, hashBytes, block, [], undefined, undefined, false, [])
}

function spec(
  name: Algorithm,
  family: KeyFamily,
  hash: HmacParams['hash'] | null,
  hashBytes: number,
  block: number,
  keyTypes: readonly string[],
  curve: string | undefined,
  signatureBytes: number | undefined,
  pss: boolean,
  defaultFor: readonly string[],
): AlgorithmSpec {
  return Object.freeze({ name, family, hash, hashBytes, block, keyTypes, curve, signatureBytes, pss, defaultFor })
}

/** Every algorithm, in the order defaults and messages list them. */
const SPECS: readonly AlgorithmSpec[] = Object.freeze([
  hs('HS256', 'sha256', 32, 64),
  hs('HS384', 'sha384', 48, 128),
  hs('HS512', 'sha512', 64, 128),
  spec('RS256', 'RSA', 'sha256', 32, 0, ['rsa'], undefined, undefined, false, ['rsa']),
  spec('RS384', 'RSA', 'sha384', 48, 0, ['rsa'], undefined, undefined, false, []),
  spec('RS512', 'RSA', 'sha512', 64, 0, ['rsa'], undefined, undefined, false, []),
  spec('PS256', 'RSA', 'sha256', 32, 0, ['rsa', 'rsa-pss'], undefined, undefined, true, ['rsa-pss']),
  spec('PS384', 'RSA', 'sha384', 48, 0, ['rsa', 'rsa-pss'], undefined, undefined, true, []),
  spec('PS512', 'RSA', 'sha512', 64, 0, ['rsa', 'rsa-pss'], undefined, undefined, true, []),
  spec('ES256', 'EC', 'sha256', 32, 0, ['ec'], 'prime256v1', 64, false, ['ec']),
  spec('ES384', 'EC', 'sha384', 48, 0, ['ec'], 'secp384r1', 96, false, ['ec']),
  spec('ES512', 'EC', 'sha512', 64, 0, ['ec'], 'secp521r1', 132, false, ['ec']),
  // EdDSA with either curve (RFC 8037 §3.1); `Ed25519` is the fully-specified name for one of them (RFC 9864 §2.2).
  spec('EdDSA', 'OKP', null, 0, 0, ['ed25519', 'ed448'], undefined, undefined, false, ['ed25519', 'ed448']),
  spec('Ed25519', 'OKP', null, 0, 0, ['ed25519'], undefined, undefined, false, ['ed25519']),
])

const BY_NAME: ReadonlyMap<string, AlgorithmSpec> = new Map(SPECS.map((s) => [s.name, s]))

/** Every supported algorithm name. */
export const ALGORITHMS: readonly Algorithm[] = Object.freeze(SPECS.map((s) => s.name))

/** True for the name of a supported algorithm (case-sensitive, RFC 7515 §4.1.1; never `none`). */
export function isAlgorithm(value: unknown): value is Algorithm {
  return typeof value === 'string' && BY_NAME.has(value)
}

/** The table row of a supported algorithm. */
export function algorithmSpec(alg: Algorithm): AlgorithmSpec {
  return BY_NAME.get(alg) as AlgorithmSpec
}

/** The names for a message: `"HS256", "HS384", ... and "Ed25519"`. */
export function algorithmNames(): string {
  const quoted = ALGORITHMS.map((a) => `"${a}"`)
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`
}

/** Node's curve names as JOSE writes them (RFC 7518 §6.2.1.1), for messages. */
const CURVE_NAMES: Readonly<Record<string, string>> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' }

/** The smallest and largest RSA modulus accepted, in bits: RFC 7518 §3.3 asks for 2048 at least. */
export const RSA_MIN_BITS = 2048
export const RSA_MAX_BITS = 16384

/** node:crypto's key type names as people write them, for messages. */
const KEY_TYPE_NAMES: Readonly<Record<string, string>> = {
  rsa: 'an RSA',
  'rsa-pss': 'an RSA-PSS',
  ec: 'an EC',
  ed25519: 'an Ed25519',
  ed448: 'an Ed448',
}

function describeKey(key: ImportedKey): string {
  if (key.kind === 'secret') return 'an HMAC secret'
  const type = Object.hasOwn(KEY_TYPE_NAMES, key.type) ? KEY_TYPE_NAMES[key.type] : `a ${key.type}`
  const curve = key.curve === undefined ? '' : ` ${CURVE_NAMES[key.curve] ?? key.curve}`
  return `${type}${curve} ${key.kind} key`
}

function fits(s: AlgorithmSpec, key: ImportedKey): boolean {
  if (s.family === 'oct') return key.kind === 'secret'
  if (key.kind === 'secret' || !s.keyTypes.includes(key.type)) return false
  if (s.curve !== undefined && key.curve !== s.curve) return false
  // An RSA-PSS key may be restricted to one hash (RFC 4055 §3.1 parameters): only that hash fits.
  if (key.pssHash !== undefined && key.pssHash !== s.hash) return false
  // JWS PSS is MGF1 with the same hash and a salt of the hash's length (RFC 7518 §3.5): a key restricted to another
  // MGF1 hash would sign what no other verifier accepts, and one asking for a longer salt could not sign at all.
  if (key.pssMgf1Hash !== undefined && key.pssMgf1Hash !== s.hash) return false
  if (key.pssSaltLength !== undefined && key.pssSaltLength > s.hashBytes) return false
  return true
}

/**
 * The algorithms a key may be used with for `purpose`: the ones asked for (each must fit the key), or the key's
 * own defaults. Applies every key rule; throws ERR_JWT_INVALID_OPTION. `allowShort` is verify's
 * `insecureShortSecret`, for HMAC secrets only.
 */
export function keyAlgorithms(
  key: ImportedKey,
  requested: readonly Algorithm[] | undefined,
  purpose: 'sign' | 'verify',
  allowShort: boolean,
): readonly Algorithm[] {
  const jwk = key.jwk
  if (jwk !== undefined) {
    // RFC 7517 §4.2, §4.3: a key meant for encryption, or not for this operation, is not used to sign or verify.
    if (jwk.use !== undefined && jwk.use !== 'sig') throw invalidOption('the JWK "use" is not "sig"')
    if (jwk.keyOps !== undefined && !jwk.keyOps.includes(purpose)) {
      throw invalidOption(`the JWK "key_ops" does not allow "${purpose}"`)
    }
  }
  let algorithms = requested
  if (algorithms === undefined) {
    if (jwk?.alg !== undefined) {
      if (!isAlgorithm(jwk.alg)) throw invalidOption('the JWK "alg" is not an algorithm jwt-codec supports')
      algorithms = [jwk.alg]
    } else {
      algorithms = defaultAlgorithms(key, purpose)
    }
  }
  let longest: AlgorithmSpec | undefined
  for (const alg of algorithms) {
    const s = algorithmSpec(alg)
    // RFC 7517 §4.4: a JWK's `alg` is the one algorithm it is for.
    if (jwk?.alg !== undefined && jwk.alg !== alg) throw invalidOption(`the JWK "alg" does not allow "${alg}"`)
    if (!fits(s, key)) {
      // RFC 8725 §3.1: the key decides the family, so a token can never choose HMAC with a public key.
      throw invalidOption(`"${alg}" cannot be used with ${describeKey(key)}`)
    }
    if (longest === undefined || s.hashBytes > longest.hashBytes) longest = s
  }
  if (key.kind === 'secret') {
    checkSecret(key.bytes, key.input, longest, allowShort)
    return algorithms
  }
  if (allowShort) throw invalidOption('"insecureShortSecret" applies to HMAC secrets only')
  if (key.bits !== undefined && (key.bits < RSA_MIN_BITS || key.bits > RSA_MAX_BITS)) {
    throw invalidOption(
      `the RSA key has ${key.bits} bits; jwt-codec accepts ${RSA_MIN_BITS} to ${RSA_MAX_BITS} (RFC 7518 §3.3)`,
    )
  }
  // An exponent of 1 makes every padded hash its own signature; an even one is no RSA key. FIPS 186-5 §A.1.1 asks
  // for 2^16 < e < 2^256; 3 and up are accepted (signatures are checked exactly), and the upper bound keeps
  // one verification from costing as much as a private-key operation.
  if (key.exponent !== undefined && (key.exponent < 3n || key.exponent % 2n === 0n || key.exponent >= 1n << 256n)) {
    throw invalidOption('the RSA public exponent must be odd, at least 3 and below 2^256')
  }
  if (purpose === 'sign' && key.kind !== 'private')
    throw invalidOption(`signing needs a private key, not ${describeKey(key)}`)
  return algorithms
}

function defaultAlgorithms(key: ImportedKey, purpose: 'sign' | 'verify'): readonly Algorithm[] {
  if (key.kind === 'secret') return ['HS256']
  const found: Algorithm[] = []
  for (const s of SPECS) {
    if (s.defaultFor.includes(key.type) && fits(s, key)) found.push(s.name)
  }
  if (found.length === 0) {
    throw invalidOption(`${describeKey(key)} cannot sign or verify with any algorithm jwt-codec supports`)
  }
  return purpose === 'sign' ? found.slice(0, 1) : found
}

/**
 * Checks the signature segment `token[end + 1, token.length)` over the signing input `token[0, end)`. A
 * signature that is not canonical base64url is a mismatch here; the caller then reports it as malformed.
 * Classes rather than closures: the one-shot verify makes one per call, and an instance is cheaper to make.
 */
export interface SignatureCheck {
  check(token: string, end: number): boolean
  /** Zeroes key-derived bytes (the HMAC pads); the one-shot forms call it after their one call. */
  dispose(): void
}

/** Signs `head + '.' + tail`, returning the base64url signature. */
export interface Signer {
  sign(head: string, tail: string): string
  /** Zeroes key-derived bytes (the HMAC pads, or the secret itself when used once). */
  dispose(): void
}

/**
 * Scratch for an asymmetric signing input (token text, never key material), owned by the synchronous functions
 * below alone; larger inputs get a buffer of their own.
 */
let inputScratch = Buffer.alloc(2048)
const SCRATCH_KEEP = 64 * 1024

/** The first `length` chars of `text` (then, with `tail`, '.' and `tail`) as bytes, in the scratch when it fits. */
function signingInput(text: string, length: number, tail: string | undefined): Buffer {
  const total = tail === undefined ? length : length + 1 + tail.length
  let buffer = inputScratch
  if (buffer.length < total) {
    buffer = Buffer.allocUnsafe(total)
    if (total <= SCRATCH_KEEP) inputScratch = buffer
  }
  latin1Write(buffer, text, 0, length)
  if (tail !== undefined) {
    buffer[length] = 0x2e /* . */
    latin1Write(buffer, tail, length + 1, tail.length)
  }
  return buffer.subarray(0, total)
}

type CryptoKeyOptions =
  | KeyObject
  | { key: KeyObject; padding?: number; saltLength?: number; dsaEncoding?: 'ieee-p1363' }

/** What node:crypto needs beside the key for this algorithm: the padding, salt or signature encoding. */
function cryptoKey(s: AlgorithmSpec, key: KeyObject): CryptoKeyOptions {
  if (s.pss) return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: s.hashBytes }
  if (s.family === 'EC') return { key, dsaEncoding: 'ieee-p1363' }
  return key
}

/** The exact length of a valid signature for `key`, or undefined when any length may be tried. */
function signatureLength(s: AlgorithmSpec, key: PairKey): number | undefined {
  if (s.signatureBytes !== undefined) return s.signatureBytes
  if (key.bits !== undefined) return Math.ceil(key.bits / 8)
  if (key.type === 'ed25519') return 64
  if (key.type === 'ed448') return 114
  return undefined
}

/** HMAC with pads made once (a verifier): recompute, compare the base64url text in constant time. */
class MacCheck implements SignatureCheck {
  constructor(private readonly pads: MacKey) {}
  check(token: string, end: number): boolean {
    // Comparing text also demands the one canonical spelling of the signature.
    return constantTimeEqualAt(macOf(this.pads, token, end), token, end + 1)
  }
  dispose(): void {
    wipeMacKey(this.pads)
  }
}

/** HMAC keyed straight from the secret's bytes (the one-shot verify; the caller zeroes them after the call). */
class OnceMacCheck implements SignatureCheck {
  constructor(
    private readonly params: HmacParams,
    private readonly bytes: Uint8Array,
  ) {}
  check(token: string, end: number): boolean {
    return constantTimeEqualAt(macWithKey(this.params, this.bytes, token, end), token, end + 1)
  }
  dispose(): void {}
}

/** RSA, RSA-PSS, ECDSA and EdDSA: decode the signature strictly, check its length, then `crypto.verify`. */
class PairCheck implements SignatureCheck {
  constructor(
    private readonly hash: string | null,
    private readonly key: CryptoKeyOptions,
    private readonly length: number | undefined,
  ) {}
  check(token: string, end: number): boolean {
    let signature: Uint8Array
    try {
      signature = decode(token.slice(end + 1))
    } catch {
      return false
    }
    // ECDSA DER, a truncated or padded signature: refused before OpenSSL sees it (RFC 7518 §3.4).
    if (this.length !== undefined && signature.length !== this.length) return false
    try {
      return cryptoVerify(this.hash, signingInput(token, end, undefined), this.key, signature)
    } catch {
      return false
    }
  }
  dispose(): void {}
}

/**
 * The signature check of `alg` with `key` (already checked by {@link keyAlgorithms}). `once` (the one-shot
 * verify): no HMAC pads are made; the MAC is keyed straight from the secret's bytes, which the caller zeroes.
 */
export function signatureCheck(alg: Algorithm, key: ImportedKey, once = false): SignatureCheck {
  const s = algorithmSpec(alg)
  if (key.kind === 'secret') {
    return once ? new OnceMacCheck(s as HmacParams, key.bytes) : new MacCheck(macKey(s as HmacParams, key.bytes))
  }
  // Verifying with a private key uses its public half.
  const publicKey = key.kind === 'private' ? createPublicKey(key.key) : key.key
  return new PairCheck(s.hash, cryptoKey(s, publicKey), signatureLength(s, key))
}

class MacSigner implements Signer {
  constructor(private readonly pads: MacKey) {}
  sign(head: string, tail: string): string {
    return macOfJoined(this.pads, head, tail)
  }
  dispose(): void {
    wipeMacKey(this.pads)
  }
}

/** Keyed straight from the secret's bytes (the one-shot sign); dispose zeroes them. */
class OnceMacSigner implements Signer {
  constructor(
    private readonly params: HmacParams,
    private readonly bytes: Uint8Array,
  ) {}
  sign(head: string, tail: string): string {
    return macWithKey(this.params, this.bytes, head, head.length, tail)
  }
  dispose(): void {
    wipe(this.bytes)
  }
}

class PairSigner implements Signer {
  constructor(
    private readonly hash: string | null,
    private readonly key: CryptoKeyOptions,
  ) {}
  sign(head: string, tail: string): string {
    let signature: Buffer
    try {
      signature = cryptoSign(this.hash, signingInput(head, head.length, tail), this.key)
    } catch {
      throw invalidOption('the key cannot sign')
    }
    return encodeBytes(signature)
  }
  dispose(): void {}
}

/**
 * The signer of `alg` with `key` (already checked by {@link keyAlgorithms} for signing). `once` (the one-shot
 * sign): keyed straight from the secret's bytes, which then belong to the signer and are zeroed by its dispose.
 */
export function signerFor(alg: Algorithm, key: ImportedKey, once = false): Signer {
  const s = algorithmSpec(alg)
  if (key.kind === 'secret') {
    return once ? new OnceMacSigner(s as HmacParams, key.bytes) : new MacSigner(macKey(s as HmacParams, key.bytes))
  }
  return new PairSigner(s.hash, cryptoKey(s, key.key))
}

/**
 * The base64url signature of `alg` over an exact signing input, for known-answer tests whose headers our signers
 * would never write (RFC 7515 A.2 and A.3 sign a payload with CRLFs and a header without `typ`). The key is checked as for `sign`.
 */
export function signInput(alg: Algorithm, keyInput: unknown, input: string): string {
  const key = importKey(keyInput, 'sign')
  keyAlgorithms(key, [alg], 'sign', false)
  const dot = input.lastIndexOf('.')
  const f = signerFor(alg, key)
  try {
    return f.sign(input.slice(0, dot), input.slice(dot + 1))
  } finally {
    f.dispose()
    if (key.kind === 'secret') wipe(key.bytes)
  }
}

/** True when `signature` is a valid signature of `alg` over `input`, for known-answer tests. */
export function verifyInput(alg: Algorithm, keyInput: unknown, input: string, signature: string): boolean {
  const key = importKey(keyInput, 'verify')
  keyAlgorithms(key, [alg], 'verify', false)
  const f = signatureCheck(alg, key)
  try {
    return f.check(`${input}.${signature}`, input.length)
  } finally {
    f.dispose()
    if (key.kind === 'secret') wipe(key.bytes)
  }
}

/** The HMAC of any key over an ASCII input, unchecked (RFC 4231 vectors use keys shorter than the hash). */
export function hmacOf(alg: Algorithm, key: Uint8Array, input: string): string {
  const s = algorithmSpec(alg)
  if (s.family !== 'oct') throw invalidOption(`"${alg}" is not an HMAC algorithm`)
  const pads = macKey(s as HmacParams, key)
  try {
    return macOf(pads, input, input.length)
  } finally {
    wipeMacKey(pads)
  }
}

/**
 * A string, bytes or secret KeyObject as HMAC key bytes of our own, checked for `algorithms` (all HMAC): the
 * secret rules alone, without the other key forms (for tests of those rules).
 */
export function prepareSecret(secret: unknown, algorithms: readonly Algorithm[], allowShort = false): Buffer {
  const key = importKey(secret, 'verify')
  try {
    keyAlgorithms(key, algorithms, 'verify', allowShort)
  } catch (err) {
    if (key.kind === 'secret') wipe(key.bytes)
    throw err
  }
  // keyAlgorithms refuses a key pair for HMAC algorithms, so this is a secret.
  return (key as SecretKey).bytes
}
