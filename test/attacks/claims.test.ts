/**
 * Claim attacks (RFC 7519 §4.1; NumericDate §2). Every token here has a valid MAC; only its claims are wrong.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { inspect } from 'node:util'
import { type JwtError, sign, verify } from '../../src/index.js'
import { forge, NOW, SECRET, throwsCode } from '../helpers/forge.js'

const at = { now: NOW }
const H = '{"alg":"HS256"}'

/** A payload as JSON text, so values like 1e400 reach the parser as written. */
const token = (json: string) => forge(H, json)

describe('time claims that are not finite numbers', () => {
  const values: Record<string, string> = {
    'a numeric string': `"${NOW + 3600}"`,
    'an ISO date string': '"2099-01-01T00:00:00Z"',
    'an empty string': '""',
    null: 'null',
    true: 'true',
    false: 'false',
    'an array': `[${NOW + 3600}]`,
    'an object': `{"valueOf":${NOW + 3600}}`,
    '1e400 (Infinity)': '1e400',
    '-1e400 (-Infinity)': '-1e400',
  }
  for (const claim of ['exp', 'nbf', 'iat']) {
    for (const [name, value] of Object.entries(values)) {
      test(`${claim} as ${name}`, () => {
        const err = throwsCode(() => verify(token(`{"sub":"42","${claim}":${value}}`), SECRET, at), 'ERR_JWT_CLAIM')
        assert.equal(err.claim, claim)
      })
    }
  }
  test('exp 1e400 does not mean "never expires", even with every other check off', () => {
    throwsCode(() => verify(token('{"exp":1e400}'), SECRET, { ...at, clockTolerance: 0 }), 'ERR_JWT_CLAIM')
  })
})

describe('time boundaries (RFC 7519 §4.1.4: expired "on or after" exp)', () => {
  test('exp: valid one second before, expired at the instant', () => {
    assert.deepStrictEqual(verify(token(`{"exp":${NOW + 1}}`), SECRET, at), { exp: NOW + 1 })
    const err = throwsCode(() => verify(token(`{"exp":${NOW}}`), SECRET, at), 'ERR_JWT_EXPIRED')
    assert.equal(err.expiredAt?.getTime(), NOW * 1000)
  })
  test('nbf: valid at the instant, not before one second earlier', () => {
    assert.deepStrictEqual(verify(token(`{"nbf":${NOW}}`), SECRET, at), { nbf: NOW })
    const err = throwsCode(() => verify(token(`{"nbf":${NOW + 1}}`), SECRET, at), 'ERR_JWT_NOT_BEFORE')
    assert.equal(err.date?.getTime(), (NOW + 1) * 1000)
  })
  test('clock tolerance widens both, by exactly its amount', () => {
    assert.deepStrictEqual(
      verify(token(`{"exp":${NOW - 9},"nbf":${NOW + 10}}`), SECRET, { ...at, clockTolerance: 10 }),
      {
        exp: NOW - 9,
        nbf: NOW + 10,
      },
    )
    throwsCode(() => verify(token(`{"exp":${NOW - 10}}`), SECRET, { ...at, clockTolerance: 10 }), 'ERR_JWT_EXPIRED')
    throwsCode(
      () => verify(token(`{"nbf":${NOW + 11}}`), SECRET, { ...at, clockTolerance: '10s' }),
      'ERR_JWT_NOT_BEFORE',
    )
  })
})

/** Using the error the way a logger or an HTTP adapter would must not throw. */
function useDates(err: JwtError): void {
  for (const d of [err.expiredAt, err.date]) {
    if (d === undefined) continue
    assert.ok(Number.isFinite(d.getTime()), 'the Date is valid')
    d.toISOString()
    d.toUTCString()
  }
  JSON.stringify(err)
  inspect(err)
  String(err)
}

