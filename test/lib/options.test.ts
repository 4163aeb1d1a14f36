import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createSigner, createVerifier, decodeUnverified, sign, verify } from '../../src/index.js'
import { SIGN_OPTION_NAMES, VERIFY_OPTION_NAMES } from '../../src/lib/options.js'
import { SECRET, SECRET32, throwsCode, throwsCodeWith } from '../helpers/forge.js'

/** Options deliberately of the wrong shape, as JavaScript callers (or `as never` casts) can pass them. */
const V = (options: unknown) => () => createVerifier(SECRET, options as never)
const S = (options: unknown) => () => createSigner(SECRET, options as never)

describe('unknown option names are refused, so a typo cannot silently disable a check', () => {
  test('verify: misspellings and jsonwebtoken-only names', () => {
    for (const name of [
      'audiance',
      'issuers',
      'algorithm',
      'clockTimestamp',
      'ignoreExpiration',
      'ignoreNotBefore',
      'jwtid',
      'maxage',
      'nonce',
      'expiresIn',
    ]) {
      const err = throwsCode(V({ [name]: 'x' }), 'ERR_JWT_INVALID_OPTION')
      assert.match(err.message, new RegExp(`unknown verify option "${name}"`))
    }
  })

  test('sign: misspellings and jsonwebtoken-only names', () => {
    for (const name of [
      'expiresin',
      'keyid',
      'jwtid',
      'algorithms',
      'mutatePayload',
      'encoding',
      'allowInsecureKeySizes',
      'exp',
    ]) {
      throwsCode(S({ [name]: 'x' }), 'ERR_JWT_INVALID_OPTION')
    }
  })

  test('the accepted names are exactly the documented SignOptions and VerifyOptions', () => {
    assert.deepEqual([...VERIFY_OPTION_NAMES].sort(), [
      'algorithms',
      'audience',
      'clockTolerance',
      'complete',
      'crit',
      'insecureShortSecret',
      'issuer',
      'jwtId',
      'maxAge',
      'maxTokenLength',
      'now',
      'requiredClaims',
      'subject',
      'typ',
    ])
    assert.deepEqual([...SIGN_OPTION_NAMES].sort(), [
      'algorithm',
      'audience',
      'expiresIn',
      'header',
      'issuer',
      'jwtId',
      'keyId',
      'noTimestamp',
      'notBefore',
      'now',
      'subject',
    ])
  })

  test('a known name set to undefined is the same as leaving it out', () => {
    const token = sign({}, SECRET, { now: 1, expiresIn: undefined, issuer: undefined })
    assert.deepEqual(verify(token, SECRET, { now: 1, audience: undefined, algorithms: undefined }), { iat: 1 })
  })

  test('options that are not an object', () => {
    for (const options of [null, 42, 'HS256', true, ['HS256']]) {
      throwsCode(V(options), 'ERR_JWT_INVALID_OPTION')
      throwsCode(S(options), 'ERR_JWT_INVALID_OPTION')
    }
  })
})

