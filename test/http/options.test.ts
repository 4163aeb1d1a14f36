import assert from 'node:assert/strict'
import { createSecretKey } from 'node:crypto'
import { describe, test } from 'node:test'
import { authenticateRequest, type JwtRequestOptions, jwtMiddleware, withJwt } from '../../src/index.js'
import { SECRET, token } from '../helpers/tokens.js'

/** Builds adapters from options typed loosely, as a JavaScript caller could pass them. */
function make(options: unknown): void {
  jwtMiddleware(options as JwtRequestOptions)
}

describe('adapter options are checked when the adapter is made', () => {
  const bad: Array<[string, unknown]> = [
    ['no options', undefined],
    ['no secret', {}],
    ['a misspelt adapter option', { secret: SECRET, credentialsRequred: false }],
    ['a misspelt verify option', { secret: SECRET, audiance: 'api' }],
    ['a misspelt verify option beside a resolver', { secret: () => SECRET, audiance: 'api' }],
    ['a short secret', { secret: 'short' }],
    ['a PEM-looking secret', { secret: `-----BEGIN PUBLIC KEY-----${'x'.repeat(40)}` }],
    ['algorithms with none', { secret: SECRET, algorithms: ['none'] }],
    ['an empty algorithms list', { secret: SECRET, algorithms: [] }],
    ['a secret too short for HS512', { secret: SECRET, algorithms: ['HS256', 'HS512'] }],
    ['credentialsRequired not boolean', { secret: SECRET, credentialsRequired: 'no' }],
    ['requestProperty __proto__', { secret: SECRET, requestProperty: '__proto__' }],
    ['requestProperty empty', { secret: SECRET, requestProperty: '' }],
    ['isRevoked not a function', { secret: SECRET, isRevoked: true }],
    ['a realm with a line break', { secret: SECRET, realm: 'a\r\nSet-Cookie: x=y' }],
    ['a realm not ASCII', { secret: SECRET, realm: 'réalm' }],
    ['readBody with a bad limit', { secret: SECRET, readBody: { limit: -1 } }],
    ['readBody with an unknown name', { secret: SECRET, readBody: { limt: 10 } }],
    ['readBody a string', { secret: SECRET, readBody: 'yes' }],
    ['unless with an unknown name', { secret: SECRET, unless: { paths: ['/x'] } }],
    ['unless.path a number', { secret: SECRET, unless: { path: 7 } }],
    ['unless.method with a number', { secret: SECRET, unless: { method: [1] } }],
    ['unknown source', { secret: SECRET, sources: ['bearer', 'url'] }],
    ['repeated source', { secret: SECRET, sources: ['bearer', 'bearer'] }],
    ['empty sources', { secret: SECRET, sources: [] }],
    ['headerName authorization', { secret: SECRET, headerName: 'Authorization' }],
    ['headerName with a space', { secret: SECRET, headerName: 'x token' }],
    ['complete not boolean', { secret: SECRET, complete: 1 }],
    ['maxTokenLength zero', { secret: () => SECRET, maxTokenLength: 0 }],
  ]
  for (const [what, options] of bad) {
    test(`${what}: ERR_JWT_INVALID_OPTION`, () => {
      assert.throws(() => make(options), { name: 'JwtError', code: 'ERR_JWT_INVALID_OPTION' })
    })
  }

  test('withJwt and authenticateRequest check the same way', async () => {
    assert.throws(() => withJwt({ secret: SECRET, audiance: 'x' } as JwtRequestOptions, () => undefined), {
      code: 'ERR_JWT_INVALID_OPTION',
    })
    await assert.rejects(
      authenticateRequest(new Request('http://x'), { secret: SECRET, typo: 1 } as JwtRequestOptions<Request>),
      {
        code: 'ERR_JWT_INVALID_OPTION',
      },
    )
  })

  test('good options of every kind are accepted', () => {
    make({
      secret: createSecretKey(Buffer.from(SECRET.repeat(2))),
      algorithms: ['HS256', 'HS384'],
      issuer: ['a', 'b'],
      audience: [/^api/, 'x'],
      clockTolerance: '30s',
      maxAge: '1d',
      sources: ['cookie', 'bearer'],
      headerName: 'X-Token',
      bodyField: 'token',
      queryParameter: 'jwt',
      cookieName: 'jwt',
      credentialsRequired: false,
      requestProperty: 'auth',
      unless: { path: ['/a', /^\/b/g], method: ['options'] },
      isRevoked: () => false,
      realm: 'My "API" \\ v2',
      readBody: { limit: 1 },
      maxTokenLength: 1000,
      complete: false,
    })
  })

  test('authenticateRequest reads an options object once', async () => {
    const options: JwtRequestOptions<Request> = { secret: SECRET }
    const request = () => new Request('http://x', { headers: { authorization: `Bearer ${token()}` } })
    assert.equal((await authenticateRequest(request(), options))?.sub, 'u1')
    // Changing the object later has no effect; a new object is checked anew.
    options.secret = 'short'
    assert.equal((await authenticateRequest(request(), options))?.sub, 'u1')
    await assert.rejects(authenticateRequest(request(), { ...options }), { code: 'ERR_JWT_INVALID_OPTION' })
  })
})
