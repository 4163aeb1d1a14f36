/**
 * Asymmetric key attacks: the key rules of the design ("Keys and algorithms"), checked when the signer or verifier
 * is MADE, in every form a key can be given in (PEM text or bytes, KeyObject, JWK). RSA moduli of 2048 to 16384
 * bits (RFC 7518 §3.3, §3.5), a curve that fits its algorithm (§3.4), Ed25519 for `Ed25519` (RFC 9864), signing
 * only with a private key, the JWK `use` / `key_ops` / `alg` members (RFC 7517 §4.2-4.4), and bad key material:
 * always a JwtError ERR_JWT_INVALID_OPTION, never node:crypto's own error, never the key in the message.
 */
import assert from 'node:assert/strict'
import { createHash, createPublicKey, type KeyObject, type JsonWebKey as NodeJsonWebKey } from 'node:crypto'
import { describe, test } from 'node:test'
import { inspect } from 'node:util'
import {
  type Algorithm,
  createSigner,
  createVerifier,
  decodeUnverified,
  type JsonWebKey,
  type JwtError,
  type KeyInput,
  sign,
  verify,
} from '../../src/index.js'
import { b64, throwsCode } from '../helpers/forge.js'
import {
  certificate,
  fakeRsaJwk,
  forgeSigned,
  hasOpenssl,
  inputOf,
  jwkOf,
  labelled,
  pair,
  pkcs8Pem,
  privateForms,
  publicForms,
  rawVerify,
  signatureOf,
  signingInput,
  spkiPem,
  withSignature,
} from '../helpers/keypairs.js'

const BAD = 'ERR_JWT_INVALID_OPTION'
const P = { sub: 'u1' }
type Key = KeyInput
const k = (form: unknown): Key => form as Key
const alg = (name: string | undefined): Algorithm => name as Algorithm

/** createSigner / sign with this key (and algorithm, if any) are both refused. */
function signRefused(key: unknown, algorithm?: string, label = ''): void {
  const options = algorithm === undefined ? {} : { algorithm: alg(algorithm) }
  labelled(`${label} ${algorithm ?? '(no algorithm)'}`, () => {
    throwsCode(() => createSigner(k(key), options), BAD)
    throwsCode(() => sign(P, k(key), options), BAD)
  })
}

/** createVerifier / verify with this key (and algorithms, if any) are both refused, whatever the token. */
function verifyRefused(key: unknown, token: string, algorithms?: string[], label = ''): void {
  const options = algorithms === undefined ? {} : { algorithms: algorithms.map(alg) }
  labelled(`${label} ${algorithms?.join(',') ?? '(no algorithms)'}`, () => {
    throwsCode(() => createVerifier(k(key), options), BAD)
    throwsCode(() => verify(token, k(key), options), BAD)
  })
}

/** node:crypto's import of a JWK. */
function importJwk(jwk: JsonWebKey): KeyObject {
  return createPublicKey({ key: jwk as NodeJsonWebKey, format: 'jwk' })
}

/** The alg of a token's header. */
function algOf(token: string): string | undefined {
  return decodeUnverified(token).header.alg
}

