import assert from 'node:assert/strict'
import { createSecretKey } from 'node:crypto'
import { describe, test } from 'node:test'
import { type Algorithm, createVerifier, sign, verify } from '../src/index.js'
import { b64, forge, hmac, SECRET, segment, throwsCode, throwsCodeWith } from './helpers/forge.js'

const ALGS: Algorithm[] = ['HS256', 'HS384', 'HS512']
const OTHER = 'another-secret-that-is-long-enough-for-every-algorithm-0123456789'
const H = { alg: 'HS256', typ: 'JWT' }

describe('verify: round trips', () => {
  for (const alg of ALGS) {
    test(`${alg} with string, bytes and KeyObject secrets`, () => {
      const token = sign({ sub: '42', n: 1 }, SECRET, { algorithm: alg, now: 1000 })
      const expected = { sub: '42', n: 1, iat: 1000 }
      for (const secret of [
        SECRET,
        Buffer.from(SECRET),
        new Uint8Array(Buffer.from(SECRET)),
        createSecretKey(Buffer.from(SECRET)),
      ]) {
        assert.deepEqual(verify(token, secret, { algorithms: [alg], now: 1000 }), expected)
      }
      assert.deepEqual(verify(token, SECRET, { algorithms: ['HS256', 'HS384', 'HS512'], now: 1000 }), expected)
    })
  }

  test('a token from an independent implementation verifies', () => {
    assert.deepEqual(verify(forge(H, { a: [1, 'x', null], b: { c: true } }), SECRET), {
      a: [1, 'x', null],
      b: { c: true },
    })
  })

  test('with complete: true, returns header, payload and signature exactly as in the token', () => {
    const token = sign({ sub: '1' }, SECRET, { now: 5, keyId: 'k' })
    const result = verify(token, SECRET, { complete: true, now: 5 })
    assert.deepEqual(result, {
      header: { alg: 'HS256', typ: 'JWT', kid: 'k' },
      payload: { sub: '1', iat: 5 },
      signature: token.split('.')[2],
    })
    assert.deepEqual(verify(token, SECRET, { complete: false, now: 5 }), { sub: '1', iat: 5 })
  })

  test('createVerifier returns a reusable function, with or without complete', () => {
    const v = createVerifier(SECRET, { issuer: 'auth', now: 10 })
    const a = sign({ n: 1 }, SECRET, { issuer: 'auth', now: 10 })
    const b = sign({ n: 2 }, SECRET, { issuer: 'auth', now: 10 })
    assert.deepEqual(v(a), { n: 1, iss: 'auth', iat: 10 })
    assert.deepEqual(v(b), { n: 2, iss: 'auth', iat: 10 })
    throwsCodeWith(() => v(sign({}, SECRET, { issuer: 'other', now: 10 })), 'ERR_JWT_CLAIM', { claim: 'iss' })
    const vc = createVerifier(SECRET, { complete: true, now: 10 })
    assert.equal(vc(a).header.alg, 'HS256')
    assert.deepEqual(vc(a).payload, { n: 1, iss: 'auth', iat: 10 })
  })

  test('the verifier keeps its own copy of the secret', () => {
    const key = Buffer.from(SECRET)
    const v = createVerifier(key, { now: 1 })
    key.fill(0)
    assert.deepEqual(v(sign({}, SECRET, { now: 1 })), { iat: 1 })
  })
})

describe('verify: the algorithm allowlist', () => {
  // Hostile `alg` values (none in any spelling, missing, not a string, inherited, misspelt, asymmetric, outside the
  // allowlist) are the attack battery's: test/attacks/algorithm.test.ts. Here: what the option itself does.
  test('defaults to HS256 only; `algorithms` replaces the default', () => {
    const t256 = sign({ n: 256 }, SECRET, { now: 1 })
    const t384 = sign({ n: 384 }, SECRET, { algorithm: 'HS384', now: 1 })
    const t512 = sign({ n: 512 }, SECRET, { algorithm: 'HS512', now: 1 })
    assert.deepStrictEqual(verify(t256, SECRET, { now: 1 }), { n: 256, iat: 1 })
    throwsCode(() => verify(t512, SECRET, { now: 1 }), 'ERR_JWT_ALGORITHM')
    assert.deepStrictEqual(verify(t384, SECRET, { algorithms: ['HS384'], now: 1 }), { n: 384, iat: 1 })
    throwsCode(() => verify(t256, SECRET, { algorithms: ['HS384'], now: 1 }), 'ERR_JWT_ALGORITHM')
    const all = { algorithms: ['HS512', 'HS256', 'HS384'] as Algorithm[], now: 1 }
    assert.deepStrictEqual(
      [t256, t384, t512].map((t) => verify(t, SECRET, all)),
      [
        { n: 256, iat: 1 },
        { n: 384, iat: 1 },
        { n: 512, iat: 1 },
      ],
    )
  })

  test('duplicate header members: the last one wins, consistently', () => {
    assert.deepEqual(verify(forge('{"alg":"none","alg":"HS256"}', { a: 1 }), SECRET), { a: 1 })
    throwsCode(() => verify(forge('{"alg":"HS256","alg":"none"}', { a: 1 }), SECRET), 'ERR_JWT_ALGORITHM')
  })
})

