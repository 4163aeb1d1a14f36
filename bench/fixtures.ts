/**
 * Inputs shared by every contender: one secret, payloads of fixed JSON sizes, and texts for the base64url
 * comparison. Built once, before any timing.
 */
import { createSecretKey, generateKeyPairSync, hash, type KeyObject, webcrypto } from 'node:crypto'

/**
 * The secret format the README recommends (64 random bytes as base64url, 86 characters), fixed here so runs are
 * comparable; a string, so that jwt-simple can use it as is. Being longer than SHA-256's 64-byte block, it is
 * hashed first (RFC 2104 §2): the factory forms do that once, the one-shot forms on every call.
 */
export const SECRET = hash('sha512', 'jwt-codec bench secret', 'base64url')
export const SECRET_BYTES = Buffer.from(SECRET, 'utf8')
export const SECRET_KEY_OBJECT: KeyObject = createSecretKey(SECRET_BYTES)

export function importCryptoKey(): Promise<CryptoKey> {
  return webcrypto.subtle.importKey('raw', SECRET_BYTES, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])
}

export const SIZES = [
  { label: '100 B', bytes: 100 },
  { label: '1 KB', bytes: 1024 },
  { label: '2 KB', bytes: 2 * 1024 },
  // The largest token the default maxTokenLength (8192 chars) lets through: with the default HS256 header
  // (36 chars) and signature (43), 8111 chars of payload base64url, which carry 6083 bytes of JSON.
  { label: '6 KB (8 KB token)', bytes: 6083 },
  { label: '10 KB', bytes: 10 * 1024 },
  { label: '100 KB', bytes: 100 * 1024 },
] as const

/** A realistic claim set padded with a `data` string so that its JSON is exactly `bytes` long. */
export function payloadOfSize(bytes: number, now: number): Record<string, unknown> {
  const base: Record<string, unknown> = { sub: '1234567890', name: 'Ada', admin: true, iat: now, exp: now + 86_400 }
  const emptyLength = JSON.stringify({ ...base, data: '' }).length
  const pad = bytes - emptyLength
  if (pad < 0) return base
  return { ...base, data: 'x'.repeat(pad) }
}

/** Text lengths (in characters) for the base64url comparison. */
export const TEXT_LENGTHS = [40, 200, 1000, 10_000] as const

const NON_ASCII_SOURCE = 'héllo wörld, ça va? Grüße aus Zürich — naïve café ✓ 東京 Ελλάδα ¿qué? '

export function textOf(length: number, ascii: boolean): string {
  const source = ascii ? 'The quick brown fox jumps over the lazy dog 0123456789. ' : NON_ASCII_SOURCE
  let s = ''
  while (s.length < length) s += source
  // The source has no surrogate pairs, so any cut is a whole number of characters. The round trip through a
  // Buffer gives a flat string, like text from JSON.stringify or the network (a sliced string is slower to read).
  return Buffer.from(s.slice(0, length), 'utf8').toString('utf8')
}

/** The asymmetric algorithms timed next to HS256: one per key family. */
export const ASYM_ALGS = ['RS256', 'ES256', 'EdDSA'] as const
export type AsymAlg = (typeof ASYM_ALGS)[number]
/** What key each algorithm is timed with, for scenario names. */
export const ASYM_KEY_LABELS: Readonly<Record<AsymAlg, string>> = {
  RS256: 'RSA 2048-bit',
  ES256: 'P-256',
  EdDSA: 'Ed25519',
}

/** One key pair of an asymmetric algorithm, as KeyObjects and as PEM text (SPKI public, PKCS#8 private). */
export interface AsymKeys {
  readonly alg: AsymAlg
  readonly publicKey: KeyObject
  readonly privateKey: KeyObject
  readonly publicPem: string
  readonly privatePem: string
  /** The digest `crypto.sign`/`crypto.verify` take for this algorithm (`null` for Ed25519). */
  readonly hash: 'sha256' | null
  /** ECDSA signatures in JWS are raw R || S (RFC 7518 §3.4), not DER. */
  readonly dsaEncoding: 'ieee-p1363' | undefined
}

/**
 * A fresh key pair per run (RSA 2048-bit with e = 65537, P-256, Ed25519): the cost of an RSA or ECDSA operation
 * does not depend on which key of a given size and curve it is, so runs stay comparable.
 */
export function asymKeys(alg: AsymAlg): AsymKeys {
  const pair =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 })
      : alg === 'ES256'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('ed25519')
  return {
    alg,
    publicKey: pair.publicKey,
    privateKey: pair.privateKey,
    publicPem: pair.publicKey.export({ type: 'spki', format: 'pem' }) as string,
    privatePem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    hash: alg === 'EdDSA' ? null : 'sha256',
    dsaEncoding: alg === 'ES256' ? 'ieee-p1363' : undefined,
  }
}
