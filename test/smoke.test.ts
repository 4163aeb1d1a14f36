import assert from 'node:assert/strict'
import { test } from 'node:test'
import { base64url, sign, verify } from '../src/index.js'

test('RFC 7515 A.1 token verifies at its own time', () => {
  const token =
    'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'
  const key = base64url.decode('AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow')
  assert.deepEqual(verify(token, key, { now: 1300819379 }), {
    iss: 'joe',
    exp: 1300819380,
    'http://example.com/is_root': true,
  })
  assert.throws(() => verify(token, key), { code: 'ERR_JWT_EXPIRED' })
})

test('sign then verify round-trips', () => {
  const secret = 's'.repeat(32)
  const token = sign({ sub: '42' }, secret, { now: 1000, expiresIn: 60 })
  assert.deepEqual(verify(token, secret, { now: 1059 }), { sub: '42', iat: 1000, exp: 1060 })
  assert.throws(() => verify(token, secret, { now: 1060 }), { code: 'ERR_JWT_EXPIRED' })
})
