/**
 * HMAC over node:crypto for HS256/384/512 (RFC 7518 §3.2): key preparation, MAC, constant-time comparison.
 */
import { hash, type KeyObject } from 'node:crypto'
import { types } from 'node:util'
import { invalidOption, JwtError } from '../errors.js'
import { isDetached } from './detached.js'
import { looksLikeKeyMaterial, surelyNotKeyMaterial } from './keylike.js'
import { latin1Write } from './latin1.js'

/** What HMAC needs to know of an algorithm; the algorithm table (./algorithms.ts) holds the values. */
export interface HmacParams {
  /** The node:crypto digest name. */
  readonly hash: 'sha256' | 'sha384' | 'sha512'
  /** Output size in bytes; RFC 7518 §3.2 requires a key at least this long. */
  readonly hashBytes: number
  /** Block size in bytes (RFC 2104 "B"): 64 for SHA-256, 128 for SHA-384/512. */
  readonly block: number
}

/**
 * The advice in a short- or empty-secret error. Node alone, never a bare `npx <name>`: outside a project that has
 * jwt-codec installed, npx would fetch and run whatever package the registry has under that name.
 */
const HOW_TO =
  "generate one with `node -e \"console.log(require('node:crypto').randomBytes(64).toString('base64url'))\"` (or, once jwt-codec is installed in your project, `npx jwt-codec secret`)"

/**
 * The secret's bytes in a buffer of their own, or a JwtError. The secret is caller data: a revoked Proxy, an object
 * posing as a Uint8Array or a KeyObject, or a Uint8Array over a detached ArrayBuffer must give
 * ERR_JWT_INVALID_OPTION, never the TypeError that touching them raises.
 */
