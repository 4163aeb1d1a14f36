/**
 * isJwtError across copies of the library (the dual-package hazard): an error class from another copy fails
 * `instanceof`, so the check also accepts the registry-wide brand. The real ESM/CommonJS pair is exercised from a
 * packed install in test/package/install.test.ts; here a second copy is loaded as a fresh module instance.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isJwtError, JwtError, UnauthorizedError, verify } from '../src/index.js'
import { SECRET } from './helpers/forge.js'

test('an error from a second instance of errors.ts is a JwtError to isJwtError, not to instanceof', async () => {
  const other = (await import(`../src/errors.js?copy=${Date.now()}`)) as typeof import('../src/errors.js')
  assert.notEqual(other.JwtError, JwtError)
  const foreign = new other.JwtError('ERR_JWT_EXPIRED', 'the token has expired')
  assert.equal(foreign instanceof JwtError, false)
  assert.equal(isJwtError(foreign), true)
  assert.equal(isJwtError(new other.UnauthorizedError(foreign)), true)
  let ours: unknown
  try {
    verify('a.b', SECRET)
  } catch (error) {
    ours = error
  }
  assert.equal(other.isJwtError(ours), true)
})

test('the brand is not an own or enumerable property, and look-alike objects are not JwtErrors', () => {
  const err = new UnauthorizedError(new JwtError('ERR_JWT_MISSING', 'no token'))
  assert.deepEqual(Object.getOwnPropertySymbols(err), [])
  assert.equal(JSON.stringify(Object.keys(err)).includes('jwt-codec'), false)
  assert.equal(isJwtError({ code: 'ERR_JWT_MALFORMED', name: 'JwtError' }), false)
  assert.equal(isJwtError(new Error('x')), false)
  assert.equal(isJwtError(null), false)
  assert.equal(isJwtError('ERR_JWT_MALFORMED'), false)
})
