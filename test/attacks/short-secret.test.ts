/**
 * verify's `insecureShortSecret` opt-in: tokens signed with an old, short secret (jsonwebtoken and jwt-simple
 * accept any non-empty one) keep verifying during a migration, while everything else about the secret stays as
 * strict as without it (RFC 7518 §3.2 for signing; empty and key-like secrets refused everywhere).
 */
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { describe, test } from 'node:test'
import { createSigner, createVerifier, type Secret, sign, verify, withJwt } from '../../src/index.js'
import { forge, NOW, throwsCode, throwsCodeWith } from '../helpers/forge.js'

/** jsonwebtoken's README secret: 6 bytes. */
const WEAK = 'shhhhh'
/** A 15-byte pass phrase. */
const PHRASE = 'correct-horse-1'

const warnings: Error[] = []
process.on('warning', (warning) => {
  if ((warning as Error & { code?: string }).code === 'JWT_CODEC_SHORT_SECRET') warnings.push(warning)
})

const ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const
const payload = { sub: 'u1', iat: NOW - 60, exp: NOW + 3600 }

describe('insecureShortSecret', () => {
  // First in this file: the warning is once per process, so this test must make the process's first verifier.
  test('the first verifier made with it emits one process warning, which never contains the secret', async () => {
    assert.equal(warnings.length, 0)
    const token = forge({ alg: 'HS256', typ: 'JWT' }, payload, { key: WEAK })
    assert.deepStrictEqual(verify(token, WEAK, { insecureShortSecret: true, now: NOW }), payload)
    createVerifier(WEAK, { insecureShortSecret: true })
    createVerifier(PHRASE, { insecureShortSecret: true, algorithms: ['HS512'] })
    withJwt({ secret: WEAK, insecureShortSecret: true }, () => {})
    // process.emitWarning emits on the next tick.
    await new Promise((resolve) => setImmediate(resolve))
    assert.equal(warnings.length, 1)
    const [warning] = warnings as [Error & { code?: string }]
    assert.equal(warning.name, 'SecurityWarning')
    assert.equal(warning.code, 'JWT_CODEC_SHORT_SECRET')
    assert.ok(warning.message.includes('insecureShortSecret'))
    assert.ok(!warning.message.includes(WEAK) && !warning.message.includes(PHRASE))
  })

  for (const alg of ALGORITHMS) {
    test(`${alg}: a 6- and a 15-byte secret verify with the opt-in, by verify and by createVerifier`, () => {
      for (const secret of [WEAK, PHRASE, Buffer.from(WEAK)]) {
        const token = forge({ alg, typ: 'JWT' }, payload, { key: secret })
        const options = { algorithms: [alg], insecureShortSecret: true, now: NOW }
        assert.deepStrictEqual(verify(token, secret, options), payload)
        assert.deepStrictEqual(createVerifier(secret, options)(token), payload)
        assert.deepStrictEqual(verify(token, secret, { ...options, complete: true }), {
          header: { alg, typ: 'JWT' },
          payload,
          signature: token.slice(token.lastIndexOf('.') + 1),
        })
      }
    })

    test(`${alg}: the opt-in changes nothing else: another short secret is a bad signature, claims still count`, () => {
      const token = forge({ alg, typ: 'JWT' }, payload, { key: WEAK })
      const options = { algorithms: [alg], insecureShortSecret: true }
      assert.equal(throwsCode(() => verify(token, 'shhhhH', { ...options, now: NOW }), 'ERR_JWT_SIGNATURE').status, 401)
      throwsCodeWith(() => createVerifier(WEAK, { ...options, now: NOW + 3600 })(token), 'ERR_JWT_EXPIRED', {
        status: 401,
      })
    })

    test(`${alg}: without the opt-in, or with it false, a short secret is refused when the verifier is made`, () => {
      const token = forge({ alg, typ: 'JWT' }, payload, { key: PHRASE })
      for (const options of [{ algorithms: [alg] }, { algorithms: [alg], insecureShortSecret: false }]) {
        throwsCodeWith(() => verify(token, PHRASE, { ...options, now: NOW }), 'ERR_JWT_INVALID_OPTION', { status: 500 })
        throwsCodeWith(() => createVerifier(PHRASE, options), 'ERR_JWT_INVALID_OPTION', { status: 500 })
      }
    })
  }

  test('only the boolean true turns it on: "true", 1 and "yes" are bad options', () => {
    for (const value of ['true', 1, 'yes', null]) {
      const options = { insecureShortSecret: value } as unknown as { insecureShortSecret: boolean }
      const err = throwsCodeWith(() => createVerifier(WEAK, options), 'ERR_JWT_INVALID_OPTION', { status: 500 })
      assert.equal(err.message, '"insecureShortSecret" must be a boolean')
    }
  })

  test('sign and createSigner refuse it as an unknown option, and keep refusing short secrets', () => {
    const options = { insecureShortSecret: true } as unknown as Parameters<typeof sign>[2]
    for (const secret of [WEAK, 'x'.repeat(64)]) {
      const a = throwsCodeWith(() => sign({ sub: 'u1' }, secret, options), 'ERR_JWT_INVALID_OPTION', { status: 500 })
      assert.equal(a.message, 'unknown sign option "insecureShortSecret"')
      const b = throwsCodeWith(() => createSigner(secret, options), 'ERR_JWT_INVALID_OPTION', { status: 500 })
      assert.equal(b.message, 'unknown sign option "insecureShortSecret"')
    }
    throwsCodeWith(() => sign({ sub: 'u1' }, WEAK), 'ERR_JWT_INVALID_OPTION', { status: 500 })
    throwsCodeWith(() => createSigner(WEAK), 'ERR_JWT_INVALID_OPTION', { status: 500 })
  })

  test('empty and key-like secrets stay refused with the opt-in', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const pem = rsa.publicKey.export({ format: 'pem', type: 'spki' }) as string
    const jwk = JSON.stringify(rsa.publicKey.export({ format: 'jwk' }))
    const token = forge({ alg: 'HS256', typ: 'JWT' }, payload, { key: pem })
    const secrets: Secret[] = ['', new Uint8Array(0), pem, Buffer.from(pem), jwk, '-----BEGIN PUBLIC KEY-----']
    for (const secret of secrets) {
      const options = { insecureShortSecret: true, now: NOW }
      throwsCodeWith(() => verify(token, secret, options), 'ERR_JWT_INVALID_OPTION', { status: 500 })
      throwsCodeWith(() => createVerifier(secret, options), 'ERR_JWT_INVALID_OPTION', { status: 500 })
      assert.throws(() => withJwt({ secret, insecureShortSecret: true }, () => {}), {
        code: 'ERR_JWT_INVALID_OPTION',
        status: 500,
      })
    }
  })
})
