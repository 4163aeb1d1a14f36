/**
 * What `sign` writes is what it checked. The payload and the `header` option are read once, into a deep copy of
 * their own enumerable data; the registered-claim and `alg` checks run on that copy and JSON.stringify serialises
 * that copy, so no `toJSON`, getter, Proxy trap or polluted prototype can make the token say something else.
 * Everything JSON would change silently, or that runs code, is refused with ERR_JWT_INVALID_OPTION (status 500:
 * the caller's mistake, not a bad token).
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { runInNewContext } from 'node:vm'
import { createSigner, decodeUnverified, sign, verify } from '../../src/index.js'
import { forge, NOW, SECRET, throwsCode } from '../helpers/forge.js'

const bad = 'ERR_JWT_INVALID_OPTION'

/** Asserts the refusal: the exact code and status, and a message that names the member but none of the data. */
function refused(fn: () => unknown, member?: string, ...secretsInData: string[]): void {
  const err = throwsCode(fn, bad)
  assert.equal(err.status, 500)
  if (member !== undefined) assert.ok(err.message.startsWith(`${member} `), err.message)
  for (const s of secretsInData) assert.ok(!err.message.includes(s), err.message)
  assert.equal(err.cause, undefined)
}

/** Defines a non-enumerable `toJSON` on a builtin prototype for the duration of `fn` only. */
function withPollutedToJSON<T>(proto: object, toJSON: () => unknown, fn: () => T): T {
  Object.defineProperty(proto, 'toJSON', { value: toJSON, configurable: true, writable: true })
  try {
    return fn()
  } finally {
    delete (proto as { toJSON?: unknown }).toJSON
  }
}

describe('sign: a toJSON cannot replace what was checked', () => {
  test('a payload toJSON cannot drop the exp, iat and iss the options asked for', () => {
    const payload = { sub: '42', toJSON: () => ({ sub: 'admin' }) }
    refused(() => sign(payload, SECRET, { now: NOW, expiresIn: 60, issuer: 'auth' }), 'payload.toJSON')
    refused(() => createSigner(SECRET, { now: NOW, expiresIn: 60 })(payload), 'payload.toJSON')
  })

  test('a toJSON in the header option cannot write {"alg":"none"} into an HMAC-signed token', () => {
    const header = { kid: 'k1', toJSON: () => ({ alg: 'none' }) }
    refused(() => sign({}, SECRET, { header }), 'header.toJSON')
    refused(() => createSigner(SECRET, { header }), 'header.toJSON')
  })

  test('a toJSON nested in a header value is refused too', () => {
    refused(() => createSigner(SECRET, { header: { ext: { toJSON: () => 'x' } } }), 'header.ext.toJSON')
  })

  test('a nested object with toJSON cannot rewrite its member', () => {
    const profile = { name: 'Ada', secretNote: 'hunter2', toJSON: () => ({ role: 'admin' }) }
    refused(() => sign({ sub: '1', profile }, SECRET), 'payload.profile.toJSON', 'hunter2', 'Ada')
  })

  test('an aud array with its own toJSON cannot swap the audience after the check', () => {
    const aud = Object.assign(['api'], { toJSON: () => ['admin-api'] })
    refused(() => sign({ aud }, SECRET), 'payload.aud.toJSON')
    const lying = Object.assign(['api'], { toJSON: () => 1 })
    refused(() => sign({ aud: lying }, SECRET), 'payload.aud.toJSON')
  })

  test('a Date, a Buffer and a boxed primitive (all of which JSON.stringify would convert) are refused', () => {
    refused(() => sign({ when: new Date(0) }, SECRET), 'payload.when')
    refused(() => sign({ bytes: Buffer.from('secret') }, SECRET), 'payload.bytes')
    refused(() => sign({ name: new String('Ada') }, SECRET), 'payload.name')
    refused(() => sign({ n: Object(1) }, SECRET), 'payload.n')
  })

  test('a Map, a Set, a class instance and an Array subclass nested in the payload are refused', () => {
    class Profile {
      name = 'Ada'
    }
    class Roles extends Array<string> {}
    refused(() => sign({ m: new Map([['a', 1]]) }, SECRET), 'payload.m')
    refused(() => sign({ s: new Set([1]) }, SECRET), 'payload.s')
    refused(() => sign({ p: new Profile() }, SECRET), 'payload.p')
    refused(() => sign({ roles: Roles.from(['a']) }, SECRET), 'payload.roles')
  })
})

