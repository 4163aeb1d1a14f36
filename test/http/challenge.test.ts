/**
 * src/http/challenge.ts on its own: the HTTP answer for an adapter error (RFC 6750 §3: status, `WWW-Authenticate`
 * challenge, JSON body) and the quoting rules behind it.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { describeError, isPrintableRealm, quoteRealm, safeDescription } from '../../src/http/challenge.js'
import { JwtError, type JwtErrorCode, UnauthorizedError } from '../../src/index.js'

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }

/** What an adapter raises: the core error wrapped. */
function raised(code: JwtErrorCode, message = 'm', details?: { claim?: string }): UnauthorizedError {
  return new UnauthorizedError(new JwtError(code, message, details))
}

/** The answer for what an adapter raises, described with the adapter's realm (if any), as the adapters do. */
function answer(code: JwtErrorCode, realm?: string, message = 'm', details?: { claim?: string }) {
  return describeError(raised(code, message, details), realm === undefined ? undefined : { realm })
}

describe('safeDescription (RFC 6750 §3: error_description is %x20-21 / %x23-5B / %x5D-7E)', () => {
  test('maps " to \', \\ to / and anything outside printable ASCII to ?', () => {
    assert.equal(safeDescription('say "hi" \\ now'), "say 'hi' / now")
    assert.equal(safeDescription('é\n\t\u0000\u202e✓'), '??????')
    assert.equal(
      safeDescription('plain text, (ok) [1] {2} ~!#$%&*+-.:;<=>?@^_`|'),
      'plain text, (ok) [1] {2} ~!#$%&*+-.:;<=>?@^_`|',
    )
  })

  test('keeps at most 200 characters', () => {
    assert.equal(safeDescription('x'.repeat(300)), 'x'.repeat(200))
  })
})

describe('quoteRealm and isPrintableRealm (RFC 9110 §5.6.4 quoted-string)', () => {
  test('quoteRealm escapes " and \\ only', () => {
    assert.equal(quoteRealm('api'), '"api"')
    assert.equal(quoteRealm('a"b\\c'), '"a\\"b\\\\c"')
    assert.equal(quoteRealm(''), '""')
  })

  test('isPrintableRealm: printable ASCII, space and tab', () => {
    assert.deepStrictEqual(
      ['api', 'my api', 'a\tb', '', 'a"b', 'é', 'a\nb', 'a\rb', '\u0000', '\u007f'].map(isPrintableRealm),
      [true, true, true, true, true, false, false, false, false, false],
    )
  })
})

describe('describeError: no token (RFC 6750 §3.1: no error code without credentials)', () => {
  test('401 with a bare Bearer challenge', () => {
    assert.deepStrictEqual(answer('ERR_JWT_MISSING'), {
      status: 401,
      headers: { ...JSON_HEADERS, 'www-authenticate': 'Bearer' },
      body: { error: 'unauthorized', error_description: 'a bearer token is required' },
    })
  })

  test('the realm is the one given, quoted; nothing on the error supplies one', () => {
    assert.equal(answer('ERR_JWT_MISSING', 'api').headers['www-authenticate'], 'Bearer realm="api"')
    assert.equal(answer('ERR_JWT_MISSING', 'say "x"').headers['www-authenticate'], 'Bearer realm="say \\"x\\""')
    // A realm-like property stuck on an error is not read: the realm reaches describeError as an argument.
    const error = raised('ERR_JWT_MISSING')
    Object.defineProperty(error, Symbol.for('jwt-codec.realm'), { value: 'stuck' })
    assert.equal(describeError(error).headers['www-authenticate'], 'Bearer')
  })

  test('a realm that cannot be sent in a header is left out', () => {
    assert.equal(answer('ERR_JWT_MISSING', 'a\r\nX-Evil: 1').headers['www-authenticate'], 'Bearer')
    assert.equal(answer('ERR_JWT_MISSING', 'é').headers['www-authenticate'], 'Bearer')
  })
})