describe('huge but finite times: no RangeError anywhere', () => {
  test('exp -1e300: expired, with a valid expiredAt at the earliest Date', () => {
    const err = throwsCode(() => verify(token('{"exp":-1e300}'), SECRET, at), 'ERR_JWT_EXPIRED')
    assert.equal(err.expiredAt?.toISOString(), '-271821-04-20T00:00:00.000Z')
    useDates(err)
  })
  test('exp -Number.MAX_VALUE: expired, usable error', () => {
    useDates(throwsCode(() => verify(token(`{"exp":${-Number.MAX_VALUE}}`), SECRET, at), 'ERR_JWT_EXPIRED'))
  })
  test('exp just past the Date range (-8.64e12 - 1 seconds): clamped', () => {
    const err = throwsCode(() => verify(token('{"exp":-8640000000001}'), SECRET, at), 'ERR_JWT_EXPIRED')
    assert.equal(err.expiredAt?.getTime(), -8.64e15)
  })
  test('nbf 1e300: not yet valid, with a valid date at the latest Date', () => {
    const err = throwsCode(() => verify(token('{"nbf":1e300}'), SECRET, at), 'ERR_JWT_NOT_BEFORE')
    assert.equal(err.date?.toISOString(), '+275760-09-13T00:00:00.000Z')
    useDates(err)
  })
  test('exp Number.MAX_VALUE with the largest tolerance: valid, no overflow surprise', () => {
    const wide = { ...at, clockTolerance: Number.MAX_VALUE }
    assert.deepStrictEqual(verify(token(`{"exp":${Number.MAX_VALUE}}`), SECRET, wide), { exp: Number.MAX_VALUE })
  })
  test('nbf -Number.MAX_VALUE: valid', () => {
    assert.deepStrictEqual(verify(token(`{"nbf":${-Number.MAX_VALUE}}`), SECRET, at), { nbf: -Number.MAX_VALUE })
  })
  test('iat 1e300 with maxAge: a future iat', () => {
    const err = throwsCode(() => verify(token('{"iat":1e300}'), SECRET, { ...at, maxAge: '1h' }), 'ERR_JWT_CLAIM')
    assert.equal(err.claim, 'iat')
    useDates(err)
  })
  test('iat -1e300 with maxAge: too old', () => {
    const err = throwsCode(() => verify(token('{"iat":-1e300}'), SECRET, { ...at, maxAge: 60 }), 'ERR_JWT_CLAIM')
    assert.equal(err.claim, 'iat')
  })
  test('signing with a huge but finite expiresIn gives a token that verifies', () => {
    const t = sign({}, SECRET, { now: NOW, expiresIn: 1e300 })
    assert.equal(verify(t, SECRET, at).exp, Math.floor(NOW + 1e300))
  })
})

describe('iss', () => {
  test('an array that contains the right issuer', () => {
    const err = throwsCode(() => verify(token('{"iss":["good"]}'), SECRET, { ...at, issuer: 'good' }), 'ERR_JWT_CLAIM')
    assert.equal(err.claim, 'iss')
  })
  test('an array of issuers, even with no issuer configured', () => {
    throwsCode(() => verify(token('{"iss":["good","evil"]}'), SECRET, at), 'ERR_JWT_CLAIM')
  })
  test('a number, null or an object', () => {
    for (const v of ['1', 'null', '{"toString":"good"}']) {
      throwsCode(() => verify(token(`{"iss":${v}}`), SECRET, { ...at, issuer: 'good' }), 'ERR_JWT_CLAIM')
    }
  })
  test('configured but missing from the token', () => {
    const err = throwsCode(() => verify(token('{"sub":"42"}'), SECRET, { ...at, issuer: 'good' }), 'ERR_JWT_CLAIM')
    assert.equal(err.claim, 'iss')
  })
  test('a different case or surrounding spaces', () => {
    for (const iss of ['GOOD', ' good', 'good ', 'good\u0000']) {
      throwsCode(() => verify(token(JSON.stringify({ iss })), SECRET, { ...at, issuer: 'good' }), 'ERR_JWT_CLAIM')
    }
  })
  test('an empty issuer list in the options is refused at factory time', () => {
    throwsCode(() => verify(token('{}'), SECRET, { ...at, issuer: [] }), 'ERR_JWT_INVALID_OPTION')
  })
})

