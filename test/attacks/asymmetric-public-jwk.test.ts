/**
 * What the key helpers hand out: `toPublicJwk` gives `kty` and the public members only, from any form of a key,
 * and never a private member (d, p, q, dp, dq, qi) or a secret's `k`; `jwkThumbprint` (RFC 7638) depends on the
 * key alone, not on its form, member order or extra members; `generateKeyPair` makes keys that fit the algorithm
 * and refuses the HMAC ones. Every refusal is ERR_JWT_INVALID_OPTION without key text.
 */
import assert from 'node:assert/strict'
import { createHash, createSecretKey } from 'node:crypto'
import { describe, test } from 'node:test'
import { inspect } from 'node:util'
import {
  type Algorithm,
  createSigner,
  createVerifier,
  generateKeyPair,
  jwkThumbprint,
  toPublicJwk,
  verify,
} from '../../src/index.js'
import { b64, throwsCode } from '../helpers/forge.js'
import { certificate, jwkOf, labelled, pair, privateForms, publicForms, rawVerify } from '../helpers/keypairs.js'

const BAD = 'ERR_JWT_INVALID_OPTION'
type Key = Parameters<typeof toPublicJwk>[0]
const k = (form: unknown): Key => form as Key

const KINDS = [
  ['rsa2048', ['e', 'kty', 'n']],
  ['p256', ['crv', 'kty', 'x', 'y']],
  ['p384', ['crv', 'kty', 'x', 'y']],
  ['p521', ['crv', 'kty', 'x', 'y']],
  ['ed25519', ['crv', 'kty', 'x']],
  ['ed448', ['crv', 'kty', 'x']],
] as const

