/**
 * src/lib/segments.ts on its own: splitting a compact JWS (RFC 7515 §7.1) and the strict parsing of one JSON
 * segment (canonical base64url, strict UTF-8, no byte-order mark, JSON, a plain object).
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  checkCanonical,
  DEFAULT_MAX_TOKEN_LENGTH,
  own,
  parseObjectRange,
  parseObjectSegment,
  splitToken,
} from '../../src/lib/segments.js'
import { b64, segment, throwsCodeWith } from '../helpers/forge.js'

const MALFORMED = { status: 401 }

describe('splitToken', () => {
  test('returns the positions of the two dots', () => {
    assert.deepStrictEqual(splitToken('a.b.c', 100), { d1: 1, d2: 3 })
    assert.deepStrictEqual(splitToken('abc.de.', 100), { d1: 3, d2: 6 })
    assert.deepStrictEqual(splitToken('..', 100), { d1: 0, d2: 1 })
  })

  test('the default limit is 8192 characters', () => {
    assert.equal(DEFAULT_MAX_TOKEN_LENGTH, 8192)
  })

  test('a token exactly maxLength long passes; one character more is ERR_JWT_MALFORMED', () => {
    const token = `${'a'.repeat(10)}.b.c`
    assert.deepStrictEqual(splitToken(token, token.length), { d1: 10, d2: 12 })
    throwsCodeWith(() => splitToken(token, token.length - 1), 'ERR_JWT_MALFORMED', MALFORMED)
  })

  test('not a string is ERR_JWT_MALFORMED', () => {
    for (const value of [undefined, null, 42, {}, ['a.b.c'], Buffer.from('a.b.c'), new String('a.b.c')]) {
      throwsCodeWith(() => splitToken(value, 100), 'ERR_JWT_MALFORMED', MALFORMED)
    }
  })

  test('anything but three segments is ERR_JWT_MALFORMED (a five-segment JWE too)', () => {
    for (const token of ['', 'abc', 'a.b', '.', 'a.b.c.d', 'a.b.c.d.e', 'a..b.c', '...']) {
      throwsCodeWith(() => splitToken(token, 100), 'ERR_JWT_MALFORMED', MALFORMED)
    }
  })
})

describe('parseObjectSegment', () => {
  test('returns the JSON object, members as written', () => {
    const value = { sub: '42', n: 1.5, list: [1, 'x', null], nested: { ok: true }, text: 'héllo ✓' }
    assert.deepStrictEqual(parseObjectSegment(segment(value), 'payload'), value)
    assert.deepStrictEqual(parseObjectSegment(segment('{}'), 'header'), {})
  })

  test('duplicate members: the last one wins, as in JSON.parse', () => {
    assert.deepStrictEqual(parseObjectSegment(segment('{"a":1,"a":2}'), 'payload'), { a: 2 })
  })

  test('"__proto__" is an own data property; the prototype stays Object.prototype', () => {
    const parsed = parseObjectSegment(segment('{"__proto__":{"admin":true}}'), 'payload')
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype)
    assert.deepStrictEqual(Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value, { admin: true })
    assert.equal((parsed as { admin?: unknown }).admin, undefined)
  })

  test('JSON that is not an object is ERR_JWT_MALFORMED', () => {
    for (const text of ['[]', '[{}]', '1', 'null', 'true', '"{}"']) {
      throwsCodeWith(() => parseObjectSegment(segment(text), 'payload'), 'ERR_JWT_MALFORMED', MALFORMED)
    }
  })

  test('text that is not JSON is ERR_JWT_MALFORMED, with no cause (V8 would quote the text)', () => {
    for (const text of ['', '{', '{"a":1,}', "{'a':1}", '{"a":1}x', 'secret-text']) {
      const err = throwsCodeWith(() => parseObjectSegment(segment(text), 'header'), 'ERR_JWT_MALFORMED', MALFORMED)
      assert.equal(err.cause, undefined)
      assert.equal(err.message.includes('secret-text'), false)
    }
  })

  test('a byte-order mark before the JSON is ERR_JWT_MALFORMED', () => {
    throwsCodeWith(() => parseObjectSegment(b64('\ufeff{}'), 'header'), 'ERR_JWT_MALFORMED', MALFORMED)
    throwsCodeWith(() => parseObjectSegment(b64('\ufeff{"a":1}'), 'payload'), 'ERR_JWT_MALFORMED', MALFORMED)
  })

  test('bytes that are not UTF-8 are ERR_JWT_MALFORMED, never replaced by U+FFFD', () => {
    for (const bytes of [
      [0x7b, 0xff, 0x7d],
      [0x7b, 0x22, 0xc3, 0x22, 0x3a, 0x31, 0x7d],
      [0xed, 0xa0, 0x80],
    ]) {
      throwsCodeWith(() => parseObjectSegment(b64(Uint8Array.from(bytes)), 'payload'), 'ERR_JWT_MALFORMED', MALFORMED)
    }
  })

  test('a segment that is not canonical base64url is ERR_JWT_MALFORMED', () => {
    const good = segment({ a: 1 }) // eyJhIjoxfQ: 10 characters, 2 bits of padding in the last one
    assert.deepStrictEqual(parseObjectSegment(good, 'payload'), { a: 1 })
    for (const bad of [`${good}==`, `${good} `, good.replace('J', '+'), `${good.slice(0, -1)}R`, `${good}A`]) {
      throwsCodeWith(() => parseObjectSegment(bad, 'payload'), 'ERR_JWT_MALFORMED', MALFORMED)
    }
  })
})

describe('parseObjectRange', () => {
  test('parses token[start, end) in place', () => {
    const h = segment({ alg: 'HS256' })
    const p = segment({ sub: '1' })
    const token = `${h}.${p}.sig`
    assert.deepStrictEqual(parseObjectRange(token, 0, h.length, 'header'), { alg: 'HS256' })
    assert.deepStrictEqual(parseObjectRange(token, h.length + 1, h.length + 1 + p.length, 'payload'), { sub: '1' })
  })

  test('a range that cuts a segment is ERR_JWT_MALFORMED', () => {
    const h = segment({ alg: 'HS256' })
    throwsCodeWith(() => parseObjectRange(`${h}.x.y`, 0, h.length - 4, 'header'), 'ERR_JWT_MALFORMED', MALFORMED)
  })
})

describe('checkCanonical', () => {
  test('accepts canonical base64url, the empty segment included', () => {
    for (const s of ['', 'AA', 'AAA', 'AAAA', b64('any bytes'), b64(Uint8Array.from([0xfb, 0xff]))]) {
      assert.equal(checkCanonical(s), undefined)
    }
  })

  test('refuses padding, + and /, whitespace, a length of 1 mod 4 and non-zero trailing bits', () => {
    for (const s of ['AA==', 'A+/A', 'AA A', 'A', 'AAAAA', 'AB', 'AAB', '!!!!', 'AA\n']) {
      throwsCodeWith(() => checkCanonical(s), 'ERR_JWT_MALFORMED', MALFORMED)
    }
  })
})

describe('own', () => {
  test('reads own properties only', () => {
    assert.equal(own({ a: 1 }, 'a'), 1)
    assert.equal(own({ a: undefined }, 'a'), undefined)
    assert.equal(own({}, 'constructor'), undefined)
    assert.equal(own({}, 'toString'), undefined)
    assert.equal(own(Object.create({ alg: 'HS256' }) as Record<string, unknown>, 'alg'), undefined)
    assert.deepStrictEqual(own(JSON.parse('{"__proto__":{"x":1}}') as Record<string, unknown>, '__proto__'), { x: 1 })
  })
})
