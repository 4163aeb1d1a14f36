import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { decodeUnverified, sign, verify } from '../../src/index.js'
import { toSeconds } from '../../src/lib/duration.js'
import { SECRET, throwsCode, throwsCodeWith } from '../helpers/forge.js'

describe('toSeconds', () => {
  test('numbers are seconds, 0 included', () => {
    assert.equal(toSeconds(0, 'x', false), 0)
    assert.equal(toSeconds(90, 'x', false), 90)
    assert.equal(toSeconds(1.5, 'x', false), 1.5)
  })

  test('strings need a unit: s, m, h, d, w and their long forms, any case, one optional space', () => {
    const cases: Array<[string, number]> = [
      ['0s', 0],
      ['30s', 30],
      ['15m', 900],
      ['24h', 86400],
      ['7d', 604800],
      ['2w', 1209600],
      ['1.5h', 5400],
      ['10 sec', 10],
      ['10 secs', 10],
      ['1 second', 1],
      ['2 seconds', 2],
      ['5min', 300],
      ['5 mins', 300],
      ['1 minute', 60],
      ['2 minutes', 120],
      ['1hr', 3600],
      ['2 hrs', 7200],
      ['1 hour', 3600],
      ['3 hours', 10800],
      ['1 day', 86400],
      ['2 days', 172800],
      ['1 week', 604800],
      ['2 weeks', 1209600],
      ['2H', 7200],
      ['15M', 900],
      ['1 Day', 86400],
    ]
    for (const [text, seconds] of cases) assert.equal(toSeconds(text, 'x', false), seconds, text)
  })

  test('a bare number in a string is refused ("120" is 120 ms to jsonwebtoken, 120 s to us: too easy to get wrong)', () => {
    for (const text of ['120', '0', '1.5', '-5']) {
      const err = throwsCode(() => toSeconds(text, 'expiresIn', true), 'ERR_JWT_INVALID_OPTION')
      assert.match(err.message, /"expiresIn" must be a number of seconds or a string with a unit/)
    }
  })

  test('other malformed strings are refused', () => {
    const bad = [
      '',
      ' ',
      's',
      '1ms',
      '1y',
      '1 year',
      '1e3s',
      ' 10s',
      '10s ',
      '10  s',
      '10\ts',
      '--1s',
      '+1s',
      '1,5h',
      '.5h',
      '1.h',
      '10 s 5',
      '1h30m',
      'Infinity s',
      'NaN s',
      '１０s',
    ]
    for (const text of bad) throwsCode(() => toSeconds(text, 'x', true), 'ERR_JWT_INVALID_OPTION')
  })

  test('non-finite numbers and wrong types are refused', () => {
    for (const value of [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      true,
      null,
      undefined,
      {},
      [],
      [60],
      60n,
    ]) {
      throwsCode(() => toSeconds(value, 'x', true), 'ERR_JWT_INVALID_OPTION')
    }
  })

  test('negative durations only where they mean something', () => {
    assert.equal(toSeconds(-10, 'expiresIn', true), -10)
    assert.equal(toSeconds('-5m', 'expiresIn', true), -300)
    throwsCode(() => toSeconds(-1, 'clockTolerance', false), 'ERR_JWT_INVALID_OPTION')
    throwsCode(() => toSeconds('-1s', 'maxAge', false), 'ERR_JWT_INVALID_OPTION')
  })

  test('a huge but finite duration is accepted; one that overflows to Infinity is not', () => {
    assert.equal(toSeconds('1000000w', 'x', false), 604800000000)
    throwsCode(() => toSeconds(`${'9'.repeat(400)}s`, 'x', false), 'ERR_JWT_INVALID_OPTION')
  })
})

describe('durations in sign and verify options', () => {
  test('expiresIn: 0 makes a token that is expired at its own iat (exp == now is expired)', () => {
    const token = sign({}, SECRET, { now: 1000, expiresIn: 0 })
    assert.deepEqual(decodeUnverified(token).payload, { iat: 1000, exp: 1000 })
    throwsCode(() => verify(token, SECRET, { now: 1000 }), 'ERR_JWT_EXPIRED')
    assert.deepEqual(verify(token, SECRET, { now: 1000, clockTolerance: 1 }), { iat: 1000, exp: 1000 })
  })

  test('notBefore: 0 makes a token valid from its iat', () => {
    const token = sign({}, SECRET, { now: 1000, notBefore: '0s' })
    assert.deepEqual(verify(token, SECRET, { now: 1000 }), { iat: 1000, nbf: 1000 })
  })

  test('a bare "120" is refused in every duration option', () => {
    throwsCode(() => sign({}, SECRET, { expiresIn: '120' }), 'ERR_JWT_INVALID_OPTION')
    throwsCode(() => sign({}, SECRET, { notBefore: '120' }), 'ERR_JWT_INVALID_OPTION')
    const token = sign({}, SECRET)
    throwsCode(() => verify(token, SECRET, { clockTolerance: '120' }), 'ERR_JWT_INVALID_OPTION')
    throwsCode(() => verify(token, SECRET, { maxAge: '120' }), 'ERR_JWT_INVALID_OPTION')
  })

  test('"120s" and 120 mean the same', () => {
    assert.equal(sign({}, SECRET, { now: 1, expiresIn: '120s' }), sign({}, SECRET, { now: 1, expiresIn: 120 }))
  })

  test('clockTolerance 0 and "0s" are no tolerance; maxAge 0 refuses every token (fails closed, unlike jsonwebtoken where 0 disables it)', () => {
    const token = sign({}, SECRET, { now: 1000, expiresIn: 10 })
    throwsCode(() => verify(token, SECRET, { now: 1010, clockTolerance: 0 }), 'ERR_JWT_EXPIRED')
    throwsCode(() => verify(token, SECRET, { now: 1010, clockTolerance: '0s' }), 'ERR_JWT_EXPIRED')
    throwsCodeWith(() => verify(token, SECRET, { now: 1000, maxAge: 0 }), 'ERR_JWT_CLAIM', { claim: 'iat' })
  })
})
