/**
 * src/lib/header.ts on its own: the JOSE header checks made before the MAC (RFC 7515 §4.1, RFC 8725 §3.1), the
 * default header segments and the `typ` normalisation.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Algorithm } from '../../src/index.js'
import { ALGORITHMS } from '../../src/lib/algorithms.js'
import {
  checkHeader,
  DEFAULT_HEADER_SEGMENT,
  type HeaderRules,
  knownHeader,
  knownHeadersOf,
  normaliseTyp,
} from '../../src/lib/header.js'
import { b64, segment, throwsCodeWith } from '../helpers/forge.js'

const rules = (more: Partial<HeaderRules> = {}): HeaderRules => ({
  algorithms: ['HS256', 'HS384'],
  known: knownHeadersOf(['HS256', 'HS384']),
  crit: new Set<string>(),
  typ: undefined,
  ...more,
})

describe('DEFAULT_HEADER_SEGMENT', () => {
  test('is {"alg":…,"typ":"JWT"} in reference base64url, for each algorithm', () => {
    assert.deepStrictEqual(
      DEFAULT_HEADER_SEGMENT,
      Object.fromEntries(ALGORITHMS.map((alg) => [alg, b64(`{"alg":"${alg}","typ":"JWT"}`)])),
    )
    assert.equal(DEFAULT_HEADER_SEGMENT.ES256, b64('{"alg":"ES256","typ":"JWT"}'))
  })
})

describe('knownHeader', () => {
  const all = knownHeadersOf(ALGORITHMS)
  for (const alg of ALGORITHMS) {
    test(`${alg}: the default segment gives the parsed header, frozen`, () => {
      const token = `${DEFAULT_HEADER_SEGMENT[alg]}.${segment({ a: 1 })}.sig`
      const header = knownHeader(token, DEFAULT_HEADER_SEGMENT[alg].length, all)
      assert.deepStrictEqual(header, { alg, typ: 'JWT' })
      assert.equal(Object.isFrozen(header), true)
    })
  }

  test('anything else is undefined: other members, other order, a longer segment, a shorter end', () => {
    const seg = DEFAULT_HEADER_SEGMENT.HS256
    for (const other of [segment({ typ: 'JWT', alg: 'HS256' }), segment({ alg: 'HS256' }), segment({ alg: 'none' })]) {
      assert.equal(knownHeader(`${other}.e30.sig`, other.length, all), undefined)
    }
    // The default segment followed by more header text is a different header.
    assert.equal(knownHeader(`${seg}AAAA.e30.sig`, seg.length + 4, all), undefined)
    assert.equal(knownHeader(`${seg}.e30.sig`, seg.length - 1, all), undefined)
    assert.equal(knownHeader('', 0, all), undefined)
    // Only the verifier's own algorithms: an ES256 default header is not known to an HS256 verifier.
    const es = DEFAULT_HEADER_SEGMENT.ES256
    assert.equal(knownHeader(`${es}.e30.sig`, es.length, knownHeadersOf(['HS256'])), undefined)
  })
})

describe('normaliseTyp (RFC 7515 §4.1.9)', () => {
  test('lower case, without an "application/" prefix', () => {
    const cases: Array<[string, string]> = [
      ['JWT', 'jwt'],
      ['jwt', 'jwt'],
      ['application/JWT', 'jwt'],
      ['Application/At+JWT', 'at+jwt'],
      ['APPLICATION/jwt', 'jwt'],
      ['applicationjwt', 'applicationjwt'],
      ['text/jwt', 'text/jwt'],
      ['', ''],
    ]
    assert.deepStrictEqual(
      cases.map(([typ]) => [typ, normaliseTyp(typ)]),
      cases,
    )
  })
})

describe('checkHeader: alg', () => {
  test('returns the allowed algorithm the header names', () => {
    assert.equal(checkHeader({ alg: 'HS256' }, rules()), 0)
    assert.equal(checkHeader({ alg: 'HS384', typ: 'JWT', kid: 'k' }, rules()), 1)
    assert.equal(checkHeader({ alg: 'HS512' }, rules({ algorithms: ['HS512'] })), 0)
  })

  test('a missing, non-string, inherited or unlisted alg is ERR_JWT_ALGORITHM (401)', () => {
    const headers: Array<Record<string, unknown>> = [
      {},
      { alg: null },
      { alg: 256 },
      { alg: ['HS256'] },
      { alg: 'none' },
      { alg: 'NONE' },
      { alg: 'hs256' },
      { alg: 'HS256 ' },
      { alg: 'HS512' },
      { alg: 'RS256' },
      Object.create({ alg: 'HS256' }) as Record<string, unknown>,
    ]
    for (const header of headers) {
      throwsCodeWith(() => checkHeader(header, rules()), 'ERR_JWT_ALGORITHM', { status: 401 })
    }
  })

  test('an empty allowlist accepts nothing', () => {
    throwsCodeWith(() => checkHeader({ alg: 'HS256' }, rules({ algorithms: [] as Algorithm[] })), 'ERR_JWT_ALGORITHM', {
      status: 401,
    })
  })

  test('alg is checked before crit, b64 and typ', () => {
    const header = { alg: 'none', crit: ['x'], b64: false, typ: 'other' }
    throwsCodeWith(() => checkHeader(header, rules({ typ: 'jwt' })), 'ERR_JWT_ALGORITHM', { status: 401 })
  })
})

describe('checkHeader: crit (RFC 7515 §4.1.11)', () => {
  const understood = rules({ crit: new Set(['exp-ext', 'other-ext']) })

  test('understood extensions that the header carries are accepted', () => {
    assert.equal(checkHeader({ alg: 'HS256', crit: ['exp-ext'], 'exp-ext': 1 }, understood), 0)
    const both = { alg: 'HS256', crit: ['other-ext', 'exp-ext'], 'exp-ext': 1, 'other-ext': 'x' }
    assert.equal(checkHeader(both, understood), 0)
  })

  test('anything else is ERR_JWT_HEADER (401)', () => {
    const bad: Array<Record<string, unknown>> = [
      { crit: [] },
      { crit: 'exp-ext', 'exp-ext': 1 },
      { crit: null },
      { crit: {} },
      { crit: [1] },
      { crit: ['exp-ext', 'exp-ext'], 'exp-ext': 1 },
      { crit: ['exp-ext'] },
      { crit: ['unknown-ext'], 'unknown-ext': 1 },
      { crit: ['alg'] },
      { crit: ['kid'], kid: 'k' },
      { crit: ['typ'], typ: 'JWT' },
      { crit: ['x5t#S256'], 'x5t#S256': 'x' },
    ]
    for (const header of bad) {
      throwsCodeWith(() => checkHeader({ alg: 'HS256', ...header }, understood), 'ERR_JWT_HEADER', { status: 401 })
    }
  })

  test('an extension member inherited through the prototype is not present', () => {
    const header = Object.assign(Object.create({ 'exp-ext': 1 }) as Record<string, unknown>, {
      alg: 'HS256',
      crit: ['exp-ext'],
    })
    throwsCodeWith(() => checkHeader(header, understood), 'ERR_JWT_HEADER', { status: 401 })
  })
})

describe('checkHeader: b64 (RFC 7797) and typ', () => {
  test('b64 other than true is ERR_JWT_HEADER; b64: true is the ordinary encoding', () => {
    for (const b64Value of [false, 'false', 0, null]) {
      throwsCodeWith(() => checkHeader({ alg: 'HS256', b64: b64Value }, rules()), 'ERR_JWT_HEADER', { status: 401 })
    }
    assert.equal(checkHeader({ alg: 'HS256', b64: true }, rules()), 0)
  })

  test('a required typ matches case-insensitively, with or without "application/"', () => {
    for (const typ of ['JWT', 'jwt', 'application/jwt', 'Application/JWT']) {
      assert.equal(checkHeader({ alg: 'HS256', typ }, rules({ typ: 'jwt' })), 0)
    }
    assert.equal(checkHeader({ alg: 'HS256', typ: 'at+jwt' }, rules({ typ: 'at+jwt' })), 0)
  })

  test('a required typ that is missing, another, not a string or inherited is ERR_JWT_HEADER', () => {
    const headers: Array<Record<string, unknown>> = [
      { alg: 'HS256' },
      { alg: 'HS256', typ: 'at+jwt' },
      { alg: 'HS256', typ: 'application/at+jwt' },
      { alg: 'HS256', typ: 1 },
      { alg: 'HS256', typ: ['JWT'] },
      Object.assign(Object.create({ typ: 'JWT' }) as Record<string, unknown>, { alg: 'HS256' }),
    ]
    for (const header of headers) {
      throwsCodeWith(() => checkHeader(header, rules({ typ: 'jwt' })), 'ERR_JWT_HEADER', { status: 401 })
    }
  })

  test('without a typ rule, any typ passes', () => {
    assert.equal(checkHeader({ alg: 'HS256', typ: 'whatever' }, rules()), 0)
    assert.equal(checkHeader({ alg: 'HS256', typ: 42 }, rules()), 0)
  })
})
