/**
 * Asymmetric signature attacks: a JOSE signature has exactly one valid shape. ECDSA is raw R || S of 64/96/132
 * bytes (RFC 7518 §3.4), so node's default DER encoding, other lengths and the all-zero "psychic signature" are
 * refused; RSA signatures are exactly the modulus length; PSS uses MGF1 with the same hash and a salt as long as
 * the hash (§3.5), so a token signed with node's default maximal salt is refused. Every bad signature is
 * ERR_JWT_SIGNATURE (a non-canonical encoding ERR_JWT_MALFORMED), never an error of node:crypto, never with the
 * token or key text in it.
 */
import assert from 'node:assert/strict'
import {
  constants,
  generateKeyPairSync,
  type KeyObject,
  sign as nodeSign,
  verify as nodeVerify,
  randomBytes,
} from 'node:crypto'
import { describe, test } from 'node:test'
import { inspect } from 'node:util'
import {
  type Algorithm,
  createSigner,
  createVerifier,
  decodeUnverified,
  type JwtErrorCode,
  sign,
  verify,
} from '../../src/index.js'
import { b64, throwsCode } from '../helpers/forge.js'
import {
  forgeSigned,
  hashBytes,
  inputOf,
  labelled,
  pair,
  pkcs8Pem,
  rawSignature,
  rawVerify,
  signatureOf,
  signingInput,
  spkiPem,
  withSignature,
} from '../helpers/keypairs.js'

const P = { sub: 'u1' }
const SIG = 'ERR_JWT_SIGNATURE'

/** Verifies with verify() and createVerifier() on the PEM and the KeyObject: each must throw `code`. */
function refusedEverywhere(token: string, publicKey: KeyObject, alg: string, code: JwtErrorCode = SIG): void {
  const options = { algorithms: [alg as Algorithm], maxTokenLength: 65_536 }
  const pem = spkiPem(publicKey)
  const segment = token.slice(token.lastIndexOf('.') + 1)
  for (const key of [publicKey, pem]) {
    for (const run of [() => verify(token, key, options), () => createVerifier(key, options)(token)]) {
      const error = throwsCode(run, code)
      assert.equal(error.status, 401)
      const everything = inspect(error, { depth: 6 })
      if (segment.length >= 12) assert.equal(everything.includes(segment.slice(0, 12)), false, 'signature in error')
      assert.equal(everything.includes(pem.split('\n')[2] as string), false, 'key text in error')
    }
  }
}

const EC = [
  ['ES256', 'p256', 64],
  ['ES384', 'p384', 96],
  ['ES512', 'p521', 132],
] as const

