/**
 * Known-answer tokens from RFC 7515 Appendix A: A.1 (HS256, also RFC 7519 §3.1), A.2 (RS256), A.3 (ES256) and
 * A.4 (ES512). The keys and tokens are the RFC's, copied exactly. A.2's payload has CRLFs that `sign` never writes,
 * so reproducing its signature goes through the exact-input primitive `signInput`; ECDSA signatures are randomised,
 * so A.3 and A.4 are checked by verifying.
 */
import assert from 'node:assert/strict'
import { createPrivateKey, createPublicKey, verify as cryptoVerify } from 'node:crypto'
import { describe, test } from 'node:test'
import { base64url, createVerifier, decodeUnverified, type KeyInput, verify } from '../../src/index.js'
import { hmacOf as mac, signInput, verifyInput } from '../../src/lib/algorithms.js'
import { throwsCode, throwsCodeWith } from '../helpers/forge.js'
import { oneBitFlips, parts, withSignature } from './util.js'

/** Appendix A.2.1: the RSA key, as the JWK the RFC gives (private members included). */
const A2_JWK = {
  kty: 'RSA',
  n: 'ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ',
  e: 'AQAB',
  d: 'Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ',
  p: '4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3KhooKeQTa9AB0Hw_Py5PJdTJNPY8cQn7ouZ2KKDcmnPGBY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTBgIPgtldC-KDV5z-y2XDwGUc',
  q: 'uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYsp1ZSe7zFYHj7C6ul7TjeLQeZD_YwD66t62wDmpe_HlB-TnBA-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWdc',
  dp: 'BwKfV3Akq5_MFZDFZCnW-wzl-CCo83WoZvnLQwCTeDv8uzluRSnm71I3QCLdhrqE2e9YkxvuxdBfpT_PI7Yz-FOKnu1R6HsJeDCjn12Sk3vmAktV2zb34MCdy7cpdTh_YVr7tss2u6vneTwrA86rZtu5Mbr1C1XsmvkxHQAdYo0',
  dq: 'h_96-mK1R_7glhsum81dZxjTnYynPbZpHziZjeeHcXYsXaaMwkOlODsWa7I9xXDoRwbKgB719rrmI2oKr6N3Do9U0ajaHF-NKJnwgjMd2w9cjz3_-kyNlxAr2v4IKhGNpmM5iIgOS1VZnOZ68m6_pbLBSp3nssTdlqvd0tIiTHU',
  qi: 'IYd7DHOhrWvxkwPQsRM2tOgrjbcrfvtQJipd-DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2MowX7fhd_QJQ3ydy5cY7YIBi87w93IKLEdfnbJtoOPLUW0ITrJReOgo1cq9SbsxYawBgfp_gh6A5603k2-ZQwVK0JKSHuLFkuQ3U',
} as const

/** Appendix A.2.1: the complete JWS. */
const A2_TOKEN =
  'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw'

/** Appendix A.3.1: the P-256 key. */
const A3_JWK = {
  kty: 'EC',
  crv: 'P-256',
  x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
  y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
  d: 'jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI',
} as const

/** Appendix A.3.1: the complete JWS. */
const A3_TOKEN =
  'eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q'

/** Appendix A.4.1: the P-521 key. */
const A4_JWK = {
  kty: 'EC',
  crv: 'P-521',
  x: 'AekpBQ8ST8a8VcfVOTNl353vSrDCLLJXmPk06wTjxrrjcBpXp5EOnYG_NjFZ6OvLFV1jSfS9tsz4qUxcWceqwQGk',
  y: 'ADSmRA43Z1DSNx_RvcLI87cdL07l6jQyyBXMoxVg_l2Th-x3S1WDhjDly79ajL4Kkd0AZMaZmh9ubmf63e3kyMj2',
  d: 'AY5pb7A0UFiB3RELSD64fTLOSV_jazdF7fLYyuTw8lOfRhWg6Y6rUrPAxerEzgdRhajnu0ferB0d53vM9mE15j2C',
} as const