describe('verify: ERR_JWT_SIGNATURE', () => {
  test('another key, a changed payload, a changed header, a signature from another token', () => {
    const token = sign({ sub: '1' }, SECRET)
    const [h, p, s] = token.split('.') as [string, string, string]
    throwsCode(() => verify(token, OTHER), 'ERR_JWT_SIGNATURE')
    throwsCode(() => verify(`${h}.${segment({ sub: '2', iat: 1 })}.${s}`, SECRET), 'ERR_JWT_SIGNATURE')
    throwsCode(() => verify(`${segment({ typ: 'JWT', alg: 'HS256' })}.${p}.${s}`, SECRET), 'ERR_JWT_SIGNATURE')
    const other = sign({ sub: '2' }, SECRET).split('.')[2]
    throwsCode(() => verify(`${h}.${p}.${other}`, SECRET), 'ERR_JWT_SIGNATURE')
  })

  test("an empty signature, a truncated signature, and a longer algorithm's MAC", () => {
    const token = sign({ sub: '1' }, SECRET)
    const input = token.slice(0, token.lastIndexOf('.'))
    const s = token.slice(token.lastIndexOf('.') + 1)
    throwsCode(() => verify(`${input}.`, SECRET), 'ERR_JWT_SIGNATURE')
    throwsCode(() => verify(`${input}.${s.slice(0, 40)}`, SECRET), 'ERR_JWT_SIGNATURE')
    throwsCode(() => verify(`${input}.${hmac(input, SECRET, 'HS512')}`, SECRET), 'ERR_JWT_SIGNATURE')
  })
})

