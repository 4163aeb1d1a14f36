import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  authenticateRequest,
  describeError,
  extractToken,
  JwtError,
  type NodeRequestLike,
  UnauthorizedError,
} from '../../src/index.js'
import { SECRET, token } from '../helpers/tokens.js'

const T = token()
const U = token({ sub: 'u2' })

/** A request as a framework hands it over (Koa's ctx.request, Fastify's request): plain data. */
function req(parts: Partial<NodeRequestLike>): NodeRequestLike {
  return { headers: {}, url: '/', ...parts }
}

describe('extractToken', () => {
  test('Authorization values: the common "Bearer <token>" and every spelling around it', () => {
    const cases: Array<[string, string | undefined | 'ERR_JWT_AMBIGUOUS']> = [
      [`Bearer ${T}`, T],
      [`bearer ${T}`, T],
      [`BEARER ${T}`, T],
      [`Bearer   ${T}`, T],
      [` Bearer ${T} `, T],
      [`Bearer ${T}\t`, T],
      [`Bearer ${T}\u00a0`, T],
      [`Bearer \t${T}`, 'ERR_JWT_AMBIGUOUS'],
      [`Bearer \u00a0${T}`, 'ERR_JWT_AMBIGUOUS'],
      [`Bearer ${T}\u00e9`, 'ERR_JWT_AMBIGUOUS'],
      [`Bearer ${T}=`, `${T}=`],
      [`Bearer ${T},`, 'ERR_JWT_AMBIGUOUS'],
      ['Bearer ', 'ERR_JWT_AMBIGUOUS'],
      [`Basic ${T}`, undefined],
      [`Bearer${T}`, undefined],
      ['', undefined],
    ]
    const answer = (value: string): string | undefined => {
      try {
        return extractToken(req({ headers: { authorization: value } }))
      } catch (error) {
        return error instanceof JwtError ? error.code : 'not a JwtError'
      }
    }
    assert.deepStrictEqual(
      cases.map(([value]) => answer(value)),
      cases.map(([, expected]) => expected),
    )
  })

  test('finds the token in each default source', () => {
    assert.equal(extractToken(req({ headers: { authorization: `Bearer ${T}` } })), T)
    assert.equal(extractToken(req({ headers: { authorization: `bearer   ${T}` } })), T)
    assert.equal(extractToken(req({ headers: { 'x-access-token': T } })), T)
    assert.equal(extractToken(req({ body: { access_token: T } })), T)
    assert.equal(extractToken(req({ url: `/x?a=1&access_token=${T}` })), T)
    assert.equal(extractToken(req({ url: undefined, query: { access_token: T } })), T)
    assert.equal(extractToken(req({ originalUrl: `/api/x?access_token=${T}`, url: '/x' })), T)
    assert.equal(extractToken(new Request(`http://h/x?access_token=${T}`)), T)
    assert.equal(extractToken(new Request('http://h/x', { headers: { authorization: `Bearer ${T}` } })), T)
  })

  test('no token, another scheme, empty values and unselected sources give undefined', () => {
    assert.equal(extractToken(req({})), undefined)
    assert.equal(extractToken(req({ headers: { authorization: 'Basic dTpw' } })), undefined)
    assert.equal(extractToken(req({ headers: { authorization: '' } })), undefined)
    assert.equal(extractToken(req({ headers: { 'x-access-token': '' } })), undefined)
    assert.equal(extractToken(req({ url: '/?access_token=' })), undefined)
    assert.equal(extractToken(req({ headers: { cookie: 'access_token=' } }), { sources: ['cookie'] }), undefined)
    assert.equal(extractToken(req({ headers: { cookie: `access_token=${T}` } })), undefined)
    assert.equal(extractToken(req({ body: 'access_token=x' })), undefined)
    assert.equal(extractToken(req({ body: [T] })), undefined)
    assert.equal(extractToken(req({ url: `/?access_token=${T}` }), { sources: ['bearer'] }), undefined)
  })

  test('configured names and the cookie source', () => {
    const opts = {
      sources: ['header', 'body', 'query', 'cookie'] as const,
      headerName: 'X-Auth',
      bodyField: 'jwt',
      queryParameter: 'jwt',
      cookieName: 'sid',
    }
    const o = { ...opts, sources: [...opts.sources] }
    assert.equal(extractToken(req({ headers: { 'x-auth': T } }), o), T)
    assert.equal(extractToken(req({ body: { jwt: T } }), o), T)
    assert.equal(extractToken(req({ url: `/?jwt=${T}` }), o), T)
    assert.equal(extractToken(req({ headers: { cookie: `a=1; sid="${T}"; b=2` } }), o), T)
    assert.equal(extractToken(new Request('http://h/', { headers: { cookie: `sid=${T}` } }), o), T)
  })

  const ambiguous: Array<[string, NodeRequestLike]> = [
    [
      'different tokens in header and query',
      req({ headers: { authorization: `Bearer ${T}` }, url: `/?access_token=${U}` }),
    ],
    [
      'different tokens in body and x-access-token',
      req({ headers: { 'x-access-token': T }, body: { access_token: U } }),
    ],
    ['a repeated query parameter', req({ url: `/?access_token=${T}&access_token=${T}` })],
    ['access_token[]', req({ url: `/?access_token[]=${T}` })],
    ['access_token[0]', req({ url: `/?access_token[0]=${T}` })],
    ['a parsed query array', req({ url: undefined, query: { access_token: [T, U] } })],
    ['a parsed query object', req({ url: `/?access_token=${T}`, query: { access_token: { a: T } } })],
    ['a body array', req({ body: { access_token: [T] } })],
    ['a body number', req({ body: { access_token: 1 } })],
    ['a body object', req({ body: { access_token: { $gt: '' } } })],
    ['a bracketed body field', req({ body: { 'access_token[]': T } })],
    [
      'two Authorization field lines',
      req({
        headers: { authorization: `Bearer ${T}` },
        rawHeaders: ['Authorization', `Bearer ${T}`, 'authorization', `Bearer ${U}`],
      }),
    ],
    [
      'two x-access-token field lines',
      req({ headers: { 'x-access-token': `${T}, ${U}` }, rawHeaders: ['X-Access-Token', T, 'x-access-token', U] }),
    ],
    ['a joined x-access-token value', req({ headers: { 'x-access-token': `${T}, ${U}` } })],
    ['Bearer and nothing', req({ headers: { authorization: 'Bearer' } })],
    ['Bearer and two tokens', req({ headers: { authorization: `Bearer ${T} ${U}` } })],
    ['Bearer with a comma list', req({ headers: { authorization: `Bearer ${T}, Bearer ${U}` } })],
    ['a token with a space in the query', req({ url: '/?access_token=a%20b' })],
  ]
  for (const [what, request] of ambiguous) {
    test(`${what}: ERR_JWT_AMBIGUOUS (400)`, () => {
      assert.throws(
        () => extractToken(request),
        (error: unknown) => {
          assert.ok(error instanceof JwtError)
          assert.deepEqual([error.code, error.status], ['ERR_JWT_AMBIGUOUS', 400])
          // The message names the carrier, never the token.
          assert.ok(!error.message.includes(T) && !error.message.includes(U))
          return true
        },
      )
    })
  }

  test('two cookies of the same name are ambiguous', () => {
    const request = req({ headers: { cookie: `access_token=${T}; access_token=${U}` } })
    assert.throws(() => extractToken(request, { sources: ['cookie'] }), { code: 'ERR_JWT_AMBIGUOUS' })
  })

  test('the same token twice is accepted', () => {
    assert.equal(
      extractToken(req({ headers: { authorization: `Bearer ${T}`, 'x-access-token': T }, url: `/?access_token=${T}` })),
      T,
    )
  })

  test('bad options and requests', () => {
    assert.throws(() => extractToken(req({}), { source: ['bearer'] } as never), { code: 'ERR_JWT_INVALID_OPTION' })
    assert.throws(() => extractToken(null as never), { code: 'ERR_JWT_INVALID_OPTION' })
  })
})

