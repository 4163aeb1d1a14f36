/**
 * Key pairs for the asymmetric attack and HTTP tests, and tokens signed the way an attacker would: with
 * node:crypto directly and Buffer's base64url (not our encoder, not our signer), so a bug in src/ cannot hide by
 * agreeing with itself. Keys are generated once per test process, when first asked for.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import {
  constants,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign as nodeSign,
  verify as nodeVerify,
} from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { JsonWebKey } from '../../src/index.js'
import { b64, type Part } from './forge.js'

export interface Pair {
  privateKey: KeyObject
  publicKey: KeyObject
}

type Kind =
  | 'rsa1024'
  | 'rsa2040'
  | 'rsa2048'
  | 'rsa2048b'
  | 'rsapss'
  | 'p256'
  | 'p256b'
  | 'p384'
  | 'p521'
  | 'secp256k1'
  | 'ed25519'
  | 'ed25519b'
  | 'ed448'
  | 'x25519'
  | 'x448'

const made = new Map<Kind, Pair>()

function generate(kind: Kind): Pair {
  switch (kind) {
    case 'rsa1024':
      return generateKeyPairSync('rsa', { modulusLength: 1024 })
    case 'rsa2040':
      return generateKeyPairSync('rsa', { modulusLength: 2040 })
    case 'rsa2048':
    case 'rsa2048b':
      return generateKeyPairSync('rsa', { modulusLength: 2048 })
    case 'rsapss':
      return generateKeyPairSync('rsa-pss', { modulusLength: 2048 })
    case 'p256':
    case 'p256b':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' })
    case 'p384':
      return generateKeyPairSync('ec', { namedCurve: 'P-384' })
    case 'p521':
      return generateKeyPairSync('ec', { namedCurve: 'P-521' })
    case 'secp256k1':
      return generateKeyPairSync('ec', { namedCurve: 'secp256k1' })
    case 'ed25519':
    case 'ed25519b':
      return generateKeyPairSync('ed25519')
    case 'ed448':
      return generateKeyPairSync('ed448')
    case 'x25519':
      return generateKeyPairSync('x25519')
    case 'x448':
      return generateKeyPairSync('x448')
  }
}

/** The key pair of this kind (`rsa2048b`, `p256b`, `ed25519b`: a second, unrelated pair, the attacker's). */
export function pair(kind: Kind): Pair {
  let p = made.get(kind)
  if (p === undefined) {
    p = generate(kind)
    made.set(kind, p)
  }
  return p
}

/** SPKI PEM text of a public key (or of the public half of a private one). */
export function spkiPem(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key
  return pub.export({ type: 'spki', format: 'pem' }).toString()
}

/** PKCS#8 PEM text of a private key. */
export function pkcs8Pem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString()
}

/** The key as a JWK (node's export), with extra members merged in. */
export function jwkOf(key: KeyObject, extra: Record<string, unknown> = {}): JsonWebKey {
  return { ...(key.export({ format: 'jwk' }) as Record<string, unknown>), ...extra } as JsonWebKey
}

/**
 * Every form a private key can be given in: PKCS#8 PEM (string and bytes), KeyObject, JWK, and for RSA PKCS#1
 * "RSA PRIVATE KEY", for EC SEC1 "EC PRIVATE KEY". Every name contains "private".
 */
export function privateForms(key: KeyObject): Record<string, unknown> {
  const pem = pkcs8Pem(key)
  const forms: Record<string, unknown> = {
    'PKCS#8 private PEM string': pem,
    'PKCS#8 private PEM bytes': new TextEncoder().encode(pem),
    'private KeyObject': key,
    'private JWK': jwkOf(key),
  }
  if (key.asymmetricKeyType === 'rsa') {
    forms['PKCS#1 private PEM string'] = key.export({ type: 'pkcs1', format: 'pem' }).toString()
  }
  if (key.asymmetricKeyType === 'ec') {
    forms['SEC1 private PEM string'] = key.export({ type: 'sec1', format: 'pem' }).toString()
  }
  return forms
}

/** Every form a public key can be given in: SPKI PEM (string and bytes), KeyObject, JWK, PKCS#1 for RSA. */
export function publicForms(key: KeyObject): Record<string, unknown> {
  const pem = spkiPem(key)
  const forms: Record<string, unknown> = {
    'SPKI PEM string': pem,
    'SPKI PEM bytes': new TextEncoder().encode(pem),
    'SPKI PEM Buffer': Buffer.from(pem),
    'public KeyObject': key,
    'public JWK': jwkOf(key),
  }
  if (key.asymmetricKeyType === 'rsa') {
    forms['PKCS#1 public PEM string'] = key.export({ type: 'pkcs1', format: 'pem' }).toString()
  }
  return forms
}

let opensslChecked: boolean | undefined
/** Whether the `openssl` command can be run (certificates are made with it). */
export function hasOpenssl(): boolean {
  if (opensslChecked === undefined) {
    const r = spawnSync('openssl', ['version'], { encoding: 'utf8' })
    opensslChecked = r.status === 0
  }
  return opensslChecked
}

