/**
 * Key material of another kind offered as an HMAC secret (RFC 8725 §3.1): whoever holds the public key could
 * forge tokens. Each form is refused when the signer or verifier is made, and by the one-shot calls.
 */
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { describe, it } from 'node:test'
import { createSigner, createVerifier, type Secret, sign, verify } from '../../src/index.js'
import { forge, NOW, SECRET, throwsCode } from '../helpers/forge.js'

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const ed = generateKeyPairSync('ed25519')
const jwk = JSON.stringify(rsa.publicKey.export({ format: 'jwk' }))

/** Asserts that every entry point refuses `secret` as ERR_JWT_INVALID_OPTION, status 500. */
function refusedEverywhere(secret: Secret): void {
  const token = forge({ alg: 'HS256', typ: 'JWT' }, { sub: '1' })
  for (const call of [
    () => sign({ sub: '1' }, secret),
    () => verify(token, secret, { now: NOW }),
    () => createSigner(secret),
    () => createVerifier(secret),
  ]) {
    assert.equal(throwsCode(call, 'ERR_JWT_INVALID_OPTION').status, 500)
  }
}

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le')
  const be = Buffer.alloc(le.length)
  for (let i = 0; i < le.length; i += 2) {
    be[i] = le[i + 1] as number
    be[i + 1] = le[i] as number
  }
  return be
}

describe('secrets that are key material of another kind', () => {
  it('a JWK Set document, as a string and as bytes', () => {
    const jwks = JSON.stringify({ keys: [JSON.parse(jwk)] })
    refusedEverywhere(jwks)
    refusedEverywhere(Buffer.from(jwks))
  })

  it('a JWK behind a BOM, NBSP or other leading Unicode blanks', () => {
    for (const blank of ['\uFEFF', '\u00A0', '\u2003', '\u3000', '\u2028', '\u202F \n', '\uFEFF\u00A0\t']) {
      refusedEverywhere(blank + jwk)
      refusedEverywhere(Buffer.from(blank + jwk, 'utf8'))
    }
  })

  it('a JWK encoded in UTF-16 as bytes, either byte order, with or without a byte-order mark', () => {
    refusedEverywhere(Buffer.from(jwk, 'utf16le'))
    refusedEverywhere(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(jwk, 'utf16le')]))
    refusedEverywhere(utf16be(jwk))
    refusedEverywhere(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(jwk)]))
    refusedEverywhere(Buffer.from(`\uFEFF ${jwk}`, 'utf16le'))
  })

  it('a PEM marker in any letter case, also in UTF-16', () => {
    const pem = rsa.publicKey.export({ format: 'pem', type: 'spki' }) as string
    refusedEverywhere(pem.toLowerCase())
    refusedEverywhere(pem.replace('BEGIN', 'Begin'))
    refusedEverywhere(Buffer.from(pem.toLowerCase()))
    refusedEverywhere(Buffer.from(pem, 'utf16le'))
  })

  it('DER-encoded SPKI, PKCS#8, PKCS#1 and SEC1 keys, as bytes', () => {
    refusedEverywhere(rsa.publicKey.export({ format: 'der', type: 'spki' }))
    refusedEverywhere(rsa.publicKey.export({ format: 'der', type: 'pkcs1' }))
    refusedEverywhere(rsa.privateKey.export({ format: 'der', type: 'pkcs8' }))
    refusedEverywhere(rsa.privateKey.export({ format: 'der', type: 'pkcs1' }))
    refusedEverywhere(ec.publicKey.export({ format: 'der', type: 'spki' }))
    refusedEverywhere(ec.privateKey.export({ format: 'der', type: 'sec1' }))
    refusedEverywhere(ed.publicKey.export({ format: 'der', type: 'spki' }))
    refusedEverywhere(ed.privateKey.export({ format: 'der', type: 'pkcs8' }))
  })

  it('the bare base64 or base64url text of DER keys (a PEM body without its markers)', () => {
    const der = rsa.publicKey.export({ format: 'der', type: 'spki' })
    refusedEverywhere(der.toString('base64'))
    refusedEverywhere(der.toString('base64url'))
    refusedEverywhere(der.toString('base64').replace(/.{64}/g, '$&\n'))
    refusedEverywhere(ed.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'))
    refusedEverywhere(ec.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url'))
    refusedEverywhere(Buffer.from(der.toString('base64')))
  })

  it('OpenSSH public keys', () => {
    const blob = ed.publicKey.export({ format: 'der', type: 'spki' }).toString('base64')
    for (const type of ['ssh-rsa', 'ssh-ed25519', 'ssh-dss', 'ecdsa-sha2-nistp256', 'sk-ssh-ed25519@openssh.com']) {
      refusedEverywhere(`${type} AAAA${blob}${blob} user@host`)
      refusedEverywhere(Buffer.from(`${type} AAAA${blob}${blob}\n`))
    }
  })

  it('a string that is not well-formed UTF-16: lone surrogates would all become U+FFFD', () => {
    const base = SECRET.slice(0, 60)
    refusedEverywhere(`${base}\uD800abc`)
    refusedEverywhere(`${base}abc\uDFFF`)
    refusedEverywhere(`\uDBFF${base}`)
  })

  it('random secrets and look-alikes that are not keys are still accepted', () => {
    const samples: Secret[] = [
      SECRET,
      `M${SECRET}`,
      `0${SECRET}`,
      `ssh${SECRET}`,
      `e${SECRET}`,
      `{"kid":"x","pad":"${SECRET}"}`,
      `----- not a marker ${SECRET}`,
      Buffer.concat([Buffer.from([0x30, 0x82, 0x01, 0x22]), Buffer.alloc(60, 7)]),
      Buffer.concat([Buffer.from([0x30, 62]), Buffer.alloc(62, 1)]),
      Buffer.from(`\u{1F600}${SECRET}`),
    ]
    for (const secret of samples) {
      const token = sign({ sub: '1' }, secret, { now: NOW })
      assert.deepStrictEqual(verify(token, secret, { now: NOW }), { sub: '1', iat: NOW })
    }
  })
})
