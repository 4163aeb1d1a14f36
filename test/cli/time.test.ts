import assert from 'node:assert/strict'
import { test } from 'node:test'
import { describeTime, formatDuration, isoDate } from '../../src/cli/time.js'

test('formatDuration keeps the two most useful units and rounds down', () => {
  const cases: Array<[number, string]> = [
    [0, '0s'],
    [0.9, '0s'],
    [59, '59s'],
    [60, '1m'],
    [61, '1m 1s'],
    [3599, '59m 59s'],
    [3600, '1h'],
    [86399.4, '23h 59m'],
    [86400, '1 day'],
    [86400 + 3 * 3600 + 59, '1 day 3h'],
    [2 * 86400 + 1800, '2 days'],
    [7 * 86400, '7 days'],
    [400 * 86400, '400 days'],
    [3 * 365 * 86400 + 5, '3 years'],
    [-90, '1m 30s'],
  ]
  for (const [seconds, text] of cases) assert.equal(formatDuration(seconds), text, String(seconds))
})

test('describeTime follows verify: expired from now >= exp, valid from now >= nbf', () => {
  const now = 1_000_000
  const ms = now * 1000
  assert.deepEqual(describeTime('exp', now + 86400, ms + 400), {
    value: now + 86400,
    date: new Date((now + 86400) * 1000).toISOString(),
    relative: 'expires in 23h 59m',
    problem: false,
  })
  assert.equal(describeTime('exp', now, ms).relative, 'expired just now')
  assert.equal(describeTime('exp', now, ms).problem, true)
  assert.equal(describeTime('exp', now - 2 * 86400, ms).relative, 'expired 2 days ago')
  assert.equal(describeTime('nbf', now, ms).relative, 'valid from just now')
  assert.equal(describeTime('nbf', now, ms).problem, false)
  assert.equal(describeTime('nbf', now - 300, ms).relative, 'valid since 5m ago')
  assert.deepEqual(
    [describeTime('nbf', now + 300, ms).relative, describeTime('nbf', now + 300, ms).problem],
    ['not valid yet (valid in 5m)', true],
  )
  assert.equal(describeTime('iat', now - 5, ms).relative, 'issued 5s ago')
  assert.equal(describeTime('iat', now, ms).relative, 'issued just now')
  assert.deepEqual(
    [describeTime('iat', now + 120, ms).relative, describeTime('iat', now + 120, ms).problem],
    ['issued in the future (2m from now)', true],
  )
})

test('values that are not NumericDates are described, never thrown on', () => {
  for (const value of [
    '1700000000',
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.NaN,
    8.64e12 + 1,
    null,
    {},
  ]) {
    assert.deepEqual(describeTime('exp', value, 0), {
      value,
      date: null,
      relative: 'not a valid NumericDate',
      problem: true,
    })
  }
  assert.equal(isoDate(0), '1970-01-01T00:00:00.000Z')
  assert.equal(isoDate(8.64e12), '+275760-09-13T00:00:00.000Z')
  assert.equal(isoDate(8.64e12 + 1), null)
})