describe('describeError: a bad token is 401 invalid_token, with a fixed description per code', () => {
  const cases: Array<[JwtErrorCode, string]> = [
    ['ERR_JWT_MALFORMED', 'the token is malformed'],
    ['ERR_JWT_ALGORITHM', 'the token algorithm is not accepted'],
    ['ERR_JWT_SIGNATURE', 'the token signature is invalid'],
    ['ERR_JWT_HEADER', 'the token header is not accepted'],
    ['ERR_JWT_EXPIRED', 'the token has expired'],
    ['ERR_JWT_NOT_BEFORE', 'the token is not valid yet'],
    ['ERR_JWT_CLAIM', 'a token claim is not accepted'],
    ['ERR_JWT_REVOKED', 'the token has been revoked'],
  ]
  for (const [code, description] of cases) {
    test(code, () => {
      // The message of the original error never reaches the client.
      assert.deepStrictEqual(answer(code, 'api', 'detail from inside: eyJhbGciOi'), {
        status: 401,
        headers: {
          ...JSON_HEADERS,
          'www-authenticate': `Bearer realm="api", error="invalid_token", error_description="${description}"`,
        },
        body: { error: 'invalid_token', error_description: description },
      })
    })
  }

  test("ERR_JWT_CLAIM names the claim (from the verifier's rules), never its value", () => {
    assert.deepStrictEqual(answer('ERR_JWT_CLAIM', undefined, 'm', { claim: 'aud' }), {
      status: 401,
      headers: {
        ...JSON_HEADERS,
        'www-authenticate': `Bearer error="invalid_token", error_description="the token claim 'aud' is not accepted"`,
      },
      body: { error: 'invalid_token', error_description: "the token claim 'aud' is not accepted" },
    })
    const odd = answer('ERR_JWT_CLAIM', undefined, 'm', { claim: 'x"\\é' })
    assert.equal(odd.body.error_description, "the token claim 'x'/?' is not accepted")
  })

  test('a bare JwtError (not wrapped) is described the same way', () => {
    assert.deepStrictEqual(describeError(new JwtError('ERR_JWT_EXPIRED', 'm')).body, {
      error: 'invalid_token',
      error_description: 'the token has expired',
    })
  })
})

describe('describeError: a request without exactly one token is invalid_request', () => {
  test('400, with the adapter-written message made safe', () => {
    assert.deepStrictEqual(answer('ERR_JWT_AMBIGUOUS', 'api', 'tokens in "bearer" and "query" differ'), {
      status: 400,
      headers: {
        ...JSON_HEADERS,
        'www-authenticate': `Bearer realm="api", error="invalid_request", error_description="tokens in 'bearer' and 'query' differ"`,
      },
      body: { error: 'invalid_request', error_description: "tokens in 'bearer' and 'query' differ" },
    })
  })

  test('a body over the limit is 413 and one too slow 408, both invalid_request', () => {
    for (const [code, status, description] of [
      ['ERR_JWT_BODY_TOO_LARGE', 413, 'the request body is larger than the limit'],
      ['ERR_JWT_BODY_TIMEOUT', 408, 'the request body did not arrive in time'],
    ] as const) {
      const parts = answer(code)
      assert.deepStrictEqual(
        [parts.status, parts.body],
        [status, { error: 'invalid_request', error_description: description }],
      )
    }
  })
})

describe('describeError: anything else is a 500 server_error without a challenge', () => {
  test('a bad option, a 5xx JwtError, a plain Error, a non-error', () => {
    const expected = {
      status: 500,
      headers: JSON_HEADERS,
      body: { error: 'server_error', error_description: 'the server is not configured correctly' },
    }
    const unavailable = new JwtError('ERR_JWT_SIGNATURE', 'm')
    Object.defineProperty(unavailable, 'status', { value: 503 })
    const values: unknown[] = [
      new JwtError('ERR_JWT_INVALID_OPTION', 'secret too short'),
      unavailable,
      new Error('the resolver threw: secret-value'),
      new TypeError('x'),
      'ERR_JWT_EXPIRED',
      { code: 'ERR_JWT_EXPIRED', status: 401 },
      null,
      undefined,
    ]
    for (const value of values) assert.deepStrictEqual(describeError(value, { realm: 'api' }), expected)
  })
})
