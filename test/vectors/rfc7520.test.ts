/**
 * Known answers from RFC 7520 §4 (JWS examples; keys from §3): §4.1 RS256, reproduced byte for byte (RSASSA-PKCS1-v1_5
 * is deterministic), §4.2 PS384 and §4.3 ES512, verified (PSS and ECDSA are randomised), and §4.4 HS256. Every
 * example signs the same plain-text payload, not a claims set, so the exact-input primitives carry the signature
 * checks and `verify` is shown to pass the signature and then refuse the payload. The keys carry `kid` and
 * `use: "sig"`, as §3 gives them.
 */
import assert from 'node:assert/strict'
import { constants, createPrivateKey, createPublicKey, verify as cryptoVerify } from 'node:crypto'
import { describe, test } from 'node:test'
import { type Algorithm, base64url, createVerifier, type KeyInput, verify } from '../../src/index.js'
import { hmacOf as mac, signInput, verifyInput } from '../../src/lib/algorithms.js'
import { throwsCode } from '../helpers/forge.js'
import { oneBitFlips, parts } from './util.js'

/** §3.4: the RSA private key of the signature examples. */
const RSA_JWK = {
  kty: 'RSA',
  kid: 'bilbo.baggins@hobbiton.example',
  use: 'sig',
  n: 'n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqVwGU_NsYOYL-QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw',
  e: 'AQAB',
  d: 'bWUC9B-EFRIo8kpGfh0ZuyGPvMNKvYWNtB_ikiH9k20eT-O1q_I78eiZkpXxXQ0UTEs2LsNRS-8uJbvQ-A1irkwMSMkK1J3XTGgdrhCku9gRldY7sNA_AKZGh-Q661_42rINLRCe8W-nZ34ui_qOfkLnK9QWDDqpaIsA-bMwWWSDFu2MUBYwkHTMEzLYGqOe04noqeq1hExBTHBOBdkMXiuFhUq1BU6l-DqEiWxqg82sXt2h-LMnT3046AOYJoRioz75tSUQfGCshWTBnP5uDjd18kKhyv07lhfSJdrPdM5Plyl21hsFf4L_mHCuoFau7gdsPfHPxxjVOcOpBrQzwQ',
  p: '3Slxg_DwTXJcb6095RoXygQCAZ5RnAvZlno1yhHtnUex_fp7AZ_9nRaO7HX_-SFfGQeutao2TDjDAWU4Vupk8rw9JR0AzZ0N2fvuIAmr_WCsmGpeNqQnev1T7IyEsnh8UMt-n5CafhkikzhEsrmndH6LxOrvRJlsPp6Zv8bUq0k',
  q: 'uKE2dh-cTf6ERF4k4e_jy78GfPYUIaUyoSSJuBzp3Cubk3OCqs6grT8bR_cu0Dm1MZwWmtdqDyI95HrUeq3MP15vMMON8lHTeZu2lmKvwqW7anV5UzhM1iZ7z4yMkuUwFWoBvyY898EXvRD-hdqRxHlSqAZ192zB3pVFJ0s7pFc',
  dp: 'B8PVvXkvJrj2L-GYQ7v3y9r6Kw5g9SahXBwsWUzp19TVlgI-YV85q1NIb1rxQtD-IsXXR3-TanevuRPRt5OBOdiMGQp8pbt26gljYfKU_E9xn-RULHz0-ed9E9gXLKD4VGngpz-PfQ_q29pk5xWHoJp009Qf1HvChixRX59ehik',
  dq: 'CLDmDGduhylc9o7r84rEUVn7pzQ6PF83Y-iBZx5NT-TpnOZKF1pErAMVeKzFEl41DlHHqqBLSM0W1sOFbwTxYWZDm6sI6og5iTbwQGIC3gnJKbi_7k_vJgGHwHxgPaX2PnvP-zyEkDERuf-ry4c_Z11Cq9AqC2yeL6kdKT1cYF8',
  qi: '3PiqvXQN0zwMeE-sBvZgi289XP9XCQF3VWqPzMKnIgQp7_Tugo6-NZBKCQsMf3HaEGBjTVJs_jcK8-TRXvaKe-7ZMaQj8VfBdYkssbu0NKDDhjJ-GtiseaDVWt7dcH0cfwxgFUHpQh7FoCrjFJ6h6ZEpMF6xmujs4qMpPz8aaI4',
} as const