describe('ECDSA: raw R || S of exactly 64/96/132 bytes', () => {
  for (const [alg, kind, size] of EC) {
    const { privateKey, publicKey } = pair(kind)
    const good = forgeSigned({ alg }, P, privateKey)
    const input = inputOf(good)
    const sig = signatureOf(good)

    test(`${alg}: control: a raw signature of ${size} bytes verifies; ours are ${size} bytes and node accepts them`, () => {
      assert.equal(sig.length, size)
      assert.deepEqual(verify(good, publicKey), P)
      assert.deepEqual(verify(good, spkiPem(publicKey), { algorithms: [alg] }), P)
      const ours = createSigner(privateKey, { algorithm: alg, noTimestamp: true })(P)
      assert.equal(signatureOf(ours).length, size)
      assert.equal(rawVerify(inputOf(ours), signatureOf(ours), publicKey, alg), true)
      assert.equal(decodeUnverified(ours).header.alg, alg)
    })

    test(`${alg}: the DER signature node:crypto makes by default is refused`, () => {
      const der = rawSignature(input, privateKey, alg, { dsaEncoding: 'der' })
      assert.equal(der[0], 0x30)
      refusedEverywhere(withSignature(good, der), publicKey, alg)
      // Also DER made by plain crypto.sign with no options at all.
      const plain = nodeSign(`sha${alg.slice(2)}`, Buffer.from(input), privateKey)
      refusedEverywhere(withSignature(good, plain), publicKey, alg)
    })

    test(`${alg}: ${size - 1}, ${size + 1}, 0 bytes and other lengths are refused`, () => {
      const shapes: Record<string, Buffer> = {
        'one byte short': sig.subarray(0, size - 1),
        'one byte long (a zero appended)': Buffer.concat([sig, Buffer.alloc(1)]),
        'one byte long (a zero prepended)': Buffer.concat([Buffer.alloc(1), sig]),
        'R only': sig.subarray(0, size / 2),
        'R || S || R': Buffer.concat([sig, sig.subarray(0, size / 2)]),
        'R || S twice': Buffer.concat([sig, sig]),
        'the length of another curve': size === 64 ? Buffer.concat([sig, sig.subarray(0, 32)]) : sig.subarray(0, 64),
      }
      for (const [what, bytes] of Object.entries(shapes)) {
        labelled(what, () => refusedEverywhere(withSignature(good, bytes), publicKey, alg))
      }
      refusedEverywhere(`${input}.`, publicKey, alg)
    })

    test(`${alg}: all-zero (r = s = 0, the "psychic signature") and all-ones are refused`, () => {
      refusedEverywhere(withSignature(good, Buffer.alloc(size)), publicKey, alg)
      refusedEverywhere(withSignature(good, Buffer.alloc(size, 0xff)), publicKey, alg)
      // r = 0 with the real s, and the real r with s = 0.
      const r0 = Buffer.concat([Buffer.alloc(size / 2), sig.subarray(size / 2)])
      const s0 = Buffer.concat([sig.subarray(0, size / 2), Buffer.alloc(size / 2)])
      refusedEverywhere(withSignature(good, r0), publicKey, alg)
      refusedEverywhere(withSignature(good, s0), publicKey, alg)
    })

    test(`${alg}: R and S swapped, and a signature of another token, are refused`, () => {
      const swapped = Buffer.concat([sig.subarray(size / 2), sig.subarray(0, size / 2)])
      refusedEverywhere(withSignature(good, swapped), publicKey, alg)
      const other = forgeSigned({ alg }, { sub: 'u2' }, privateKey)
      refusedEverywhere(withSignature(good, signatureOf(other)), publicKey, alg)
    })
  }

  test('ES512: 132 bytes exactly (P-521 scalars are 66 bytes), not 130 or 128', () => {
    const { privateKey, publicKey } = pair('p521')
    const good = forgeSigned({ alg: 'ES512' }, P, privateKey)
    assert.equal(signatureOf(good).length, 132)
    assert.deepEqual(verify(good, publicKey), P)
    const sig = signatureOf(good)
    // Each half without its leading byte (the top bits of a 521-bit number are often zero).
    const squeezed = Buffer.concat([sig.subarray(1, 66), sig.subarray(67)])
    refusedEverywhere(withSignature(good, squeezed), publicKey, 'ES512')
    refusedEverywhere(withSignature(good, sig.subarray(0, 128)), publicKey, 'ES512')
  })
})

describe('RSA: a signature of exactly the modulus length', () => {
  const { privateKey, publicKey } = pair('rsa2048')
  for (const alg of ['RS256', 'PS256'] as const) {
    const good = forgeSigned({ alg }, P, privateKey)
    const sig = signatureOf(good)
    test(`${alg}: empty, 255, 257 (a zero prepended), 512 bytes are refused`, () => {
      assert.equal(sig.length, 256)
      assert.deepEqual(verify(good, publicKey, { algorithms: [alg] }), P)
      refusedEverywhere(`${inputOf(good)}.`, publicKey, alg)
      refusedEverywhere(withSignature(good, sig.subarray(1)), publicKey, alg)
      refusedEverywhere(withSignature(good, sig.subarray(0, 255)), publicKey, alg)
      refusedEverywhere(withSignature(good, Buffer.concat([Buffer.alloc(1), sig])), publicKey, alg)
      refusedEverywhere(withSignature(good, Buffer.concat([sig, sig])), publicKey, alg)
      refusedEverywhere(withSignature(good, Buffer.alloc(256)), publicKey, alg)
      refusedEverywhere(withSignature(good, Buffer.alloc(256, 0xff)), publicKey, alg)
    })
    test(`${alg}: a 10 KB signature is over the default token size limit (MALFORMED), and a bad signature under a larger one`, () => {
      const big = withSignature(good, randomBytes(10_240))
      for (const key of [publicKey, spkiPem(publicKey)]) {
        throwsCode(() => verify(big, key, { algorithms: [alg] }), 'ERR_JWT_MALFORMED')
        throwsCode(() => createVerifier(key, { algorithms: [alg] })(big), 'ERR_JWT_MALFORMED')
      }
      refusedEverywhere(big, publicKey, alg)
    })
  }

  test('a non-canonical spelling of the right signature is MALFORMED', () => {
    const good = forgeSigned({ alg: 'RS256' }, P, privateKey)
    const segment = good.slice(good.lastIndexOf('.') + 1)
    // 256 bytes: 342 characters, the last one carrying 4 trailing bits (canonical: zero).
    const last = segment.at(-1) as string
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const other = alphabet[alphabet.indexOf(last) ^ 1] as string
    const spellings = [
      `${segment}==`,
      `${segment.slice(0, -1)}${other}`,
      `${segment.slice(0, 100)} ${segment.slice(100)}`,
    ]
    const standard = Buffer.from(segment, 'base64url').toString('base64').replace(/=+$/, '')
    if (standard !== segment) spellings.push(standard)
    for (const spelling of spellings) {
      refusedEverywhere(`${inputOf(good)}.${spelling}`, publicKey, 'RS256', 'ERR_JWT_MALFORMED')
    }
  })
})