describe('aud', () => {
  const opts = { ...at, audience: 'api' }
  test('configured but missing from the token', () => {
    const err = throwsCode(() => verify(token('{"sub":"42"}'), SECRET, opts), 'ERR_JWT_CLAIM')
    assert.equal(err.claim, 'aud')
  })
  const bad: Record<string, string> = {
    'an array with a number': '["api",1]',
    'an array with null': '["api",null]',
    'a nested array': '[["api"]]',
    'an object': '{"0":"api"}',
    'a number': '1',
    null: 'null',
    true: 'true',
  }
  for (const [name, aud] of Object.entries(bad)) {
    test(`aud as ${name}`, () => {
      const err = throwsCode(() => verify(token(`{"aud":${aud}}`), SECRET, opts), 'ERR_JWT_CLAIM')
      assert.equal(err.claim, 'aud')
    })
  }
  test('an empty array', () => {
    throwsCode(() => verify(token('{"aud":[]}'), SECRET, opts), 'ERR_JWT_CLAIM')
  })
  test('a RegExp audience must match the whole value', () => {
    for (const aud of ['evil-api', 'api.evil', 'xapi']) {
      throwsCode(() => verify(token(JSON.stringify({ aud })), SECRET, { ...at, audience: /api/ }), 'ERR_JWT_CLAIM')
    }
    assert.deepStrictEqual(verify(token('{"aud":"api"}'), SECRET, { ...at, audience: /api/g }), { aud: 'api' })
    assert.deepStrictEqual(
      verify(token('{"aud":"api"}'), SECRET, { ...at, audience: /api/g }),
      { aud: 'api' },
      'a global RegExp matches again',
    )
  })
  test('one matching value in an array of strings is enough', () => {
    assert.deepStrictEqual(verify(token('{"aud":["other","api"]}'), SECRET, opts), { aud: ['other', 'api'] })
  })
})

describe('sub and jti', () => {
  for (const claim of ['sub', 'jti'] as const) {
    const option = claim === 'sub' ? 'subject' : 'jwtId'
    test(`${claim} configured but missing`, () => {
      const err = throwsCode(() => verify(token('{}'), SECRET, { ...at, [option]: 'x' }), 'ERR_JWT_CLAIM')
      assert.equal(err.claim, claim)
    })
    test(`${claim} as a number or an array`, () => {
      for (const v of ['42', '["x"]']) throwsCode(() => verify(token(`{"${claim}":${v}}`), SECRET, at), 'ERR_JWT_CLAIM')
    })
    test(`${claim} with another value`, () => {
      throwsCode(() => verify(token(`{"${claim}":"y"}`), SECRET, { ...at, [option]: 'x' }), 'ERR_JWT_CLAIM')
    })
  }
})

describe('maxAge', () => {
  test('a missing iat fails with claim "iat"', () => {
    const err = throwsCode(() => verify(token('{}'), SECRET, { ...at, maxAge: '1h' }), 'ERR_JWT_CLAIM')
    assert.equal(err.claim, 'iat')
  })
  test('older than maxAge', () => {
    throwsCode(() => verify(token(`{"iat":${NOW - 3600}}`), SECRET, { ...at, maxAge: '1h' }), 'ERR_JWT_CLAIM')
    assert.deepStrictEqual(verify(token(`{"iat":${NOW - 3599}}`), SECRET, { ...at, maxAge: '1h' }), { iat: NOW - 3599 })
  })
  test('a future iat without maxAge is accepted (RFC 7519 gives iat no validity meaning)', () => {
    assert.deepStrictEqual(verify(token(`{"iat":${NOW + 3600}}`), SECRET, at), { iat: NOW + 3600 })
  })
})