describe('sign: a prototype toJSON cannot rewrite the token', () => {
  test('Object.prototype.toJSON changes neither the payload nor the header', () => {
    const token = withPollutedToJSON(
      Object.prototype,
      () => ({ sub: 'admin', alg: 'none' }),
      () => sign({ sub: '1', nested: { a: 1 } }, SECRET, { now: NOW, expiresIn: 60, header: { kid: 'k1' } }),
    )
    assert.equal(
      token,
      forge({ alg: 'HS256', typ: 'JWT', kid: 'k1' }, { sub: '1', nested: { a: 1 }, iat: NOW, exp: NOW + 60 }),
    )
  })

  test('Array.prototype.toJSON changes neither a payload array nor the audience option', () => {
    const token = withPollutedToJSON(
      Array.prototype,
      () => ['attacker'],
      () => sign({ roles: ['user'], aud: ['api'] }, SECRET, { now: NOW, subject: 's', header: { x: [1] } }),
    )
    assert.equal(
      token,
      forge({ alg: 'HS256', typ: 'JWT', x: [1] }, { roles: ['user'], aud: ['api'], iat: NOW, sub: 's' }),
    )
    const fromOption = withPollutedToJSON(
      Array.prototype,
      () => ['attacker'],
      () => createSigner(SECRET, { now: NOW, audience: ['a', 'b'] })({}),
    )
    assert.deepStrictEqual(decodeUnverified(fromOption).payload, { iat: NOW, aud: ['a', 'b'] })
  })
})

describe('sign: ordinary pollution of Object.prototype stays out of the token', () => {
  test('inherited enumerable members are neither copied nor taken for claims', () => {
    const proto = Object.prototype as Record<string, unknown>
    proto.isAdmin = true
    proto.iat = 1
    proto.nested = { injected: 1 }
    proto.bad = Number.NaN
    let token: string
    try {
      token = sign({ sub: '1', profile: { name: 'Ada' } }, SECRET, { now: NOW })
    } finally {
      delete proto.isAdmin
      delete proto.iat
      delete proto.nested
      delete proto.bad
    }
    assert.deepStrictEqual(verify(token, SECRET, { now: NOW }), { sub: '1', profile: { name: 'Ada' }, iat: NOW })
  })
})

describe('sign: one read, so a getter or a Proxy cannot answer the check and the serialiser differently', () => {
  test('a getter on a registered claim is read once: the value checked is the value written', () => {
    let reads = 0
    const payload = {
      get exp() {
        reads++
        return reads === 1 ? NOW + 60 : 'never'
      },
    }
    const token = sign(payload, SECRET, { now: NOW })
    assert.equal(reads, 1)
    assert.deepStrictEqual(verify(token, SECRET, { now: NOW }), { exp: NOW + 60, iat: NOW })
  })

  test('a getter element in an aud array is read once: the audience checked is the audience written', () => {
    let reads = 0
    const aud: unknown[] = ['api']
    Object.defineProperty(aud, 1, { enumerable: true, get: () => (++reads === 1 ? 'web' : 1) })
    const token = sign({ aud }, SECRET, { now: NOW })
    assert.equal(reads, 1)
    assert.deepStrictEqual(verify(token, SECRET, { now: NOW, audience: 'web' }), { aud: ['api', 'web'], iat: NOW })
  })

  test('a getter whose one answer is of the wrong type is refused, whatever it would answer next', () => {
    let reads = 0
    const payload = {
      get iss() {
        return ++reads === 1 ? 42 : 'auth'
      },
    }
    refused(() => sign(payload, SECRET))
    assert.equal(reads, 1)
  })

  test('a Proxy whose get trap answers differently each time: the one value read is the one checked and signed', () => {
    let reads = 0
    const payload = new Proxy(
      { exp: NOW + 60 },
      { get: (target, key) => (key === 'exp' && ++reads > 1 ? 'never' : Reflect.get(target, key)) },
    )
    const token = sign(payload, SECRET, { now: NOW })
    assert.deepStrictEqual(verify(token, SECRET, { now: NOW }), { exp: NOW + 60, iat: NOW })
  })

  test('a Proxy that changes a member while it is being read: the checks see the copy that is written', () => {
    const target: Record<string, unknown> = { z: 1, exp: NOW + 60 }
    const payload = new Proxy(target, {
      getOwnPropertyDescriptor(t, key) {
        if (key === 'z') t.exp = 'never'
        return Reflect.getOwnPropertyDescriptor(t, key)
      },
    })
    refused(() => sign(payload, SECRET, { now: NOW }), undefined)
  })

  test("a Proxy trap that throws gives ERR_JWT_INVALID_OPTION and does not keep the trap's error", () => {
    const payload = new Proxy(
      { sub: '1' },
      {
        ownKeys() {
          throw new Error('trap saw hunter2')
        },
      },
    )
    refused(() => sign(payload, SECRET), undefined, 'hunter2')
    const prototypeTrap = new Proxy(
      {},
      {
        getPrototypeOf: () => {
          throw new TypeError('no')
        },
      },
    )
    refused(() => sign(prototypeTrap, SECRET))
  })
})

