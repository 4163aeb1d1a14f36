import assert from 'node:assert/strict'
import { createSecretKey } from 'node:crypto'
import { describe, test } from 'node:test'
import { type Algorithm, createSigner, decodeUnverified, sign, verify } from '../src/index.js'
import { forge, SECRET, SECRET32, segment, throwsCode } from './helpers/forge.js'

const ALGS: Algorithm[] = ['HS256', 'HS384', 'HS512']

describe('sign: output', () => {
  test('the exact token: header {alg, typ: "JWT"}, payload with iat, HMAC of both (independent reference)', () => {
    const token = sign({ sub: '42', name: 'Ada' }, SECRET, { now: 1000 })
    assert.equal(token, forge({ alg: 'HS256', typ: 'JWT' }, { sub: '42', name: 'Ada', iat: 1000 }))
    assert.equal(token.split('.')[0], 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9')
  })

  for (const alg of ALGS) {
    test(`${alg}: exact token and round trip`, () => {
      const token = sign({ sub: '42' }, SECRET, { algorithm: alg, now: 1000, expiresIn: 60 })
      assert.equal(token, forge({ alg, typ: 'JWT' }, { sub: '42', iat: 1000, exp: 1060 }, { macAlg: alg }))
      assert.deepEqual(verify(token, SECRET, { algorithms: [alg], now: 1059 }), { sub: '42', iat: 1000, exp: 1060 })
      throwsCode(() => verify(token, SECRET, { algorithms: [alg], now: 1060 }), 'ERR_JWT_EXPIRED')
    })
  }

  test('iat is the current clock time in whole seconds when now is not given', () => {
    const before = Math.floor(Date.now() / 1000)
    const { payload } = decodeUnverified(sign({}, SECRET))
    const after = Math.floor(Date.now() / 1000)
    assert.ok(typeof payload.iat === 'number' && Number.isInteger(payload.iat))
    assert.ok(payload.iat >= before && payload.iat <= after)
  })

  test('a fractional now gives whole-second iat, exp and nbf', () => {
    const { payload } = decodeUnverified(sign({}, SECRET, { now: 1000.75, expiresIn: 10, notBefore: 5 }))
    assert.deepEqual(payload, { iat: 1000, exp: 1010, nbf: 1005 })
  })

  test('noTimestamp leaves iat out; an iat already in the payload is kept', () => {
    assert.deepEqual(decodeUnverified(sign({ a: 1 }, SECRET, { noTimestamp: true, now: 5 })).payload, { a: 1 })
    assert.deepEqual(decodeUnverified(sign({ iat: 7 }, SECRET, { now: 5 })).payload, { iat: 7 })
    assert.deepEqual(decodeUnverified(sign({ iat: 7 }, SECRET, { now: 5, noTimestamp: true })).payload, { iat: 7 })
  })

  test('exp and nbf are computed from now, not from an iat in the payload', () => {
    const { payload } = decodeUnverified(sign({ iat: 100 }, SECRET, { now: 1000, expiresIn: '1m', notBefore: '10s' }))
    assert.deepEqual(payload, { iat: 100, exp: 1060, nbf: 1010 })
  })

  test('expiresIn and notBefore accept seconds and duration strings; negative makes an already-expired token', () => {
    const p = (o: object) => decodeUnverified(sign({}, SECRET, { now: 1000, noTimestamp: true, ...o })).payload
    assert.deepEqual(p({ expiresIn: 90 }), { exp: 1090 })
    assert.deepEqual(p({ expiresIn: '24h' }), { exp: 1000 + 86400 })
    assert.deepEqual(p({ expiresIn: '1.5h' }), { exp: 1000 + 5400 })
    assert.deepEqual(p({ notBefore: '15m' }), { nbf: 1000 + 900 })
    assert.deepEqual(p({ expiresIn: -10 }), { exp: 990 })
    assert.deepEqual(p({ expiresIn: 0 }), { exp: 1000 })
  })

  test('issuer, subject, audience, jwtId become claims; keyId and header become header parameters', () => {
    const token = sign({ role: 'admin' }, SECRET, {
      now: 1000,
      issuer: 'auth.example.com',
      subject: '42',
      audience: ['api', 'web'],
      jwtId: 'id-1',
      keyId: 'k1',
      header: { cty: 'example', 'x-ext': [1, 2] },
    })
    const { header, payload } = decodeUnverified(token)
    assert.deepEqual(header, { alg: 'HS256', typ: 'JWT', cty: 'example', 'x-ext': [1, 2], kid: 'k1' })
    assert.deepEqual(payload, {
      role: 'admin',
      iat: 1000,
      iss: 'auth.example.com',
      sub: '42',
      aud: ['api', 'web'],
      jti: 'id-1',
    })
    assert.deepEqual(decodeUnverified(sign({}, SECRET, { audience: 'api', noTimestamp: true })).payload, { aud: 'api' })
  })

  test('header may replace typ, and may repeat alg with the same value', () => {
    assert.deepEqual(decodeUnverified(sign({}, SECRET, { header: { typ: 'at+jwt' } })).header, {
      alg: 'HS256',
      typ: 'at+jwt',
    })
    assert.deepEqual(decodeUnverified(sign({}, SECRET, { algorithm: 'HS384', header: { alg: 'HS384' } })).header, {
      alg: 'HS384',
      typ: 'JWT',
    })
  })

  test('undefined members are left out, as JSON.stringify does', () => {
    const { header, payload } = decodeUnverified(
      sign({ a: undefined, b: 1 }, SECRET, { noTimestamp: true, header: { x: undefined } }),
    )
    assert.deepEqual(payload, { b: 1 })
    assert.deepEqual(header, { alg: 'HS256', typ: 'JWT' })
  })

  test('a registered claim set to undefined counts as absent, as it will be in the JSON', () => {
    const { payload } = decodeUnverified(
      sign({ iat: undefined, exp: undefined, iss: undefined, sub: undefined }, SECRET, {
        now: 1000,
        expiresIn: 60,
        issuer: 'a',
        subject: 's',
      }),
    )
    assert.deepEqual(payload, { iat: 1000, exp: 1060, iss: 'a', sub: 's' })
  })

  test('the caller payload is not modified', () => {
    const payload = { sub: '1' }
    sign(payload, SECRET, { expiresIn: 60, issuer: 'x' })
    assert.deepEqual(payload, { sub: '1' })
  })

  test('a "__proto__" key in the payload stays data and pollutes nothing', () => {
    const payload = JSON.parse('{"__proto__":{"isAdmin":true},"sub":"1"}') as object
    const token = sign(payload, SECRET, { now: 1 })
    const claims = verify(token, SECRET, { now: 1 })
    assert.equal(({} as Record<string, unknown>).isAdmin, undefined)
    assert.equal(claims.isAdmin, undefined)
    assert.deepEqual(Object.getOwnPropertyDescriptor(claims, '__proto__')?.value, { isAdmin: true })
    assert.equal(Object.getPrototypeOf(claims), Object.prototype)
  })

  test('non-ASCII claims survive the round trip', () => {
    const payload = { name: 'Zoë Ñúñez 日本 🙂', iat: 1 }
    assert.deepEqual(verify(sign(payload, SECRET), SECRET, { now: 1 }), payload)
  })

  test('the secret may be bytes or a secret KeyObject; all three give the same token', () => {
    const bytes = Buffer.from(SECRET)
    const t1 = sign({ a: 1 }, SECRET, { now: 1 })
    assert.equal(sign({ a: 1 }, new Uint8Array(bytes), { now: 1 }), t1)
    assert.equal(sign({ a: 1 }, createSecretKey(bytes), { now: 1 }), t1)
    assert.deepEqual(verify(t1, createSecretKey(bytes), { now: 1 }), { a: 1, iat: 1 })
  })
})

describe('sign: contradictions between payload and options are errors, not silent overwrites', () => {
  test('exp with expiresIn, nbf with notBefore', () => {
    throwsCode(() => sign({ exp: 5 }, SECRET, { expiresIn: 60 }), 'ERR_JWT_INVALID_OPTION')
    throwsCode(() => sign({ nbf: 5 }, SECRET, { notBefore: 60 }), 'ERR_JWT_INVALID_OPTION')
  })

  test('iss, sub, aud, jti that differ from issuer, subject, audience, jwtId', () => {
    throwsCode(() => sign({ iss: 'a' }, SECRET, { issuer: 'b' }), 'ERR_JWT_INVALID_OPTION')
    throwsCode(() => sign({ sub: 'a' }, SECRET, { subject: 'b' }), 'ERR_JWT_INVALID_OPTION')
    throwsCode(() => sign({ aud: 'a' }, SECRET, { audience: 'b' }), 'ERR_JWT_INVALID_OPTION')
    throwsCode(() => sign({ aud: ['a', 'b'] }, SECRET, { audience: ['b', 'a'] }), 'ERR_JWT_INVALID_OPTION')
    throwsCode(() => sign({ aud: ['a'] }, SECRET, { audience: 'a' }), 'ERR_JWT_INVALID_OPTION')
    throwsCode(() => sign({ jti: 'a' }, SECRET, { jwtId: 'b' }), 'ERR_JWT_INVALID_OPTION')
  })

  test('the same value in both places is accepted', () => {
    const t = sign({ iss: 'a', sub: 's', aud: ['x', 'y'], jti: 'j' }, SECRET, {
      issuer: 'a',
      subject: 's',
      audience: ['x', 'y'],
      jwtId: 'j',
      noTimestamp: true,
    })
    assert.deepEqual(decodeUnverified(t).payload, { iss: 'a', sub: 's', aud: ['x', 'y'], jti: 'j' })
  })

  test('header.alg that differs from algorithm, and header.kid that differs from keyId', () => {
    throwsCode(() => sign({}, SECRET, { header: { alg: 'HS512' } }), 'ERR_JWT_INVALID_OPTION')
    throwsCode(() => sign({}, SECRET, { header: { alg: 'none' } }), 'ERR_JWT_INVALID_OPTION')
    throwsCode(() => sign({}, SECRET, { keyId: 'a', header: { kid: 'b' } }), 'ERR_JWT_INVALID_OPTION')
    assert.equal(decodeUnverified(sign({}, SECRET, { keyId: 'a', header: { kid: 'a' } })).header.kid, 'a')
    assert.equal(decodeUnverified(sign({}, SECRET, { header: { kid: 'b' } })).header.kid, 'b')
  })
})

describe("sign: bad payloads are ERR_JWT_INVALID_OPTION (the caller's mistake, not a bad token)", () => {
  test('anything but a plain object', () => {
    const bad: unknown[] = [
      null,
      undefined,
      'string',
      42,
      true,
      [1, 2],
      () => 1,
      Buffer.from('{"a":1}'),
      new Map([['a', 1]]),
      new Date(0),
    ]
    for (const payload of bad) throwsCode(() => sign(payload as object, SECRET), 'ERR_JWT_INVALID_OPTION')
    class Claims {
      sub = '1'
    }
    throwsCode(() => sign(new Claims(), SECRET), 'ERR_JWT_INVALID_OPTION')
    // A null-prototype object is a plain object.
    const bare = Object.assign(Object.create(null) as object, { sub: '1' })
    assert.deepEqual(decodeUnverified(sign(bare, SECRET, { noTimestamp: true })).payload, { sub: '1' })
  })

  test('registered claims of the wrong type, so we never issue what our verifier refuses', () => {
    const bad: object[] = [
      { exp: '100' },
      { exp: Number.POSITIVE_INFINITY },
      { nbf: Number.NaN },
      { iat: null },
      { iss: 1 },
      { sub: 42 },
      { jti: {} },
      { aud: 1 },
      { aud: ['a', 1] },
    ]
    for (const payload of bad) throwsCode(() => sign(payload, SECRET), 'ERR_JWT_INVALID_OPTION')
  })

  test('payloads JSON cannot serialise', () => {
    throwsCode(() => sign({ n: 10n }, SECRET), 'ERR_JWT_INVALID_OPTION')
    const circular: Record<string, unknown> = {}
    circular.self = circular
    throwsCode(() => sign(circular, SECRET), 'ERR_JWT_INVALID_OPTION')
  })

  test('header values JSON cannot serialise are refused when the signer is made', () => {
    throwsCode(() => createSigner(SECRET, { header: { n: 10n } }), 'ERR_JWT_INVALID_OPTION')
  })
})

describe('createSigner', () => {
  test('checks the secret and the options once, before any payload', () => {
    throwsCode(() => createSigner('too short'), 'ERR_JWT_INVALID_OPTION')
    throwsCode(() => createSigner(SECRET32, { algorithm: 'HS384' }), 'ERR_JWT_INVALID_OPTION')
    throwsCode(() => createSigner(SECRET, { expiresIn: '120' }), 'ERR_JWT_INVALID_OPTION')
  })

  test('the 32-byte minimum is enough for HS256', () => {
    const token = createSigner(SECRET32, { now: 1 })({ a: 1 })
    assert.deepEqual(verify(token, SECRET32, { now: 1 }), { a: 1, iat: 1 })
  })

  test('the returned function signs many payloads with the same options', () => {
    const signAccess = createSigner(SECRET, { now: 1000, expiresIn: '15m', issuer: 'auth' })
    const a = signAccess({ sub: 'a' })
    const b = signAccess({ sub: 'b' })
    assert.deepEqual(decodeUnverified(a).payload, { sub: 'a', iat: 1000, exp: 1900, iss: 'auth' })
    assert.deepEqual(decodeUnverified(b).payload, { sub: 'b', iat: 1000, exp: 1900, iss: 'auth' })
    assert.equal(a, sign({ sub: 'a' }, SECRET, { now: 1000, expiresIn: '15m', issuer: 'auth' }))
  })

  test('mutating the options or the secret buffer afterwards changes nothing', () => {
    const options = { now: 1, audience: ['a'], header: { x: 1 } }
    const key = Buffer.from(SECRET)
    const signer = createSigner(key, options)
    const before = signer({})
    options.audience.push('b')
    options.header.x = 2
    key.fill(0)
    assert.equal(signer({}), before)
    assert.equal(before, forge({ alg: 'HS256', typ: 'JWT', x: 1 }, { iat: 1, aud: ['a'] }))
  })

  test('the payload segment is the base64url of the claims JSON', () => {
    const token = createSigner(SECRET, { noTimestamp: true })({ b: 'é' })
    assert.equal(token.split('.')[1], segment('{"b":"é"}'))
  })
})

test('sign: an object literal from another realm (vm context) is a plain object', async () => {
  const { runInNewContext } = await import('node:vm')
  const foreign = runInNewContext('({ sub: "1" })') as object
  assert.notEqual(Object.getPrototypeOf(foreign), Object.prototype)
  assert.deepEqual(decodeUnverified(sign(foreign, SECRET, { noTimestamp: true })).payload, { sub: '1' })
})
