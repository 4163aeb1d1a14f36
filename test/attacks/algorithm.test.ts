/**
 * Algorithm attacks (RFC 8725 §2.1, §3.1; CVE-2015-9235, CVE-2016-10555, CVE-2022-23540): the algorithm is decided
 * by the verifier's allowlist, never by the token. Every token here carries a MAC made with the right key where
 * that matters, so the only thing wrong with it is its `alg`.
 */
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { describe, test } from 'node:test'
import { sign, verify } from '../../src/index.js'
import { b64, forge, hmac, NOW, SECRET, throwsCode } from '../helpers/forge.js'

const payload = { sub: '42', iat: NOW }
const at = { now: NOW }

test('control: a hand-forged HS256 token with the right key verifies', () => {
  assert.deepEqual(verify(forge({ alg: 'HS256', typ: 'JWT' }, payload), SECRET, at), payload)
})

describe('alg "none" is refused in every spelling', () => {
  for (const alg of ['none', 'None', 'NONE', 'nOnE', 'noNe', 'none ', ' none']) {
    test(`"${alg}" with an empty signature`, () => {
      const token = `${b64(JSON.stringify({ alg, typ: 'JWT' }))}.${b64(JSON.stringify(payload))}.`
      throwsCode(() => verify(token, SECRET, at), 'ERR_JWT_ALGORITHM')
    })
    test(`"${alg}" with a valid HS256 MAC as its signature`, () => {
      throwsCode(
        () => verify(forge({ alg, typ: 'JWT' }, payload, { macAlg: 'HS256' }), SECRET, at),
        'ERR_JWT_ALGORITHM',
      )
    })
  }
  test('"none" with the signature segment left out (two segments)', () => {
    const token = `${b64('{"alg":"none"}')}.${b64(JSON.stringify(payload))}`
    throwsCode(() => verify(token, SECRET, at), 'ERR_JWT_MALFORMED')
  })
  test('"none" even when every HS algorithm is allowed', () => {
    const token = `${b64('{"alg":"none"}')}.${b64(JSON.stringify(payload))}.`
    throwsCode(() => verify(token, SECRET, { ...at, algorithms: ['HS256', 'HS384', 'HS512'] }), 'ERR_JWT_ALGORITHM')
  })
})

describe('a valid MAC under an HS algorithm outside the allowlist', () => {
  test('HS384 token, default allowlist [HS256]', () => {
    throwsCode(() => verify(sign(payload, SECRET, { algorithm: 'HS384', now: NOW }), SECRET, at), 'ERR_JWT_ALGORITHM')
  })
  test('HS512 token, allowlist [HS256, HS384]', () => {
    const token = sign(payload, SECRET, { algorithm: 'HS512', now: NOW })
    throwsCode(() => verify(token, SECRET, { ...at, algorithms: ['HS256', 'HS384'] }), 'ERR_JWT_ALGORITHM')
  })
  test('HS256 token, allowlist [HS512]', () => {
    throwsCode(
      () => verify(sign(payload, SECRET, { now: NOW }), SECRET, { ...at, algorithms: ['HS512'] }),
      'ERR_JWT_ALGORITHM',
    )
  })
  test('header says HS256 but the MAC is HS512 (the verifier uses the allowlisted alg, so the MAC fails)', () => {
    const token = forge({ alg: 'HS256' }, payload, { macAlg: 'HS512' })
    throwsCode(() => verify(token, SECRET, { ...at, algorithms: ['HS256', 'HS512'] }), 'ERR_JWT_SIGNATURE')
  })
})

describe('alg spelled wrongly', () => {
  for (const alg of [
    'hs256',
    'Hs256',
    'hS256',
    'HS256 ',
    ' HS256',
    'HS 256',
    'HS256\u0000',
    'HS-256',
    'HMAC256',
    'HS2560',
    '',
  ]) {
    test(`alg ${JSON.stringify(alg)}`, () => {
      throwsCode(() => verify(forge({ alg }, payload, { macAlg: 'HS256' }), SECRET, at), 'ERR_JWT_ALGORITHM')
    })
  }
})

