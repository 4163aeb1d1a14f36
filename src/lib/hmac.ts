/**
 * HMAC over node:crypto for HS256/384/512 (RFC 7518 §3.2): key preparation, MAC, constant-time comparison.
 */
import { createHmac, KeyObject } from 'node:crypto'
import { JwtError } from '../errors.js'
import type { Algorithm } from '../types.js'

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
  if (typeof secret === 'string') {
    bytes = Buffer.from(secret, 'utf8')
  } else if (secret instanceof KeyObject) {
    if (secret.type !== 'secret') {
      throw invalidKey(`the secret is a ${secret.type} key; HMAC algorithms need a symmetric secret`)
    }
    bytes = secret.export()
  } else if (secret instanceof Uint8Array) {
    bytes = Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength)
  } else {
    throw invalidKey('the secret must be a string, a Uint8Array or a secret KeyObject')
  }
  if (bytes.length === 0) throw invalidKey(`the secret is empty; ${HOW_TO}`)
  if (looksLikeKeyMaterial(bytes)) {
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
  // Copy so that a caller mutating their buffer later cannot change a prepared signer or verifier. Buffer.alloc,
  // not Buffer.from: the copy gets memory of its own, outside the shared pool whose `.buffer` any pooled Buffer
  // elsewhere in the process exposes.
  const copy = Buffer.alloc(bytes.length)
  bytes.copy(copy)
  return copy
}

function looksLikeKeyMaterial(bytes: Buffer): boolean {
  if (bytes.includes('-----BEGIN')) return true
  const text = bytes.toString('latin1').trim()
  if (text.charCodeAt(0) !== 0x7b /* { */) return false
  try {
    const parsed: unknown = JSON.parse(text)
    return typeof parsed === 'object' && parsed !== null && Object.hasOwn(parsed, 'kty')
  } catch {
    return false
  }
}

/** The MAC of an ASCII signing input, as unpadded base64url. */
export function mac(alg: Algorithm, key: Buffer, signingInput: string): string {
  return createHmac(HASH[alg], key).update(signingInput, 'latin1').digest('base64url')
}

/**
 * Compares two strings in time that depends only on their lengths (the expected length is public: it follows
 * from the algorithm). Comparing the base64url text rather than decoded bytes also enforces canonical encoding
 * of the signature segment: only the one canonical spelling can be equal.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}