describe('RSA modulus length: 2048 to 16384 bits, for signing and verifying, in every form', () => {
  test('control: 2048 bits signs in every private form and verifies in every public and private form', () => {
    const { privateKey, publicKey } = pair('rsa2048')
    for (const [form, key] of Object.entries(privateForms(privateKey))) {
      for (const a of ['RS256', 'PS256'] as const) {
        const token = createSigner(k(key), { algorithm: a, noTimestamp: true })(P)
        assert.equal(algOf(token), a, form)
        assert.equal(rawVerify(inputOf(token), signatureOf(token), publicKey, a), true, `${form} ${a}`)
      }
      // Without an algorithm an RSA key signs RS256.
      assert.equal(algOf(sign(P, k(key))), 'RS256', form)
    }
    const token = forgeSigned({ alg: 'RS256' }, P, privateKey)
    const forms = { ...publicForms(publicKey), ...privateForms(privateKey) }
    for (const [form, key] of Object.entries(forms)) {
      assert.deepEqual(createVerifier(k(key), { algorithms: ['RS256'] })(token), P, form)
      assert.deepEqual(verify(token, k(key)), P, form)
    }
  })

  for (const bits of [1024, 2040] as const) {
    const { privateKey, publicKey } = pair(bits === 1024 ? 'rsa1024' : 'rsa2040')
    test(`${bits} bits: refused for signing in every private form, with RS256, PS256 and no algorithm`, () => {
      for (const [form, key] of Object.entries(privateForms(privateKey))) {
        for (const a of ['RS256', 'PS256', 'RS512', undefined]) signRefused(key, a, form)
      }
    })
    test(`${bits} bits: refused for verifying in every public and private form, even for its own tokens`, () => {
      const tokens = [forgeSigned({ alg: 'RS256' }, P, privateKey), forgeSigned({ alg: 'PS256' }, P, privateKey)]
      const forms = { ...publicForms(publicKey), ...privateForms(privateKey) }
      for (const [form, key] of Object.entries(forms)) {
        for (const token of tokens) {
          for (const algorithms of [['RS256'], ['PS256'], ['RS256', 'PS256'], undefined]) {
            verifyRefused(key, token, algorithms, form)
          }
        }
      }
    })
  }

  test('16384 bits is the largest accepted (a JWK with a 16384-bit modulus, as JWK, KeyObject and PEM)', () => {
    const jwk = fakeRsaJwk(16384)
    const keyObject = importJwk(jwk)
    assert.equal(keyObject.asymmetricKeyDetails?.modulusLength, 16384)
    const token = withSignature(forgeSigned({ alg: 'RS256' }, P, pair('rsa2048').privateKey), Buffer.alloc(2048, 1))
    for (const key of [jwk, keyObject, spkiPem(keyObject)]) {
      const verifier = createVerifier(k(key), { algorithms: ['RS256'] })
      // The modulus is not a real one: no signature fits it, but the key itself is accepted.
      throwsCode(() => verifier(token), 'ERR_JWT_SIGNATURE')
    }
  })

  test('16392 bits is refused (a fake modulus: node imports it, we must not)', () => {
    const jwk = fakeRsaJwk(16392)
    const keyObject = importJwk(jwk)
    assert.equal(keyObject.asymmetricKeyDetails?.modulusLength, 16392)
    const token = forgeSigned({ alg: 'RS256' }, P, pair('rsa2048').privateKey)
    for (const key of [jwk, keyObject, spkiPem(keyObject), Buffer.from(spkiPem(keyObject))]) {
      verifyRefused(key, token, ['RS256'])
      verifyRefused(key, token)
    }
  })
})

describe('RSA public exponent: odd, at least 3, below 2^256', () => {
  const { publicKey } = pair('rsa2048')
  const n = String(jwkOf(publicKey).n)
  /** The key with this exponent as JWK, KeyObject and SPKI PEM (node:crypto imports each of them). */
  const forms = (e: bigint): unknown[] => {
    let hex = e.toString(16)
    if (hex.length % 2 === 1) hex = `0${hex}`
    const jwk: JsonWebKey = { kty: 'RSA', n, e: Buffer.from(hex, 'hex').toString('base64url') }
    const keyObject = importJwk(jwk)
    return [jwk, keyObject, spkiPem(keyObject)]
  }

  test('e = 1: every PKCS#1 v1.5 encoded hash is its own signature, forged without any private key', () => {
    const input = signingInput({ alg: 'RS256' }, { sub: 'admin' })
    const digestInfo = Buffer.concat([
      Buffer.from('3031300d060960864801650304020105000420', 'hex'),
      createHash('sha256').update(input).digest(),
    ])
    const encoded = Buffer.concat([
      Buffer.from([0, 1]),
      Buffer.alloc(256 - 3 - digestInfo.length, 0xff),
      Buffer.from([0]),
      digestInfo,
    ])
    const forged = `${input}.${b64(encoded)}`
    for (const key of forms(1n)) verifyRefused(key, forged, ['RS256'], 'e = 1')
  })

  test('e = 0, 2, 65536 (even) and 2^256 + 1 are refused; 3 and 65537 are accepted', () => {
    const token = forgeSigned({ alg: 'RS256' }, P, pair('rsa2048').privateKey)
    for (const e of [0n, 2n, 65536n, (1n << 256n) + 1n]) {
      for (const key of forms(e)) verifyRefused(key, token, ['RS256'], `e = ${e}`)
    }
    for (const e of [3n, 65537n]) {
      for (const key of forms(e)) {
        // Not this key's exponent: the key is accepted, the signature (made with e = 65537's private half) is not.
        const verifier = createVerifier(k(key), { algorithms: ['RS256'] })
        if (e === 65537n) assert.deepEqual(verifier(token), P)
        else throwsCode(() => verifier(token), 'ERR_JWT_SIGNATURE')
      }
    }
  })
})