describe('toPublicJwk: the public members only, from every form', () => {
  for (const [kind, members] of KINDS) {
    test(`${kind}: private and public forms give the same public JWK, with no private member`, () => {
      const { privateKey, publicKey } = pair(kind)
      const privateJwk = jwkOf(privateKey) as Record<string, unknown>
      const secrets = ['d', 'p', 'q', 'dp', 'dq', 'qi']
        .map((name) => privateJwk[name])
        .filter((v): v is string => typeof v === 'string')
      const expected = jwkOf(publicKey) as Record<string, unknown>
      const forms = {
        ...privateForms(privateKey),
        ...publicForms(publicKey),
        'private JWK with kid, use, alg, key_ops and x5c': jwkOf(privateKey, {
          kid: 'k1',
          use: 'sig',
          key_ops: ['sign'],
          x5c: ['MIIB'],
          ext: true,
        }),
      }
      const cert = certificate(privateKey)
      if (cert !== undefined) (forms as Record<string, unknown>)['X.509 certificate PEM'] = cert
      for (const [form, key] of Object.entries(forms)) {
        labelled(form, () => {
          const jwk = toPublicJwk(k(key)) as Record<string, unknown>
          assert.deepEqual(Object.keys(jwk).sort(), [...members])
          for (const name of members) assert.equal(jwk[name], expected[name], name)
          const text = JSON.stringify(jwk)
          for (const secret of secrets) assert.equal(text.includes(secret.slice(0, 16)), false)
          // What it gives is a key jwt-codec verifies with.
          assert.equal(typeof createVerifier(k(jwk)), 'function')
        })
      }
    })
  }

  test('an HMAC secret in any form has no public JWK; the error shows nothing of it', () => {
    const secret = 'toPublicJwk-secret-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG'
    const forms: Record<string, unknown> = {
      string: secret,
      bytes: Buffer.from(secret),
      'secret KeyObject': createSecretKey(Buffer.from(secret)),
      'oct JWK': { kty: 'oct', k: b64(secret) },
    }
    for (const [form, key] of Object.entries(forms)) {
      labelled(form, () => {
        const error = throwsCode(() => toPublicJwk(k(key)), BAD)
        const everything = inspect(error, { depth: 6 })
        assert.equal(everything.includes(secret.slice(0, 16)), false)
        assert.equal(everything.includes(b64(secret).slice(0, 16)), false)
      })
    }
  })

  test('bad key material is refused the same way as by the verifier', () => {
    for (const key of [
      '-----BEGIN PUBLIC KEY-----\nnot-a-key\n-----END PUBLIC KEY-----\n',
      { kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' },
      { kty: 'RSA', n: 'AQAB' },
      { kty: 'XYZ' },
      42,
      null,
    ]) {
      throwsCode(() => toPublicJwk(k(key)), BAD)
      throwsCode(() => jwkThumbprint(k(key)), BAD)
    }
  })
})

describe('jwkThumbprint (RFC 7638): the key alone decides it', () => {
  for (const [kind, members] of KINDS) {
    test(`${kind}: the same for every form, member order and extra member; another key's differs`, () => {
      const { privateKey, publicKey } = pair(kind)
      const pub = jwkOf(publicKey) as Record<string, unknown>
      // RFC 7638 §3: the required members in lexicographic order, no whitespace, SHA-256 by default.
      const canonical = JSON.stringify(Object.fromEntries(members.map((name) => [name, pub[name]])))
      const expected = createHash('sha256').update(canonical).digest('base64url')
      const reversed = Object.fromEntries(Object.entries(pub).reverse())
      const forms = {
        ...privateForms(privateKey),
        ...publicForms(publicKey),
        'members in reverse order': reversed,
        'with kid, alg, use': { ...pub, kid: 'other', alg: 'RS256', use: 'sig' },
      }
      for (const [form, key] of Object.entries(forms)) {
        labelled(form, () => assert.equal(jwkThumbprint(k(key)), expected))
      }
      for (const hash of ['sha384', 'sha512'] as const) {
        assert.equal(jwkThumbprint(publicKey, hash), createHash(hash).update(canonical).digest('base64url'))
      }
      const other = kind === 'rsa2048' ? 'rsa2048b' : kind === 'p256' ? 'p256b' : kind === 'ed25519' ? 'ed25519b' : ''
      if (other !== '') assert.notEqual(jwkThumbprint(pair(other as 'p256b').publicKey), expected)
    })
  }

  test('an oct key: {"k","kty"} (RFC 7638 §3.2), the same from the JWK, the bytes and a secret KeyObject', () => {
    const bytes = Buffer.alloc(48, 5)
    const expected = createHash('sha256')
      .update(`{"k":"${b64(bytes)}","kty":"oct"}`)
      .digest('base64url')
    for (const key of [bytes, createSecretKey(bytes), { kty: 'oct', k: b64(bytes), kid: 'x' }]) {
      assert.equal(jwkThumbprint(k(key)), expected)
    }
  })

  test('only sha256, sha384 and sha512', () => {
    const { publicKey } = pair('p256')
    for (const hash of ['md5', 'sha1', 'SHA256', 'sha-256', 'sha3-256', '', 256, null, { toString: () => 'sha256' }]) {
      throwsCode(() => jwkThumbprint(publicKey, hash as 'sha256'), BAD)
    }
  })
})

describe('generateKeyPair', () => {
  const asymmetric: Algorithm[] = [
    'RS256',
    'RS384',
    'RS512',
    'PS256',
    'PS384',
    'PS512',
    'ES256',
    'ES384',
    'ES512',
    'EdDSA',
    'Ed25519',
  ]
  test('every asymmetric algorithm: a pair that signs that algorithm, checked by node:crypto and the verifier', () => {
    for (const alg of asymmetric) {
      labelled(alg, () => {
        const { privateKey, publicKey } = generateKeyPair(alg)
        assert.equal(privateKey.type, 'private')
        assert.equal(publicKey.type, 'public')
        if (alg.startsWith('RS') || alg.startsWith('PS')) {
          assert.equal(publicKey.asymmetricKeyDetails?.modulusLength, 2048)
        }
        const token = createSigner(privateKey, { algorithm: alg, noTimestamp: true })({ sub: 'u1' })
        const dot = token.lastIndexOf('.')
        const signature = Buffer.from(token.slice(dot + 1), 'base64url')
        assert.equal(rawVerify(token.slice(0, dot), signature, publicKey, alg), true)
        assert.deepEqual(verify(token, publicKey, { algorithms: [alg] }), { sub: 'u1' })
      })
    }
  })

  test('HMAC algorithms, none and unknown names are refused', () => {
    for (const alg of ['HS256', 'HS384', 'HS512', 'none', 'RS1', 'es256', '', undefined, 42]) {
      throwsCode(() => generateKeyPair(alg as Algorithm), BAD)
    }
  })
})
