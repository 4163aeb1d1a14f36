/**
 * JSON and text attacks (RFC 7515 §4 and RFC 7519 §7.2: header and claims are JSON objects in UTF-8). Payloads
 * are MACed with the right key, so each case reaches the payload parser.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { decodeUnverified, verify } from '../../src/index.js'
import { b64, forge, forgeSegments, NOW, OTHER_SECRET, SECRET, throwsCode } from '../helpers/forge.js'

const at = { now: NOW }
const H = '{"alg":"HS256"}'
const P = { sub: '42' }

describe('header or payload that is not a JSON object', () => {
  const notObjects: Record<string, string> = {
    'an empty array': '[]',
    'an array holding the header fields': '["alg","HS256"]',
    'an array holding an object': '[{"alg":"HS256"}]',
    'a string': '"HS256"',
    'a number': '256',
    null: 'null',
    true: 'true',
    'unquoted keys': '{alg:"HS256"}',
    'single quotes': "{'alg':'HS256'}",
    'a truncated object': '{"alg":"HS256"',
    'trailing garbage': '{"alg":"HS256"}x',
    'two objects': '{"alg":"HS256"}{"alg":"HS256"}',
    'a trailing comma': '{"alg":"HS256",}',
    'a comment': '{"alg":"HS256"/* hi */}',
    'NaN as a value': '{"alg":"HS256","x":NaN}',
    'the word undefined': 'undefined',
    'an empty text': '',
    'only whitespace': '   ',
  }
  for (const [name, json] of Object.entries(notObjects)) {
    test(`header: ${name}`, () => {
      throwsCode(() => verify(forge(json, P, { macAlg: 'HS256' }), SECRET, at), 'ERR_JWT_MALFORMED')
      throwsCode(() => decodeUnverified(forge(json, P, { macAlg: 'HS256' })), 'ERR_JWT_MALFORMED')
    })
    test(`payload: ${name}`, () => {
      throwsCode(() => verify(forge(H, json), SECRET, at), 'ERR_JWT_MALFORMED')
    })
  }
  test('a non-object payload with a wrong MAC is a signature failure: the payload is not read first', () => {
    throwsCode(() => verify(forge(H, '[]', { key: OTHER_SECRET }), SECRET, at), 'ERR_JWT_SIGNATURE')
  })
})

describe('invalid UTF-8', () => {
  const bad: Record<string, number[]> = {
    'a lone 0xFF byte': [0xff],
    'a lone continuation byte': [0x80],
    'an overlong "/" (C0 AF)': [0xc0, 0xaf],
    'an encoded surrogate (ED A0 80)': [0xed, 0xa0, 0x80],
    'a truncated three-byte sequence': [0xe2, 0x82],
    'a code point above U+10FFFF (F4 90 80 80)': [0xf4, 0x90, 0x80, 0x80],
    'a Latin-1 "é" (E9)': [0xe9],
  }
  for (const [name, bytes] of Object.entries(bad)) {
    const json = (prefix: string) => Buffer.concat([Buffer.from(prefix), Buffer.from(bytes), Buffer.from('"}')])
    test(`in the header: ${name}`, () => {
      throwsCode(
        () => verify(forgeSegments(b64(json('{"alg":"HS256","x":"')), b64(JSON.stringify(P))), SECRET, at),
        'ERR_JWT_MALFORMED',
      )
    })
    test(`in the payload: ${name}`, () => {
      throwsCode(() => verify(forgeSegments(b64(H), b64(json('{"sub":"'))), SECRET, at), 'ERR_JWT_MALFORMED')
    })
  }
  test('valid multi-byte UTF-8 and astral characters verify and come back intact', () => {
    const name = 'Zoë 名前 \u{1F600}'
    assert.deepEqual(verify(forge(H, { name }), SECRET, at), { name })
  })
})

describe('byte-order mark', () => {
  test('before the header JSON', () => {
    throwsCode(() => verify(forge(`\ufeff${H}`, P, { macAlg: 'HS256' }), SECRET, at), 'ERR_JWT_MALFORMED')
  })
  test('before the payload JSON, MACed with the right key', () => {
    throwsCode(() => verify(forge(H, `\ufeff${JSON.stringify(P)}`), SECRET, at), 'ERR_JWT_MALFORMED')
  })
  test('a UTF-16 BOM before the payload is not UTF-8 at all', () => {
    throwsCode(
      () => verify(forgeSegments(b64(H), b64(Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]))), SECRET, at),
      'ERR_JWT_MALFORMED',
    )
  })
  test('U+FEFF inside a string value is just a character', () => {
    assert.deepEqual(verify(forge(H, { sub: '\ufeff42' }), SECRET, at), { sub: '\ufeff42' })
  })
})

