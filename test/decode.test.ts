import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { decodeUnverified, sign } from '../src/index.js'
import { b64, forge, SECRET, segment, throwsCode } from './helpers/forge.js'

describe('decodeUnverified', () => {
  test('returns header, payload and signature without checking the MAC or the claims', () => {
    const token = sign({ sub: '1', exp: 1 }, SECRET, { now: 0, keyId: 'k1' })
    assert.deepEqual(decodeUnverified(token), {
      header: { alg: 'HS256', typ: 'JWT', kid: 'k1' },
      payload: { sub: '1', exp: 1, iat: 0 },
      signature: token.split('.')[2],
    })
    // Any key, any algorithm, any time: nothing is verified.
    const forged = forge({ alg: 'HS512', crit: ['x'] }, { exp: 1, nbf: 9e9 }, { key: 'wrong key' })
    assert.deepEqual(decodeUnverified(forged).payload, { exp: 1, nbf: 9e9 })
  })

  test('an unsecured (alg none) token with an empty signature decodes, for inspection only', () => {
    const unsigned = `${segment({ alg: 'none' })}.${segment({ sub: 'x' })}.`
    assert.deepEqual(decodeUnverified(unsigned), { header: { alg: 'none' }, payload: { sub: 'x' }, signature: '' })
  })

  test('parsing is as strict as verify: segments, base64url (signature included), UTF-8, BOM, JSON objects', () => {
    const h = segment({ alg: 'HS256' })
    const p = segment({ a: 1 })
    const bad = [
      '',
      `${h}.${p}`,
      `${h}.${p}.s.x`,
      `${h}=.${p}.`,
      `${h}.${p}=.`,
      `${h}.${p}.abc=`,
      `${h}.${p}.a+b`,
      `${h}.${p}.Zh`,
      `${h}.${p}.a`,
      `${b64(Buffer.from([0xff]))}.${p}.`,
      `${h}.${b64(Buffer.from('\ufeff{}', 'utf8'))}.`,
      `${segment('[]')}.${p}.`,
      `${h}.${segment('"text"')}.`,
      `${h}.${segment('{')}.`,
      `${h}.${segment('null')}.`,
    ]
    for (const token of bad) throwsCode(() => decodeUnverified(token), 'ERR_JWT_MALFORMED')
  })

  test('a non-string token is MALFORMED', () => {
    for (const bad of [undefined, null, 1, {}])
      throwsCode(() => decodeUnverified(bad as unknown as string), 'ERR_JWT_MALFORMED')
  })

  test('the same size limit as verify (default 8192), adjustable with maxTokenLength', () => {
    const big = sign({ pad: 'x'.repeat(7000) }, SECRET)
    assert.ok(big.length > 8192)
    throwsCode(() => decodeUnverified(big), 'ERR_JWT_MALFORMED')
    assert.equal(decodeUnverified(big, { maxTokenLength: big.length }).payload.pad, 'x'.repeat(7000))
    const small = sign({}, SECRET)
    throwsCode(() => decodeUnverified(small, { maxTokenLength: small.length - 1 }), 'ERR_JWT_MALFORMED')
  })

  test('options: unknown names and bad maxTokenLength values are ERR_JWT_INVALID_OPTION', () => {
    const token = sign({}, SECRET)
    throwsCode(() => decodeUnverified(token, { complete: true } as never), 'ERR_JWT_INVALID_OPTION')
    throwsCode(() => decodeUnverified(token, { maxTokenLenght: 10 } as never), 'ERR_JWT_INVALID_OPTION')
    for (const maxTokenLength of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '8192']) {
      throwsCode(() => decodeUnverified(token, { maxTokenLength } as never), 'ERR_JWT_INVALID_OPTION')
    }
    throwsCode(() => decodeUnverified(token, null as never), 'ERR_JWT_INVALID_OPTION')
  })

  test('"__proto__" stays an own property of the returned payload', () => {
    const { payload } = decodeUnverified(forge({ alg: 'HS256' }, '{"__proto__":{"x":1}}'))
    assert.equal(Object.getPrototypeOf(payload), Object.prototype)
    assert.equal(payload.x, undefined)
    assert.deepEqual(Object.keys(payload), ['__proto__'])
  })
})
