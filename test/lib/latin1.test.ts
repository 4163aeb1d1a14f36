// Both implementations of the latin1/UTF-8 copies (Buffer's internal methods, and the documented fallback used
// when a Node version lacks them) must give the same results, so the same tests run on each.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import {
  copiesFor,
  documentedCopies,
  type Latin1Copies,
  latin1Slice,
  latin1Write,
  utf8Write,
} from '../../src/lib/latin1.js'

test('the internal methods are used when Buffer.prototype has all three; the documented ones otherwise', () => {
  const internal = copiesFor(Buffer.prototype)
  assert.notEqual(internal, documentedCopies)
  // On this Node, the module's own copies are the internal ones, not the fallback.
  assert.notEqual(latin1Slice, documentedCopies.latin1Slice)
  assert.notEqual(latin1Write, documentedCopies.latin1Write)
  assert.notEqual(utf8Write, documentedCopies.utf8Write)
  // A prototype missing any one of them gets the documented copies.
  const { latin1Slice: _s, ...withoutSlice } = Object.getOwnPropertyDescriptors(Buffer.prototype)
  assert.equal(copiesFor(Object.defineProperties({}, withoutSlice)), documentedCopies)
  assert.equal(copiesFor({}), documentedCopies)
  assert.equal(copiesFor({ latin1Slice() {}, latin1Write() {} }), documentedCopies)
})

const implementations: Array<[string, Latin1Copies]> = [
  ['internal Buffer methods', copiesFor(Buffer.prototype)],
  ['documented fallback', documentedCopies],
]

for (const [name, copies] of implementations) {
  describe(`latin1 copies: ${name}`, () => {
    test('latin1Slice gives each byte of the range as one char', () => {
      const buffer = Buffer.from([0x00, 0x41, 0x7f, 0x80, 0xe9, 0xff, 0x42])
      assert.equal(copies.latin1Slice(buffer, 0, 7), '\u0000A\u007f\u0080\u00e9\u00ffB')
      assert.equal(copies.latin1Slice(buffer, 1, 3), 'A\u007f')
      assert.equal(copies.latin1Slice(buffer, 4, 4), '')
    })

    test('latin1Slice of a view reads the view, not its ArrayBuffer from 0', () => {
      const whole = Buffer.from('xxABCDyy', 'latin1')
      const view = whole.subarray(2, 6)
      assert.equal(copies.latin1Slice(view, 0, 4), 'ABCD')
      assert.equal(copies.latin1Slice(view, 1, 3), 'BC')
    })

    test('latin1Write writes the low byte of each char at the offset and returns the count', () => {
      const buffer = Buffer.alloc(8, 0x2e)
      assert.equal(copies.latin1Write(buffer, 'A\u00e9\u00ff\u0141', 2, 4), 4)
      assert.deepEqual([...buffer], [0x2e, 0x2e, 0x41, 0xe9, 0xff, 0x41, 0x2e, 0x2e])
      // only `length` chars
      assert.equal(copies.latin1Write(buffer, 'zzzz', 0, 2), 2)
      assert.deepEqual([...buffer.subarray(0, 3)], [0x7a, 0x7a, 0x41])
    })

    test('utf8Write writes whole chars only, within the length, and returns the byte count', () => {
      const buffer = Buffer.alloc(10, 0)
      assert.equal(copies.utf8Write(buffer, 'aé€😀', 0, 10), 10)
      assert.deepEqual(buffer, Buffer.from('aé€😀', 'utf8'))
      const small = Buffer.alloc(4, 0)
      // 'a' (1) + 'é' (2) fit; '€' (3) does not, and is not cut in half
      assert.equal(copies.utf8Write(small, 'aé€', 0, 4), 3)
      assert.deepEqual([...small], [0x61, 0xc3, 0xa9, 0x00])
      // at an offset
      const at = Buffer.alloc(5, 0x2e)
      assert.equal(copies.utf8Write(at, 'hi', 3, 2), 2)
      assert.equal(at.toString('latin1'), '...hi')
    })

    test('utf8Write writes a lone surrogate as U+FFFD', () => {
      const buffer = Buffer.alloc(6, 0)
      assert.equal(copies.utf8Write(buffer, '\uD800a', 0, 6), 4)
      assert.deepEqual([...buffer.subarray(0, 4)], [0xef, 0xbf, 0xbd, 0x61])
    })

    test('every copy agrees with Buffer.from / toString on random text and bytes', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 200 }), (bytes, text) => {
          const buffer = Buffer.from(bytes)
          assert.equal(copies.latin1Slice(buffer, 0, buffer.length), Buffer.from(bytes).toString('latin1'))
          const room = text.length * 3
          const out = Buffer.alloc(room)
          const n = copies.utf8Write(out, text, 0, room)
          assert.deepEqual(out.subarray(0, n), Buffer.from(text, 'utf8'))
          const latin = Buffer.alloc(text.length)
          assert.equal(copies.latin1Write(latin, text, 0, text.length), text.length)
          assert.deepEqual(latin, Buffer.from(text, 'latin1'))
        }),
        { numRuns: 200 },
      )
    })
  })
}
