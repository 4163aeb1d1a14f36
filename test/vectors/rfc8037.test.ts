/**
 * Known answers from RFC 8037 Appendix A (Ed25519 in JOSE): the A.1 key and its A.2 public half, the A.3 thumbprint
 * (RFC 7638 over crv, kty, x) and the A.4 signature, which Ed25519 makes deterministically, so ours must equal it
 * byte for byte. The A.4 payload is plain text, not a claims set, so the exact-input primitives carry the signature
 * checks and `verify` is shown to pass the signature and then refuse the payload.
 */
import assert from 'node:assert/strict'
import { createPrivateKey, createPublicKey, verify as cryptoVerify } from 'node:crypto'
import { describe, test } from 'node:test'
import { base64url, createVerifier, jwkThumbprint, type KeyInput, toPublicJwk, verify } from '../../src/index.js'
import { signInput, verifyInput } from '../../src/lib/algorithms.js'
import { throwsCode } from '../helpers/forge.js'
import { oneBitFlips, parts } from './util.js'

/** Appendix A.1: the Ed25519 private key. */
const A1_JWK = {
  kty: 'OKP',
  crv: 'Ed25519',
  d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A',
  x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
} as const

/** Appendix A.2: its public key. */
const A2_JWK = {
  kty: 'OKP',
  crv: 'Ed25519',
  x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
} as const

/** Appendix A.3: the thumbprint of the A.2 key, hex and base64url. */
const A3_THUMBPRINT_HEX = '90facafea9b1556698540f70c0117a22ea37bd5cf3ed3c47093c1707282b4b89'
const A3_THUMBPRINT = 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k'

/** Appendix A.4: the JWS Signing Input and the signature. */
const A4_SIGNING_INPUT = 'eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc'
const A4_SIGNATURE = 'hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg'
const A4_SIGNATURE_HEX =
  '860c98d2297f3060a33f42739672d61b53cf3adefed3d3c672f320dc021b411e9d59b8628dc351e248b88b29468e0e41855b0fb7d83bb15be902bfccb8cd0a02'

const privateJwk = { ...A1_JWK } as unknown as KeyInput
const publicJwk = { ...A2_JWK } as unknown as KeyInput
const privateKey = createPrivateKey({ key: { ...A1_JWK }, format: 'jwk' })
const publicKey = createPublicKey(privateKey)
const spki = publicKey.export({ type: 'spki', format: 'pem' }) as string
const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
const TOKEN = `${A4_SIGNING_INPUT}.${A4_SIGNATURE}`

describe('RFC 8037 A.1 and A.2: the key pair', () => {
  test('the public key of the A.1 private key is the A.2 key', () => {
    assert.deepEqual(publicKey.export({ format: 'jwk' }), { ...A2_JWK })
  })

  for (const [name, key] of [
    ['the A.1 private JWK', privateJwk],
    ['the A.2 public JWK', publicJwk],
    ['a private KeyObject', privateKey],
    ['SPKI PEM text', spki],
  ] as Array<[string, KeyInput]>) {
    test(`toPublicJwk of ${name} is the A.2 key: kty, crv and x only`, () => {
      assert.deepEqual(toPublicJwk(key), { kty: 'OKP', crv: 'Ed25519', x: A2_JWK.x })
    })
  }
})

describe('RFC 8037 A.3: JWK thumbprint', () => {
  test('the RFC gives the same digest in hex and base64url', () => {
    assert.equal(Buffer.from(A3_THUMBPRINT, 'base64url').toString('hex'), A3_THUMBPRINT_HEX)
  })

  for (const [name, key] of [
    ['the A.2 public JWK', publicJwk],
    ['the A.1 private JWK (public members only)', privateJwk],
    [
      'the A.2 JWK with kid, use and alg added (they are not hashed)',
      { ...A2_JWK, kid: 'k', use: 'sig', alg: 'EdDSA' },
    ],
    ['a public KeyObject', publicKey],
    ['a private KeyObject', privateKey],
    ['SPKI PEM text', spki],
    ['PKCS#8 PEM bytes', new TextEncoder().encode(pkcs8)],
  ] as Array<[string, KeyInput]>) {
    test(`jwkThumbprint of ${name} is the RFC's`, () => {
      assert.equal(jwkThumbprint(key), A3_THUMBPRINT)
      assert.equal(jwkThumbprint(key, 'sha256'), A3_THUMBPRINT)
    })
  }
})

