/**
 * What an attacker gets back: every refusal is a JwtError whose message never echoes the token, the secret or a
 * claim value (they end up in logs and error responses), with a status an adapter can answer with.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  base64url,
  createSigner,
  decodeUnverified,
  isJwtError,
  JwtError,
  sign,
  UnauthorizedError,
  verify,
} from '../../src/index.js'
import { forge, NOW, SECRET, throwsCode } from '../helpers/forge.js'

const MARK = 'Zq7secretclaimvalue'

describe('messages never contain the token, the secret or a claim value', () => {
  const cases: Array<[string, () => unknown]> = [
    [
      'bad signature',
      () => verify(forge({ alg: 'HS256' }, { sub: MARK }, { key: `${SECRET}x` }), SECRET, { now: NOW }),
    ],
    ['expired', () => verify(forge({ alg: 'HS256' }, { sub: MARK, exp: NOW - 1 }), SECRET, { now: NOW })],
    ['wrong issuer', () => verify(forge({ alg: 'HS256' }, { iss: MARK }), SECRET, { now: NOW, issuer: 'x' })],
    ['wrong audience', () => verify(forge({ alg: 'HS256' }, { aud: MARK }), SECRET, { now: NOW, audience: 'x' })],
    ['wrong subject', () => verify(forge({ alg: 'HS256' }, { sub: MARK }), SECRET, { now: NOW, subject: 'x' })],
    ['wrong jti', () => verify(forge({ alg: 'HS256' }, { jti: MARK }), SECRET, { now: NOW, jwtId: 'x' })],
    ['wrong alg', () => verify(forge({ alg: MARK }, {}), SECRET, { now: NOW })],
    ['wrong typ', () => verify(forge({ alg: 'HS256', typ: MARK }, {}), SECRET, { now: NOW, typ: 'JWT' })],
    ['malformed JSON', () => verify(forge({ alg: 'HS256' }, `{"sub":"${MARK}"`), SECRET, { now: NOW })],
    ['short secret', () => verify('a.b.c', MARK)],
  ]
  for (const [name, run] of cases) {
    test(name, () => {
      let err: unknown
      try {
        run()
      } catch (e) {
        err = e
      }
      assert.ok(isJwtError(err), 'a JwtError')
      assert.doesNotMatch(err.message, new RegExp(MARK))
      assert.doesNotMatch(err.message, new RegExp(SECRET))
      assert.doesNotMatch(err.message, /eyJ/)
      assert.equal(err.status, err.code === 'ERR_JWT_INVALID_OPTION' ? 500 : 401)
    })
  }
})

describe('JwtError and UnauthorizedError', () => {
  test('UnauthorizedError keeps code, status and details, with the original as cause', () => {
    const original = throwsCode(
      () => verify(forge({ alg: 'HS256' }, { exp: NOW - 5 }), SECRET, { now: NOW }),
      'ERR_JWT_EXPIRED',
    )
    const wrapped = new UnauthorizedError(original)
    assert.equal(wrapped.name, 'UnauthorizedError')
    assert.equal(wrapped.code, 'ERR_JWT_EXPIRED')
    assert.equal(wrapped.status, 401)
    assert.equal(wrapped.expiredAt?.getTime(), (NOW - 5) * 1000)
    assert.equal(wrapped.cause, original)
    assert.ok(isJwtError(wrapped) && wrapped instanceof JwtError)
  })
  test('isJwtError is false for anything else', () => {
    for (const v of [new Error('x'), { code: 'ERR_JWT_MALFORMED' }, null, undefined, 'ERR_JWT_MALFORMED']) {
      assert.equal(isJwtError(v), false)
    }
  })
  test('statuses: 500 for a server-side mistake, 400 for an ambiguous request', () => {
    assert.equal(throwsCode(() => createSigner(''), 'ERR_JWT_INVALID_OPTION').status, 500)
    assert.equal(new JwtError('ERR_JWT_AMBIGUOUS', 'two tokens').status, 400)
  })
})

describe('sign refuses what it would otherwise issue wrongly', () => {
  test('a payload claim that an option also sets must agree with it', () => {
    const token = sign({ iss: 'a', aud: ['x', 'y'] }, SECRET, { issuer: 'a', audience: ['x', 'y'], noTimestamp: true })
    assert.deepStrictEqual(verify(token, SECRET), { iss: 'a', aud: ['x', 'y'] })
    throwsCode(() => sign({ iss: 'a' }, SECRET, { issuer: 'b' }), 'ERR_JWT_INVALID_OPTION')
    throwsCode(() => sign({ aud: ['x'] }, SECRET, { audience: ['x', 'y'] }), 'ERR_JWT_INVALID_OPTION')
    throwsCode(() => sign({ aud: 'x' }, SECRET, { audience: ['x'] }), 'ERR_JWT_INVALID_OPTION')
  })
  test('expiresIn or notBefore with a payload that already has exp or nbf', () => {
    throwsCode(() => sign({ exp: NOW }, SECRET, { expiresIn: 60 }), 'ERR_JWT_INVALID_OPTION')
    throwsCode(() => sign({ nbf: NOW }, SECRET, { notBefore: 60 }), 'ERR_JWT_INVALID_OPTION')
  })
  test('bad sign options: audience, header, noTimestamp', () => {
    for (const audience of [[], [1], 1])
      throwsCode(() => createSigner(SECRET, { audience: audience as unknown as string }), 'ERR_JWT_INVALID_OPTION')
    for (const header of [null, [], 'x'])
      throwsCode(
        () => createSigner(SECRET, { header: header as unknown as Record<string, unknown> }),
        'ERR_JWT_INVALID_OPTION',
      )
    throwsCode(() => createSigner(SECRET, { noTimestamp: 'yes' as unknown as boolean }), 'ERR_JWT_INVALID_OPTION')
  })
  test('a "b64": false header, which our own verifier (and RFC 7797 peers) would read differently', () => {
    throwsCode(() => createSigner(SECRET, { header: { b64: false } }), 'ERR_JWT_INVALID_OPTION')
    const token = createSigner(SECRET, { header: { b64: true } })({})
    assert.deepStrictEqual(decodeUnverified(token).header, { alg: 'HS256', typ: 'JWT', b64: true })
  })
  test('a secret that starts like JSON but is not JSON is just a secret', () => {
    const key = `{not json${'x'.repeat(40)}`
    const token = createSigner(key, { noTimestamp: true })({ a: 1 })
    assert.equal(token, forge({ alg: 'HS256', typ: 'JWT' }, { a: 1 }, { key }))
  })
})

test('base64url: wrong input types', () => {
  throwsCode(() => base64url.encode(42 as unknown as string), 'ERR_JWT_INVALID_OPTION')
  throwsCode(() => base64url.decode(42 as unknown as string), 'ERR_JWT_MALFORMED')
  throwsCode(() => base64url.decodeToString(null as unknown as string), 'ERR_JWT_MALFORMED')
})
