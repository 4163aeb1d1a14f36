import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type VerifyOptions, verify } from '../../src/index.js'
import { validateClaims } from '../../src/lib/claims.js'
import { compileVerifyOptions } from '../../src/lib/options.js'
import { forge, SECRET, throwsCode, throwsCodeWith } from '../helpers/forge.js'

/** validateClaims with rules compiled from public verify options, the way verify() builds them. */
function check(payload: Record<string, unknown>, options: VerifyOptions, now: number): void {
  validateClaims(payload, compileVerifyOptions(options).claims, now)
}
const ok = (payload: Record<string, unknown>, options: VerifyOptions = {}, now = 1000) =>
  assert.doesNotThrow(() => check(payload, options, now))

/** The same payload through the whole of verify(), as raw JSON text when the value cannot be written as JS. */
const token = (payload: object | string) => forge({ alg: 'HS256' }, payload)

describe('exp (RFC 7519 §4.1.4: invalid on or after exp)', () => {
  test('exp == now is expired; exp == now + 1 is accepted', () => {
    throwsCodeWith(() => check({ exp: 1000 }, {}, 1000), 'ERR_JWT_EXPIRED', {
      expiredAt: new Date(1000_000),
      status: 401,
    })
    ok({ exp: 1001 }, {}, 1000)
    throwsCodeWith(() => check({ exp: 999 }, {}, 1000), 'ERR_JWT_EXPIRED', { expiredAt: new Date(999_000) })
  })

  test('fractional times are compared exactly', () => {
    ok({ exp: 1000.5 }, {}, 1000)
    throwsCodeWith(() => check({ exp: 1000.5 }, {}, 1000.5), 'ERR_JWT_EXPIRED', { expiredAt: new Date(1000_500) })
  })

  test('clockTolerance widens exp: accepted until now == exp + tolerance - 1', () => {
    ok({ exp: 1000 }, { clockTolerance: 30 }, 1029)
    throwsCode(() => check({ exp: 1000 }, { clockTolerance: 30 }, 1030), 'ERR_JWT_EXPIRED')
    ok({ exp: 1000 }, { clockTolerance: '1m' }, 1059)
    throwsCode(() => check({ exp: 1000 }, { clockTolerance: '1m' }, 1060), 'ERR_JWT_EXPIRED')
  })

  test('through verify, with now and at the real time', () => {
    throwsCodeWith(() => verify(token({ exp: 1000 }), SECRET, { now: 1000 }), 'ERR_JWT_EXPIRED', {
      expiredAt: new Date(1000_000),
    })
    assert.deepEqual(verify(token({ exp: 1000 }), SECRET, { now: 999 }), { exp: 1000 })
    const soon = Math.floor(Date.now() / 1000) + 3600
    assert.deepEqual(verify(token({ exp: soon }), SECRET), { exp: soon })
    throwsCodeWith(() => verify(token({ exp: 1 }), SECRET), 'ERR_JWT_EXPIRED', { expiredAt: new Date(1000) })
  })

  test('an absurd but finite exp still yields a Date object, never a RangeError', () => {
    const err = throwsCode(() => check({ exp: -1e300 }, {}, 0), 'ERR_JWT_EXPIRED')
    assert.ok(err.expiredAt instanceof Date)
  })
})

