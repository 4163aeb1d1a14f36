// The public encoder's handling of Uint8Array views, and the two ways text reaches the one decode loop (a JS copy
// below 128 chars, a native UTF-8 copy from 128 on), compared with Buffer's codec as the reference.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { base64url } from '../../src/index.js'
import { b64, throwsCode } from '../helpers/forge.js'

/** Detaches `buffer` the way postMessage does, by transferring it. */
function detach(buffer: ArrayBuffer): void {
  structuredClone(buffer, { transfer: [buffer] })
}

test('encode of a view with byteOffset != 0 encodes the view only', () => {
  const whole = new Uint8Array([0xff, 0xfe, 0x66, 0x6f, 0x6f, 0x62, 0xfd])
  assert.equal(base64url.encode(whole.subarray(2, 6)), 'Zm9vYg')
  assert.equal(base64url.encode(new Uint8Array(whole.buffer, 1, 3)), '_mZv')
  assert.equal(base64url.encode(Buffer.from(whole.buffer, 3, 2)), 'b28')
  assert.equal(base64url.encode(whole.subarray(7)), '')
})

test('encode of a Uint8Array whose ArrayBuffer is detached is ERR_JWT_INVALID_OPTION (500), not an empty string', () => {
  const bytes = new Uint8Array([1, 2, 3])
  detach(bytes.buffer)
  const error = throwsCode(() => base64url.encode(bytes), 'ERR_JWT_INVALID_OPTION')
  assert.equal(error.status, 500)
  const view = new Uint8Array(new ArrayBuffer(8), 4, 2)
  detach(view.buffer)
  assert.equal(throwsCode(() => base64url.encode(view), 'ERR_JWT_INVALID_OPTION').status, 500)
  // An empty view on a live buffer is fine.
  assert.equal(base64url.encode(new Uint8Array(0)), '')
  assert.equal(base64url.encode(new Uint8Array(new ArrayBuffer(4), 4)), '')
})

test('on both sides of the 128-char copy threshold, decode agrees with Buffer and refuses any stray char', () => {
  const stray = ['=', '+', '/', ' ', '.', '\u0000', '\u0080', 'é', '\u00ff', '\u0141', '\u0100', '€', '😀', '\uD800']
  for (const length of [2, 3, 4, 6, 7, 124, 126, 127, 128, 130, 131, 132]) {
    const bytes = new Uint8Array(Math.floor((length * 3) / 4)).map((_, i) => (i * 37 + length) & 0xff)
    const text = b64(bytes)
    assert.equal(text.length, length)
    assert.deepEqual(base64url.decode(text), bytes)
    assert.equal(base64url.encode(bytes), text)
    for (const c of stray) {
      // at the first, a middle, and the last place (the last one is the odd char of a 3-char tail)
      for (const at of [0, length >> 1, length - 1]) {
        const bad = text.slice(0, at) + c + text.slice(at + 1)
        const error = throwsCode(() => base64url.decode(bad), 'ERR_JWT_MALFORMED')
        assert.equal(error.status, 401)
        throwsCode(() => base64url.decodeToString(bad), 'ERR_JWT_MALFORMED')
      }
    }
  }
})

test('decodeToString on both sides of the copy threshold, ASCII and UTF-8 output', () => {
  for (const n of [1, 50, 94, 95, 96, 97, 200]) {
    for (const text of ['a'.repeat(n), `${'a'.repeat(n)}é`, `😀${'b'.repeat(n)}`]) {
      assert.equal(base64url.decodeToString(b64(text)), text)
      assert.equal(base64url.encode(text), b64(text))
    }
  }
})