describe('the curve fits the algorithm', () => {
  const ecToken = (a: string, key: KeyObject): string => forgeSigned({ alg: a }, P, key)

  test('control: P-256/ES256, P-384/ES384, P-521/ES512 round trips; no algorithm means the curve’s one', () => {
    for (const [kind, a] of [
      ['p256', 'ES256'],
      ['p384', 'ES384'],
      ['p521', 'ES512'],
    ] as const) {
      const { privateKey, publicKey } = pair(kind)
      for (const [form, key] of Object.entries(privateForms(privateKey))) {
        const token = sign(P, k(key), { noTimestamp: true })
        assert.equal(algOf(token), a, form)
        assert.equal(rawVerify(inputOf(token), signatureOf(token), publicKey, a), true, form)
      }
      for (const [form, key] of Object.entries(publicForms(publicKey))) {
        assert.deepEqual(verify(ecToken(a, privateKey), k(key)), P, form)
        assert.deepEqual(createVerifier(k(key), { algorithms: [alg(a)] })(ecToken(a, privateKey)), P, form)
      }
    }
  })

  test('secp256k1 is refused with every algorithm and none, for signing and verifying, in every form', () => {
    const { privateKey, publicKey } = pair('secp256k1')
    const token = ecToken('ES256', privateKey)
    for (const [form, key] of Object.entries(privateForms(privateKey))) {
      for (const a of ['ES256', 'ES384', 'ES512', 'ES256K', undefined]) {
        signRefused(key, a, form)
      }
    }
    for (const [form, key] of Object.entries({ ...publicForms(publicKey), ...privateForms(privateKey) })) {
      for (const a of [['ES256'], ['ES384'], ['ES512'], ['ES256K'], undefined]) {
        verifyRefused(key, token, a, form)
      }
    }
  })

  const mismatches: Array<[Parameters<typeof pair>[0], string]> = [
    ['p384', 'ES256'],
    ['p256', 'ES512'],
    ['p256', 'ES384'],
    ['p521', 'ES256'],
    ['p521', 'ES384'],
    ['p384', 'ES512'],
  ]
  for (const [kind, a] of mismatches) {
    test(`${kind} with ${a} is refused for signing and verifying, in every form`, () => {
      const { privateKey, publicKey } = pair(kind)
      for (const [form, key] of Object.entries(privateForms(privateKey))) {
        signRefused(key, a, form)
      }
      // A token whose header names the wrong algorithm, signed with the key's own curve and hash.
      const own = kind === 'p256' ? 'ES256' : kind === 'p384' ? 'ES384' : 'ES512'
      const token = forgeSigned({ alg: a }, P, privateKey, { as: own })
      for (const [form, key] of Object.entries(publicForms(publicKey))) {
        verifyRefused(key, token, [a], form)
        verifyRefused(key, token, [own, a], form)
      }
    })
  }

  test('Ed25519: EdDSA and Ed25519 both sign; verifying with no algorithms accepts both names', () => {
    const { privateKey, publicKey } = pair('ed25519')
    for (const [form, key] of Object.entries(privateForms(privateKey))) {
      assert.equal(algOf(sign(P, k(key))), 'EdDSA', form)
      assert.equal(algOf(sign(P, k(key), { algorithm: 'Ed25519' })), 'Ed25519', form)
    }
    for (const [form, key] of Object.entries(publicForms(publicKey))) {
      for (const a of ['EdDSA', 'Ed25519']) {
        assert.deepEqual(verify(forgeSigned({ alg: a }, P, privateKey), k(key)), P, `${form} ${a}`)
      }
    }
  })

  test("Ed448 signs and verifies as EdDSA, and is refused for 'Ed25519' in every form", () => {
    const { privateKey, publicKey } = pair('ed448')
    for (const [form, key] of Object.entries(privateForms(privateKey))) {
      const token = sign(P, k(key), { noTimestamp: true })
      assert.equal(algOf(token), 'EdDSA', form)
      assert.equal(rawVerify(inputOf(token), signatureOf(token), publicKey, 'EdDSA'), true, form)
      signRefused(key, 'Ed25519', form)
    }
    const eddsa = forgeSigned({ alg: 'EdDSA' }, P, privateKey)
    const named = forgeSigned({ alg: 'Ed25519' }, P, privateKey)
    for (const [form, key] of Object.entries(publicForms(publicKey))) {
      assert.deepEqual(verify(eddsa, k(key)), P, form)
      assert.deepEqual(verify(eddsa, k(key), { algorithms: ['EdDSA'] }), P, form)
      // With no algorithms an Ed448 key allows EdDSA only: the 'Ed25519' name is an algorithm it cannot have.
      throwsCode(() => verify(named, k(key)), 'ERR_JWT_ALGORITHM')
      verifyRefused(key, named, ['Ed25519'], form)
      verifyRefused(key, named, ['EdDSA', 'Ed25519'], form)
    }
  })

  for (const kind of ['x25519', 'x448'] as const) {
    test(`${kind} (a key agreement key, not a signing key) is refused for everything, in every form`, () => {
      const { privateKey, publicKey } = pair(kind)
      const token = forgeSigned({ alg: 'EdDSA' }, P, pair('ed25519').privateKey)
      for (const [form, key] of Object.entries(privateForms(privateKey))) {
        for (const a of ['EdDSA', 'Ed25519', 'ES256', undefined]) {
          signRefused(key, a, form)
        }
      }
      for (const [form, key] of Object.entries({ ...publicForms(publicKey), ...privateForms(privateKey) })) {
        for (const a of [['EdDSA'], ['Ed25519'], undefined]) {
          verifyRefused(key, token, a, form)
        }
      }
    })
  }
})