describe('nbf (RFC 7519 §4.1.5: valid on or after nbf)', () => {
  test('nbf == now is accepted; nbf == now + 1 is not yet valid', () => {
    ok({ nbf: 1000 }, {}, 1000)
    throwsCodeWith(() => check({ nbf: 1001 }, {}, 1000), 'ERR_JWT_NOT_BEFORE', {
      date: new Date(1001_000),
      status: 401,
    })
  })

  test('clockTolerance widens nbf: accepted from now == nbf - tolerance', () => {
    ok({ nbf: 1030 }, { clockTolerance: 30 }, 1000)
    throwsCodeWith(() => check({ nbf: 1031 }, { clockTolerance: 30 }, 1000), 'ERR_JWT_NOT_BEFORE', {
      date: new Date(1031_000),
    })
    ok({ nbf: 1060 }, { clockTolerance: '1m' }, 1000)
  })

  test('through verify', () => {
    throwsCodeWith(() => verify(token({ nbf: 1001 }), SECRET, { now: 1000 }), 'ERR_JWT_NOT_BEFORE', {
      date: new Date(1001_000),
    })
    assert.deepEqual(verify(token({ nbf: 1000, exp: 1001 }), SECRET, { now: 1000 }), { nbf: 1000, exp: 1001 })
  })
})

describe('time claims must be finite numbers (ERR_JWT_CLAIM)', () => {
  test('1e400 parses to Infinity and must not mean "never expires"; -1e400 likewise', () => {
    for (const claim of ['exp', 'nbf', 'iat']) {
      for (const raw of ['1e400', '-1e400']) {
        throwsCodeWith(() => verify(token(`{"${claim}":${raw}}`), SECRET, { now: 1000 }), 'ERR_JWT_CLAIM', { claim })
      }
    }
  })

  test('strings, null, booleans, arrays and objects are not NumericDates', () => {
    for (const claim of ['exp', 'nbf', 'iat']) {
      for (const value of ['9999999999', null, true, [1], {}]) {
        throwsCodeWith(() => check({ [claim]: value }, {}, 1000), 'ERR_JWT_CLAIM', { claim })
      }
    }
  })

  test('iat is type-checked even without maxAge; a future iat is fine without maxAge', () => {
    throwsCodeWith(() => check({ iat: 'yesterday' }, {}, 1000), 'ERR_JWT_CLAIM', { claim: 'iat' })
    ok({ iat: 5000 }, {}, 1000)
  })
})

describe('maxAge (ERR_JWT_CLAIM with claim "iat")', () => {
  test('accepted while now < iat + maxAge; refused from now == iat + maxAge', () => {
    ok({ iat: 1000 }, { maxAge: 60 }, 1059)
    throwsCodeWith(() => check({ iat: 1000 }, { maxAge: 60 }, 1060), 'ERR_JWT_CLAIM', { claim: 'iat' })
    ok({ iat: 1000 }, { maxAge: '1h' }, 4599)
    throwsCodeWith(() => check({ iat: 1000 }, { maxAge: '1h' }, 4600), 'ERR_JWT_CLAIM', { claim: 'iat' })
  })

  test('with clockTolerance', () => {
    ok({ iat: 1000 }, { maxAge: 60, clockTolerance: 10 }, 1069)
    throwsCodeWith(() => check({ iat: 1000 }, { maxAge: 60, clockTolerance: 10 }, 1070), 'ERR_JWT_CLAIM', {
      claim: 'iat',
    })
  })

  test('makes iat required', () => {
    throwsCodeWith(() => check({}, { maxAge: 60 }, 1000), 'ERR_JWT_CLAIM', { claim: 'iat' })
  })

  test('a future iat is refused under maxAge, beyond the tolerance', () => {
    ok({ iat: 1000 }, { maxAge: 60 }, 1000)
    throwsCodeWith(() => check({ iat: 1001 }, { maxAge: 60 }, 1000), 'ERR_JWT_CLAIM', { claim: 'iat' })
    ok({ iat: 1005 }, { maxAge: 60, clockTolerance: 5 }, 1000)
    throwsCodeWith(() => check({ iat: 1006 }, { maxAge: 60, clockTolerance: 5 }, 1000), 'ERR_JWT_CLAIM', {
      claim: 'iat',
    })
  })

  test('through verify, with a token from sign', () => {
    const t = forge({ alg: 'HS256' }, { iat: 1000 })
    assert.deepEqual(verify(t, SECRET, { maxAge: '10m', now: 1599 }), { iat: 1000 })
    throwsCodeWith(() => verify(t, SECRET, { maxAge: '10m', now: 1600 }), 'ERR_JWT_CLAIM', { claim: 'iat' })
  })
})