/** §3.2: the P-521 private key. */
const EC_JWK = {
  kty: 'EC',
  kid: 'bilbo.baggins@hobbiton.example',
  use: 'sig',
  crv: 'P-521',
  x: 'AHKZLLOsCOzz5cY97ewNUajB957y-C-U88c3v13nmGZx6sYl_oJXu9A5RkTKqjqvjyekWF-7ytDyRXYgCF5cj0Kt',
  y: 'AdymlHvOiLxXkEhayXQnNCvDX4h9htZaCJN34kfmC6pV5OhQHiraVySsUdaQkAgDPrwQrJmbnX9cwlGfP-HqHZR1',
  d: 'AAhRON2r9cqXX1hg-RoI6R1tX5p2rUAYdmpHZoC1XNM56KtscrX6zbKipQrCW9CGZH3T4ubpnoTKLDYJ_fF3_rJt',
} as const

/** Figure 8: the payload content, base64url-encoded; every §4 example signs it. */
const PAYLOAD =
  'SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4'

/** §4.1.2 (RS256): the encoded protected header and the signature. */
const RS256_HEADER = 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9'
const RS256_SIGNATURE =
  'MRjdkly7_-oTPTS3AXP41iQIGKa80A0ZmTuV5MEaHoxnW2e5CZ5NlKtainoFmKZopdHM1O2U4mwzJdQx996ivp83xuglII7PNDi84wnB-BDkoBwA78185hX-Es4JIwmDLJK3lfWRa-XtL0RnltuYv746iYTh_qHRD68BNt1uSNCrUCTJDt5aAE6x8wW1Kt9eRo4QPocSadnHXFxnt8Is9UzpERV0ePPQdLuW3IS_de3xyIrDaLGdjluPxUAhb6L2aXic1U12podGU0KLUQSE_oI-ZnmKJ3F4uOZDnd6QZWJushZ41Axf_fcIe8u9ipH84ogoree7vjbU5y18kDquDg'

/** §4.2.2 (PS384). */
const PS384_HEADER = 'eyJhbGciOiJQUzM4NCIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9'
const PS384_SIGNATURE =
  'cu22eBqkYDKgIlTpzDXGvaFfz6WGoz7fUDcfT0kkOy42miAh2qyBzk1xEsnk2IpN6-tPid6VrklHkqsGqDqHCdP6O8TTB5dDDItllVo6_1OLPpcbUrhiUSMxbbXUvdvWXzg-UD8biiReQFlfz28zGWVsdiNAUf8ZnyPEgVFn442ZdNqiVJRmBqrYRXe8P_ijQ7p8Vdz0TTrxUeT3lm8d9shnr2lfJT8ImUjvAA2Xez2Mlp8cBE5awDzT0qI0n6uiP1aCN_2_jLAeQTlqRHtfa64QQSUmFAAjVKPbByi7xho0uTOcbH510a6GYmJUAfmWjwZ6oD4ifKo8DYM-X72Eaw'

/** §4.3.2 (ES512). */
const ES512_HEADER = 'eyJhbGciOiJFUzUxMiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9'
const ES512_SIGNATURE =
  'AE_R_YZCChjn4791jSQCrdPZCNYqHXCTZH0-JZGYNlaAjP2kqaluUIIUnC9qvbu9Plon7KRTzoNEuT4Va2cmL1eJAQy3mtPBu_u_sDDyYjnAMDxXPn7XrT0lw-kvAD890jl8e2puQens_IEKBpHABlsbEPX6sFY8OcGDqoRuBomu9xQ2'

/** Figure 7, with U+2019 where the RFC writes \\xe2\\x80\\x99. */
const PAYLOAD_TEXT =
  "It\u2019s a dangerous business, Frodo, going out your door. You step onto the road, and if you don't keep your feet, there\u2019s no knowing where you might be swept off to."

/** The public members of a §3 key, with its kid and use. */
function publicOf(jwk: Record<string, string>): KeyInput {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk
  return pub as unknown as KeyInput
}

const rsaPrivate = { ...RSA_JWK } as unknown as KeyInput
const rsaPublic = publicOf(RSA_JWK)
const ecPrivate = { ...EC_JWK } as unknown as KeyInput
const ecPublic = publicOf(EC_JWK)

test('RFC 7520 Figure 8 is the UTF-8 of Figure 7', () => {
  assert.equal(base64url.decodeToString(PAYLOAD), PAYLOAD_TEXT)
})

const EXAMPLES: Array<{
  section: string
  alg: Algorithm
  header: string
  signature: string
  privateKey: KeyInput
  publicKey: KeyInput
  bytes: number
}> = [
  {
    section: '§4.1',
    alg: 'RS256',
    header: RS256_HEADER,
    signature: RS256_SIGNATURE,
    privateKey: rsaPrivate,
    publicKey: rsaPublic,
    bytes: 256,
  },
  {
    section: '§4.2',
    alg: 'PS384',
    header: PS384_HEADER,
    signature: PS384_SIGNATURE,
    privateKey: rsaPrivate,
    publicKey: rsaPublic,
    bytes: 256,
  },
  {
    section: '§4.3',
    alg: 'ES512',
    header: ES512_HEADER,
    signature: ES512_SIGNATURE,
    privateKey: ecPrivate,
    publicKey: ecPublic,
    bytes: 132,
  },
]