describe('RFC 8037 A.4: Ed25519 signing', () => {
  const { header, payload, signingInput, signature } = parts(TOKEN)

  test('the segments decode to the RFC text and the signature to its hex', () => {
    assert.equal(base64url.decodeToString(header), '{"alg":"EdDSA"}')
    assert.equal(base64url.decodeToString(payload), 'Example of Ed25519 signing')
    assert.equal(Buffer.from(signature, 'base64url').toString('hex'), A4_SIGNATURE_HEX)
  })

  for (const [name, key] of [
    ['the A.1 private JWK', privateJwk],
    ['a private KeyObject', privateKey],
    ['PKCS#8 PEM text', pkcs8],
    ['PKCS#8 PEM bytes', new TextEncoder().encode(pkcs8)],
  ] as Array<[string, KeyInput]>) {
    test(`signInput('EdDSA') with ${name} reproduces the RFC signature exactly`, () => {
      assert.equal(signInput('EdDSA', key, signingInput), A4_SIGNATURE)
    })
  }

  test("signInput('Ed25519') makes the same bytes: the names differ only in the header", () => {
    assert.equal(signInput('Ed25519', privateJwk, signingInput), A4_SIGNATURE)
  })

  test('node:crypto agrees that the RFC signature is Ed25519 over the signing input', () => {
    assert.equal(cryptoVerify(null, Buffer.from(signingInput), publicKey, Buffer.from(signature, 'base64url')), true)
  })

  test('verifyInput accepts the RFC signature with the public JWK, the private JWK and a KeyObject', () => {
    assert.equal(verifyInput('EdDSA', publicJwk, signingInput, signature), true)
    assert.equal(verifyInput('EdDSA', privateJwk, signingInput, signature), true)
    assert.equal(verifyInput('EdDSA', publicKey, signingInput, signature), true)
    assert.equal(verifyInput('Ed25519', publicJwk, signingInput, signature), true)
  })

  for (const [what, changed] of oneBitFlips(TOKEN)) {
    test(`one bit flipped in ${what}: verifyInput is false, verify is ERR_JWT_SIGNATURE`, () => {
      const c = parts(changed)
      assert.equal(verifyInput('EdDSA', publicJwk, c.signingInput, c.signature), false)
      throwsCode(() => verify(changed, publicJwk), 'ERR_JWT_SIGNATURE')
    })
  }

  for (const [name, key] of [
    ['the A.2 public JWK', publicJwk],
    ['the A.1 private JWK', privateJwk],
    ['a public KeyObject', publicKey],
    ['SPKI PEM text', spki],
  ] as Array<[string, KeyInput]>) {
    test(`verify with ${name}: the signature passes, then the payload (not a claims set) is ERR_JWT_MALFORMED`, () => {
      // MALFORMED, not SIGNATURE: the signature was checked before the payload was read.
      throwsCode(() => verify(TOKEN, key), 'ERR_JWT_MALFORMED')
      throwsCode(() => createVerifier(key, { algorithms: ['EdDSA'] })(TOKEN), 'ERR_JWT_MALFORMED')
    })
  }

  test("the header's EdDSA is ERR_JWT_ALGORITHM when only 'Ed25519' is allowed", () => {
    throwsCode(() => verify(TOKEN, publicJwk, { algorithms: ['Ed25519'] }), 'ERR_JWT_ALGORITHM')
  })
})