describe('sign: values JSON would change or drop silently are refused', () => {
  test('NaN and Infinity anywhere (JSON would write null)', () => {
    refused(() => sign({ score: Number.NaN }, SECRET), 'payload.score')
    refused(() => sign({ limits: { max: Number.POSITIVE_INFINITY } }, SECRET), 'payload.limits.max')
    refused(() => sign({ xs: [1, Number.NEGATIVE_INFINITY] }, SECRET), 'payload.xs[1]')
    refused(() => createSigner(SECRET, { header: { n: Number.NaN } }), 'header.n')
  })

  test('sparse arrays and undefined, functions or symbols inside arrays (JSON would write null)', () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point of the test
    refused(() => sign({ roles: ['a', , 'c'] }, SECRET), 'payload.roles[1]')
    refused(() => sign({ roles: new Array(3) }, SECRET), 'payload.roles[0]')
    refused(() => sign({ roles: ['a', undefined] }, SECRET), 'payload.roles[1]')
    refused(() => sign({ roles: [() => 1] }, SECRET), 'payload.roles[0]')
    refused(() => sign({ roles: [Symbol('r')] }, SECRET), 'payload.roles[0]')
  })

  test('functions and symbols as member values (JSON would drop the member)', () => {
    refused(() => sign({ f: () => 1 }, SECRET), 'payload.f')
    refused(() => sign({ s: Symbol('x') }, SECRET), 'payload.s')
    refused(() => createSigner(SECRET, { header: { f: () => 1 } }), 'header.f')
  })

  test('BigInt and cycles, nested as well as at the top', () => {
    refused(() => sign({ n: 10n }, SECRET), 'payload.n')
    refused(() => sign({ a: [{ n: 10n }] }, SECRET), 'payload.a[0].n')
    const cycle: Record<string, unknown> = { sub: '1' }
    cycle.self = { back: cycle }
    refused(() => sign(cycle, SECRET), 'payload.self.back')
    const list: unknown[] = []
    list.push(list)
    refused(() => sign({ list }, SECRET), 'payload.list[0]')
  })

  test('more than 64 levels of nesting are refused; 64 are signed', () => {
    const nest = (levels: number): Record<string, unknown> => {
      let v: Record<string, unknown> = {}
      for (let i = 1; i < levels; i++) v = { a: v }
      return v
    }
    const ok = nest(64)
    assert.deepStrictEqual(verify(sign(ok, SECRET, { noTimestamp: true }), SECRET), ok)
    const err = throwsCode(() => sign(nest(65), SECRET), bad)
    assert.match(err.message, /^payload\.a\.a\.a\.a\.a\.a\.a\.a\.\.\. nests deeper than 64 levels$/)
  })

  test('a shared sub-object repeated into more than 100000 values is refused, and quickly', () => {
    let v: Record<string, unknown> = { leaf: 1 }
    for (let i = 0; i < 18; i++) v = { l: v, r: v } // 2^18 leaves once expanded
    const started = process.hrtime.bigint()
    refused(() => sign(v, SECRET))
    assert.ok(process.hrtime.bigint() - started < 2_000_000_000n)
    refused(() => sign({ xs: new Array(200_000).fill(0) }, SECRET), 'payload.xs')
  })

  test('a long or odd key is quoted and shortened in the message, never copied whole', () => {
    const key = `k${'x'.repeat(500)}`
    const err = throwsCode(() => sign({ [key]: () => 1 }, SECRET), bad)
    assert.ok(err.message.length < 200, err.message)
    assert.ok(err.message.startsWith(`payload["k${'x'.repeat(31)}..."] `), err.message)
    const odd = throwsCode(() => sign({ 'a\nb': Number.NaN }, SECRET), bad)
    assert.ok(odd.message.startsWith('payload["a\\nb"] '), odd.message)
  })
})