for (const ex of EXAMPLES) {
  describe(`RFC 7520 ${ex.section} (${ex.alg})`, () => {
    const token = `${ex.header}.${PAYLOAD}.${ex.signature}`
    const signingInput = `${ex.header}.${PAYLOAD}`

    test("the protected header is the RFC's, with the kid of the §3 key", () => {
      assert.deepEqual(JSON.parse(base64url.decodeToString(ex.header)), {
        alg: ex.alg,
        kid: 'bilbo.baggins@hobbiton.example',
      })
      assert.equal(Buffer.from(ex.signature, 'base64url').length, ex.bytes)
    })

    test('verifyInput accepts the RFC signature with the public and the private JWK', () => {
      assert.equal(verifyInput(ex.alg, ex.publicKey, signingInput, ex.signature), true)
      assert.equal(verifyInput(ex.alg, ex.privateKey, signingInput, ex.signature), true)
    })

    for (const [what, changed] of oneBitFlips(token)) {
      test(`one bit flipped in ${what}: verifyInput is false, verify is ERR_JWT_SIGNATURE`, () => {
        const c = parts(changed)
        assert.equal(verifyInput(ex.alg, ex.publicKey, c.signingInput, c.signature), false)
        throwsCode(() => verify(changed, ex.publicKey, { algorithms: [ex.alg] }), 'ERR_JWT_SIGNATURE')
      })
    }

    test('verify passes the signature, then the payload (not a claims set) is ERR_JWT_MALFORMED', () => {
      // MALFORMED, not SIGNATURE: the signature was checked before the payload was read.
      throwsCode(() => verify(token, ex.publicKey, { algorithms: [ex.alg] }), 'ERR_JWT_MALFORMED')
      throwsCode(() => createVerifier(ex.privateKey, { algorithms: [ex.alg] })(token), 'ERR_JWT_MALFORMED')
    })

    test('a signature of our own over the same input verifies', () => {
      const ours = signInput(ex.alg, ex.privateKey, signingInput)
      assert.equal(Buffer.from(ours, 'base64url').length, ex.bytes)
      assert.equal(verifyInput(ex.alg, ex.publicKey, signingInput, ours), true)
    })
  })
}

describe('RFC 7520 §4.1 reproduced (RS256 is deterministic)', () => {
  const signingInput = `${RS256_HEADER}.${PAYLOAD}`

  const keyObject = createPrivateKey({ key: { ...RSA_JWK }, format: 'jwk' })
  for (const [name, key] of [
    ['the §3.4 JWK', rsaPrivate],
    ['a KeyObject made from it', keyObject],
    ['PKCS#8 PEM text made from it', keyObject.export({ type: 'pkcs8', format: 'pem' }) as string],
  ] as Array<[string, KeyInput]>) {
    test(`signInput('RS256') with ${name} makes the RFC signature byte for byte`, () => {
      assert.equal(signInput('RS256', key, signingInput), RS256_SIGNATURE)
    })
  }
})

describe('RFC 7520 §4.2 (PS384): the salt is as long as the hash', () => {
  const signingInput = `${PS384_HEADER}.${PAYLOAD}`
  const key = createPublicKey({ key: { kty: 'RSA', n: RSA_JWK.n, e: RSA_JWK.e }, format: 'jwk' })
  const pss = (saltLength: number) => ({ key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength })

  test('node:crypto verifies the RFC signature with a 48-byte salt', () => {
    assert.equal(
      cryptoVerify('sha384', Buffer.from(signingInput), pss(48), Buffer.from(PS384_SIGNATURE, 'base64url')),
      true,
    )
  })

  test('our PS384 signatures have a 48-byte salt too (node:crypto, salt length fixed at 48, accepts them)', () => {
    const ours = signInput('PS384', rsaPrivate, signingInput)
    assert.equal(cryptoVerify('sha384', Buffer.from(signingInput), pss(48), Buffer.from(ours, 'base64url')), true)
    assert.equal(cryptoVerify('sha384', Buffer.from(signingInput), pss(32), Buffer.from(ours, 'base64url')), false)
  })
})

describe('RFC 7520 §4.4 (HS256)', () => {
  const header = 'eyJhbGciOiJIUzI1NiIsImtpZCI6IjAxOGMwYWU1LTRkOWItNDcxYi1iZmQ2LWVlZjMxNGJjNzAzNyJ9'
  const payload = PAYLOAD
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