describe('duplicate keys: the last one wins, for verify and decodeUnverified alike', () => {
  test('header alg "none" then "HS256": verifies as HS256', () => {
    const token = forge('{"alg":"none","alg":"HS256"}', P, { macAlg: 'HS256' })
    assert.deepEqual(verify(token, SECRET, at), P)
    assert.equal(decodeUnverified(token).header.alg, 'HS256')
  })
  test('header alg "HS256" then "none": refused', () => {
    throwsCode(
      () => verify(forge('{"alg":"HS256","alg":"none"}', P, { macAlg: 'HS256' }), SECRET, at),
      'ERR_JWT_ALGORITHM',
    )
  })
  test('payload exp far away then in the past: expired', () => {
    const token = forge(H, `{"sub":"42","exp":${NOW + 3600},"exp":${NOW - 1}}`)
    throwsCode(() => verify(token, SECRET, at), 'ERR_JWT_EXPIRED')
  })
  test('payload exp in the past then far away: valid, and the returned exp is the one that was checked', () => {
    const token = forge(H, `{"sub":"42","exp":${NOW - 1},"exp":${NOW + 3600}}`)
    assert.equal(verify(token, SECRET, at).exp, NOW + 3600)
    assert.equal(decodeUnverified(token).payload.exp, NOW + 3600)
  })
  test('payload iss twice: the last one is the one matched', () => {
    const token = forge(H, '{"iss":"good","iss":"evil"}')
    throwsCode(() => verify(token, SECRET, { ...at, issuer: 'good' }), 'ERR_JWT_CLAIM')
    assert.equal(verify(token, SECRET, { ...at, issuer: 'evil' }).iss, 'evil')
  })
})

describe('__proto__ and constructor keys: nothing polluted, nothing inherited', () => {
  test('payload __proto__ stays an own data property of the result', () => {
    const claims = verify(forge(H, '{"sub":"42","__proto__":{"admin":true}}'), SECRET, at)
    assert.equal(Object.getPrototypeOf(claims), Object.prototype)
    assert.equal((claims as Record<string, unknown>).admin, undefined)
    assert.ok(Object.hasOwn(claims, '__proto__'))
    assert.deepEqual(Object.getOwnPropertyDescriptor(claims, '__proto__')?.value, { admin: true })
    assert.equal(({} as Record<string, unknown>).admin, undefined)
  })
  test('payload constructor.prototype pollutes nothing', () => {
    const claims = verify(forge(H, '{"constructor":{"prototype":{"admin":true}}}'), SECRET, at)
    assert.equal(({} as Record<string, unknown>).admin, undefined)
    assert.equal(Object.getPrototypeOf(claims), Object.prototype)
  })
  test('an exp hidden under __proto__ is not an exp', () => {
    const json = `{"__proto__":{"exp":${NOW - 100}}}`
    assert.deepStrictEqual(verify(forge(H, json), SECRET, at), JSON.parse(json))
  })
  test('an iss hidden under __proto__ does not satisfy the issuer check', () => {
    throwsCode(
      () => verify(forge(H, '{"__proto__":{"iss":"good"}}'), SECRET, { ...at, issuer: 'good' }),
      'ERR_JWT_CLAIM',
    )
  })
  test('inherited names do not satisfy requiredClaims', () => {
    for (const name of ['toString', 'constructor', 'hasOwnProperty', '__proto__']) {
      const err = throwsCode(() => verify(forge(H, P), SECRET, { ...at, requiredClaims: [name] }), 'ERR_JWT_CLAIM')
      assert.equal(err.claim, name)
    }
  })
  test('a crit hidden under the header __proto__ is not a crit (and the token verifies)', () => {
    assert.deepEqual(verify(forge('{"alg":"HS256","__proto__":{"crit":["x"],"x":1}}', P), SECRET, at), P)
  })
  test('a typ hidden under the header __proto__ does not satisfy a required typ', () => {
    throwsCode(
      () => verify(forge('{"alg":"HS256","__proto__":{"typ":"JWT"}}', P), SECRET, { ...at, typ: 'JWT' }),
      'ERR_JWT_HEADER',
    )
  })
  test('complete: the header and payload come back with own __proto__ keys and normal prototypes', () => {
    const r = verify(forge('{"alg":"HS256","__proto__":{"a":1}}', '{"__proto__":{"b":2}}'), SECRET, {
      ...at,
      complete: true,
    })
    assert.equal(Object.getPrototypeOf(r.header), Object.prototype)
    assert.equal(Object.getPrototypeOf(r.payload), Object.prototype)
    assert.equal((r.header as Record<string, unknown>).a, undefined)
    assert.equal((r.payload as Record<string, unknown>).b, undefined)
  })
})

describe('very deep nesting gives a normal result or MALFORMED, never a stack overflow', () => {
  const nested = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`
  test('2 500 levels in the payload, within the default size limit: verifies', () => {
    const claims = verify(forge(H, `{"deep":${nested(2500)}}`), SECRET, at)
    assert.ok(Array.isArray(claims.deep))
  })
  test('1 000 000 levels in the payload under a raised limit: verifies', () => {
    const claims = verify(forge(H, `{"deep":${nested(1_000_000)}}`), SECRET, { ...at, maxTokenLength: 4_000_000 })
    assert.ok(Array.isArray(claims.deep))
  })
  test('1 000 000 levels in the header under a raised limit: verifies', () => {
    const token = forge(`{"alg":"HS256","deep":${nested(1_000_000)}}`, P)
    assert.deepEqual(verify(token, SECRET, { ...at, maxTokenLength: 4_000_000 }), P)
  })
  test('1 000 000 levels of objects, unbalanced: MALFORMED', () => {
    throwsCode(
      () => verify(forge(H, '{"a":'.repeat(1_000_000)), SECRET, { ...at, maxTokenLength: 8_000_000 }),
      'ERR_JWT_MALFORMED',
    )
  })
  test('deep nesting with a wrong MAC: a signature failure, the payload is never parsed', () => {
    throwsCode(
      () => verify(forge(H, `{"deep":${nested(2500)}}`, { key: OTHER_SECRET }), SECRET, at),
      'ERR_JWT_SIGNATURE',
    )
  })
})
