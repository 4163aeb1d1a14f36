/**
 * The key helpers of src/keys.ts: generateKeyPair for every asymmetric algorithm (key type, size, curve, and a
 * round trip through sign and verify), toPublicJwk (public members only, in every input form; refused for what
 * has no public JWK) and jwkThumbprint's argument checks. Known answers for the thumbprint are in test/vectors/.
 */
import assert from 'node:assert/strict'
import { createHash, createSecretKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { describe, test } from 'node:test'
import {
  type Algorithm,
  generateKeyPair,
  type JsonWebKey,
  jwkThumbprint,
  type KeyInput,
  sign,
  toPublicJwk,
  verify,
} from '../src/index.js'
import { SECRET, throwsCode } from './helpers/forge.js'

const SHAPES: Array<[Algorithm, string, Record<string, unknown>]> = [
  ['RS256', 'rsa', { modulusLength: 2048, publicExponent: 65537n }],
  ['RS384', 'rsa', { modulusLength: 2048, publicExponent: 65537n }],
  ['RS512', 'rsa', { modulusLength: 2048, publicExponent: 65537n }],
  ['PS256', 'rsa', { modulusLength: 2048, publicExponent: 65537n }],
  ['PS384', 'rsa', { modulusLength: 2048, publicExponent: 65537n }],
  ['PS512', 'rsa', { modulusLength: 2048, publicExponent: 65537n }],
  ['ES256', 'ec', { namedCurve: 'prime256v1' }],
  ['ES384', 'ec', { namedCurve: 'secp384r1' }],
  ['ES512', 'ec', { namedCurve: 'secp521r1' }],
  ['EdDSA', 'ed25519', {}],
  ['Ed25519', 'ed25519', {}],
]

describe('generateKeyPair', () => {
  for (const [alg, type, details] of SHAPES) {
    test(`${alg}: a ${type} pair of the right size or curve, that signs and verifies ${alg}`, () => {
      const { privateKey, publicKey } = generateKeyPair(alg)
      assert.equal(privateKey.type, 'private')
      assert.equal(publicKey.type, 'public')
      assert.equal(privateKey.asymmetricKeyType, type)
      assert.equal(publicKey.asymmetricKeyType, type)
      assert.deepEqual(publicKey.asymmetricKeyDetails, details)
      const token = sign({ sub: '42' }, privateKey, { algorithm: alg, noTimestamp: true })
      assert.deepEqual(verify(token, publicKey, { algorithms: [alg], complete: true }).header, { alg, typ: 'JWT' })
      assert.deepEqual(verify(token, publicKey, { algorithms: [alg] }), { sub: '42' })
    })
  }

  test('each call makes a new pair', () => {
    const a = generateKeyPair('ES256')
    const b = generateKeyPair('ES256')
    assert.notEqual(jwkThumbprint(a.publicKey), jwkThumbprint(b.publicKey))
  })

  for (const alg of ['HS256', 'HS384', 'HS512', 'none', 'ES256K', 'rs256', '', 42, undefined]) {
    test(`${JSON.stringify(alg) ?? 'undefined'} is ERR_JWT_INVALID_OPTION`, () => {
      throwsCode(() => generateKeyPair(alg as Algorithm), 'ERR_JWT_INVALID_OPTION')
    })
  }
})

describe('toPublicJwk', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' })
  const ed448 = generateKeyPairSync('ed448')
  const cases: Array<[string, { privateKey: KeyObject; publicKey: KeyObject }, string[]]> = [
    ['RSA', rsa, ['kty', 'e', 'n']],
    ['EC P-384', ec, ['kty', 'crv', 'x', 'y']],
    ['Ed448', ed448, ['kty', 'crv', 'x']],
  ]
  for (const [name, pair, members] of cases) {
    const exported = pair.publicKey.export({ format: 'jwk' }) as Record<string, string>
    const want = Object.fromEntries(members.map((m) => [m, exported[m]]))
    const pkcs8 = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
    for (const [form, key] of [
      ['private KeyObject', pair.privateKey],
      ['public KeyObject', pair.publicKey],
      ['PKCS#8 PEM', pkcs8],
      ['SPKI PEM bytes', new TextEncoder().encode(pair.publicKey.export({ type: 'spki', format: 'pem' }) as string)],
      [
        'private JWK with kid, use and alg',
        { ...(pair.privateKey.export({ format: 'jwk' }) as JsonWebKey), kid: 'k1', use: 'sig' },
      ],
    ] as Array<[string, KeyInput]>) {
      test(`${name}, ${form}: kty first, then the public members, nothing else`, () => {
        const jwk = toPublicJwk(key)
        assert.deepEqual(jwk, want)
        assert.deepEqual(Object.keys(jwk), members)
      })
    }
  }

  test('the thumbprint of the public JWK is the thumbprint of the key', () => {
    assert.equal(jwkThumbprint(toPublicJwk(rsa.privateKey)), jwkThumbprint(rsa.publicKey))
  })

  for (const [name, key] of [
    ['an HMAC secret string', SECRET],
    ['a secret KeyObject', createSecretKey(Buffer.from(SECRET))],
    ['an oct JWK', { kty: 'oct', k: Buffer.from(SECRET).toString('base64url') }],
    [
      'an rsa-pss KeyObject (JWK has no RSA-PSS key form)',
      generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).publicKey,
    ],
    ['a JWK with an unknown kty', { kty: 'XYZ', x: 'AA' }],
    ['an EC JWK whose x is not base64url', { kty: 'EC', crv: 'P-256', x: 'a+b/', y: 'AA' }],
    ['an EC JWK node:crypto cannot read', { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' }],
    ['a truncated PEM', (rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string).slice(0, 120)],
  ] as Array<[string, KeyInput]>) {
    test(`${name} is ERR_JWT_INVALID_OPTION`, () => {
      throwsCode(() => toPublicJwk(key), 'ERR_JWT_INVALID_OPTION')
    })
  }
})

describe('jwkThumbprint arguments', () => {
  const { publicKey } = generateKeyPairSync('ed25519')

  for (const hash of ['md5', 'sha1', 'SHA256', 'sha-256', '', 256, null]) {
    test(`hash ${JSON.stringify(hash)} is ERR_JWT_INVALID_OPTION`, () => {
      throwsCode(() => jwkThumbprint(publicKey, hash as 'sha256'), 'ERR_JWT_INVALID_OPTION')
    })
  }

  test('a secret string hashes as an oct JWK of its bytes (RFC 7638 §3.2)', () => {
    const canonical = `{"k":"${Buffer.from(SECRET).toString('base64url')}","kty":"oct"}`
    assert.equal(jwkThumbprint(SECRET), createHash('sha256').update(canonical).digest('base64url'))
    assert.equal(
      jwkThumbprint(createSecretKey(Buffer.from(SECRET)), 'sha512'),
      createHash('sha512').update(canonical).digest('base64url'),
    )
  })

  test('a key that cannot be read is ERR_JWT_INVALID_OPTION', () => {
    throwsCode(() => jwkThumbprint({ kty: 'RSA', n: 'AQAB' } as KeyInput), 'ERR_JWT_INVALID_OPTION')
  })
})
