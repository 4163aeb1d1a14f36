import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { inspect } from 'node:util'
import {
  createSigner,
  createVerifier,
  decodeUnverified,
  isJwtError,
  JwtError,
  type JwtErrorCode,
  sign,
  UnauthorizedError,
  verify,
} from '../src/index.js'
import { b64, forge, SECRET, segment, throwsCode, throwsCodeWith } from './helpers/forge.js'

const TABLE: Array<[JwtErrorCode, number]> = [
  ['ERR_JWT_MALFORMED', 401],
  ['ERR_JWT_ALGORITHM', 401],
  ['ERR_JWT_SIGNATURE', 401],
  ['ERR_JWT_HEADER', 401],
  ['ERR_JWT_EXPIRED', 401],
  ['ERR_JWT_NOT_BEFORE', 401],
  ['ERR_JWT_CLAIM', 401],
  ['ERR_JWT_INVALID_OPTION', 500],
  ['ERR_JWT_MISSING', 401],
  ['ERR_JWT_AMBIGUOUS', 400],
  ['ERR_JWT_REVOKED', 401],
]

describe('JwtError', () => {
  test('each code has the status of the README error table', () => {
    for (const [code, status] of TABLE) {
      const err = new JwtError(code, 'm')
      assert.equal(err.code, code)
      assert.equal(err.status, status)
      assert.equal(err.name, 'JwtError')
      assert.equal(err.message, 'm')
      assert.ok(err instanceof Error)
      assert.ok(typeof err.stack === 'string')
    }
  })

  test('details are set only when given', () => {
    const plain = new JwtError('ERR_JWT_CLAIM', 'm')
    assert.equal(Object.hasOwn(plain, 'claim'), false)
    assert.equal(Object.hasOwn(plain, 'expiredAt'), false)
    assert.equal(Object.hasOwn(plain, 'date'), false)
    assert.equal(Object.hasOwn(plain, 'cause'), false)
    const d = new Date(0)
    const cause = new Error('inner')
    const full = new JwtError('ERR_JWT_EXPIRED', 'm', { claim: 'exp', expiredAt: d, date: d, cause })
    assert.equal(full.claim, 'exp')
    assert.equal(full.expiredAt, d)
    assert.equal(full.date, d)
    assert.equal(full.cause, cause)
  })
})

describe('UnauthorizedError', () => {
  test('keeps code, status and details, is named UnauthorizedError, and wraps the original as cause', () => {
    const original = new JwtError('ERR_JWT_EXPIRED', 'the token has expired', { expiredAt: new Date(5000) })
    const err = new UnauthorizedError(original)
    assert.equal(err.name, 'UnauthorizedError')
    assert.equal(err.code, 'ERR_JWT_EXPIRED')
    assert.equal(err.status, 401)
    assert.equal(err.message, original.message)
    assert.deepEqual(err.expiredAt, new Date(5000))
    assert.equal(err.cause, original)
    assert.ok(err instanceof JwtError)
    assert.ok(isJwtError(err))
    const claim = new UnauthorizedError(new JwtError('ERR_JWT_CLAIM', 'm', { claim: 'aud' }))
    assert.equal(claim.claim, 'aud')
    assert.equal(new UnauthorizedError(new JwtError('ERR_JWT_AMBIGUOUS', 'm')).status, 400)
    assert.equal(Object.hasOwn(new UnauthorizedError(new JwtError('ERR_JWT_MISSING', 'm')), 'claim'), false)
  })
})

describe('isJwtError', () => {
  test('true for JwtError and UnauthorizedError only', () => {
    assert.equal(isJwtError(new JwtError('ERR_JWT_MISSING', 'm')), true)
    for (const v of [
      new Error('x'),
      new TypeError('x'),
      { code: 'ERR_JWT_MALFORMED', status: 401 },
      null,
      undefined,
      'ERR_JWT_MALFORMED',
    ]) {
      assert.equal(isJwtError(v), false)
    }
  })
})

