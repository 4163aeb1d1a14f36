// The public encoder's handling of Uint8Array views, and the two ways text reaches the one decode loop (a JS copy
// below 40 chars, a native latin1 copy after a one-byte check from 40 on), compared with Buffer's codec as the
// reference.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { base64url } from '../../src/index.js'
import {
  decodeRangeToStringWith,
  decodeWith,
  latin1TextCopy,
  type TextCopy,
  utf8TextCopy,
} from '../../src/lib/base64url.js'
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

test('on both sides of the 40-char copy threshold, decode agrees with Buffer and refuses any stray char', () => {
  const stray = ['=', '+', '/', ' ', '.', '\u0000', '\u0080', 'é', '\u00ff', '\u0141', '\u0100', '€', '😀', '\uD800']
  for (const length of [2, 3, 4, 6, 7, 36, 38, 39, 40, 42, 43, 44, 63, 64, 66, 67, 128, 130, 131, 132]) {
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
  for (const n of [1, 27, 28, 29, 30, 31, 50, 94, 95, 96, 97, 200]) {
    for (const text of ['a'.repeat(n), `${'a'.repeat(n)}é`, `😀${'b'.repeat(n)}`]) {
      assert.equal(base64url.decodeToString(b64(text)), text)
      assert.equal(base64url.encode(text), b64(text))
    }
  }
})

/** The codec with each of the two long-text copies (latin1 everywhere but Deno, UTF-8 there). */
const COPIES: ReadonlyArray<readonly [string, TextCopy]> = [
  ['latin1', latin1TextCopy],
  ['utf8', utf8TextCopy],
]
const codecs = COPIES.map(([name, copy]) => ({
  name,
  decode: (s: string) => decodeWith(s, copy),
  decodeToString: (s: string) => decodeRangeToStringWith(s, 0, s.length, copy),
}))

test('a char that a copy or the table index could take for a digit is refused at every place, with either copy', () => {
  // U+00C1, U+00E1, U+00B0, U+00AD and U+00DF are 'A', 'a', '0', '-' and '_' with bit 7 set (the decode tables
  // are indexed without it); U+0141 and U+0161 are 'A' and 'a' plus 0x100 (a latin1 copy keeps the low byte);
  // '€' and a surrogate pair are 3 and 4 bytes of UTF-8.
  const lookalikes = ['\u00c1', '\u00e1', '\u00b0', '\u00ad', '\u00df', '\u0141', '\u0161', '\u0100', '€', '😀']
  // 75 chars: four 16-digit blocks, two 4-digit groups left over and a 3-digit tail; 130: eight blocks and a
  // 2-digit tail; 38: the JS copy.
  for (const codec of codecs) {
    for (const length of [38, 75, 130]) {
      const bytes = new Uint8Array(Math.floor((length * 3) / 4)).map((_, i) => (i * 53 + 7) & 0xff)
      const text = b64(bytes)
      assert.equal(text.length, length)
      assert.deepEqual(codec.decode(text), bytes)
      for (let at = 0; at < length; at++) {
        for (const c of lookalikes) {
          const bad = text.slice(0, at) + c + text.slice(at + 1)
          throwsCode(() => codec.decode(bad), 'ERR_JWT_MALFORMED')
          throwsCode(() => codec.decodeToString(bad), 'ERR_JWT_MALFORMED')
          // Also as the only non-ASCII char before a run of ASCII ones that a UTF-8 copy would cut short.
          const short = `${text.slice(0, at)}${c}${text.slice(at + 1, length - 2)}`
          if (short.length % 4 !== 1) throwsCode(() => codec.decode(short), 'ERR_JWT_MALFORMED')
        }
      }
      // 'éaa€': 2 + 1 + 1 bytes of UTF-8 before a char that does not fit in the copy's room, as many bytes as
      // chars: the byte count alone would not tell.
      throwsCode(() => codec.decode(`${text.slice(0, length - 4)}éaa€`), 'ERR_JWT_MALFORMED')
    }
  }
})

test('decode agrees with Buffer on every byte length from 0 to 225 (up to 300 digits), with either copy', () => {
  for (const codec of [...codecs, { name: 'public', ...base64url }]) {
    for (let n = 0; n <= 225; n++) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 97 + n * 31) & 0xff)
      const text = b64(bytes)
      assert.deepEqual(codec.decode(text), bytes, `${codec.name} ${n}`)
      const ascii = new Uint8Array(n).map((_, i) => 0x20 + ((i * 7 + n) % 0x5f))
      assert.equal(codec.decodeToString(b64(ascii)), Buffer.from(ascii).toString('latin1'))
      const utf8 = Buffer.from(`é${'x'.repeat(n)}東`)
      assert.equal(codec.decodeToString(b64(utf8)), utf8.toString('utf8'))
    }
  }
})

test('texts longer than the scratch buffers (4 KiB kept, 256 KiB the most kept) decode alike, with either copy', () => {
  for (const codec of [...codecs, { name: 'public', ...base64url }]) {
    for (const n of [5_000, 6_083, 300_000]) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 131 + 17) & 0xff)
      assert.deepEqual(codec.decode(b64(bytes)), bytes, `${codec.name} ${n}`)
      const ascii = Buffer.alloc(n, 'eyJzdWIiOiIxMjM0NTY3ODkwIn0')
      assert.equal(codec.decodeToString(b64(ascii)), ascii.toString('latin1'))
      const bad = `${b64(ascii).slice(0, -5)}Ł${b64(ascii).slice(-4)}`
      throwsCode(() => codec.decodeToString(bad), 'ERR_JWT_MALFORMED')
    }
    // And a short one after the long ones: the kept buffers still serve it.
    assert.equal(codec.decodeToString('aGk'), 'hi')
  }
})
