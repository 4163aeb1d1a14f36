/**
 * RFC 7638 (JWK Thumbprint): the §3.1 example, an RSA key whose SHA-256 thumbprint the RFC gives, in every key
 * input form; the other hashes checked against node:crypto over the §3.1 canonical JSON; and the §3.2 member sets
 * for EC and oct keys checked the same way, with keys from RFC 7515 Appendix A.
 */
import assert from 'node:assert/strict'
import { createHash, createPublicKey } from 'node:crypto'
import { describe, test } from 'node:test'
import { jwkThumbprint, type KeyInput, toPublicJwk } from '../../src/index.js'

/** §3.1: the example RSA key, with its kid and alg (RFC 7517 Appendix A.1 gives the same key). */
const JWK = {
  kty: 'RSA',
  n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
  e: 'AQAB',
  alg: 'RS256',
  kid: '2011-04-29',
} as const

/** §3.1: the thumbprint, and the octets of the SHA-256 digest as the RFC lists them. */
const THUMBPRINT = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs'
const DIGEST = [
  55, 54, 203, 177, 120, 124, 184, 48, 156, 119, 238, 140, 55, 5, 197, 225, 111, 251, 158, 133, 151, 21, 144, 31, 30,
  76, 89, 177, 17, 130, 245, 123,
]

/** §3.1: the required members in lexicographic order, no whitespace. */
const CANONICAL = `{"e":"AQAB","kty":"RSA","n":"${JWK.n}"}`

const digest = (hash: string, text: string) => createHash(hash).update(text).digest('base64url')

describe('RFC 7638 §3.1 (RSA)', () => {
  const publicKey = createPublicKey({ key: { kty: 'RSA', n: JWK.n, e: JWK.e }, format: 'jwk' })
  const spki = publicKey.export({ type: 'spki', format: 'pem' }) as string

  test('the digest octets, the thumbprint and the canonical JSON agree', () => {
    assert.deepEqual([...Buffer.from(THUMBPRINT, 'base64url')], DIGEST)
    assert.equal(digest('sha256', CANONICAL), THUMBPRINT)
  })

  for (const [name, key] of [
    ['the JWK with its kid and alg', { ...JWK }],
    ['the JWK with n, e and kty only', { kty: 'RSA', n: JWK.n, e: JWK.e }],
    ['the JWK with use and key_ops added', { ...JWK, use: 'sig', key_ops: ['verify'] }],
    ['a public KeyObject', publicKey],
    ['SPKI PEM text', spki],
    ['SPKI PEM bytes', new TextEncoder().encode(spki)],
    ['PKCS#1 PEM text', publicKey.export({ type: 'pkcs1', format: 'pem' }) as string],
  ] as Array<[string, KeyInput]>) {
    test(`jwkThumbprint of ${name} is the RFC's, and SHA-384/512 hash the same canonical JSON`, () => {
      assert.equal(jwkThumbprint(key), THUMBPRINT)
      assert.equal(jwkThumbprint(key, 'sha256'), THUMBPRINT)
      assert.equal(jwkThumbprint(key, 'sha384'), digest('sha384', CANONICAL))
      assert.equal(jwkThumbprint(key, 'sha512'), digest('sha512', CANONICAL))
    })
  }

  test('toPublicJwk keeps kty, n and e only', () => {
    assert.deepEqual(toPublicJwk({ ...JWK } as unknown as KeyInput), { kty: 'RSA', n: JWK.n, e: JWK.e })
  })
})

describe('RFC 7638 §3.2 (EC and oct member sets)', () => {
  // RFC 7515 Appendix A.3's P-256 key and Appendix A.1's HMAC key.
  const ec = {
    kty: 'EC',
    crv: 'P-256',
    x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
    y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
    d: 'jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI',
  }
  const oct = {
    kty: 'oct',
    k: 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow',
  }

  test('EC: crv, kty, x, y in that order; d is not hashed', () => {
    const canonical = `{"crv":"P-256","kty":"EC","x":"${ec.x}","y":"${ec.y}"}`
    assert.equal(jwkThumbprint(ec as unknown as KeyInput), digest('sha256', canonical))
    assert.equal(
      jwkThumbprint({ kty: 'EC', crv: ec.crv, x: ec.x, y: ec.y, kid: 'a' } as unknown as KeyInput),
      digest('sha256', canonical),
    )
    assert.equal(jwkThumbprint(ec as unknown as KeyInput, 'sha512'), digest('sha512', canonical))
  })

  test('oct: k, kty', () => {
    const canonical = `{"k":"${oct.k}","kty":"oct"}`
    assert.equal(jwkThumbprint(oct as unknown as KeyInput), digest('sha256', canonical))
    assert.equal(jwkThumbprint(oct as unknown as KeyInput, 'sha384'), digest('sha384', canonical))
  })
})