const certificates = new Map<KeyObject, string>()
/** A self-signed X.509 certificate (PEM) for this private key, made with `openssl req`; undefined without openssl. */
export function certificate(privateKey: KeyObject): string | undefined {
  if (!hasOpenssl()) return undefined
  const known = certificates.get(privateKey)
  if (known !== undefined) return known
  const dir = mkdtempSync(join(tmpdir(), 'jwt-codec-cert-'))
  try {
    const keyFile = join(dir, 'key.pem')
    const certFile = join(dir, 'cert.pem')
    writeFileSync(keyFile, pkcs8Pem(privateKey), { mode: 0o600 })
    const args = [
      'req',
      '-x509',
      '-new',
      '-key',
      keyFile,
      '-subj',
      '/CN=jwt-codec test',
      '-days',
      '1',
      '-out',
      certFile,
    ]
    const r = spawnSync('openssl', args, { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`openssl req failed: ${r.stderr}`)
    const pem = readFileSync(certFile, 'utf8')
    certificates.set(privateKey, pem)
    return pem
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const HASH: Record<string, string> = {
  RS256: 'sha256',
  RS384: 'sha384',
  RS512: 'sha512',
  PS256: 'sha256',
  PS384: 'sha384',
  PS512: 'sha512',
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
}

/** Hash output bytes of an RS/PS/ES algorithm. */
export function hashBytes(alg: string): number {
  return Number((HASH[alg] ?? 'sha256').slice(3)) / 8
}

export interface RawSignOptions {
  /** ECDSA encoding: JOSE's raw R||S (default) or node's default, DER. */
  dsaEncoding?: 'ieee-p1363' | 'der'
  /** PSS salt length in bytes (default: the hash length); a node:crypto constant for "max". */
  saltLength?: number
}

/** The signature of `input` under `alg` with node:crypto, as bytes. */
export function rawSignature(input: string, key: KeyObject, alg: string, options: RawSignOptions = {}): Buffer {
  const data = Buffer.from(input)
  if (alg === 'EdDSA' || alg === 'Ed25519') return nodeSign(null, data, key)
  const hash = HASH[alg]
  if (hash === undefined) throw new Error(`no hash for ${alg}`)
  if (alg.startsWith('PS')) {
    return nodeSign(hash, data, {
      key,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: options.saltLength ?? hashBytes(alg),
    })
  }
  if (alg.startsWith('ES')) return nodeSign(hash, data, { key, dsaEncoding: options.dsaEncoding ?? 'ieee-p1363' })
  return nodeSign(hash, data, key)
}

/** Whether node:crypto accepts `signature` (bytes) for `input` under `alg` (PSS: salt = hash length). */
export function rawVerify(input: string, signature: Uint8Array, key: KeyObject, alg: string): boolean {
  const data = Buffer.from(input)
  if (alg === 'EdDSA' || alg === 'Ed25519') return nodeVerify(null, data, key, signature)
  const hash = HASH[alg] ?? 'sha256'
  if (alg.startsWith('PS')) {
    const options = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: hashBytes(alg) }
    return nodeVerify(hash, data, options, signature)
  }
  if (alg.startsWith('ES')) return nodeVerify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature)
  return nodeVerify(hash, data, key, signature)
}

function text(part: Part): string {
  return typeof part === 'string' ? part : JSON.stringify(part)
}

/** `b64(header).b64(payload)`: the JWS signing input. */
export function signingInput(header: Part, payload: Part): string {
  return `${b64(text(header))}.${b64(text(payload))}`
}

/**
 * A token signed with node:crypto: `alg` is the header's `alg` unless `options.as` names another one to sign with.
 */
export function forgeSigned(
  header: { alg: string; [name: string]: unknown },
  payload: Part,
  key: KeyObject,
  options: RawSignOptions & { as?: string } = {},
): string {
  const input = signingInput(header, payload)
  return `${input}.${b64(rawSignature(input, key, options.as ?? header.alg, options))}`
}

/** The token with its signature replaced by these bytes. */
export function withSignature(token: string, signature: Uint8Array): string {
  return `${token.slice(0, token.lastIndexOf('.'))}.${b64(signature)}`
}

/** The signature bytes of a token. */
export function signatureOf(token: string): Buffer {
  return Buffer.from(token.slice(token.lastIndexOf('.') + 1), 'base64url')
}

/** The signing input (first two segments) of a token. */
export function inputOf(token: string): string {
  return token.slice(0, token.lastIndexOf('.'))
}

/**
 * A JWK RSA public key with a modulus of `bits` bits that is not a real RSA modulus (all ones but the last bits):
 * enough to check size limits without generating huge keys.
 */
export function fakeRsaJwk(bits: number): JsonWebKey {
  const n = Buffer.alloc(Math.ceil(bits / 8), 0xff)
  n[n.length - 1] = 0xfb
  return { kty: 'RSA', n: n.toString('base64url'), e: 'AQAB' }
}

/** Runs `fn`; an assertion failing inside it says which case it was. */
export function labelled(label: string, fn: () => void): void {
  try {
    fn()
  } catch (error) {
    if (error instanceof assert.AssertionError) error.message = `${label}: ${error.message}`
    throw error
  }
}
