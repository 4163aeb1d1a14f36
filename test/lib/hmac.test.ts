import assert from 'node:assert/strict'
import { createHmac, createSecretKey, generateKeyPairSync } from 'node:crypto'
import { describe, test } from 'node:test'
import { ALGORITHMS as ALL, isAlgorithm, hmacOf as mac, prepareSecret as prepareKey } from '../../src/lib/algorithms.js'
import { constantTimeEqual } from '../../src/lib/hmac.js'

const ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const
const HASH_BYTES = { HS256: 32, HS384: 48, HS512: 64 } as const

import { SECRET, throwsCode } from '../helpers/forge.js'

describe('prepareKey', () => {
  test('a string secret is its UTF-8 bytes', () => {
    // 16 × 'é' is 16 characters but 32 UTF-8 bytes: long enough for HS256.
    const key = prepareKey('é'.repeat(16), ['HS256'])
    assert.deepEqual(key, Buffer.from('é'.repeat(16), 'utf8'))
    // 31 ASCII characters are 31 bytes: too short.
    throwsCode(() => prepareKey('x'.repeat(31), ['HS256']), 'ERR_JWT_INVALID_OPTION')
  })

  test('Uint8Array secrets, including a view with a byte offset, give exactly the viewed bytes', () => {
    const backing = new Uint8Array(100).map((_, i) => i)
    const view = backing.subarray(10, 42)
    assert.deepEqual([...prepareKey(view, ['HS256'])], [...backing.slice(10, 42)])
  })

  test('a secret KeyObject is exported; an asymmetric one is refused', () => {
    const bytes = Buffer.alloc(48, 7)
    assert.deepEqual(prepareKey(createSecretKey(bytes), ['HS384']), bytes)
    const { publicKey, privateKey } = generateKeyPairSync('ed25519')
    const e1 = throwsCode(() => prepareKey(publicKey, ['HS256']), 'ERR_JWT_INVALID_OPTION')
    assert.match(e1.message, /"HS256" cannot be used with an Ed25519 public key/)
    throwsCode(() => prepareKey(privateKey, ['HS256']), 'ERR_JWT_INVALID_OPTION')
  })

  test('the minimum length is the hash output: 32, 48 and 64 bytes (RFC 7518 §3.2)', () => {
    for (const [alg, n] of [
      ['HS256', 32],
      ['HS384', 48],
      ['HS512', 64],
    ] as const) {
      assert.equal(HASH_BYTES[alg], n)
      assert.equal(prepareKey(Buffer.alloc(n, 1), [alg]).length, n)
      const err = throwsCode(() => prepareKey(Buffer.alloc(n - 1, 1), [alg]), 'ERR_JWT_INVALID_OPTION')
      assert.match(err.message, new RegExp(`${n - 1} bytes; ${alg} needs at least ${n}`))
      // The message says how to make a good secret.
      assert.match(err.message, /generate one with `node -e "console\.log\(require\('node:crypto'\)\.randomBytes\(64\)/)
      // npx only where jwt-codec is installed: elsewhere it would fetch whatever the registry has under the name.
      for (const npx of err.message.matchAll(/npx /g)) {
        assert.match(err.message.slice(0, npx.index), /once jwt-codec is installed in your project, `$/)
      }
    }
  })

  test('with several algorithms, the longest hash sets the minimum', () => {
    throwsCode(() => prepareKey(Buffer.alloc(48, 1), ['HS256', 'HS512']), 'ERR_JWT_INVALID_OPTION')
    throwsCode(() => prepareKey(Buffer.alloc(63, 1), ['HS512', 'HS384']), 'ERR_JWT_INVALID_OPTION')
    assert.equal(prepareKey(Buffer.alloc(64, 1), ['HS256', 'HS384', 'HS512']).length, 64)
  })

  test('empty secrets are refused whatever their type', () => {
    for (const empty of ['', new Uint8Array(0), Buffer.alloc(0)]) {
      const err = throwsCode(() => prepareKey(empty, ['HS256']), 'ERR_JWT_INVALID_OPTION')
      assert.match(err.message, /empty/)
    }
  })

  test('values that are not secrets are refused', () => {
    for (const bad of [undefined, null, 42, {}, [1, 2, 3], new ArrayBuffer(64), true]) {
      throwsCode(() => prepareKey(bad, ['HS256']), 'ERR_JWT_INVALID_OPTION')
    }
  })

  test('PEM key material is refused, wherever the block starts (RFC 8725 §3.1 key confusion)', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString()
    for (const secret of [
      pem,
      `   \n${pem}`,
      `some prefix ${pem}`,
      Buffer.from(pem),
      `-----BEGIN CERTIFICATE-----${'A'.repeat(64)}`,
    ]) {
      // A PEM block is a key, never a secret: an HMAC algorithm cannot be used with it (or it cannot be read).
      const err = throwsCode(() => prepareKey(secret, ['HS256']), 'ERR_JWT_INVALID_OPTION')
      assert.match(err.message, /"HS256" cannot be used with an EC P-256 public key|the PEM certificate cannot be read/)
    }
  })

  test('a JSON JWK is refused; other JSON of the right length is an acceptable secret', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const jwk = JSON.stringify(publicKey.export({ format: 'jwk' }))
    throwsCode(() => prepareKey(jwk, ['HS256']), 'ERR_JWT_INVALID_OPTION')
    throwsCode(() => prepareKey(`  \n${jwk}\n`, ['HS256']), 'ERR_JWT_INVALID_OPTION')
    throwsCode(() => prepareKey(JSON.stringify({ kty: 'oct', k: 'x'.repeat(40) }), ['HS256']), 'ERR_JWT_INVALID_OPTION')
    const notJwk = JSON.stringify({ purpose: 'not a key', padding: 'x'.repeat(40) })
    assert.equal(prepareKey(notJwk, ['HS256']).toString(), notJwk)
    // Brace-led text that is not JSON is just bytes.
    assert.doesNotThrow(() => prepareKey(`{${'x'.repeat(40)}`, ['HS256']))
  })

  test('the prepared key is a private copy: mutating the caller buffer later changes nothing', () => {
    const mine = Buffer.alloc(32, 1)
    const key = prepareKey(mine, ['HS256'])
    mine.fill(2)
    assert.deepEqual(key, Buffer.alloc(32, 1))
  })

  test("the prepared key does not live in Buffer's shared pool", () => {
    const key = prepareKey(SECRET, ['HS512'])
    assert.equal(key.buffer.byteLength, key.length)
  })

  test('error messages never contain the secret', () => {
    const short = 'short-secret-VALUE'
    const err = throwsCode(() => prepareKey(short, ['HS256']), 'ERR_JWT_INVALID_OPTION')
    assert.ok(!err.message.includes(short))
    const pemish = `-----BEGIN PRIVATE KEY-----MY-SECRET-MATERIAL${'A'.repeat(40)}`
    assert.ok(!throwsCode(() => prepareKey(pemish, ['HS256']), 'ERR_JWT_INVALID_OPTION').message.includes('MY-SECRET'))
  })
})