/** Appendix A.4.1: the complete JWS (its payload is the ASCII string "Payload"). */
const A4_TOKEN =
  'eyJhbGciOiJFUzUxMiJ9.UGF5bG9hZA.AdwMgeerwtHoh-l192l60hp9wAHZFVJbLfD_UxMi70cwnZOYaRI1bKPWROc-mZZqwqT2SI-KGDKB34XO0aw_7XdtAG8GaSwFKdCAPZgoXD2YBJZCPEX3xKpRwcdOO8KpEHwJjyqOgzDO7iKvU8vcnwNrmxYbSW9ERBXukOXolLzeO_Jn'

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

/** The A.1 to A.3 claims set: A.2 and A.3 sign the same payload octets as A.1. */
const CLAIMS = { iss: 'joe', exp: 1300819380, 'http://example.com/is_root': true }
/** One second before `exp`. */
const NOW = 1300819379
const PAYLOAD_TEXT = '{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}'

/** The public members of a JWK the RFC gives with its private ones. */
function publicMembers(jwk: Record<string, string>): Record<string, string> {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk
  return pub
}

/** The key as every input form verify takes: JWKs, PEM text and bytes, KeyObjects. */
function verifyForms(jwk: Record<string, string>): Array<[string, KeyInput]> {
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' })
  const publicKey = createPublicKey(privateKey)
  const spki = publicKey.export({ type: 'spki', format: 'pem' }) as string
  const forms: Array<[string, KeyInput]> = [
    ['the public JWK', publicMembers(jwk) as unknown as KeyInput],
    ['the private JWK (its public half)', { ...jwk } as unknown as KeyInput],
    ['SPKI PEM text', spki],
    ['SPKI PEM bytes', new TextEncoder().encode(spki)],
    ['a public KeyObject', publicKey],
    ['a private KeyObject (its public half)', privateKey],
  ]
  if (jwk.kty === 'RSA') forms.push(['PKCS#1 PEM text', publicKey.export({ type: 'pkcs1', format: 'pem' }) as string])
  return forms
}

/** The private key as every input form sign takes. */
function signForms(jwk: Record<string, string>): Array<[string, KeyInput]> {
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' })
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
  const forms: Array<[string, KeyInput]> = [
    ['the private JWK', { ...jwk } as unknown as KeyInput],
    ['PKCS#8 PEM text', pkcs8],
    ['PKCS#8 PEM bytes', new TextEncoder().encode(pkcs8)],
    ['a private KeyObject', privateKey],
  ]
  if (jwk.kty === 'RSA') forms.push(['PKCS#1 PEM text', privateKey.export({ type: 'pkcs1', format: 'pem' }) as string])
  if (jwk.kty === 'EC') forms.push(['SEC1 PEM text', privateKey.export({ type: 'sec1', format: 'pem' }) as string])
  return forms
}