export function secretBytes(secret: unknown): Buffer {
  if (typeof secret === 'string') {
    // A lone surrogate would become U+FFFD in UTF-8, so different strings would give the same key.
    if (!(secret as string & { isWellFormed(): boolean }).isWellFormed()) {
      throw invalidOption('the secret is not well-formed UTF-16 (it has a lone surrogate)')
    }
    // Buffer.alloc, not Buffer.from: the key bytes get memory of their own, never a slice of the shared pool that
    // any other pooled Buffer's `.buffer` exposes.
    const bytes = Buffer.alloc(Buffer.byteLength(secret, 'utf8'))
    bytes.write(secret, 'utf8')
    return bytes
  }
  // util.types reads internal slots: no Proxy trap or getter runs, and a look-alike object is not taken for one.
  if (types.isUint8Array(secret)) {
    if (secret.byteLength === 0 && isDetached(secret))
      throw invalidOption('the secret is a Uint8Array over a detached buffer')
    // A copy, so that mutating the caller's buffer later cannot change a prepared signer or verifier.
    const copy = Buffer.alloc(secret.byteLength)
    copy.set(secret)
    return copy
  }
  if (isKeyObject(secret)) {
    try {
      const key = secret as KeyObject
      if (key.type !== 'secret') {
        throw invalidOption(`the secret is a ${key.type} key; HMAC algorithms need a symmetric secret`)
      }
      return key.export()
    } catch (err) {
      if (err instanceof JwtError) throw err
      throw invalidOption('the secret KeyObject cannot be read')
    }
  }
  throw invalidOption('the secret must be a string, a Uint8Array or a secret KeyObject')
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
 * Checks a secret's bytes (from {@link secretBytes}) for every algorithm they may be used with, `longest` being
 * the one with the longest hash. Refuses empty and short secrets (RFC 7518 §3.2), and secrets that are key
 * material of another kind (see keylike.ts; RFC 8725 §2.1, §3.1; CVE-2015-9235, CVE-2016-10555). `allowShort`
 * (verify's `insecureShortSecret` only) skips the length check alone: an empty or key-like secret is refused
 * whatever it says. `secret` is the caller's value, for the cheap string pre-check.
 */
export function checkSecret(
  bytes: Buffer,
  secret: unknown,
  longest: { readonly name: string; readonly hashBytes: number } | undefined,
  allowShort: boolean,
): void {
  if (bytes.length === 0) throw invalidOption(`the secret is empty; ${HOW_TO}`)
  if (!(typeof secret === 'string' && surelyNotKeyMaterial(secret)) && looksLikeKeyMaterial(bytes)) {
    throw invalidOption(
      'the secret looks like a PEM or JWK key (or DER, JWKS, OpenSSH); HMAC algorithms need a random secret, not a public key',
    )
  }
  if (allowShort || longest === undefined) return
  if (bytes.length < longest.hashBytes) {
    throw invalidOption(
      `the secret is ${bytes.length} bytes; ${longest.name} needs at least ${longest.hashBytes} (RFC 7518 §3.2); ${HOW_TO}`,
    )
  }
}

/**
 * Zeroes `bytes[0, end)`. `Uint8Array.prototype.fill` rather than `Buffer.prototype.fill`, which first normalises
 * its arguments (encodings, offsets): about half the cost, and the MAC path zeroes two pads per call.
 */
const typedFill = Uint8Array.prototype.fill
export function wipe(bytes: Uint8Array, end: number = bytes.length): void {
  typedFill.call(bytes, 0, 0, end)
}

/**
 * RFC 2104 §2: a key longer than the block is replaced by its hash (then padded with zeros, like a shorter one).
 * That hash is as good as the key, so a caller that gets a new buffer back wipes it after use.
 */
function blockKey(name: string, block: number, key: Uint8Array): Uint8Array {
  return key.length > block ? hash(name, key, 'buffer') : key
}

/**
 * A key made ready for one algorithm: the RFC 2104 inner and outer pads (K XOR ipad, K XOR opad), computed once,
 * so that each MAC is two calls of the one-shot `crypto.hash` and no Hmac object is created per call.
 */
export interface MacKey {
  readonly hash: HmacParams['hash']
  readonly block: number
  /** K XOR 0x36, `block` bytes */
  readonly ipad: Uint8Array
  /** K XOR 0x5c, `block` bytes */
  readonly opad: Uint8Array
}

/** Prepares `key` (already checked by {@link checkSecret}, or any bytes for test vectors) for an algorithm. */
export function macKey(params: HmacParams, key: Uint8Array): MacKey {
  const name = params.hash
  const block = params.block
  const k = blockKey(name, block, key)
  // Plain Uint8Arrays: V8 allocates small ones on its own heap, which is cheap enough for the one-shot forms.
  const ipad = new Uint8Array(block)
  const opad = new Uint8Array(block)
  for (let i = 0; i < block; i++) {
    const b = i < k.length ? (k[i] as number) : 0
    ipad[i] = b ^ 0x36
    opad[i] = b ^ 0x5c
  }
  // The hash of a long key is as good as the key (RFC 2104 §3): it must not linger either.
  if (k !== key) wipe(k)
  return { hash: name, block, ipad, opad }
}

/**
 * Scratch for the inner hash input `ipad || message`; owned by {@link macWithPads} alone, which zeroes the pad
 * bytes before it returns: between calls no kept buffer holds anything a MAC could be forged from.
 */
let innerScratch = Buffer.alloc(128 + 2048)
/** Scratch for the outer hash input `opad || inner hash`, one per hash; pad zeroed as above. */
const outerScratch: Readonly<Record<HmacParams['hash'], Buffer>> = {
  sha256: Buffer.alloc(64 + 32),
  sha384: Buffer.alloc(128 + 48),
  sha512: Buffer.alloc(128 + 64),
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
  return macWithPads(key.hash, key.block, key, undefined, text, length, undefined)
}

/** {@link macOf} of `head + '.' + tail` (the signing input of `sign`), without building that string. */
export function macOfJoined(key: MacKey, head: string, tail: string): string {
  const length = head.length + 1 + tail.length
  return macWithPads(key.hash, key.block, key, undefined, head, length, tail)
}

/** Writes `k XOR byte`, zero-padded to `block` bytes (RFC 2104 §2), at the start of `out`. */
function xorPad(out: Uint8Array, k: Uint8Array, block: number, byte: number): void {
  const n = k.length
  for (let i = 0; i < n; i++) out[i] = (k[i] as number) ^ byte
  for (let i = n; i < block; i++) out[i] = byte
}

/**
 * The MAC with the pads of `pads`, or (the one-shot forms) with pads XOR-ed from `raw`, a key no longer than the
 * block, straight into the scratch: no pad arrays to allocate, copy and zero.
 */
function macWithPads(
  name: HmacParams['hash'],
  block: number,
  pads: MacKey | undefined,
  raw: Uint8Array | undefined,
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
  if (pads !== undefined) inner.set(pads.ipad, 0)
  else xorPad(inner, raw as Uint8Array, block, 0x36)
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
  // K XOR ipad is the key in disguise: zero it at once (one block, a few ns), whether the buffer is kept or not.
  wipe(inner, block)
  const outer = outerScratch[name]
  if (pads !== undefined) outer.set(pads.opad, 0)
  else xorPad(outer, raw as Uint8Array, block, 0x5c)
  latin1Write(outer, innerHash, block, outer.length - block)
  const mac = hash(name, outer, 'base64url')
  wipe(outer, block)
  return mac
}

/**
 * {@link macOf} (or, with `tail`, {@link macOfJoined} of `text` and `tail`) for a key used once: the one-shot
 * forms, and test vectors. The pads are XOR-ed straight into the scratch buffers, which are zeroed after the MAC:
 * no pad arrays to allocate, and none outlives the call. (The caller zeroes `key`, which it owns.)
 */
export function macWithKey(
  params: HmacParams,
  key: Uint8Array,
  text: string,
  length: number,
  tail?: string | undefined,
): string {
  const k = blockKey(params.hash, params.block, key)
  const total = tail === undefined ? length : length + 1 + tail.length
  const result = macWithPads(params.hash, params.block, undefined, k, text, total, tail)
  if (k !== key) wipe(k)
  return result
}

/** Zeroes both pads of a key that is no longer used (the one-shot forms, once their one call is done). */
export function wipeMacKey(key: MacKey): void {
  wipe(key.ipad)
  wipe(key.opad)
}

/**
 * For tests only: every buffer this module keeps between calls, so that a test can check that none of them holds
 * a secret or an RFC 2104 pad once a call has returned.
 */
export function scratchStateForTests(): Uint8Array[] {
  return [innerScratch, innerView, ...Object.values(outerScratch)]
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