describe('verify options', () => {
  test('algorithms: a non-empty array of HS256/HS384/HS512; none and others are refused', () => {
    for (const algorithms of [[], 'HS256', ['none'], ['RS256'], ['hs256'], ['HS256', 'none'], [null], {}]) {
      throwsCode(V({ algorithms }), 'ERR_JWT_INVALID_OPTION')
    }
    assert.doesNotThrow(V({ algorithms: ['HS256', 'HS256'] }))
  })

  test('the secret must suit the longest hash among the allowed algorithms', () => {
    throwsCode(() => createVerifier(SECRET32, { algorithms: ['HS256', 'HS384'] }), 'ERR_JWT_INVALID_OPTION')
    assert.doesNotThrow(() => createVerifier(SECRET32, { algorithms: ['HS256'] }))
    assert.doesNotThrow(() => createVerifier(SECRET32))
  })

  test('issuer: a string or a non-empty array of strings', () => {
    for (const issuer of [[], [1], 1, null, /x/]) throwsCode(V({ issuer }), 'ERR_JWT_INVALID_OPTION')
  })

  test('audience: a string, a RegExp, or a non-empty array of them', () => {
    for (const audience of [[], [1], 1, null, {}, ['a', 2]]) throwsCode(V({ audience }), 'ERR_JWT_INVALID_OPTION')
    assert.doesNotThrow(V({ audience: ['a', /b/] }))
  })

  test('subject, jwtId, typ: strings', () => {
    for (const name of ['subject', 'jwtId', 'typ']) {
      for (const value of [1, null, ['a'], {}]) throwsCode(V({ [name]: value }), 'ERR_JWT_INVALID_OPTION')
    }
  })

  test('requiredClaims and crit: arrays of strings', () => {
    for (const name of ['requiredClaims', 'crit']) {
      for (const value of [1, null, [1], {}]) throwsCode(V({ [name]: value }), 'ERR_JWT_INVALID_OPTION')
      assert.doesNotThrow(V({ [name]: [] }))
    }
  })

  test('clockTolerance and maxAge: non-negative durations', () => {
    for (const name of ['clockTolerance', 'maxAge']) {
      for (const value of [-1, '-1s', '120', Number.NaN, Number.POSITIVE_INFINITY, true, null]) {
        throwsCode(V({ [name]: value }), 'ERR_JWT_INVALID_OPTION')
      }
    }
  })

  test('now: a finite number', () => {
    for (const now of [Number.NaN, Number.POSITIVE_INFINITY, '1000', new Date(), null]) {
      throwsCode(V({ now }), 'ERR_JWT_INVALID_OPTION')
      throwsCode(S({ now }), 'ERR_JWT_INVALID_OPTION')
    }
  })

  test('complete: a boolean', () => {
    for (const complete of ['yes', 1, null]) throwsCode(V({ complete }), 'ERR_JWT_INVALID_OPTION')
  })

  test('maxTokenLength: a positive integer', () => {
    for (const maxTokenLength of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '8192', null]) {
      throwsCode(V({ maxTokenLength }), 'ERR_JWT_INVALID_OPTION')
      throwsCode(() => decodeUnverified('a.b.c', { maxTokenLength } as never), 'ERR_JWT_INVALID_OPTION')
    }
    assert.doesNotThrow(V({ maxTokenLength: 1 }))
  })

  test('option errors come at factory time, before any token is seen', () => {
    throwsCode(V({ audiance: 'api' }), 'ERR_JWT_INVALID_OPTION')
    throwsCode(() => verify('not even a token', SECRET, { audiance: 'api' } as never), 'ERR_JWT_INVALID_OPTION')
    throwsCode(() => verify('not even a token', 'short'), 'ERR_JWT_INVALID_OPTION')
  })

  test('the verifier copies its options: changing them afterwards changes nothing', () => {
    const options = {
      issuer: ['a'],
      audience: ['x'] as Array<string | RegExp>,
      requiredClaims: ['r'] as string[],
      now: 1,
    }
    const v = createVerifier(SECRET, options)
    options.issuer.push('b')
    options.audience.push('y')
    options.requiredClaims.pop()
    throwsCodeWith(() => v(sign({ r: 1, aud: 'x' }, SECRET, { issuer: 'b', now: 1 })), 'ERR_JWT_CLAIM', {
      claim: 'iss',
    })
    throwsCodeWith(() => v(sign({ aud: 'x' }, SECRET, { issuer: 'a', now: 1 })), 'ERR_JWT_CLAIM', { claim: 'r' })
  })
})

describe('sign options', () => {
  test('algorithm: HS256, HS384 or HS512 only', () => {
    for (const algorithm of ['none', 'RS256', 'hs256', '', null, ['HS256']])
      throwsCode(S({ algorithm }), 'ERR_JWT_INVALID_OPTION')
  })

  test('issuer, subject, jwtId, keyId: strings; audience: a string or a non-empty array of strings', () => {
    for (const name of ['issuer', 'subject', 'jwtId', 'keyId']) {
      for (const value of [1, null, ['a'], {}]) throwsCode(S({ [name]: value }), 'ERR_JWT_INVALID_OPTION')
    }
    for (const audience of [[], [1], 1, null, /x/]) throwsCode(S({ audience }), 'ERR_JWT_INVALID_OPTION')
  })

  test('expiresIn and notBefore: durations (negative allowed)', () => {
    for (const name of ['expiresIn', 'notBefore']) {
      for (const value of ['120', '1y', Number.NaN, true, null, {}])
        throwsCode(S({ [name]: value }), 'ERR_JWT_INVALID_OPTION')
      assert.doesNotThrow(S({ [name]: -60 }))
    }
  })

  test('noTimestamp: a boolean', () => {
    for (const noTimestamp of ['yes', 1, null]) throwsCode(S({ noTimestamp }), 'ERR_JWT_INVALID_OPTION')
  })

  test('header: an object, without "__proto__", whose alg (if any) repeats the algorithm', () => {
    for (const header of [null, [], 'x', 1]) throwsCode(S({ header }), 'ERR_JWT_INVALID_OPTION')
    throwsCode(S({ header: JSON.parse('{"__proto__":{"x":1}}') }), 'ERR_JWT_INVALID_OPTION')
    throwsCode(S({ header: { alg: 'HS512' } }), 'ERR_JWT_INVALID_OPTION')
    throwsCode(S({ algorithm: 'HS512', header: { alg: 'HS256' } }), 'ERR_JWT_INVALID_OPTION')
  })

  test('the secret must suit the chosen algorithm', () => {
    throwsCode(() => createSigner(SECRET32, { algorithm: 'HS512' }), 'ERR_JWT_INVALID_OPTION')
    throwsCode(() => createSigner(`${SECRET32.slice(0, 31)}`), 'ERR_JWT_INVALID_OPTION')
  })
})
