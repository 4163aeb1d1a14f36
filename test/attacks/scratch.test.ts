/**
 * Nothing key-like outlives a call: once a one-shot sign or verify returns (or throws), no buffer the HMAC module
 * keeps holds the secret or the RFC 2104 pads (K XOR ipad, K XOR opad), from which a MAC could be forged.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createSigner, createVerifier, sign, verify } from '../../src/index.js'
import { scratchStateForTests } from '../../src/lib/hmac.js'
import { NOW, throwsCode } from '../helpers/forge.js'

/** 64 bytes, none zero, no 16-byte run shared with the other fixtures. */
const KEY = Buffer.from(Array.from({ length: 64 }, (_, i) => 0x80 + ((i * 37) % 120)))

/** K padded to the block with zeros, XOR-ed with `byte` (RFC 2104 §2), computed here without node:crypto. */
function pad(block: number, byte: number): Buffer {
  const out = Buffer.alloc(block)
  for (let i = 0; i < block; i++) out[i] = (i < KEY.length ? (KEY[i] as number) : 0) ^ byte
  return out
}

const NEEDLES: Array<[string, Buffer]> = [
  ['the secret', KEY],
  ['ipad (64)', pad(64, 0x36)],
  ['opad (64)', pad(64, 0x5c)],
  ['ipad (128)', pad(128, 0x36)],
  ['opad (128)', pad(128, 0x5c)],
  // Any 16-byte piece of the key or of its pads is already too much.
  ['a piece of the secret', KEY.subarray(24, 40)],
  ['a piece of ipad', pad(64, 0x36).subarray(0, 16)],
  ['a piece of opad', pad(64, 0x5c).subarray(0, 16)],
]

function assertNothingKept(): void {
  for (const kept of scratchStateForTests()) {
    const whole = Buffer.from(kept.buffer, kept.byteOffset, kept.byteLength)
    for (const [name, needle] of NEEDLES) {
      assert.equal(whole.indexOf(needle), -1, `${name} is still in a kept buffer`)
    }
  }
}

describe('no key bytes left behind', () => {
  it('after one-shot sign and verify, for every algorithm, on success and on failure', () => {
    for (const algorithm of ['HS256', 'HS384', 'HS512'] as const) {
      const token = sign({ sub: '1' }, KEY, { algorithm, now: NOW })
      assertNothingKept()
      assert.deepStrictEqual(verify(token, KEY, { algorithms: [algorithm], now: NOW }), { sub: '1', iat: NOW })
      assertNothingKept()
      const tampered = `${token.slice(0, -2)}AA`
      assert.equal(
        throwsCode(() => verify(tampered, KEY, { algorithms: [algorithm], now: NOW }), 'ERR_JWT_SIGNATURE').status,
        401,
      )
      assertNothingKept()
    }
  })

  it('after a signer and a verifier made from the key have been used', () => {
    const signHS512 = createSigner(KEY, { algorithm: 'HS512', now: NOW })
    const check = createVerifier(KEY, { algorithms: ['HS256', 'HS512'], now: NOW })
    assert.deepStrictEqual(check(signHS512({ sub: '2' })), { sub: '2', iat: NOW })
    assertNothingKept()
  })

  it('after a long signing input that does not fit the kept scratch', () => {
    const big = 'x'.repeat(4000)
    const token = sign({ big }, KEY, { now: NOW })
    assert.deepStrictEqual(verify(token, KEY, { now: NOW, maxTokenLength: 10_000 }), { big, iat: NOW })
    assertNothingKept()
  })
})