describe('RFC 7515 Appendix A.2 (RS256)', () => {
  const { header, payload, signature, signingInput } = parts(A2_TOKEN)

  test('the segments decode to the RFC text: {"alg":"RS256"} and the A.1 payload, CRLFs included', () => {
    assert.equal(base64url.decodeToString(header), '{"alg":"RS256"}')
    assert.equal(base64url.decodeToString(payload), PAYLOAD_TEXT)
    assert.equal(Buffer.from(A2_JWK.n, 'base64url').length, 256)
  })

  for (const [name, key] of verifyForms(A2_JWK)) {
    test(`verifies with ${name} at now 1300819379`, () => {
      assert.deepEqual(verify(A2_TOKEN, key, { now: NOW }), CLAIMS)
      assert.deepEqual(createVerifier(key, { now: NOW, algorithms: ['RS256'] })(A2_TOKEN), CLAIMS)
    })
  }

  for (const [name, key] of signForms(A2_JWK)) {
    test(`signInput('RS256') with ${name} reproduces the RFC signature byte for byte`, () => {
      assert.equal(signInput('RS256', key, signingInput), signature)
    })
  }

  test('node:crypto agrees: the RFC signature is PKCS#1 v1.5 over SHA-256 of the signing input', () => {
    const key = createPublicKey({ key: publicMembers(A2_JWK), format: 'jwk' })
    assert.equal(cryptoVerify('sha256', Buffer.from(signingInput), key, Buffer.from(signature, 'base64url')), true)
  })

  test('verifyInput accepts the RFC signature and refuses it for RS384, PS256 and a one-bit change', () => {
    const pub = publicMembers(A2_JWK) as unknown as KeyInput
    assert.equal(verifyInput('RS256', pub, signingInput, signature), true)
    assert.equal(verifyInput('RS384', pub, signingInput, signature), false)
    assert.equal(verifyInput('PS256', pub, signingInput, signature), false)
    for (const [, changed] of oneBitFlips(A2_TOKEN)) {
      const c = parts(changed)
      assert.equal(verifyInput('RS256', pub, c.signingInput, c.signature), false)
    }
  })

  for (const [what, changed] of oneBitFlips(A2_TOKEN)) {
    test(`one bit flipped in ${what} is ERR_JWT_SIGNATURE`, () => {
      throwsCode(() => verify(changed, publicMembers(A2_JWK) as unknown as KeyInput, { now: NOW }), 'ERR_JWT_SIGNATURE')
    })
  }

  test('a signature that is not canonical base64url: verifyInput false, verify ERR_JWT_MALFORMED', () => {
    const pub = publicMembers(A2_JWK) as unknown as KeyInput
    // 256 bytes end in one byte of 4 unused bits: setting the lowest one keeps the bytes but not the spelling.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const last = alphabet.indexOf(signature.slice(-1))
    const nonCanonical = signature.slice(0, -1) + alphabet[last | 1]
    assert.deepEqual(Buffer.from(nonCanonical, 'base64url'), Buffer.from(signature, 'base64url'))
    for (const bad of [nonCanonical, `${signature}=`, signature.replace(/-/g, '+'), `${signature}.`]) {
      assert.equal(verifyInput('RS256', pub, signingInput, bad), false)
    }
    throwsCode(() => verify(withSignature(A2_TOKEN, nonCanonical), pub, { now: NOW }), 'ERR_JWT_MALFORMED')
  })

  test('is ERR_JWT_EXPIRED at exp, and ERR_JWT_ALGORITHM when only PS256 is allowed', () => {
    const pub = publicMembers(A2_JWK) as unknown as KeyInput
    throwsCodeWith(() => verify(A2_TOKEN, pub, { now: 1300819380 }), 'ERR_JWT_EXPIRED', {
      expiredAt: new Date(1300819380 * 1000),
    })
    throwsCode(() => verify(A2_TOKEN, pub, { now: NOW, algorithms: ['PS256'] }), 'ERR_JWT_ALGORITHM')
  })

  test('with complete: true, returns the RFC header, claims and signature', () => {
    assert.deepEqual(verify(A2_TOKEN, publicMembers(A2_JWK) as unknown as KeyInput, { now: NOW, complete: true }), {
      header: { alg: 'RS256' },
      payload: CLAIMS,
      signature,
    })
  })
})

