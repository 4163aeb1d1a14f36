/**
 * Key and option attacks: everything here is refused when the signer or verifier is MADE (createSigner /
 * createVerifier throw ERR_JWT_INVALID_OPTION), before any token is seen, so a misconfiguration cannot hide until
 * the first hostile request (RFC 7518 §3.2 key sizes; RFC 8725 §3.1 key confusion, §3.5 key entropy).
 */
import assert from 'node:assert/strict'
import { createSecretKey, generateKeyPairSync } from 'node:crypto'
import { describe, test } from 'node:test'
import { createSigner, createVerifier, decodeUnverified, sign, verify } from '../../src/index.js'
import { forge, NOW, SECRET, throwsCode } from '../helpers/forge.js'

const bad = 'ERR_JWT_INVALID_OPTION'

describe('secrets', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString()
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const jwk = JSON.stringify({ kty: 'oct', k: 'x'.repeat(86), alg: 'HS256' })
  const publicJwk = JSON.stringify(publicKey.export({ format: 'jwk' }))

  const secrets: Record<string, unknown> = {
    'an empty string': '',
    'an empty Uint8Array': new Uint8Array(0),
    '31 bytes for HS256': 'x'.repeat(31),
    '31 bytes counted as UTF-8 (15 two-byte characters and one more)': `${'é'.repeat(15)}a`,
    'a short secret KeyObject': createSecretKey(Buffer.alloc(16, 1)),
    'a PEM public key': publicPem,
    'a PEM private key': privatePem,
    'a PEM public key as bytes': Buffer.from(publicPem),
    'a PEM block after other text': `my secret is ${publicPem}`,
    'a PEM certificate header alone, padded to length': `-----BEGIN CERTIFICATE-----${'A'.repeat(64)}`,
    'a secret KeyObject holding PEM text': createSecretKey(Buffer.from(publicPem)),
    'an oct JWK as JSON text': jwk,
    'an oct JWK with surrounding whitespace': `\n  ${jwk}\n`,
    'an EC public JWK as JSON text': publicJwk,
    'a JWK as bytes': Buffer.from(jwk),
    'a public KeyObject': publicKey,
    'a private KeyObject': privateKey,
    'a number': 1234567890123456,
    null: null,
    undefined: undefined,
    'an object': { secret: SECRET },
    'an array': [SECRET],
    'a DataView': new DataView(Buffer.from(SECRET).buffer),
  }
  for (const [name, secret] of Object.entries(secrets)) {
    test(`${name}: refused by createVerifier and createSigner for HS256`, () => {
      throwsCode(() => createVerifier(secret as string, { algorithms: ['HS256'] }), bad)
      throwsCode(() => createSigner(secret as string, { algorithm: 'HS256' }), bad)
    })
  }
  test('the message of a short-secret error says how to generate one, and never contains the secret', () => {
    const err = throwsCode(() => createVerifier('tiny-secret-value'), bad)
    assert.match(err.message, /32/)
    assert.match(err.message, /randomBytes|jwt-codec secret/)
    assert.doesNotMatch(err.message, /tiny-secret-value/)
  })
  test('each algorithm needs its hash length: 48 bytes for HS384, 64 for HS512', () => {
    throwsCode(() => createSigner('x'.repeat(47), { algorithm: 'HS384' }), bad)
    throwsCode(() => createSigner('x'.repeat(63), { algorithm: 'HS512' }), bad)
    const key = 'x'.repeat(48)
    const token = createSigner(key, { algorithm: 'HS384', noTimestamp: true })({ a: 1 })
    assert.equal(token, forge({ alg: 'HS384', typ: 'JWT' }, { a: 1 }, { key }))
  })
  test('a verifier allowing several algorithms needs the longest hash among them', () => {
    throwsCode(() => createVerifier('x'.repeat(32), { algorithms: ['HS256', 'HS512'] }), bad)
    const key = 'x'.repeat(64)
    const check = createVerifier(key, { algorithms: ['HS256', 'HS512'] })
    assert.deepStrictEqual(check(forge({ alg: 'HS512' }, { a: 1 }, { key })), { a: 1 })
    assert.deepStrictEqual(check(forge({ alg: 'HS256' }, { a: 2 }, { key })), { a: 2 })
  })
  test('a JSON text that is not a JWK is an acceptable (if odd) secret', () => {
    const key = JSON.stringify({ note: 'x'.repeat(40) })
    assert.deepStrictEqual(createVerifier(key)(forge({ alg: 'HS256' }, { a: 1 }, { key })), { a: 1 })
  })
  test('mutating the caller buffer after making a verifier changes nothing', () => {
    const key = Buffer.from(SECRET)
    const check = createVerifier(key, { now: NOW })
    const token = sign({ sub: '42' }, SECRET, { now: NOW })
    key.fill(0)
    assert.equal(check(token).sub, '42')
  })
})