describe('describeError: RFC 6750 §3 challenges', () => {
  test('a realm is quoted with escapes; a description keeps to the allowed characters', () => {
    const error = new UnauthorizedError(new JwtError('ERR_JWT_AMBIGUOUS', 'bad "quoted" \\ value é\r\n'))
    const { status, headers, body } = describeError(error, { realm: 'My "API" \\ v2' })
    assert.equal(status, 400)
    assert.equal(
      headers['www-authenticate'],
      String.raw`Bearer realm="My \"API\" \\ v2", error="invalid_request", error_description="bad 'quoted' / value ???"`,
    )
    assert.match(body.error_description, /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/)
  })

  test('no realm: a bare Bearer challenge for a missing token', () => {
    const { status, headers } = describeError(new JwtError('ERR_JWT_MISSING', 'none'))
    assert.equal(status, 401)
    assert.equal(headers['www-authenticate'], 'Bearer')
  })

  test("the adapter's options give the realm; nothing on the error does", async () => {
    const options = { secret: SECRET, realm: 'r' }
    const error = await authenticateRequest(new Request('http://x'), options).catch((e: unknown) => e)
    assert.equal(describeError(error, options).headers['www-authenticate'], 'Bearer realm="r"')
    assert.equal(describeError(error).headers['www-authenticate'], 'Bearer')
  })
})