describe('verify: ERR_JWT_MALFORMED', () => {
  test('not three segments', () => {
    const token = sign({}, SECRET)
    for (const bad of [
      '',
      '.',
      '..x',
      'abc',
      token.split('.').slice(0, 2).join('.'),
      `${token}.`,
      `${token}.x.y`,
      `${segment(H)}.a.b.c.d`,
    ]) {
      throwsCode(() => verify(bad, SECRET), 'ERR_JWT_MALFORMED')
    }
  })

  test('a token that is not a string is MALFORMED, never a TypeError', () => {
    for (const bad of [undefined, null, 42, {}, ['a.b.c'], Buffer.from(sign({}, SECRET))]) {
      throwsCode(() => verify(bad as unknown as string, SECRET), 'ERR_JWT_MALFORMED')
    }
  })

  test('longer than maxTokenLength (default 8192), checked before any parsing', () => {
    const big = sign({ pad: 'x'.repeat(6000) }, SECRET, { now: 1 })
    assert.ok(big.length < 8192)
    assert.equal(verify(big, SECRET, { now: 1 }).pad, 'x'.repeat(6000))
    throwsCode(() => verify(big, SECRET, { maxTokenLength: big.length - 1 }), 'ERR_JWT_MALFORMED')
    assert.deepStrictEqual(verify(big, SECRET, { maxTokenLength: big.length, now: 1 }), {
      pad: 'x'.repeat(6000),
      iat: 1,
    })
    const huge = sign({ pad: 'x'.repeat(8000) }, SECRET, { now: 1 })
    assert.ok(huge.length > 8192)
    throwsCode(() => verify(huge, SECRET), 'ERR_JWT_MALFORMED')
    assert.deepStrictEqual(verify(huge, SECRET, { maxTokenLength: 20000, now: 1 }), { pad: 'x'.repeat(8000), iat: 1 })
    // Exactly 8192 characters passes the default limit; one more does not.
    let exact: string | undefined
    for (let k = 0; exact === undefined && k < 4; k++) {
      for (let n = 5900; n < 6300; n++) {
        const t = sign({ pad: 'y'.repeat(n) }, SECRET, { keyId: 'k'.repeat(k), now: 1 })
        if (t.length === 8192) {
          exact = t
          break
        }
      }
    }
    assert.ok(exact !== undefined)
    assert.equal(verify(exact, SECRET, { now: 1 }).iat, 1)
    // One character more is refused for its size (without the limit it would merely be a signature mismatch).
    throwsCode(() => verify(`${exact}A`, SECRET, { now: 1 }), 'ERR_JWT_MALFORMED')
    throwsCode(() => verify(`${exact}A`, SECRET, { now: 1, maxTokenLength: 8193 }), 'ERR_JWT_SIGNATURE')
    // Size comes first: a garbage token over the limit is MALFORMED for its size, whatever else is wrong with it.
    throwsCode(() => verify('!'.repeat(9000), SECRET), 'ERR_JWT_MALFORMED')
  })

  test('a header that is not canonical base64url, not UTF-8, not JSON, or not an object', () => {
    const rest = `.${segment({})}.sig`
    const headers = [
      `${segment(H)}=`,
      `${segment(H).slice(0, -1)}+`,
      ` ${segment(H)}`,
      b64(Buffer.from([0x7b, 0xff, 0x7d])),
      segment('{"alg":"HS256"'),
      segment('alg=HS256'),
      segment('[]'),
      segment('null'),
      segment('"HS256"'),
      segment('42'),
      segment(''),
      b64(Buffer.from('\ufeff{"alg":"HS256"}', 'utf8')),
    ]
    for (const h of headers) throwsCode(() => verify(h + rest, SECRET), 'ERR_JWT_MALFORMED')
  })

  test('a payload that is not UTF-8, not JSON, or not an object, even under a valid MAC', () => {
    const payloads: Array<string | Buffer> = ['[1,2]', 'null', '"sub"', '1', 'true', '{"a":1', '', '\ufeff{}']
    for (const p of payloads) throwsCode(() => verify(forge(H, p as string), SECRET), 'ERR_JWT_MALFORMED')
    const input = `${segment(H)}.${b64(Buffer.from([0x7b, 0x22, 0xc3, 0x22, 0x7d]))}`
    throwsCode(() => verify(`${input}.${hmac(input)}`, SECRET), 'ERR_JWT_MALFORMED')
  })
})

describe('verify: ERR_JWT_HEADER (crit, typ, b64), checked before the MAC', () => {
  const ext = (header: object) => forge({ alg: 'HS256', ...header }, { a: 1 })

  test('crit accepted when every name is understood and present', () => {
    assert.deepEqual(verify(ext({ crit: ['exp-ext'], 'exp-ext': 1 }), SECRET, { crit: ['exp-ext'] }), { a: 1 })
    assert.deepEqual(verify(ext({ crit: ['x', 'y'], x: 1, y: 2 }), SECRET, { crit: ['y', 'x', 'z'] }), { a: 1 })
  })

  test('crit refused: not understood, not an array, empty, duplicated, a registered name, absent, not a string', () => {
    const cases: Array<[object, string[] | undefined]> = [
      [{ crit: ['x'], x: 1 }, undefined],
      [{ crit: ['x'], x: 1 }, ['y']],
      [{ crit: 'x', x: 1 }, ['x']],
      [{ crit: {}, x: 1 }, ['x']],
      [{ crit: [] }, ['x']],
      [{ crit: ['x', 'x'], x: 1 }, ['x']],
      [{ crit: ['alg'] }, ['alg']],
      [{ crit: ['kid'], kid: 'k' }, ['kid']],
      [{ crit: ['typ'], typ: 'JWT' }, ['typ']],
      [{ crit: ['iss'], iss: 'a' }, ['iss']],
      [{ crit: ['x'] }, ['x']],
      [{ crit: [1], 1: 1 }, ['1']],
      [{ crit: null }, ['x']],
      // An inherited name is not "present in the header".
      [{ crit: ['constructor'] }, ['constructor']],
    ]
    for (const [header, crit] of cases) {
      throwsCode(() => verify(ext(header), SECRET, crit === undefined ? {} : { crit }), 'ERR_JWT_HEADER')
    }
  })

  test('typ compares case-insensitively with an "application/" prefix ignored', () => {
    for (const [typ, required] of [
      ['JWT', 'JWT'],
      ['jwt', 'JWT'],
      ['application/jwt', 'JWT'],
      ['JWT', 'application/JWT'],
      ['Application/At+JWT', 'at+jwt'],
    ]) {
      assert.deepEqual(verify(ext({ typ }), SECRET, { typ: required }), { a: 1 })
    }
  })

  test('typ refused: different, missing, not a string, prefixed twice', () => {
    for (const [header, required] of [
      [{ typ: 'at+jwt' }, 'JWT'],
      [{}, 'JWT'],
      [{ typ: 1 }, 'JWT'],
      [{ typ: ['JWT'] }, 'JWT'],
      [{ typ: 'application/application/jwt' }, 'JWT'],
      [{ typ: 'JWT' }, 'at+jwt'],
    ] as const) {
      throwsCode(() => verify(ext(header), SECRET, { typ: required }), 'ERR_JWT_HEADER')
    }
    // No typ option: any typ is fine.
    assert.deepEqual(verify(ext({ typ: 'whatever' }), SECRET), { a: 1 })
  })

  test('b64: false (RFC 7797 unencoded payload) is refused; b64: true is harmless', () => {
    throwsCode(() => verify(ext({ b64: false, crit: ['b64'] }), SECRET, { crit: ['b64'] }), 'ERR_JWT_HEADER')
    throwsCode(() => verify(ext({ b64: false }), SECRET), 'ERR_JWT_HEADER')
    assert.deepEqual(verify(ext({ b64: true }), SECRET), { a: 1 })
  })
})