describe('every core error code is reachable, and only JwtErrors escape', () => {
  test('one call per code', () => {
    const token = sign({ sub: '1' }, SECRET, { now: 1000, expiresIn: 10, notBefore: 5 })
    throwsCode(() => verify('a.b', SECRET), 'ERR_JWT_MALFORMED')
    throwsCode(() => verify(forge({ alg: 'none' }, {}), SECRET), 'ERR_JWT_ALGORITHM')
    throwsCode(() => verify(token, `${SECRET}!`, { now: 1005 }), 'ERR_JWT_SIGNATURE')
    throwsCode(() => verify(forge({ alg: 'HS256', crit: ['x'], x: 1 }, {}), SECRET), 'ERR_JWT_HEADER')
    throwsCodeWith(() => verify(token, SECRET, { now: 1010 }), 'ERR_JWT_EXPIRED', { expiredAt: new Date(1010_000) })
    throwsCodeWith(() => verify(token, SECRET, { now: 1004 }), 'ERR_JWT_NOT_BEFORE', { date: new Date(1005_000) })
    throwsCodeWith(() => verify(token, SECRET, { now: 1005, subject: '2' }), 'ERR_JWT_CLAIM', { claim: 'sub' })
    throwsCodeWith(() => verify(token, SECRET, { now: 1005, algorithms: [] }), 'ERR_JWT_INVALID_OPTION', {
      status: 500,
    })
  })

  test('garbage of many shapes gives JwtErrors only', () => {
    const inputs: unknown[] = [
      '',
      '...',
      'a.b.c',
      '\u0000.\u0000.\u0000',
      '🙂.🙂.🙂',
      segment('{}'),
      42,
      null,
      {},
      Symbol('x'),
    ]
    for (const input of inputs) {
      for (const fn of [() => verify(input as string, SECRET), () => decodeUnverified(input as string)]) {
        assert.throws(fn, (err: unknown) => isJwtError(err))
      }
    }
    // Structurally fine but without "alg": only verify refuses it.
    throwsCode(() => verify(`${segment('{}')}.${segment('{}')}.`, SECRET), 'ERR_JWT_ALGORITHM')
    for (const options of [null, 1, 'x', [], { algorithms: 'HS256' }, { audience: 1 }, { clockTolerance: {} }]) {
      assert.throws(
        () => createVerifier(SECRET, options as never),
        (err: unknown) => isJwtError(err) && err.code === 'ERR_JWT_INVALID_OPTION',
      )
      assert.throws(
        () => createSigner(SECRET, options as never),
        (err: unknown) => isJwtError(err) && err.code === 'ERR_JWT_INVALID_OPTION',
      )
    }
  })
})

