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
import { throwsCode } from '../helpers/forge.js'
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

function pair(type: 'rsa' | 'ec' | 'ed25519' | 'ed448', namedCurve?: string): Pair {
  const { privateKey, publicKey } =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : type === 'ec'
        ? generateKeyPairSync('ec', { namedCurve: namedCurve as string })
        : type === 'ed25519'
          ? generateKeyPairSync('ed25519')
          : generateKeyPairSync('ed448')
  return { privateKey, publicKey, certificate: certificate(privateKey) }
}

const RSA = pair('rsa')
const P256 = pair('ec', 'P-256')
const P384 = pair('ec', 'P-384')
const P521 = pair('ec', 'P-521')
const ED25519 = pair('ed25519')
const ED448 = pair('ed448')

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

/** One row of the table: an algorithm and the key pair it runs with (EdDSA runs with Ed25519 and, where the peer can, Ed448). */
interface Case {
  readonly label: string
  readonly alg: KeyAlgorithm
  readonly keys: Pair
}

function cases(peer: (typeof KEY_PEERS)[number]): Case[] {
  const rows: Case[] = peer.algorithms.map((alg) => ({ label: alg, alg, keys: KEYS[alg] }))
  if (peer.ed448) rows.push({ label: 'EdDSA (Ed448)', alg: 'EdDSA', keys: ED448 })
  return rows
}

