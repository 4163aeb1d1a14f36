/**
 * HMAC over node:crypto for HS256/384/512 (RFC 7518 §3.2): key preparation, MAC, constant-time comparison.
 */
import { hash, KeyObject } from 'node:crypto'
import { JwtError } from '../errors.js'
import type { Algorithm } from '../types.js'
import { latin1Write } from './latin1.js'

export const HASH: Readonly<Record<Algorithm, string>> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }
/** Output size in bytes; RFC 7518 §3.2 requires a key at least this long. */
export const HASH_BYTES: Readonly<Record<Algorithm, number>> = { HS256: 32, HS384: 48, HS512: 64 }

export const ALGORITHMS: readonly Algorithm[] = ['HS256', 'HS384', 'HS512']

export function isAlgorithm(value: unknown): value is Algorithm {
  return value === 'HS256' || value === 'HS384' || value === 'HS512'
}

const HOW_TO =
  "generate one with `npx jwt-codec secret` or `node -e \"console.log(require('node:crypto').randomBytes(64).toString('base64url'))\"`"

function invalidKey(message: string): JwtError {
  return new JwtError('ERR_JWT_INVALID_OPTION', message)
}

/**
 * Turns a secret into its bytes and checks it for every algorithm it may be used with.
 * Refuses empty and short secrets (RFC 7518 §3.2), asymmetric KeyObjects, and secrets that look like PEM or JWK
 * key material: an HMAC "secret" that is really a public key is the classic algorithm-confusion attack
 * (RFC 8725 §2.1, §3.1; CVE-2015-9235, CVE-2016-10555).
 */
export function prepareKey(secret: unknown, algorithms: readonly Algorithm[]): Buffer {
  let bytes: Buffer
  // Whether `bytes` is a fresh buffer nobody else holds (no defensive copy needed at the end).
  let fresh = true
  if (typeof secret === 'string') {
    // Buffer.alloc, not Buffer.from: the key bytes get memory of their own, never a slice of the shared pool that
    // any other pooled Buffer's `.buffer` exposes.
    bytes = Buffer.alloc(Buffer.byteLength(secret, 'utf8'))
    bytes.write(secret, 'utf8')
  } else if (secret instanceof KeyObject) {
    if (secret.type !== 'secret') {
      throw invalidKey(`the secret is a ${secret.type} key; HMAC algorithms need a symmetric secret`)
    }
    bytes = secret.export()
  } else if (secret instanceof Uint8Array) {
    bytes = Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength)
    fresh = false
  } else {
    throw invalidKey('the secret must be a string, a Uint8Array or a secret KeyObject')
  }
  if (bytes.length === 0) throw invalidKey(`the secret is empty; ${HOW_TO}`)
  if (!(typeof secret === 'string' && surelyNotKeyMaterial(secret)) && looksLikeKeyMaterial(bytes)) {
    throw invalidKey('the secret looks like a PEM or JWK key; HMAC algorithms need a random secret, not a public key')
  }
  let need = 0
  let needAlg: Algorithm = 'HS256'
  for (const alg of algorithms) {
    if (HASH_BYTES[alg] > need) {
      need = HASH_BYTES[alg]
      needAlg = alg
    }
  }
  if (bytes.length < need) {
    throw invalidKey(
      `the secret is ${bytes.length} bytes; ${needAlg} needs at least ${need} (RFC 7518 §3.2); ${HOW_TO}`,
    )
  }
  // Copy the caller's bytes so that mutating their buffer later cannot change a prepared signer or verifier.
  if (fresh) return bytes
  const copy = Buffer.alloc(bytes.length)
  copy.set(bytes)
  return copy
}

const PEM_MARKER = Buffer.from('-----BEGIN', 'latin1')

/** Bytes that String.prototype.trim removes from a latin1 string: TAB, LF, VT, FF, CR, SPACE, NBSP. */
function isTrimmed(byte: number): boolean {
  return (byte >= 0x09 && byte <= 0x0d) || byte === 0x20 || byte === 0xa0
}

/**
 * A string-side pre-check for {@link looksLikeKeyMaterial}, so that the one-shot sign and verify do not search
 * the secret's bytes on every call. It answers true only when the full check would answer false: no PEM marker
 * (ASCII, so the same in the string as in its UTF-8 bytes), and a first non-blank char that is not '{'. Skipping
 * U+00A0 here where the byte check would stop at 0xC2 can only send more secrets to the full check.
 */
function surelyNotKeyMaterial(secret: string): boolean {
  if (secret.includes('-----BEGIN')) return false
  let i = 0
  while (i < secret.length && isTrimmed(secret.charCodeAt(i))) i++
  return secret.charCodeAt(i) !== 0x7b /* { */
}

function looksLikeKeyMaterial(bytes: Buffer): boolean {
  if (bytes.indexOf(PEM_MARKER) !== -1) return true
  // Cheap first: only text whose first non-blank byte is '{' can be a JSON JWK (sign/verify one-shot pay this
  // on every call, so the common case must not build a string).
  let i = 0
  while (i < bytes.length && isTrimmed(bytes[i] as number)) i++
  if (bytes[i] !== 0x7b /* { */) return false
  const text = bytes.toString('latin1').trim()
  if (text.charCodeAt(0) !== 0x7b /* { */) return false
  try {
    const parsed: unknown = JSON.parse(text)
    return typeof parsed === 'object' && parsed !== null && Object.hasOwn(parsed, 'kty')
  } catch {
    return false
  }
}

/** Block size in bytes of each hash (RFC 2104 "B"): 64 for SHA-256, 128 for SHA-384/512. */
const BLOCK_BYTES: Readonly<Record<Algorithm, number>> = { HS256: 64, HS384: 128, HS512: 128 }