describe('algorithms', () => {
  const lists: Record<string, unknown> = {
    'an empty list': [],
    '["none"]': ['none'],
    '["HS256", "none"]': ['HS256', 'none'],
    '["None"]': ['None'],
    '["RS256"]': ['RS256'],
    '["ES256"]': ['ES256'],
    '["PS256"]': ['PS256'],
    '["EdDSA"]': ['EdDSA'],
    '["hs256"] (wrong case)': ['hs256'],
    'a string instead of an array': 'HS256',
    '[null]': [null],
    '["toString"]': ['toString'],
  }
  for (const [name, algorithms] of Object.entries(lists)) {
    test(`verify algorithms ${name}`, () => {
      throwsCode(() => createVerifier(SECRET, { algorithms: algorithms as ['HS256'] }), bad)
    })
  }
  for (const algorithm of ['none', 'RS256', 'hs256', '', 'HS256 ']) {
    test(`sign algorithm ${JSON.stringify(algorithm)}`, () => {
      throwsCode(() => createSigner(SECRET, { algorithm: algorithm as 'HS256' }), bad)
    })
  }
  test('sign cannot smuggle alg through the header option', () => {
    throwsCode(() => createSigner(SECRET, { header: { alg: 'none' } }), bad)
    throwsCode(() => createSigner(SECRET, { header: JSON.parse('{"__proto__":{"alg":"none"}}') }), bad)
  })
})

describe('durations: clockTolerance, maxAge, expiresIn, notBefore', () => {
  const values: Record<string, unknown> = {
    Infinity: Number.POSITIVE_INFINITY,
    '-Infinity': Number.NEGATIVE_INFINITY,
    NaN: Number.NaN,
    'a string without a unit': '10',
    'an unknown unit': '10 parsecs',
    'an empty string': '',
    'exponent notation': '1e3s',
    'a boolean': true,
    null: null,
    'an object': { seconds: 10 },
  }
  for (const [name, value] of Object.entries(values)) {
    test(`clockTolerance ${name}`, () => {
      throwsCode(() => createVerifier(SECRET, { clockTolerance: value as number }), bad)
    })
    test(`maxAge ${name}`, () => {
      throwsCode(() => createVerifier(SECRET, { maxAge: value as number }), bad)
    })
    test(`expiresIn ${name}`, () => {
      throwsCode(() => createSigner(SECRET, { expiresIn: value as number }), bad)
    })
  }
  test('negative clockTolerance and maxAge, as a number or a string', () => {
    for (const v of [-1, '-5s', -0.5]) {
      throwsCode(() => createVerifier(SECRET, { clockTolerance: v }), bad)
      throwsCode(() => createVerifier(SECRET, { maxAge: v }), bad)
    }
  })
  test('a huge duration string that overflows to Infinity', () => {
    throwsCode(() => createVerifier(SECRET, { clockTolerance: `${'9'.repeat(400)}s` }), bad)
  })
})