describe('RFC 7515 Appendix A.3 (ES256)', () => {
  const { header, signature, signingInput } = parts(A3_TOKEN)

  test('the header is {"alg":"ES256"} and the signature is R || S, 64 bytes', () => {
    assert.equal(base64url.decodeToString(header), '{"alg":"ES256"}')
    assert.equal(Buffer.from(signature, 'base64url').length, 64)
  })

  for (const [name, key] of verifyForms(A3_JWK)) {
    test(`verifies with ${name} at now 1300819379`, () => {
      assert.deepEqual(verify(A3_TOKEN, key, { now: NOW }), CLAIMS)
      assert.deepEqual(createVerifier(key, { now: NOW, algorithms: ['ES256'] })(A3_TOKEN), CLAIMS)
    })
  }

  for (const [what, changed] of oneBitFlips(A3_TOKEN)) {
    test(`one bit flipped in ${what} is ERR_JWT_SIGNATURE`, () => {
      throwsCode(() => verify(changed, publicMembers(A3_JWK) as unknown as KeyInput, { now: NOW }), 'ERR_JWT_SIGNATURE')
    })
  }

  test('verifyInput accepts the RFC signature and refuses any one-bit change', () => {
    const pub = publicMembers(A3_JWK) as unknown as KeyInput
    assert.equal(verifyInput('ES256', pub, signingInput, signature), true)
    for (const [, changed] of oneBitFlips(A3_TOKEN)) {
      const c = parts(changed)
      assert.equal(verifyInput('ES256', pub, c.signingInput, c.signature), false)
    }
  })

  for (const [name, key] of signForms(A3_JWK)) {
    test(`signInput('ES256') with ${name} makes a new 64-byte R || S that verifies (ECDSA is randomised)`, () => {
      const ours = signInput('ES256', key, signingInput)
      assert.equal(Buffer.from(ours, 'base64url').length, 64)
      assert.notEqual(ours, signature)
      assert.equal(verifyInput('ES256', publicMembers(A3_JWK) as unknown as KeyInput, signingInput, ours), true)
      assert.deepEqual(
        verify(withSignature(A3_TOKEN, ours), publicMembers(A3_JWK) as unknown as KeyInput, { now: NOW }),
        CLAIMS,
      )
    })
  }

  test('the P-256 key is refused for ES384 and ES512 when the verifier is made', () => {
    const pub = publicMembers(A3_JWK) as unknown as KeyInput
    throwsCode(() => createVerifier(pub, { algorithms: ['ES384'] }), 'ERR_JWT_INVALID_OPTION')
    throwsCode(() => createVerifier(pub, { algorithms: ['ES512'] }), 'ERR_JWT_INVALID_OPTION')
  })
})

describe('RFC 7515 Appendix A.4 (ES512, payload "Payload")', () => {
  const { header, payload, signature, signingInput } = parts(A4_TOKEN)
  const pub = publicMembers(A4_JWK) as unknown as KeyInput

  test('the header is {"alg":"ES512"}, the payload the ASCII string "Payload", the signature 132 bytes', () => {
    assert.equal(base64url.decodeToString(header), '{"alg":"ES512"}')
    assert.equal(base64url.decodeToString(payload), 'Payload')
    assert.equal(Buffer.from(signature, 'base64url').length, 132)
  })

  test('verifyInput accepts the RFC signature with the public and the private JWK, and refuses the key for ES256', () => {
    assert.equal(verifyInput('ES512', pub, signingInput, signature), true)
    assert.equal(verifyInput('ES512', { ...A4_JWK } as unknown as KeyInput, signingInput, signature), true)
    // A P-521 key fits ES512 only: ES256 is refused before any signature is looked at.
    throwsCode(() => verifyInput('ES256', pub, signingInput, signature), 'ERR_JWT_INVALID_OPTION')
  })

  for (const [name, key] of verifyForms(A4_JWK)) {
    test(`with ${name}, the signature passes and the payload (not a claims set) is ERR_JWT_MALFORMED`, () => {
      // MALFORMED, not SIGNATURE: the signature was checked before the payload was read.
      throwsCode(() => verify(A4_TOKEN, key), 'ERR_JWT_MALFORMED')
      throwsCode(() => createVerifier(key, { algorithms: ['ES512'] })(A4_TOKEN), 'ERR_JWT_MALFORMED')
    })
  }

  for (const [what, changed] of oneBitFlips(A4_TOKEN)) {
    test(`one bit flipped in ${what} is ERR_JWT_SIGNATURE (and verifyInput false)`, () => {
      throwsCode(() => verify(changed, pub), 'ERR_JWT_SIGNATURE')
      const c = parts(changed)
      assert.equal(verifyInput('ES512', pub, c.signingInput, c.signature), false)
    })
  }

  test("signInput('ES512') makes a new 132-byte R || S that verifyInput accepts", () => {
    const ours = signInput('ES512', { ...A4_JWK } as unknown as KeyInput, signingInput)
    assert.equal(Buffer.from(ours, 'base64url').length, 132)
    assert.equal(verifyInput('ES512', pub, signingInput, ours), true)
  })
})