describe('verify: the order of checks', () => {
  test('header problems are reported before a bad MAC', () => {
    const wrongMac = (header: object) => forge(header, {}, { key: OTHER })
    throwsCode(() => verify(wrongMac({ alg: 'HS512' }), SECRET), 'ERR_JWT_ALGORITHM')
    throwsCode(() => verify(wrongMac({ alg: 'HS256', crit: ['x'], x: 1 }), SECRET), 'ERR_JWT_HEADER')
    throwsCode(() => verify(wrongMac({ alg: 'HS256', typ: 'x' }), SECRET, { typ: 'JWT' }), 'ERR_JWT_HEADER')
  })

  test('nothing in the payload is read before the MAC has matched', () => {
    // Each payload would fail on its own; with a wrong MAC, the only answer is SIGNATURE.
    const payloads: Array<object | string> = [
      { exp: 1 },
      { nbf: 9e9 },
      { exp: 'soon' },
      { iss: 'evil' },
      'not json at all',
      '[1]',
      '\ufeff{}',
    ]
    for (const p of payloads) {
      throwsCode(() => verify(forge(H, p, { key: OTHER }), SECRET, { issuer: 'good', now: 100 }), 'ERR_JWT_SIGNATURE')
    }
  })

  test('claims come after the MAC: expired and wrongly signed is SIGNATURE; expired and rightly signed is EXPIRED', () => {
    throwsCode(() => verify(forge(H, { exp: 1 }, { key: OTHER }), SECRET, { now: 100 }), 'ERR_JWT_SIGNATURE')
    throwsCode(() => verify(forge(H, { exp: 1 }), SECRET, { now: 100 }), 'ERR_JWT_EXPIRED')
  })
})

describe('verify: returned claims are parsed data', () => {
  test('"__proto__" in the payload is an own property and pollutes nothing', () => {
    const claims = verify(forge(H, '{"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}}}'), SECRET)
    assert.equal(Object.getPrototypeOf(claims), Object.prototype)
    assert.equal(claims.admin, undefined)
    assert.equal(({} as Record<string, unknown>).admin, undefined)
    assert.deepEqual(Object.keys(claims), ['__proto__', 'constructor'])
  })

  test('duplicate claims: the last one wins', () => {
    assert.deepEqual(verify(forge(H, '{"sub":"a","sub":"b"}'), SECRET), { sub: 'b' })
    throwsCode(() => verify(forge(H, '{"exp":9999999999,"exp":1}'), SECRET, { now: 100 }), 'ERR_JWT_EXPIRED')
  })

  test('each call returns a fresh object', () => {
    const token = sign({ a: 1 }, SECRET)
    const v = createVerifier(SECRET)
    const first = v(token)
    first.a = 2
    assert.equal(v(token).a, 1)
  })
})