describe('iss, sub, jti: a matcher implies presence', () => {
  test('issuer: equal to one of the configured values', () => {
    ok({ iss: 'a' }, { issuer: 'a' })
    ok({ iss: 'b' }, { issuer: ['a', 'b'] })
    throwsCodeWith(() => check({ iss: 'c' }, { issuer: ['a', 'b'] }, 1000), 'ERR_JWT_CLAIM', { claim: 'iss' })
    throwsCodeWith(() => check({ iss: 'A' }, { issuer: 'a' }, 1000), 'ERR_JWT_CLAIM', { claim: 'iss' })
    throwsCodeWith(() => check({}, { issuer: 'a' }, 1000), 'ERR_JWT_CLAIM', { claim: 'iss' })
    throwsCodeWith(() => check({ iss: ['a'] }, { issuer: 'a' }, 1000), 'ERR_JWT_CLAIM', { claim: 'iss' })
  })

  test('subject and jwtId', () => {
    ok({ sub: '42', jti: 'x' }, { subject: '42', jwtId: 'x' })
    throwsCodeWith(() => check({ sub: '43' }, { subject: '42' }, 1000), 'ERR_JWT_CLAIM', { claim: 'sub' })
    throwsCodeWith(() => check({}, { subject: '42' }, 1000), 'ERR_JWT_CLAIM', { claim: 'sub' })
    throwsCodeWith(() => check({ sub: 42 }, { subject: '42' }, 1000), 'ERR_JWT_CLAIM', { claim: 'sub' })
    throwsCodeWith(() => check({ jti: 'y' }, { jwtId: 'x' }, 1000), 'ERR_JWT_CLAIM', { claim: 'jti' })
    throwsCodeWith(() => check({}, { jwtId: 'x' }, 1000), 'ERR_JWT_CLAIM', { claim: 'jti' })
  })

  test('registered string claims are type-checked when present, even with no matcher', () => {
    for (const claim of ['iss', 'sub', 'jti']) {
      throwsCodeWith(() => check({ [claim]: 1 }, {}, 1000), 'ERR_JWT_CLAIM', { claim })
    }
    throwsCodeWith(() => check({ aud: 1 }, {}, 1000), 'ERR_JWT_CLAIM', { claim: 'aud' })
    throwsCodeWith(() => check({ aud: ['a', 1] }, {}, 1000), 'ERR_JWT_CLAIM', { claim: 'aud' })
  })

  test('inherited names do not count as present', () => {
    throwsCodeWith(() => verify(token('{"__proto__":{"iss":"a"}}'), SECRET, { issuer: 'a' }), 'ERR_JWT_CLAIM', {
      claim: 'iss',
    })
  })
})