describe('mac', () => {
  test('agrees with node:crypto for each algorithm, as unpadded base64url', () => {
    const key = Buffer.from(SECRET)
    for (const alg of ALGORITHMS) {
      const hash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg]
      const expected = createHmac(hash, key).update('a.b').digest().toString('base64url')
      assert.equal(mac(alg, key, 'a.b'), expected)
      assert.equal(Buffer.from(mac(alg, key, 'a.b'), 'base64url').length, HASH_BYTES[alg])
    }
  })
})

describe('constantTimeEqual', () => {
  test('is string equality', () => {
    assert.equal(constantTimeEqual('', ''), true)
    assert.equal(constantTimeEqual('abc', 'abc'), true)
    assert.equal(constantTimeEqual('abc', 'abd'), false)
    assert.equal(constantTimeEqual('abc', 'Abc'), false)
    assert.equal(constantTimeEqual('abc', 'ab'), false)
    assert.equal(constantTimeEqual('ab', 'abc'), false)
    // Characters that agree in their low byte are still different.
    assert.equal(constantTimeEqual('A', '\u0141'), false)
  })
})

describe('isAlgorithm', () => {
  test('accepts exactly the names of the algorithm table, case-sensitively', () => {
    assert.deepEqual(
      [...ALL],
      [
        'HS256',
        'HS384',
        'HS512',
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
      ],
    )
    for (const a of ALL) assert.equal(isAlgorithm(a), true)
    for (const a of [
      'hs256',
      'none',
      'rs256',
      'eddsa',
      'ES256K',
      'Ed448',
      'HS1',
      '',
      'constructor',
      '__proto__',
      undefined,
      null,
      256,
    ])
      assert.equal(isAlgorithm(a), false)
  })
})