describe('EdDSA: 64-byte signatures only', () => {
  const { privateKey, publicKey } = pair('ed25519')
  const good = forgeSigned({ alg: 'EdDSA' }, P, privateKey)
  const sig = signatureOf(good)
  test('empty, 63, 65, 128 bytes, all zero, and the signature of another token are refused', () => {
    assert.equal(sig.length, 64)
    assert.deepEqual(verify(good, publicKey), P)
    refusedEverywhere(`${inputOf(good)}.`, publicKey, 'EdDSA')
    refusedEverywhere(withSignature(good, sig.subarray(0, 63)), publicKey, 'EdDSA')
    refusedEverywhere(withSignature(good, Buffer.concat([sig, Buffer.alloc(1)])), publicKey, 'EdDSA')
    refusedEverywhere(withSignature(good, Buffer.concat([sig, sig])), publicKey, 'EdDSA')
    refusedEverywhere(withSignature(good, Buffer.alloc(64)), publicKey, 'EdDSA')
    refusedEverywhere(
      withSignature(good, signatureOf(forgeSigned({ alg: 'EdDSA' }, { sub: 'u2' }, privateKey))),
      publicKey,
      'EdDSA',
    )
  })
  test('Ed448: 114 bytes; an Ed25519-sized signature is refused', () => {
    const ed448 = pair('ed448')
    const token = forgeSigned({ alg: 'EdDSA' }, P, ed448.privateKey)
    assert.equal(signatureOf(token).length, 114)
    assert.deepEqual(verify(token, ed448.publicKey), P)
    refusedEverywhere(withSignature(token, signatureOf(token).subarray(0, 64)), ed448.publicKey, 'EdDSA')
    refusedEverywhere(withSignature(token, signatureOf(token).subarray(0, 113)), ed448.publicKey, 'EdDSA')
  })
})