describe('messages never contain the token, the secret or claim values', () => {
  // Distinctive markers: none may appear in a message, a stack, or anything util.inspect prints (causes included).
  const SECRET_MARK = 'S3CRET-MARK-a8f0c2d4e6b1-0123456789-abcdefghijklmnop'
  const CLAIM_MARK = 'CLAIM-MARK-77e1'

  function clean(err: JwtError, ...marks: string[]): void {
    const printed = `${err.message}\n${String(err.stack)}\n${inspect(err, { depth: 5 })}`
    for (const mark of marks) assert.ok(!printed.includes(mark), `${err.code}: leaks ${mark}: ${err.message}`)
  }

  test('verify failures of every kind', () => {
    const good = sign(
      { sub: CLAIM_MARK, iss: CLAIM_MARK, aud: CLAIM_MARK, jti: CLAIM_MARK, exp: 2000, nbf: 1500, iat: 1500 },
      SECRET_MARK,
    )
    const cases: Array<[() => unknown, JwtErrorCode]> = [
      [() => verify(good, SECRET_MARK, { now: 3000 }), 'ERR_JWT_EXPIRED'],
      [() => verify(good, SECRET_MARK, { now: 1000 }), 'ERR_JWT_NOT_BEFORE'],
      [() => verify(good, SECRET_MARK, { now: 1600, issuer: 'x' }), 'ERR_JWT_CLAIM'],
      [() => verify(good, SECRET_MARK, { now: 1600, subject: 'x' }), 'ERR_JWT_CLAIM'],
      [() => verify(good, SECRET_MARK, { now: 1600, audience: 'x' }), 'ERR_JWT_CLAIM'],
      [() => verify(good, SECRET_MARK, { now: 1600, jwtId: 'x' }), 'ERR_JWT_CLAIM'],
      [() => verify(good, SECRET_MARK, { now: 1600, maxAge: 1 }), 'ERR_JWT_CLAIM'],
      [() => verify(good, `${SECRET_MARK}x`, { now: 1600 }), 'ERR_JWT_SIGNATURE'],
      [() => verify(good, SECRET_MARK, { now: 1600, maxTokenLength: 10 }), 'ERR_JWT_MALFORMED'],
      [() => verify(`${good}.x`, SECRET_MARK), 'ERR_JWT_MALFORMED'],
      [() => verify(good, SECRET_MARK, { now: 1600, algorithms: ['HS384'] }), 'ERR_JWT_ALGORITHM'],
      [() => verify(good, SECRET_MARK, { now: 1600, typ: 'x' }), 'ERR_JWT_HEADER'],
      // Not-JSON payload under a valid MAC: the JSON parser's own message quotes the text, so it must not be kept.
      [
        () => verify(forge({ alg: 'HS256' }, `${CLAIM_MARK} not json`, { key: SECRET_MARK }), SECRET_MARK),
        'ERR_JWT_MALFORMED',
      ],
      [
        () => verify(forge({ alg: 'HS256' }, `{"a":"${CLAIM_MARK}",}`, { key: SECRET_MARK }), SECRET_MARK),
        'ERR_JWT_MALFORMED',
      ],
      [() => verify(`${segment(`{"alg":"${CLAIM_MARK}" x`)}.${segment('{}')}.`, SECRET_MARK), 'ERR_JWT_MALFORMED'],
      [() => verify(forge({ alg: 'HS256' }, { exp: CLAIM_MARK }, { key: SECRET_MARK }), SECRET_MARK), 'ERR_JWT_CLAIM'],
      [() => verify(`${b64(Buffer.from([0xff]))}.${segment(CLAIM_MARK)}.`, SECRET_MARK), 'ERR_JWT_MALFORMED'],
    ]
    for (const [fn, code] of cases) clean(throwsCode(fn, code), SECRET_MARK, CLAIM_MARK, good)
  })

  test('sign and factory failures', () => {
    const cases: Array<[() => unknown, JwtErrorCode]> = [
      [() => sign({ iss: CLAIM_MARK }, SECRET_MARK, { issuer: 'x' }), 'ERR_JWT_INVALID_OPTION'],
      [() => sign({ exp: CLAIM_MARK }, SECRET_MARK), 'ERR_JWT_INVALID_OPTION'],
      [() => sign({ a: CLAIM_MARK, b: 1n }, SECRET_MARK), 'ERR_JWT_INVALID_OPTION'],
      [() => sign({}, SECRET_MARK.slice(0, 20)), 'ERR_JWT_INVALID_OPTION'],
      [() => sign({}, `-----BEGIN PUBLIC KEY-----${SECRET_MARK}`), 'ERR_JWT_INVALID_OPTION'],
      [() => createVerifier(SECRET_MARK.slice(0, 20)), 'ERR_JWT_INVALID_OPTION'],
      [() => createVerifier(SECRET_MARK, { algorithms: ['HS512'] }), 'ERR_JWT_INVALID_OPTION'],
    ]
    for (const [fn, code] of cases) clean(throwsCode(fn, code), SECRET_MARK, SECRET_MARK.slice(0, 20), CLAIM_MARK)
  })

  test("the JSON parser's message, which quotes the start of the text, is not kept as a cause", () => {
    // V8 quotes up to 10 characters of the offending JSON text: `Unexpected token 'Z', "ZQ9SHORT n"... is not valid JSON`.
    const mark = 'ZQ9SHORT'
    const cases = [
      () => verify(forge({ alg: 'HS256' }, `${mark} not json`), SECRET),
      () => verify(`${segment(`${mark} header`)}.${segment('{}')}.`, SECRET),
      () => decodeUnverified(`${segment({ alg: 'HS256' })}.${segment(mark)}.`),
    ]
    for (const fn of cases) clean(throwsCode(fn, 'ERR_JWT_MALFORMED'), mark)
  })

  test('decodeUnverified failures', () => {
    const t = `${segment({ alg: 'HS256' })}.${segment(`${CLAIM_MARK} not json`)}.`
    clean(
      throwsCode(() => decodeUnverified(t), 'ERR_JWT_MALFORMED'),
      CLAIM_MARK,
      t,
    )
  })
})