describe('a public key cannot sign', () => {
  for (const [kind, a] of [
    ['rsa2048', 'RS256'],
    ['p256', 'ES256'],
    ['ed25519', 'EdDSA'],
  ] as const) {
    test(`${kind}: SPKI PEM (string, bytes), public KeyObject, public JWK${hasOpenssl() ? ', certificate' : ''}`, () => {
      const { privateKey, publicKey } = pair(kind)
      const forms = publicForms(publicKey)
      const cert = certificate(privateKey)
      if (cert !== undefined) {
        forms['X.509 certificate PEM'] = cert
        forms['X.509 certificate PEM bytes'] = Buffer.from(cert)
      }
      for (const [form, key] of Object.entries(forms)) {
        signRefused(key, undefined, form)
        signRefused(key, a, form)
      }
    })
  }

  test('control: a certificate verifies the tokens of its key', (t) => {
    if (!hasOpenssl()) {
      t.skip('openssl is not available to make a certificate')
      return
    }
    for (const [kind, a] of [
      ['rsa2048', 'RS256'],
      ['p256', 'ES256'],
      ['ed25519', 'EdDSA'],
    ] as const) {
      const { privateKey } = pair(kind)
      const cert = certificate(privateKey) as string
      const token = forgeSigned({ alg: a }, P, privateKey)
      assert.deepEqual(verify(token, cert), P, kind)
      assert.deepEqual(createVerifier(Buffer.from(cert), { algorithms: [a] })(token), P, kind)
      const attacker = pair(kind === 'rsa2048' ? 'rsa2048b' : kind === 'p256' ? 'p256b' : 'ed25519b').privateKey
      throwsCode(() => verify(forgeSigned({ alg: a }, P, attacker), cert), 'ERR_JWT_SIGNATURE')
    }
  })
})