for (const peer of KEY_PEERS) {
  describe(peer.name, () => {
    for (const { label, alg, keys } of cases(peer)) {
      for (const [form, make] of VERIFY_FORMS) {
        const key = make(keys)
        test(
          `${label}: ${peer.name} signs, jwt-codec verifies with a ${form}`,
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
        test(`${label}: jwt-codec signs with a ${form}, ${peer.name} verifies`, async () => {
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
    const missing = [...ALL.filter((alg) => !peer.algorithms.includes(alg)), ...(peer.ed448 ? [] : ['EdDSA (Ed448)'])]
    if (missing.length > 0) test(`${peer.name}: ${missing.join(', ')} not run`, { skip: peer.unsupported }, () => {})
  })
}

describe('rsa-pss keys (RSASSA-PSS OID, restricted to SHA-256 and a 32-byte salt): PS256 both ways with jsonwebtoken', () => {
  // The only peer here that takes such keys: jose reads KeyObjects through their JWK form, which rsa-pss keys
  // lack, and fast-jwt refuses the OID. jsonwebtoken insists on the parameters matching the algorithm, as we do.
  const jwt = KEY_PEERS.find((p) => p.name === 'jsonwebtoken')
  const pss = generateKeyPairSync('rsa-pss', {
    modulusLength: 2048,
    hashAlgorithm: 'sha256',
    mgf1HashAlgorithm: 'sha256',
    // @types/node 20 declares saltLength a string; node:crypto takes (and checks for) a number.
    saltLength: 32 as unknown as string,
  })
  const forms: Array<[string, KeyInput, KeyInput]> = [
    [
      'PEM text',
      pss.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
      pss.publicKey.export({ type: 'spki', format: 'pem' }) as string,
    ],
    ['KeyObject', pss.privateKey, pss.publicKey],
  ]
  for (const [form, privateKey, publicKey] of forms) {
    test(`jsonwebtoken signs, jwt-codec verifies with ${form} (PS256 by default for the key)`, async () => {
      const now = nowSeconds()
      const token = await (jwt as (typeof KEY_PEERS)[number]).sign({ role: 'admin' }, pss.privateKey, 'PS256', now)
      assert.deepEqual(verify(token, publicKey), expected(now))
    })
    test(`jwt-codec signs with ${form} (PS256 by default), jsonwebtoken verifies`, async () => {
      const now = nowSeconds()
      const token = sign({ role: 'admin' }, privateKey, {
        now,
        expiresIn: '1h',
        notBefore: -60,
        issuer: CLAIMS.iss,
        audience: CLAIMS.aud,
        subject: CLAIMS.sub,
      })
      assert.equal(JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString()).alg, 'PS256')
      assert.deepEqual(
        { ...(await (jwt as (typeof KEY_PEERS)[number]).verify(token, pss.publicKey, 'PS256')) },
        expected(now),
      )
    })
  }
})

describe('large claim sets, both ways (a signing input past the 2 KB scratch, and past 64 KB)', () => {
  // 4 KB of claims stays under the default maxTokenLength of 8192; 100 KB needs it raised, on our side only.
  const sizes: Array<[string, number, number | undefined]> = [
    ['4 KB', 4 * 1024, undefined],
    ['100 KB', 100 * 1024, 200 * 1024],
  ]
  for (const peer of KEY_PEERS) {
    for (const alg of (['RS256', 'ES512', 'EdDSA'] as const).filter((a) => peer.algorithms.includes(a))) {
      const keys = KEYS[alg]
      for (const [label, size, maxTokenLength] of sizes) {
        const blob = 'x'.repeat(size)
        const limit = maxTokenLength === undefined ? {} : { maxTokenLength }
        test(`${alg}, ${label}: ${peer.name} signs, jwt-codec verifies`, async () => {
          const now = nowSeconds()
          const token = await peer.sign({ role: 'admin', blob }, keys.privateKey, alg, now)
          assert.deepEqual(verify(token, keys.publicKey, { algorithms: [alg], ...limit }), {
            ...expected(now),
            blob,
          })
        })
        test(`${alg}, ${label}: jwt-codec signs, ${peer.name} verifies`, async () => {
          const now = nowSeconds()
          const token = sign({ role: 'admin', blob }, keys.privateKey, {
            algorithm: alg,
            now,
            expiresIn: '1h',
            notBefore: -60,
            issuer: CLAIMS.iss,
            audience: CLAIMS.aud,
            subject: CLAIMS.sub,
          })
          assert.deepEqual({ ...(await peer.verify(token, keys.publicKey, alg)) }, { ...expected(now), blob })
        })
      }
    }
  }
})

describe('a token signed with another key of the same type is ERR_JWT_SIGNATURE in every verify form', () => {
  const others: Array<[string, KeyAlgorithm, Pair, KeyObject]> = [
    ['RS256', 'RS256', RSA, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey],
    ['PS256', 'PS256', RSA, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey],
    ['ES256', 'ES256', P256, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey],
    ['ES384', 'ES384', P384, generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey],
    ['ES512', 'ES512', P521, generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey],
    ['EdDSA (Ed25519)', 'EdDSA', ED25519, generateKeyPairSync('ed25519').privateKey],
    ['EdDSA (Ed448)', 'EdDSA', ED448, generateKeyPairSync('ed448').privateKey],
  ]
  for (const [label, alg, keys, other] of others) {
    for (const [form, make] of VERIFY_FORMS) {
      const key = make(keys)
      test(`${label}, ${form}`, isSkip(key) ? { skip: key.skip } : {}, () => {
        if (isSkip(key)) return
        const token = sign({ role: 'admin' }, other, { algorithm: alg })
        throwsCode(() => verify(token, key, { algorithms: [alg] }), 'ERR_JWT_SIGNATURE')
      })
    }
  }
})

test('the peers run what each supports: jose every algorithm, jsonwebtoken no EdDSA, fast-jwt no Ed25519 name', () => {
  const algorithms = (name: string) => KEY_PEERS.find((p) => p.name === name)?.algorithms
  assert.deepEqual(
    algorithms('jose'),
    ALL.filter((a) => a !== 'Ed25519' || JOSE_ED25519),
  )
  assert.deepEqual(algorithms('jsonwebtoken'), ALL.slice(0, 9))
  assert.deepEqual(algorithms('fast-jwt'), ALL.slice(0, 10))
  assert.deepEqual(
    KEY_PEERS.map((p) => [p.name, p.ed448]),
    [
      ['jose', false],
      ['jsonwebtoken', false],
      ['fast-jwt', true],
    ],
  )
})
