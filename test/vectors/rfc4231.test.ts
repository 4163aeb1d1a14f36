/**
 * RFC 4231 §4 HMAC-SHA-256/384/512 known answers, run through our `mac` (src/lib/hmac.ts). The short keys of
 * cases 1-5 go to `mac` directly: `prepareKey` rightly refuses keys shorter than the hash for JWTs (RFC 7518
 * §3.2), but HMAC itself is defined for them. Cases 6 and 7 (131-byte key) also pass through `prepareKey`.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { hmacOf as mac, prepareSecret as prepareKey } from '../../src/lib/algorithms.js'

interface Case {
  n: number
  key: Buffer
  data: Buffer
  HS256: string
  HS384: string
  HS512: string
  /** case 5: only the first 128 bits of the output are given */
  truncateTo?: number
}

const hex = (s: string): Buffer => Buffer.from(s, 'hex')
const ascii = (s: string): Buffer => Buffer.from(s, 'latin1')

const CASES: Case[] = [
  {
    n: 1,
    key: Buffer.alloc(20, 0x0b),
    data: ascii('Hi There'),
    HS256: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    HS384: 'afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6',
    HS512:
      '87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854',
  },
  {
    n: 2,
    key: ascii('Jefe'),
    data: ascii('what do ya want for nothing?'),
    HS256: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    HS384: 'af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649',
    HS512:
      '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
  },
  {
    n: 3,
    key: Buffer.alloc(20, 0xaa),
    data: Buffer.alloc(50, 0xdd),
    HS256: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
    HS384: '88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27',
    HS512:
      'fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb',
  },
  {
    n: 4,
    key: hex('0102030405060708090a0b0c0d0e0f10111213141516171819'),
    data: Buffer.alloc(50, 0xcd),
    HS256: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
    HS384: '3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb',
    HS512:
      'b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd',
  },
  {
    n: 5,
    key: Buffer.alloc(20, 0x0c),
    data: ascii('Test With Truncation'),
    HS256: 'a3b6167473100ee06e0c796c2955552b',
    HS384: '3abf34c3503b2a23a46efc619baef897',
    HS512: '415fad6271580a531d4179bc891d87a6',
    truncateTo: 16,
  },
  {
    n: 6,
    key: Buffer.alloc(131, 0xaa),
    data: ascii('Test Using Larger Than Block-Size Key - Hash Key First'),
    HS256: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    HS384: '4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952',
    HS512:
      '80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598',
  },
  {
    n: 7,
    key: Buffer.alloc(131, 0xaa),
    data: ascii(
      'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.',
    ),
    HS256: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
    HS384: '6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c46523e',
    HS512:
      'e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58',
  },
]

const ALGS = ['HS256', 'HS384', 'HS512'] as const

describe('RFC 4231 HMAC test cases 1-7', () => {
  for (const c of CASES) {
    for (const alg of ALGS) {
      test(`test case ${c.n}, ${alg}`, () => {
        // `mac` takes the signing input as text and hashes its Latin-1 bytes: exactly the data bytes here.
        const out = Buffer.from(mac(alg, c.key, c.data.toString('latin1')), 'base64url')
        const got = c.truncateTo === undefined ? out : out.subarray(0, c.truncateTo)
        assert.equal(got.toString('hex'), c[alg])
      })
    }
  }

  test('cases 6 and 7 use a key long enough for prepareKey, and give the same answers through it', () => {
    for (const c of CASES.filter((x) => x.n >= 6)) {
      for (const alg of ALGS) {
        const key = prepareKey(c.key, [alg])
        assert.equal(Buffer.from(mac(alg, key, c.data.toString('latin1')), 'base64url').toString('hex'), c[alg])
      }
    }
  })
})
