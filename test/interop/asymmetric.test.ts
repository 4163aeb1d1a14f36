/**
 * Interop with jose, jsonwebtoken and fast-jwt for the asymmetric algorithms, both ways: they sign and jwt-codec
 * verifies, jwt-codec signs and they verify; for every algorithm each peer supports, and every key input form on
 * our side (PEM text, PEM bytes, KeyObject, JWK; and an X.509 certificate for verifying, made with the openssl
 * CLI). One test per (peer, algorithm, direction, form); each compares the exact claims and header. Real clock:
 * every token is valid from a minute ago to an hour from now.
 */
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { type KeyInput, sign, verify } from '../../src/index.js'
import { CLAIMS, JOSE_ED25519, KEY_PEERS, type KeyAlgorithm } from './peers.js'

const nowSeconds = () => Math.floor(Date.now() / 1000)

interface Pair {
  readonly privateKey: KeyObject
  readonly publicKey: KeyObject
  /** A self-signed X.509 certificate of the public key (PEM), or why there is none. */
  readonly certificate: string | { skip: string }
}

const OPENSSL = spawnSync('openssl', ['version'], { encoding: 'utf8' })
const NO_OPENSSL =
  OPENSSL.error !== undefined || OPENSSL.status !== 0 ? 'no openssl CLI on PATH to make a certificate' : undefined

/** A self-signed certificate for the key pair, made by `openssl req -x509` in a temporary directory. */
function certificate(privateKey: KeyObject): string | { skip: string } {
  if (NO_OPENSSL !== undefined) return { skip: NO_OPENSSL }
  const dir = mkdtempSync(join(tmpdir(), 'jwt-codec-interop-'))
  try {
    const keyFile = join(dir, 'key.pem')
    const configFile = join(dir, 'openssl.cnf')
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 })
    // A config of our own, so the machine's openssl.cnf (extensions, defaults) plays no part.
    writeFileSync(configFile, '[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = jwt-codec interop\n')
    return execFileSync(
      'openssl',
      ['req', '-x509', '-new', '-key', keyFile, '-config', configFile, '-days', '2', '-out', '-'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function pair(type: 'rsa' | 'ec' | 'ed25519', namedCurve?: string): Pair {
  const { privateKey, publicKey } =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : type === 'ec'
        ? generateKeyPairSync('ec', { namedCurve: namedCurve as string })
        : generateKeyPairSync('ed25519')
  return { privateKey, publicKey, certificate: certificate(privateKey) }
}

const RSA = pair('rsa')
const P256 = pair('ec', 'P-256')
const P384 = pair('ec', 'P-384')
const P521 = pair('ec', 'P-521')
const ED25519 = pair('ed25519')

const KEYS: Record<KeyAlgorithm, Pair> = {
  RS256: RSA,
  RS384: RSA,
  RS512: RSA,
  PS256: RSA,
  PS384: RSA,
  PS512: RSA,
  ES256: P256,
  ES384: P384,
  ES512: P521,
  EdDSA: ED25519,
  Ed25519: ED25519,
}

const ALL: readonly KeyAlgorithm[] = Object.keys(KEYS) as KeyAlgorithm[]

const bytes = (s: string) => new TextEncoder().encode(s)

/** Our verify-side key forms: the public key as each input form takes it. */
const VERIFY_FORMS: Array<[string, (p: Pair) => KeyInput | { skip: string }]> = [
  ['SPKI PEM text', (p) => p.publicKey.export({ type: 'spki', format: 'pem' }) as string],
  ['SPKI PEM bytes', (p) => bytes(p.publicKey.export({ type: 'spki', format: 'pem' }) as string)],
  ['public KeyObject', (p) => p.publicKey],
  ['public JWK', (p) => p.publicKey.export({ format: 'jwk' }) as KeyInput],
  ['X.509 certificate PEM', (p) => p.certificate],
]

/** Our sign-side key forms: the private key as each input form takes it. */
const SIGN_FORMS: Array<[string, (p: Pair) => KeyInput]> = [
  ['PKCS#8 PEM text', (p) => p.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string],
  ['PKCS#8 PEM bytes', (p) => bytes(p.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)],
  ['private KeyObject', (p) => p.privateKey],
  ['private JWK', (p) => p.privateKey.export({ format: 'jwk' }) as KeyInput],
]

const expected = (now: number) => ({ role: 'admin', iat: now, exp: now + 3600, nbf: now - 60, ...CLAIMS })

const isSkip = (k: KeyInput | { skip: string }): k is { skip: string } =>
  typeof k === 'object' && k !== null && !(k instanceof Uint8Array) && 'skip' in k

for (const peer of KEY_PEERS) {
  describe(peer.name, () => {
    for (const alg of peer.algorithms) {
      const keys = KEYS[alg]
      for (const [form, make] of VERIFY_FORMS) {
        const key = make(keys)
        test(
          `${alg}: ${peer.name} signs, jwt-codec verifies with a ${form}`,
          isSkip(key) ? { skip: key.skip } : {},
          async () => {
            if (isSkip(key)) return
            const now = nowSeconds()
            const token = await peer.sign({ role: 'admin' }, keys.privateKey, alg, now)
            const result = verify(token, key, {
              algorithms: [alg],
              issuer: CLAIMS.iss,
              audience: CLAIMS.aud,
              subject: CLAIMS.sub,
              requiredClaims: ['exp', 'nbf', 'iat'],
              complete: true,
            })
            assert.deepEqual(result.header, { alg, typ: 'JWT' })
            assert.deepEqual(result.payload, expected(now))
          },
        )
      }
      for (const [form, make] of SIGN_FORMS) {
        test(`${alg}: jwt-codec signs with a ${form}, ${peer.name} verifies`, async () => {
          const now = nowSeconds()
          const token = sign({ role: 'admin' }, make(keys), {
            algorithm: alg,
            now,
            expiresIn: '1h',
            notBefore: -60,
            issuer: CLAIMS.iss,
            audience: CLAIMS.aud,
            subject: CLAIMS.sub,
          })
          assert.deepEqual(JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString()), {
            alg,
            typ: 'JWT',
          })
          assert.deepEqual({ ...(await peer.verify(token, keys.publicKey, alg)) }, expected(now))
        })
      }
    }
    const missing = ALL.filter((alg) => !peer.algorithms.includes(alg))
    if (missing.length > 0) {
      const why =
        peer.name === 'jose' && !JOSE_ED25519
          ? "this jose version does not know the 'Ed25519' JWS algorithm"
          : `${peer.name} does not support ${missing.join(', ')}`
      test(`${peer.name}: ${missing.join(', ')} not tested`, { skip: why }, () => {})
    }
  })
}

test('every peer runs every asymmetric algorithm it claims, and jose runs them all', () => {
  const jose = KEY_PEERS.find((p) => p.name === 'jose')
  assert.deepEqual(
    jose?.algorithms,
    ALL.filter((a) => a !== 'Ed25519' || JOSE_ED25519),
  )
  assert.deepEqual(KEY_PEERS.find((p) => p.name === 'jsonwebtoken')?.algorithms, ALL.slice(0, 9))
  assert.deepEqual(KEY_PEERS.find((p) => p.name === 'fast-jwt')?.algorithms, ALL.slice(0, 10))
})
