/**
 * Known-answer tokens from the RFCs: RFC 7515 Appendix A.1 (also RFC 7519 §3.1) and RFC 7520 §4.4.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { base64url, createVerifier, decodeUnverified, verify } from '../../src/index.js'
import { hmacOf as mac } from '../../src/lib/algorithms.js'
import { throwsCode, throwsCodeWith } from '../helpers/forge.js'

describe('RFC 7515 Appendix A.1 (HS256)', () => {
  const token =
    'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'
  const k = 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow'
  const key = base64url.decode(k)
  const claims = { iss: 'joe', exp: 1300819380, 'http://example.com/is_root': true }

  test('the key is 64 bytes and the segments decode to the RFC text, CRLFs included', () => {
    assert.equal(key.length, 64)
    const [h, p] = token.split('.') as [string, string]
    assert.equal(base64url.decodeToString(h), '{"typ":"JWT",\r\n "alg":"HS256"}')
    assert.equal(
      base64url.decodeToString(p),
      '{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}',
    )
  })

  test('our HMAC reproduces the signature', () => {
    const d2 = token.lastIndexOf('.')
    assert.equal(mac('HS256', Buffer.from(key), token.slice(0, d2)), token.slice(d2 + 1))
  })

  test('verifies at now 1300819379, one second before exp', () => {
    assert.deepEqual(verify(token, key, { now: 1300819379 }), claims)
  })

  test('with complete: true, returns header, payload and signature', () => {
    assert.deepEqual(verify(token, key, { now: 1300819379, complete: true }), {
      header: { typ: 'JWT', alg: 'HS256' },
      payload: claims,
      signature: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
    })
  })

  test('is ERR_JWT_EXPIRED at exp itself and at the real time, with expiredAt', () => {
    const expiredAt = new Date(1300819380 * 1000)
    throwsCodeWith(() => verify(token, key, { now: 1300819380 }), 'ERR_JWT_EXPIRED', { expiredAt })
    throwsCodeWith(() => verify(token, key), 'ERR_JWT_EXPIRED', { expiredAt, status: 401 })
    throwsCodeWith(() => createVerifier(key)(token), 'ERR_JWT_EXPIRED', { expiredAt })
  })

  test('is ERR_JWT_SIGNATURE with any other key, and ERR_JWT_ALGORITHM when HS256 is not allowed', () => {
    const other = new Uint8Array(key)
    other[0] = (other[0] as number) ^ 1
    throwsCode(() => verify(token, other, { now: 1300819379 }), 'ERR_JWT_SIGNATURE')
    throwsCode(() => verify(token, key, { now: 1300819379, algorithms: ['HS512'] }), 'ERR_JWT_ALGORITHM')
  })

  test('the typ "JWT" header satisfies typ: "application/jwt"', () => {
    assert.deepEqual(verify(token, key, { now: 1300819379, typ: 'application/jwt' }), claims)
  })

  test('decodeUnverified reads it whatever the time', () => {
    assert.deepEqual(decodeUnverified(token), {
      header: { typ: 'JWT', alg: 'HS256' },
      payload: claims,
      signature: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
    })
  })
})

describe('RFC 7520 §4.4 (HS256 with a kid, non-JSON payload)', () => {
  const header = 'eyJhbGciOiJIUzI1NiIsImtpZCI6IjAxOGMwYWU1LTRkOWItNDcxYi1iZmQ2LWVlZjMxNGJjNzAzNyJ9'
  const payload =
    'SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4'
  const signature = 's0h6KThzkfBBBkLspW1h84VsJZFTsPPqMDA7g1Md7p0'
  const key = base64url.decode('hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg')
  const token = `${header}.${payload}.${signature}`

  test('our HMAC reproduces the signature', () => {
    assert.equal(mac('HS256', Buffer.from(key), `${header}.${payload}`), signature)
  })

  test('the MAC matches, then the payload (plain text, not a JWT claims set) is ERR_JWT_MALFORMED', () => {
    // Reaching MALFORMED (not SIGNATURE) shows the MAC passed before the payload was read.
    throwsCode(() => verify(token, key), 'ERR_JWT_MALFORMED')
    throwsCode(
      () =>
        verify(
          token,
          key.map((b) => b ^ 0xff),
        ),
      'ERR_JWT_SIGNATURE',
    )
  })
})