describe('JWK use, key_ops and alg', () => {
  const { privateKey, publicKey } = pair('rsa2048')
  const rs256 = forgeSigned({ alg: 'RS256' }, P, privateKey)
  const rs384 = forgeSigned({ alg: 'RS384' }, P, privateKey)

  test("use 'enc' (and anything but 'sig') is refused for signing and verifying; 'sig' is fine", () => {
    for (const use of ['enc', 'SIG', 'sig ', '', 42, null]) {
      signRefused(jwkOf(privateKey, { use }), undefined, `use ${String(use)}`)
      verifyRefused(jwkOf(publicKey, { use }), rs256, undefined, `use ${String(use)}`)
    }
    assert.equal(algOf(sign(P, jwkOf(privateKey, { use: 'sig' }))), 'RS256')
    assert.deepEqual(verify(rs256, jwkOf(publicKey, { use: 'sig' })), P)
  })

  test("key_ops: ['verify'] cannot sign, ['sign'] cannot verify; the right one, or both, can", () => {
    signRefused(jwkOf(privateKey, { key_ops: ['verify'] }))
    signRefused(jwkOf(privateKey, { key_ops: ['encrypt', 'decrypt'] }))
    signRefused(jwkOf(privateKey, { key_ops: [] }))
    signRefused(jwkOf(privateKey, { key_ops: 'sign' }))
    verifyRefused(jwkOf(publicKey, { key_ops: ['sign'] }), rs256)
    verifyRefused(jwkOf(privateKey, { key_ops: ['sign'] }), rs256)
    verifyRefused(jwkOf(publicKey, { key_ops: [] }), rs256)
    verifyRefused(jwkOf(publicKey, { key_ops: 'verify' }), rs256)
    assert.equal(algOf(sign(P, jwkOf(privateKey, { key_ops: ['sign'] }))), 'RS256')
    assert.equal(algOf(sign(P, jwkOf(privateKey, { key_ops: ['sign', 'verify'] }))), 'RS256')
    assert.deepEqual(verify(rs256, jwkOf(publicKey, { key_ops: ['verify'] })), P)
    assert.deepEqual(verify(rs256, jwkOf(privateKey, { key_ops: ['sign', 'verify'] })), P)
  })

  test("alg 'RS384' contradicting algorithms ['RS256'] (or algorithm 'RS256') is refused", () => {
    verifyRefused(jwkOf(publicKey, { alg: 'RS384' }), rs256, ['RS256'])
    verifyRefused(jwkOf(publicKey, { alg: 'RS384' }), rs384, ['RS256', 'RS384'])
    verifyRefused(jwkOf(publicKey, { alg: 'RS256' }), rs256, ['RS256', 'PS256'])
    signRefused(jwkOf(privateKey, { alg: 'RS384' }), 'RS256')
    signRefused(jwkOf(privateKey, { alg: 'RS384' }), 'PS384')
  })

  test('an alg that does not fit the key (HS256 on RSA, ES384 on P-256, none) is refused', () => {
    verifyRefused(jwkOf(publicKey, { alg: 'HS256' }), rs256)
    signRefused(jwkOf(privateKey, { alg: 'HS256' }))
    verifyRefused(jwkOf(publicKey, { alg: 'none' }), rs256)
    verifyRefused(jwkOf(publicKey, { alg: 'ES256' }), rs256)
    const ec = pair('p256')
    const es256 = forgeSigned({ alg: 'ES256' }, P, ec.privateKey)
    verifyRefused(jwkOf(ec.publicKey, { alg: 'ES384' }), es256)
    signRefused(jwkOf(ec.privateKey, { alg: 'ES384' }))
    verifyRefused(jwkOf(pair('ed25519').publicKey, { alg: 'ES256' }), es256)
  })

  test('the JWK alg is the default: it signs with it, and verifies that algorithm only', () => {
    const token = sign(P, jwkOf(privateKey, { alg: 'RS384' }), { noTimestamp: true })
    assert.equal(algOf(token), 'RS384')
    assert.equal(rawVerify(inputOf(token), signatureOf(token), publicKey, 'RS384'), true)
    assert.equal(algOf(createSigner(jwkOf(privateKey, { alg: 'PS512' }))(P)), 'PS512')
    const verifier = createVerifier(jwkOf(publicKey, { alg: 'RS384' }))
    assert.deepEqual(verifier(rs384), P)
    assert.deepEqual(verify(rs384, jwkOf(publicKey, { alg: 'RS384' })), P)
    throwsCode(() => verifier(rs256), 'ERR_JWT_ALGORITHM')
    throwsCode(() => verify(rs256, jwkOf(publicKey, { alg: 'RS384' })), 'ERR_JWT_ALGORITHM')
    // Given explicitly, the same algorithm is of course allowed.
    assert.deepEqual(verify(rs384, jwkOf(publicKey, { alg: 'RS384' }), { algorithms: ['RS384'] }), P)
    const ec = pair('p256')
    const es256 = forgeSigned({ alg: 'ES256' }, P, ec.privateKey)
    assert.deepEqual(verify(es256, jwkOf(ec.publicKey, { alg: 'ES256' })), P)
  })
})