describe('PSS: MGF1 with the same hash, salt as long as the hash', () => {
  const { privateKey, publicKey } = pair('rsa2048')
  for (const alg of ['PS256', 'PS384', 'PS512'] as const) {
    const hash = `sha${alg.slice(2)}`
    const bytes = hashBytes(alg)
    const input = signingInput({ alg }, P)
    const pssToken = (saltLength?: number): string => {
      const options =
        saltLength === undefined
          ? { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING }
          : { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }
      return `${input}.${b64(nodeSign(hash, Buffer.from(input), options))}`
    }

    test(`${alg}: node:crypto's default (maximal) salt is refused; salt = ${bytes} bytes is accepted`, () => {
      refusedEverywhere(pssToken(), publicKey, alg)
      refusedEverywhere(pssToken(constants.RSA_PSS_SALTLEN_MAX_SIGN), publicKey, alg)
      assert.deepEqual(verify(pssToken(bytes), publicKey, { algorithms: [alg] }), P)
      assert.deepEqual(createVerifier(spkiPem(publicKey), { algorithms: [alg] })(pssToken(bytes)), P)
    })

    test(`${alg}: other salt lengths (0, 20, ${bytes - 1}, ${bytes + 1}, the digest of another hash) are refused`, () => {
      for (const salt of new Set([0, 20, bytes - 1, bytes + 1, bytes === 32 ? 64 : 32])) {
        labelled(`salt ${salt}`, () => refusedEverywhere(pssToken(salt), publicKey, alg))
      }
    })

    test(`${alg}: our signatures verify with node:crypto at salt = ${bytes} bytes, and at no other salt length`, () => {
      const tokens = [
        sign(P, privateKey, { algorithm: alg, noTimestamp: true }),
        createSigner(pkcs8Pem(privateKey), { algorithm: alg, noTimestamp: true })(P),
      ]
      for (const token of tokens) {
        const signature = signatureOf(token)
        assert.equal(rawVerify(inputOf(token), signature, publicKey, alg), true)
        for (const saltLength of [0, bytes - 1, bytes + 1]) {
          const options = { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }
          let accepted: boolean
          try {
            accepted = nodeVerify(hash, Buffer.from(inputOf(token)), options, signature)
          } catch {
            accepted = false
          }
          assert.equal(accepted, false, `node:crypto accepted salt ${saltLength}`)
        }
      }
    })
  }

  test('a PS token that is really RS (PKCS#1 v1.5) is refused, and the other way round', () => {
    const rsAsPs = forgeSigned({ alg: 'PS256' }, P, privateKey, { as: 'RS256' })
    const psAsRs = forgeSigned({ alg: 'RS256' }, P, privateKey, { as: 'PS256' })
    refusedEverywhere(rsAsPs, publicKey, 'PS256')
    refusedEverywhere(psAsRs, publicKey, 'RS256')
  })

  /** An rsa-pss pair with RFC 4055 restrictions (@types/node 20 types `saltLength` as a string; node takes a number). */
  const pssPair = (hash: string, mgf1: string, salt: number): { privateKey: KeyObject; publicKey: KeyObject } =>
    generateKeyPairSync('rsa-pss', {
      modulusLength: 2048,
      hashAlgorithm: hash,
      mgf1HashAlgorithm: mgf1,
      saltLength: salt as unknown as string,
    })

  test('an rsa-pss key restricted to another MGF1 hash, or to a longer salt, is refused when the signer is made', () => {
    const restricted = {
      'MGF1 with SHA-1': pssPair('sha256', 'sha1', 32),
      'a salt of at least 64 bytes': pssPair('sha256', 'sha256', 64),
    }
    const token = forgeSigned({ alg: 'PS256' }, P, privateKey)
    for (const [what, keys] of Object.entries(restricted)) {
      labelled(what, () => {
        for (const options of [{}, { algorithm: 'PS256' as const }]) {
          throwsCode(() => createSigner(keys.privateKey, options), 'ERR_JWT_INVALID_OPTION')
          throwsCode(() => sign(P, keys.privateKey, options), 'ERR_JWT_INVALID_OPTION')
        }
        for (const options of [{}, { algorithms: ['PS256' as const] }]) {
          throwsCode(() => createVerifier(keys.publicKey, options), 'ERR_JWT_INVALID_OPTION')
          throwsCode(() => verify(token, keys.publicKey, options), 'ERR_JWT_INVALID_OPTION')
        }
      })
    }
    // Restricted to what JWS uses (SHA-256 both ways, salt of 32 or fewer bytes): fine, and a JOSE PS256 token.
    const fitting = pssPair('sha256', 'sha256', 20)
    const signed = sign(P, fitting.privateKey, { noTimestamp: true })
    assert.equal(decodeUnverified(signed).header.alg, 'PS256')
    assert.equal(rawVerify(inputOf(signed), signatureOf(signed), fitting.publicKey, 'PS256'), true)
    assert.deepEqual(verify(signed, fitting.publicKey), P)
  })

  test('an rsa-pss KeyObject signs PS256 by default, with the hash-length salt', () => {
    const pss = pair('rsapss')
    const token = sign(P, pss.privateKey, { noTimestamp: true })
    assert.equal(decodeUnverified(token).header.alg, 'PS256')
    assert.equal(rawVerify(inputOf(token), signatureOf(token), pss.publicKey, 'PS256'), true)
    assert.deepEqual(verify(token, pss.publicKey), P)
    refusedEverywhere(withSignature(token, Buffer.alloc(256, 1)), pss.publicKey, 'PS256')
  })
})