describe('aud (RFC 7519 §4.1.3)', () => {
  test('string or array in the token; one match among the configured values is enough', () => {
    ok({ aud: 'api' }, { audience: 'api' })
    ok({ aud: ['web', 'api'] }, { audience: 'api' })
    ok({ aud: 'api' }, { audience: ['web', 'api'] })
    throwsCodeWith(() => check({ aud: ['web', 'app'] }, { audience: 'api' }, 1000), 'ERR_JWT_CLAIM', { claim: 'aud' })
    throwsCodeWith(() => check({ aud: [] }, { audience: 'api' }, 1000), 'ERR_JWT_CLAIM', { claim: 'aud' })
  })

  test('missing aud fails when an audience is configured', () => {
    throwsCodeWith(() => check({}, { audience: 'api' }, 1000), 'ERR_JWT_CLAIM', { claim: 'aud' })
    throwsCodeWith(() => check({}, { audience: /.*/ }, 1000), 'ERR_JWT_CLAIM', { claim: 'aud' })
  })

  test('a RegExp must match the whole value', () => {
    ok({ aud: 'api' }, { audience: /api/ })
    ok({ aud: 'https://api.example.com' }, { audience: /https:\/\/[a-z]+\.example\.com/ })
    throwsCodeWith(() => check({ aud: 'evil-api.example' }, { audience: /api/ }, 1000), 'ERR_JWT_CLAIM', {
      claim: 'aud',
    })
    throwsCodeWith(() => check({ aud: 'api.evil' }, { audience: /api/ }, 1000), 'ERR_JWT_CLAIM', { claim: 'aud' })
    throwsCode(
      () => check({ aud: 'https://api.example.com.evil.net' }, { audience: /https:\/\/[a-z]+\.example\.com/ }, 1000),
      'ERR_JWT_CLAIM',
    )
  })

  test('a RegExp with alternatives matches a value that is wholly one of them', () => {
    ok({ aud: 'api-admin' }, { audience: /api|api-admin/ })
    ok({ aud: 'api' }, { audience: /api|api-admin/ })
    throwsCode(() => check({ aud: 'api-admin-evil' }, { audience: /api|api-admin/ }, 1000), 'ERR_JWT_CLAIM')
  })

  test('the m flag does not let a line of the value match', () => {
    throwsCode(() => check({ aud: 'evil\napi' }, { audience: /^api$/m }, 1000), 'ERR_JWT_CLAIM')
    ok({ aud: 'API' }, { audience: /api/i })
  })

  test('g and y flags carry no state between tokens', () => {
    const options = { audience: [/api/g, /web/y] }
    for (let i = 0; i < 3; i++) {
      ok({ aud: 'api' }, options)
      ok({ aud: 'web' }, options)
    }
    const v = compileVerifyOptions({ audience: /api/g }).claims
    for (let i = 0; i < 3; i++) validateClaims({ aud: 'api' }, v, 0)
  })
})

describe('requiredClaims', () => {
  test('each listed claim must be present (any value, null included)', () => {
    ok({ tenant: null, role: 'x' }, { requiredClaims: ['tenant', 'role'] })
    throwsCodeWith(() => check({ role: 'x' }, { requiredClaims: ['tenant', 'role'] }, 1000), 'ERR_JWT_CLAIM', {
      claim: 'tenant',
    })
    throwsCodeWith(() => check({}, { requiredClaims: ['exp'] }, 1000), 'ERR_JWT_CLAIM', { claim: 'exp' })
  })

  test('inherited names such as toString are not present', () => {
    throwsCodeWith(() => check({}, { requiredClaims: ['toString'] }, 1000), 'ERR_JWT_CLAIM', { claim: 'toString' })
    throwsCodeWith(() => verify(token({ a: 1 }), SECRET, { requiredClaims: ['constructor'] }), 'ERR_JWT_CLAIM', {
      claim: 'constructor',
    })
  })
})

describe('claim error messages carry the claim name, never its value', () => {
  test('no value appears in any message', () => {
    const value = 'VALUE-7f3a'
    const cases: Array<[Record<string, unknown>, VerifyOptions]> = [
      [{ iss: value }, { issuer: 'x' }],
      [{ sub: value }, { subject: 'x' }],
      [{ jti: value }, { jwtId: 'x' }],
      [{ aud: value }, { audience: 'x' }],
      [{ aud: [value, 1] }, {}],
      [{ exp: value }, {}],
      [{ iss: [value] }, {}],
    ]
    for (const [payload, options] of cases) {
      const err = throwsCode(() => check(payload, options, 1000), 'ERR_JWT_CLAIM')
      assert.ok(!err.message.includes(value), err.message)
      assert.ok(!String(err.stack).includes(value))
    }
    const expired = throwsCode(() => check({ exp: 123456 }, {}, 999999), 'ERR_JWT_EXPIRED')
    assert.ok(!expired.message.includes('123456'))
  })
})