/** Asserts that the error, with its cause, stack and all, contains none of these fragments of key text. */
function noKeyText(error: JwtError, fragments: string[]): void {
  const everything = `${error.message}\n${inspect(error, { depth: 6 })}`
  for (const fragment of fragments) {
    assert.equal(everything.includes(fragment), false, `the error shows key text ${fragment.slice(0, 12)}...`)
  }
}

/** The base64 lines of a PEM block (the key text), each long enough to be recognised. */
function pemLines(pem: string): string[] {
  return pem.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----'))
}

describe('bad key material: a JwtError ERR_JWT_INVALID_OPTION, never a node:crypto error, never the key text', () => {
  const { privateKey, publicKey } = pair('rsa2048')
  const publicPem = spkiPem(publicKey)
  const privatePem = pkcs8Pem(privateKey)
  const token = forgeSigned({ alg: 'RS256' }, P, privateKey)
  const lines = publicPem.split('\n')
  const bodyLines = lines.slice(1, -2)
  const privateLines = privatePem.split('\n')

  const encrypted = privateKey
    .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'correct horse battery' })
    .toString()

  const pems: Record<string, string> = {
    'garbage between PEM lines':
      '-----BEGIN PUBLIC KEY-----\nthis-is-not-a-key-at-all-really\n-----END PUBLIC KEY-----\n',
    'a truncated PEM (cut in the middle, no END line)': publicPem.slice(0, publicPem.length >> 1),
    'a PEM with its middle lines missing': [lines[0], bodyLines[0], lines.at(-2), ''].join('\n'),
    'a PEM with bad base64 (* inside)': publicPem.replace(
      bodyLines[2] as string,
      `${bodyLines[2]?.slice(0, 10)}*${bodyLines[2]?.slice(11)}`,
    ),
    'a PEM whose END label differs': publicPem.replace('END PUBLIC KEY', 'END PRIVATE KEY'),
    'an empty PEM block': '-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n',
    'a private PEM cut short': privateLines.slice(0, 10).join('\n'),
    'an encrypted PKCS#8 PEM': encrypted,
    'a legacy encrypted PKCS#1 PEM (Proc-Type: 4,ENCRYPTED)': privateKey
      .export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'correct horse battery' })
      .toString(),
    'a legacy encrypted SEC1 PEM': pair('p256')
      .privateKey.export({ type: 'sec1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'correct horse battery' })
      .toString(),
    'an unknown PEM label': publicPem.replaceAll('PUBLIC KEY', 'SECRET THING'),
  }
  for (const [what, pem] of Object.entries(pems)) {
    test(`${what}: refused for signing and verifying, as string and bytes`, () => {
      const fragments = [...pemLines(pem), ...pemLines(publicPem)].filter((f) => pem.includes(f))
      if (what.startsWith('garbage')) fragments.push('this-is-not-a-key')
      for (const key of [pem, Buffer.from(pem), new TextEncoder().encode(pem)]) {
        for (const algorithm of [undefined, 'RS256'] as const) {
          const options = algorithm ? { algorithm } : {}
          noKeyText(
            throwsCode(() => createSigner(k(key), options), BAD),
            fragments,
          )
          noKeyText(
            throwsCode(() => sign(P, k(key), options), BAD),
            fragments,
          )
          const vOptions = algorithm ? { algorithms: [algorithm] } : {}
          noKeyText(
            throwsCode(() => createVerifier(k(key), vOptions), BAD),
            fragments,
          )
          noKeyText(
            throwsCode(() => verify(token, k(key), vOptions), BAD),
            fragments,
          )
        }
      }
    })
  }

  const rsaPrivate = jwkOf(privateKey) as Record<string, string>
  const rsaPublic = jwkOf(publicKey) as Record<string, string>
  const ec = pair('p256')
  const ecPrivate = jwkOf(ec.privateKey) as Record<string, string>
  const ecPublic = jwkOf(ec.publicKey) as Record<string, string>
  const ed = pair('ed25519')
  const edPrivate = jwkOf(ed.privateKey) as Record<string, string>
  const edPublic = jwkOf(ed.publicKey) as Record<string, string>
  const esToken = forgeSigned({ alg: 'ES256' }, P, ec.privateKey)
  const edToken = forgeSigned({ alg: 'EdDSA' }, P, ed.privateKey)
  /** A base64url member one byte shorter (its first byte dropped) or longer (a zero byte in front). */
  const resized = (value: string | undefined, delta: -1 | 1): string => {
    const bytes = Buffer.from(value ?? '', 'base64url')
    return (delta < 0 ? bytes.subarray(1) : Buffer.concat([Buffer.alloc(1), bytes])).toString('base64url')
  }
  const without = (jwk: Record<string, string>, name: string): Record<string, string> => {
    const copy = { ...jwk }
    delete copy[name]
    return copy
  }

  const publicJwks: Array<[string, Record<string, unknown>, string]> = [
    [
      'RSA n not base64url (!)',
      { ...rsaPublic, n: `${rsaPublic.n?.slice(0, 40)}!!!!${rsaPublic.n?.slice(44)}` },
      token,
    ],
    [
      'RSA n in standard base64 (+ /)',
      { ...rsaPublic, n: `${rsaPublic.n?.slice(0, 40)}+/+/${rsaPublic.n?.slice(44)}` },
      token,
    ],
    ['RSA n with = padding', { ...rsaPublic, n: `${rsaPublic.n}=` }, token],
    ['RSA n a number', { ...rsaPublic, n: 12345 }, token],
    ['RSA without e', without(rsaPublic, 'e'), token],
    ['RSA without n', without(rsaPublic, 'n'), token],
    ['RSA e empty', { ...rsaPublic, e: '' }, token],
    ['EC without y', without(ecPublic, 'y'), esToken],
    ['EC x one byte short', { ...ecPublic, x: resized(ecPublic.x, -1) }, esToken],
    ['EC x with a zero byte in front', { ...ecPublic, x: resized(ecPublic.x, 1) }, esToken],
    ['EC point not on the curve', { ...ecPublic, y: ecPublic.x }, esToken],
    ['EC unknown crv', { ...ecPublic, crv: 'P-192' }, esToken],
    ['EC crv missing', without(ecPublic, 'crv'), esToken],
    ['OKP x one byte short', { ...edPublic, x: resized(edPublic.x, -1) }, edToken],
    ['OKP unknown crv', { ...edPublic, crv: 'Ed1' }, edToken],
    ['kty unknown', { ...rsaPublic, kty: 'DSA' }, token],
    ['kty not a string', { ...rsaPublic, kty: 7 }, token],
    ['kty lower case', { ...rsaPublic, kty: 'rsa' }, token],
  ]
  for (const [what, jwk, t] of publicJwks) {
    test(`public JWK: ${what}: refused for verifying`, () => {
      const fragments = [rsaPublic.n, ecPublic.x, ecPublic.y, edPublic.x]
        .filter((v): v is string => typeof v === 'string')
        .map((v) => v.slice(8, 40))
      noKeyText(
        throwsCode(() => createVerifier(k(jwk)), BAD),
        fragments,
      )
      noKeyText(
        throwsCode(() => verify(t, k(jwk)), BAD),
        fragments,
      )
    })
  }

  const privateJwks: Array<[string, Record<string, unknown>]> = [
    [
      'RSA private without p, q, dp, dq, qi',
      without(without(without(without(without(rsaPrivate, 'p'), 'q'), 'dp'), 'dq'), 'qi'),
    ],
    ['RSA private without e', without(rsaPrivate, 'e')],
    ['RSA private d not base64url', { ...rsaPrivate, d: `*${rsaPrivate.d?.slice(1)}` }],
    ['EC d one byte short', { ...ecPrivate, d: resized(ecPrivate.d, -1) }],
    ['EC d one byte long', { ...ecPrivate, d: resized(ecPrivate.d, 1) }],
    ['EC d empty', { ...ecPrivate, d: '' }],
    ['OKP d one byte short', { ...edPrivate, d: resized(edPrivate.d, -1) }],
    ['OKP d one byte long', { ...edPrivate, d: resized(edPrivate.d, 1) }],
  ]
  for (const [what, jwk] of privateJwks) {
    test(`private JWK: ${what}: refused for signing`, () => {
      const fragments = [rsaPrivate.d, rsaPrivate.p, ecPrivate.d, edPrivate.d]
        .filter((v): v is string => typeof v === 'string')
        .map((v) => v.slice(4, 30))
      noKeyText(
        throwsCode(() => createSigner(k(jwk)), BAD),
        fragments,
      )
      noKeyText(
        throwsCode(() => sign(P, k(jwk)), BAD),
        fragments,
      )
    })
  }

  test('hostile JWK objects: accessors, Proxies, boxed strings, arrays and inherited members', () => {
    const { proxy: revoked, revoke } = Proxy.revocable({ ...ecPublic }, {})
    revoke()
    const trap = (): never => {
      throw new Error('trap')
    }
    const holey: string[] = []
    holey[1] = 'verify'
    const hostile: Record<string, unknown> = {
      'a Proxy whose traps throw': new Proxy({ ...ecPublic }, { getOwnPropertyDescriptor: trap, has: trap }),
      'a revoked Proxy': revoked,
      'kty as a getter': Object.defineProperty({ ...ecPublic }, 'kty', { get: () => 'EC', enumerable: true }),
      'x as a throwing getter': Object.defineProperty({ ...ecPublic }, 'x', { get: trap, enumerable: true }),
      'key_ops with a hole': { ...ecPublic, key_ops: holey },
      'key_ops a throwing Proxy': { ...ecPublic, key_ops: new Proxy(['verify'], { get: trap }) },
      'crv an object with toString': { ...ecPublic, crv: { toString: () => 'P-256' } },
      'kty a String object': { ...ecPublic, kty: new String('EC') },
      'an array with JWK members': Object.assign([1], ecPublic),
      'members inherited from a prototype': Object.create(ecPublic),
    }
    for (const [what, jwk] of Object.entries(hostile)) {
      labelled(what, () => {
        throwsCode(() => createVerifier(k(jwk)), BAD)
        throwsCode(() => verify(esToken, k(jwk)), BAD)
        throwsCode(() => createSigner(k(jwk)), BAD)
      })
    }
    // A null-prototype object with the right own members is a JWK like any other.
    assert.deepEqual(verify(esToken, k(Object.assign(Object.create(null), ecPublic))), P)
  })

  test('an encrypted PEM: the error shows neither the key text nor anything of the passphrase', () => {
    const error = throwsCode(() => createSigner(k(encrypted)), BAD)
    noKeyText(error, ['correct horse battery', ...pemLines(encrypted)])
  })
})