describe('sign: JSON data round-trips exactly through verify', () => {
  test('nested plain objects and arrays, numbers, booleans, null, empty containers', () => {
    const payload = {
      sub: 'user-1',
      profile: { name: 'Ada', langs: ['en', 'fr'], address: { city: 'London', zip: null } },
      matrix: [
        [1, 2],
        [3, [4, { five: 5 }]],
      ],
      numbers: [0, 1.5, -2, 1e300, 5e-324, Number.MAX_SAFE_INTEGER],
      flags: { on: true, off: false },
      empty: { o: {}, a: [] },
      nothing: null,
    }
    const token = sign(payload, SECRET, { now: NOW, expiresIn: 60, audience: ['api', 'web'] })
    assert.deepStrictEqual(verify(token, SECRET, { now: NOW, audience: 'api' }), {
      ...payload,
      iat: NOW,
      exp: NOW + 60,
      aud: ['api', 'web'],
    })
  })

  test('null-prototype objects, at the top and nested', () => {
    const inner = Object.assign(Object.create(null) as Record<string, unknown>, { b: [1] })
    const top = Object.assign(Object.create(null) as Record<string, unknown>, { a: inner, sub: 'x' })
    assert.deepStrictEqual(verify(sign(top, SECRET, { noTimestamp: true }), SECRET), { a: { b: [1] }, sub: 'x' })
  })

  test('objects and arrays from another realm (a vm context)', () => {
    const foreign = runInNewContext('({ roles: ["a", "b"], meta: { n: 1 } })') as object
    assert.deepStrictEqual(verify(sign(foreign, SECRET, { noTimestamp: true }), SECRET), {
      roles: ['a', 'b'],
      meta: { n: 1 },
    })
  })

  test('unicode keys and values, and lone surrogates (written as \\u escapes)', () => {
    const payload = { 'naïve café': 'Zoë', 東京: ['Ελλάδα', '✓'], '🔑': { '': 'empty key' }, lone: '\ud800x' }
    assert.deepStrictEqual(verify(sign(payload, SECRET, { noTimestamp: true }), SECRET), payload)
  })

  test('a "__proto__" key stays an ordinary member, at the top and nested', () => {
    const payload = JSON.parse('{"__proto__":{"isAdmin":true},"nested":{"__proto__":[1]},"sub":"1"}') as object
    const claims = verify(sign(payload, SECRET, { noTimestamp: true }), SECRET) as Record<string, unknown>
    assert.deepStrictEqual(claims, JSON.parse('{"__proto__":{"isAdmin":true},"nested":{"__proto__":[1]},"sub":"1"}'))
    assert.equal(Object.getPrototypeOf(claims), Object.prototype)
    assert.deepStrictEqual(Object.getOwnPropertyDescriptor(claims, '__proto__')?.value, { isAdmin: true })
    assert.equal(({} as Record<string, unknown>).isAdmin, undefined)
  })

  test('undefined members are left out, nested too, as JSON.stringify does', () => {
    const token = sign({ a: undefined, b: { c: undefined, d: 1 } }, SECRET, {
      noTimestamp: true,
      header: { x: undefined, y: { z: undefined } },
    })
    assert.deepStrictEqual(decodeUnverified(token), {
      header: { alg: 'HS256', typ: 'JWT', y: {} },
      payload: { b: { d: 1 } },
      signature: token.split('.')[2],
    })
  })

  test('a toJSON member that is plain data, not a method, is just a claim', () => {
    assert.deepStrictEqual(verify(sign({ toJSON: 'x' }, SECRET, { noTimestamp: true }), SECRET), { toJSON: 'x' })
  })

  test('changing the header option object after createSigner changes nothing, nested values included', () => {
    const header = { ext: { list: [1, 2] } }
    const signer = createSigner(SECRET, { now: NOW, header })
    header.ext.list.push(3)
    header.ext = { list: [] }
    assert.equal(signer({}), forge({ alg: 'HS256', typ: 'JWT', ext: { list: [1, 2] } }, { iat: NOW }))
  })

  test('symbol keys, a setter without a getter and non-enumerable members are left out, as JSON.stringify does', () => {
    const payload = Object.defineProperty({ sub: '1', [Symbol('role')]: 'admin' }, 'role', {
      enumerable: true,
      set: () => {},
    })
    Object.defineProperty(payload, 'hidden', { enumerable: false, get: () => assert.fail('a hidden getter was read') })
    assert.deepStrictEqual(verify(sign({ nested: payload }, SECRET, { noTimestamp: true }), SECRET), {
      nested: { sub: '1' },
    })
  })

  test('-0 is written as 0, as JSON does', () => {
    assert.deepStrictEqual(decodeUnverified(sign({ n: -0 }, SECRET, { noTimestamp: true })).payload, { n: 0 })
  })
})