/**
 * A key made ready for one algorithm: the RFC 2104 inner and outer pads (K XOR ipad, K XOR opad), computed once,
 * so that each MAC is two calls of the one-shot `crypto.hash` and no Hmac object is created per call.
 */
export interface MacKey {
  readonly alg: Algorithm
  readonly hash: string
  readonly block: number
  /** K XOR 0x36, `block` bytes */
  readonly ipad: Uint8Array
  /** K XOR 0x5c, `block` bytes */
  readonly opad: Uint8Array
}

/** Prepares `key` (already checked by {@link prepareKey}, or any bytes for test vectors) for `alg`. */
export function macKey(alg: Algorithm, key: Uint8Array): MacKey {
  const name = HASH[alg]
  const block = BLOCK_BYTES[alg]
  // RFC 2104 §2: a key longer than the block is replaced by its hash; a shorter one is padded with zeros.
  const k = key.length > block ? hash(name, key, 'buffer') : key
  // Plain Uint8Arrays: V8 allocates small ones on its own heap, which is cheap enough for the one-shot forms.
  const ipad = new Uint8Array(block)
  const opad = new Uint8Array(block)
  for (let i = 0; i < block; i++) {
    const b = i < k.length ? (k[i] as number) : 0
    ipad[i] = b ^ 0x36
    opad[i] = b ^ 0x5c
  }
  return { alg, hash: name, block, ipad, opad }
}

/** Scratch for the inner hash input `ipad || message`; owned by {@link macOf} alone. */
let innerScratch = Buffer.alloc(128 + 2048)
/** Scratch for the outer hash input `opad || inner hash`, one per algorithm; owned by {@link macOf} alone. */
const outerScratch: Readonly<Record<Algorithm, Buffer>> = {
  HS256: Buffer.alloc(64 + 32),
  HS384: Buffer.alloc(128 + 48),
  HS512: Buffer.alloc(128 + 64),
}
/** Inner scratch larger than this is not kept between calls. */
const SCRATCH_KEEP = 256 * 1024
/**
 * The last `innerScratch.subarray(0, n)` view and its n, owned by {@link macWithPads} alone: tokens from one
 * issuer often have one length, and reusing the view saves a Buffer object per MAC.
 */
let innerView = innerScratch.subarray(0, 0)

/**
 * HMAC (RFC 2104) of the first `length` chars of `text`, each char taken as one byte (latin1: signing inputs
 * are ASCII; a non-ASCII char in a forged token only changes the MAC, which then fails to match), as unpadded
 * base64url. H((K ^ opad) || H((K ^ ipad) || m)) over the one-shot `crypto.hash`.
 */
export function macOf(key: MacKey, text: string, length: number): string {
  return macWithPads(key.alg, key.hash, key.block, key.ipad, key.opad, text, length, undefined)
}

/** {@link macOf} of `head + '.' + tail` (the signing input of `sign`), without building that string. */
export function macOfJoined(key: MacKey, head: string, tail: string): string {
  const length = head.length + 1 + tail.length
  return macWithPads(key.alg, key.hash, key.block, key.ipad, key.opad, head, length, tail)
}

function macWithPads(
  alg: Algorithm,
  name: string,
  block: number,
  ipad: Uint8Array,
  opad: Uint8Array,
  text: string,
  length: number,
  tail: string | undefined,
): string {
  const need = block + length
  let inner = innerScratch
  if (inner.length < need) {
    // Every byte of it is written below before it is read.
    inner = need <= SCRATCH_KEEP ? Buffer.alloc(need) : Buffer.allocUnsafeSlow(need)
    if (need <= SCRATCH_KEEP) innerScratch = inner
  }
  inner.set(ipad, 0)
  latin1Write(inner, text, block, length)
  if (tail !== undefined) {
    // sign: the signing input is `text + '.' + tail`, written in place rather than concatenated and flattened.
    inner[block + length - tail.length - 1] = 0x2e /* . */
    latin1Write(inner, tail, block + length - tail.length, tail.length)
  }
  let view = innerView
  if (view.length !== need || view.buffer !== inner.buffer) {
    view = need === inner.length ? inner : inner.subarray(0, need)
    if (inner === innerScratch) innerView = view
  }
  const innerHash = hash(name, view, 'binary')
  const outer = outerScratch[alg]
  outer.set(opad, 0)
  latin1Write(outer, innerHash, block, outer.length - block)
  return hash(name, outer, 'base64url')
}

/**
 * {@link macOf} for a key used once (the one-shot sign and verify). The pads are built fresh for the call: no
 * secret or pad outlives it.
 */
export function macWithKey(alg: Algorithm, key: Uint8Array, text: string, length: number): string {
  return macOf(macKey(alg, key), text, length)
}

/** The MAC of an ASCII signing input, as unpadded base64url. */
export function mac(alg: Algorithm, key: Uint8Array, signingInput: string): string {
  return macWithKey(alg, key, signingInput, signingInput.length)
}

/**
 * Compares two strings in time that depends only on their lengths (the expected length is public: it follows
 * from the algorithm). Comparing the base64url text rather than decoded bytes also enforces canonical encoding
 * of the signature segment: only the one canonical spelling can be equal.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  return constantTimeEqualAt(a, b, 0)
}

/** {@link constantTimeEqual} of `expected` and `text.slice(offset)`, without making the slice. */
export function constantTimeEqualAt(expected: string, text: string, offset: number): boolean {
  const n = expected.length
  if (text.length - offset !== n) return false
  let diff = 0
  for (let i = 0; i < n; i++) diff |= expected.charCodeAt(i) ^ text.charCodeAt(offset + i)
  return diff === 0
}