describe('other options', () => {
  const verifyOptions: Record<string, unknown> = {
    'a misspelt audiance': { audiance: 'api' },
    'jsonwebtoken ignoreExpiration': { ignoreExpiration: true },
    'jsonwebtoken ignoreNotBefore': { ignoreNotBefore: true },
    'algorithm (singular)': { algorithm: 'HS256' },
    'maxTokenLength 0': { maxTokenLength: 0 },
    'maxTokenLength -1': { maxTokenLength: -1 },
    'maxTokenLength 1.5': { maxTokenLength: 1.5 },
    'maxTokenLength Infinity': { maxTokenLength: Number.POSITIVE_INFINITY },
    'maxTokenLength as a string': { maxTokenLength: '8192' },
    'now NaN': { now: Number.NaN },
    'now Infinity': { now: Number.POSITIVE_INFINITY },
    'now as a string': { now: String(NOW) },
    'complete as a string': { complete: 'yes' },
    'typ as a number': { typ: 1 },
    'crit as an object': { crit: { b64: true } },
    'crit with a number': { crit: [1] },
    'audience empty': { audience: [] },
    'audience with a number': { audience: ['api', 1] },
    'audience as an object': { audience: { api: true } },
    'issuer as a number': { issuer: 1 },
    'subject as an array': { subject: ['x'] },
    'requiredClaims as a string list with a number': { requiredClaims: ['sub', 1] },
  }
  for (const [name, options] of Object.entries(verifyOptions)) {
    test(`verify: ${name}`, () => {
      throwsCode(() => createVerifier(SECRET, options as object), bad)
    })
  }
  for (const [name, options] of Object.entries({ 'a string': 'HS256', 'an array': [], null: null, 'a number': 1 })) {
    test(`options as ${name}`, () => {
      throwsCode(() => createVerifier(SECRET, options as object), bad)
      throwsCode(() => createSigner(SECRET, options as object), bad)
      throwsCode(() => decodeUnverified(sign({}, SECRET), options as object), bad)
    })
  }
  test('decodeUnverified refuses unknown options and a bad maxTokenLength', () => {
    throwsCode(() => decodeUnverified(sign({}, SECRET), { verify: true } as object), bad)
    throwsCode(() => decodeUnverified(sign({}, SECRET), { maxTokenLength: 0 }), bad)
  })
  test('sign: non-object payloads are the caller mistake', () => {
    const s = createSigner(SECRET)
    for (const p of [null, undefined, 'sub', 42, [1]]) throwsCode(() => s(p as object), bad)
  })
  test('sign: claims of the wrong type are refused instead of issuing a token we would refuse', () => {
    const s = createSigner(SECRET)
    for (const p of [
      { exp: '1' },
      { exp: Number.POSITIVE_INFINITY },
      { nbf: Number.NaN },
      { iss: 1 },
      { aud: [1] },
      { sub: null },
    ]) {
      throwsCode(() => s(p), bad)
    }
  })
  test('sign: a payload JSON cannot serialise', () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    throwsCode(() => sign(cyclic, SECRET), bad)
    throwsCode(() => sign({ n: 10n }, SECRET), bad)
    let deep: object = {}
    for (let i = 0; i < 100_000; i++) deep = { deep }
    throwsCode(() => sign(deep, SECRET), bad)
  })
})

describe('options are read as own properties only (a polluted Object.prototype changes nothing)', () => {
  function polluted(name: string, value: unknown, run: () => void): void {
    const proto = Object.prototype as Record<string, unknown>
    proto[name] = value
    try {
      run()
    } finally {
      delete proto[name]
    }
  }
  const expired = forge({ alg: 'HS256' }, { exp: NOW - 10 })
  test('Object.prototype.clockTolerance does not revive an expired token', () => {
    polluted('clockTolerance', 1e9, () => {
      throwsCode(() => verify(expired, SECRET, { now: NOW }), 'ERR_JWT_EXPIRED')
    })
  })
  test('Object.prototype.algorithms does not widen the allowlist', () => {
    const hs512 = sign({}, SECRET, { algorithm: 'HS512', now: NOW })
    polluted('algorithms', ['HS256', 'HS512'], () => {
      throwsCode(() => verify(hs512, SECRET, { now: NOW }), 'ERR_JWT_ALGORITHM')
    })
  })
  test('Object.prototype.maxTokenLength does not lift the size limit', () => {
    polluted('maxTokenLength', 1e9, () => {
      throwsCode(() => verify(`${'A'.repeat(9000)}.a.b`, SECRET, { now: NOW }), 'ERR_JWT_MALFORMED')
      throwsCode(() => decodeUnverified(`${'A'.repeat(9000)}.a.b`, {}), 'ERR_JWT_MALFORMED')
    })
  })
  test('Object.prototype.issuer is not a configured issuer, and does not break verify', () => {
    polluted('issuer', 'x', () => {
      assert.deepEqual(verify(forge({ alg: 'HS256' }, { sub: '1' }), SECRET, { now: NOW }), { sub: '1' })
    })
  })
})