describe('alg missing or not a string', () => {
  const headers: Record<string, string> = {
    missing: '{"typ":"JWT"}',
    'empty header': '{}',
    null: '{"alg":null}',
    number: '{"alg":256}',
    boolean: '{"alg":true}',
    array: '{"alg":["HS256"]}',
    object: '{"alg":{"HS256":true}}',
    'alg only inside a __proto__ member': '{"__proto__":{"alg":"HS256"}}',
    'alg only inside a constructor member': '{"constructor":{"alg":"HS256"}}',
  }
  for (const [name, header] of Object.entries(headers)) {
    test(name, () => {
      throwsCode(() => verify(forge(header, payload, { macAlg: 'HS256' }), SECRET, at), 'ERR_JWT_ALGORITHM')
    })
  }
})

describe('alg is a prototype property name', () => {
  for (const alg of [
    'constructor',
    '__proto__',
    'toString',
    'valueOf',
    'hasOwnProperty',
    'isPrototypeOf',
    'length',
    'prototype',
  ]) {
    test(`alg "${alg}"`, () => {
      throwsCode(() => verify(forge({ alg }, payload, { macAlg: 'HS256' }), SECRET, at), 'ERR_JWT_ALGORITHM')
    })
  }
})

describe('asymmetric algorithms in the header', () => {
  for (const alg of [
    'RS256',
    'RS384',
    'RS512',
    'ES256',
    'ES384',
    'ES512',
    'ES256K',
    'PS256',
    'PS384',
    'PS512',
    'EdDSA',
    'Ed25519',
    'dir',
    'RSA-OAEP',
  ]) {
    test(`${alg} with an HS256 MAC over the right key`, () => {
      throwsCode(() => verify(forge({ alg }, payload, { macAlg: 'HS256' }), SECRET, at), 'ERR_JWT_ALGORITHM')
    })
  }
})

describe('HS256 MAC keyed with a PEM public key (the RS256 -> HS256 confusion, CVE-2015-9235)', () => {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString()

  test('with alg HS256, verified against our secret: signature mismatch', () => {
    throwsCode(() => verify(forge({ alg: 'HS256' }, payload, { key: pem }), SECRET, at), 'ERR_JWT_SIGNATURE')
  })
  test('with alg ES256 and an HS256 MAC keyed with the PEM: wrong algorithm', () => {
    throwsCode(
      () => verify(forge({ alg: 'ES256' }, payload, { key: pem, macAlg: 'HS256' }), SECRET, at),
      'ERR_JWT_ALGORITHM',
    )
  })
  // The PEM is a key (an EC public key), never an HMAC secret: its own algorithm is ES256, so the HS256 token is
  // refused for its algorithm, and asking for HS256 with that key is refused before any token is read.
  for (const [form, key] of [
    ['PEM text', pem],
    ['PEM bytes', Buffer.from(pem)],
    ['a public KeyObject', publicKey],
    ['a public JWK', publicKey.export({ format: 'jwk' })],
  ] as const) {
    test(`a server that passes ${form} as the key: the HS256 token is a wrong algorithm; HS256 cannot be asked for`, () => {
      const token = forge({ alg: 'HS256' }, payload, { key: pem })
      throwsCode(() => verify(token, key, at), 'ERR_JWT_ALGORITHM')
      throwsCode(() => verify(token, key, { ...at, algorithms: ['HS256'] }), 'ERR_JWT_INVALID_OPTION')
      throwsCode(() => verify(token, key, { ...at, algorithms: ['ES256', 'HS256'] }), 'ERR_JWT_INVALID_OPTION')
    })
  }
  test('the MAC really was keyed with the PEM (self-check of the forged token)', () => {
    const token = forge({ alg: 'HS256' }, payload, { key: pem })
    const cut = token.lastIndexOf('.')
    assert.equal(token.slice(cut + 1), hmac(token.slice(0, cut), pem))
  })
})
