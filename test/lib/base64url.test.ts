import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { base64url } from '../../src/index.js'
import { throwsCode } from '../helpers/forge.js'

const ref = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url')

describe('base64url.encode', () => {
  test('RFC 4648 §10 test vectors, unpadded', () => {
    const vectors: Array<[string, string]> = [
      ['', ''],
      ['f', 'Zg'],
      ['fo', 'Zm8'],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg'],
      ['fooba', 'Zm9vYmE'],
      ['foobar', 'Zm9vYmFy'],
    ]
    for (const [text, encoded] of vectors) {
      assert.equal(base64url.encode(text), encoded)
      assert.equal(base64url.decodeToString(encoded), text)
    }
  })

  test('uses - and _ (the URL-safe alphabet), never + / or =', () => {
    assert.equal(base64url.encode(new Uint8Array([0xfb, 0xff])), '-_8')
    assert.equal(base64url.encode(new Uint8Array([0xff, 0xfe])), '__4')
    const all = base64url.encode(new Uint8Array(Array.from({ length: 256 }, (_, i) => i)))
    assert.match(all, /^[A-Za-z0-9_-]+$/)
  })

  test('matches Buffer base64url for random bytes of every length 0..300', () => {
    for (let n = 0; n <= 300; n++) {
      const bytes = randomBytes(n)
      assert.equal(base64url.encode(bytes), ref(bytes), `length ${n}`)
      assert.deepEqual(Buffer.from(base64url.decode(ref(bytes))), bytes, `length ${n}`)
    }
  })

  test('matches Buffer base64url for arbitrary bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        const encoded = base64url.encode(bytes)
        assert.equal(encoded, ref(bytes))
        assert.deepEqual(base64url.decode(encoded), new Uint8Array(bytes))
      }),
      { numRuns: 500 },
    )
  })

  test('encodes strings as UTF-8, including non-ASCII text', () => {
    const samples = [
      'héllo',
      'Grüße, Jürgen',
      '日本語のテキスト',
      'emoji 🔐🙂',
      'Ω≈ç√∫',
      '\u0000\u007f\u0080\u07ff\u0800\uffff',
    ]
    for (const text of samples) {
      assert.equal(base64url.encode(text), Buffer.from(text, 'utf8').toString('base64url'), text)
      assert.equal(base64url.decodeToString(base64url.encode(text)), text, text)
    }
    assert.equal(base64url.encode('héllo'), 'aMOpbGxv')
  })

  test('matches Buffer for arbitrary Unicode strings (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        const encoded = base64url.encode(text)
        assert.equal(encoded, Buffer.from(text, 'utf8').toString('base64url'))
        assert.equal(base64url.decodeToString(encoded), text)
      }),
      { numRuns: 300 },
    )
  })

  test('a lone surrogate is encoded as U+FFFD, like Buffer does', () => {
    assert.equal(base64url.encode('a\ud800b'), Buffer.from('a\ud800b', 'utf8').toString('base64url'))
    assert.equal(base64url.decodeToString(base64url.encode('a\ud800b')), 'a\ufffdb')
  })

  test('encodes only the viewed part of a Uint8Array with a byte offset', () => {
    const backing = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])
    const view = backing.subarray(3, 6)
    assert.equal(base64url.encode(view), ref(new Uint8Array([4, 5, 6])))
  })

  test('anything but a string or a Uint8Array is ERR_JWT_INVALID_OPTION', () => {
    for (const bad of [42, null, undefined, [1, 2], { length: 1 }, new ArrayBuffer(2)]) {
      throwsCode(() => base64url.encode(bad as unknown as string), 'ERR_JWT_INVALID_OPTION')
    }
  })
})

describe('base64url.decode is strict and canonical', () => {
  test('decodes to a plain Uint8Array that owns its memory', () => {
    const bytes = base64url.decode('__4')
    assert.deepEqual(bytes, new Uint8Array([255, 254]))
    // Not a slice of Buffer's shared pool: `.buffer` must not expose unrelated bytes of the process.
    assert.equal(bytes.buffer.byteLength, 2)
    assert.deepEqual(base64url.decode(''), new Uint8Array(0))
  })

  test('refuses padding', () => {
    for (const s of ['Zg==', 'Zg=', 'Zm8=', 'Zm9v====', '===='])
      throwsCode(() => base64url.decode(s), 'ERR_JWT_MALFORMED')
  })

  test('refuses + and / (the other alphabet) that Buffer silently accepts', () => {
    for (const s of ['+_8', '-/8', 'ab+c', 'ab/c']) {
      assert.doesNotThrow(() => Buffer.from(s, 'base64url'))
      throwsCode(() => base64url.decode(s), 'ERR_JWT_MALFORMED')
    }
  })

  test('refuses whitespace anywhere', () => {
    for (const s of [' Zm9v', 'Zm9v ', 'Zm 9v', 'Zm9v\n', 'Zm\r\n9v', '\tZm9v', 'Zm9\u00a0v']) {
      throwsCode(() => base64url.decode(s), 'ERR_JWT_MALFORMED')
    }
  })

  test('refuses a length of 1 mod 4, which no byte string encodes to', () => {
    for (const s of ['Z', 'Zm9vY', 'Zm9vYmFyZ']) throwsCode(() => base64url.decode(s), 'ERR_JWT_MALFORMED')
  })

  test('refuses non-zero trailing bits (second spellings Buffer accepts)', () => {
    // 'Zg' is "f"; 'Zh' differs only in bits that encode nothing. Likewise 'Zm8' / 'Zm9'.
    for (const [canonical, variant] of [
      ['Zg', 'Zh'],
      ['Zg', 'Zv'],
      ['Zm8', 'Zm9'],
      ['Zm8', 'Zm-'],
    ] as const) {
      assert.deepEqual(Buffer.from(variant, 'base64url'), Buffer.from(canonical, 'base64url'))
      throwsCode(() => base64url.decode(variant), 'ERR_JWT_MALFORMED')
      assert.doesNotThrow(() => base64url.decode(canonical))
    }
  })

  test('refuses every character outside the alphabet, including non-ASCII look-alikes', () => {
    const alphabet = new Set('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')
    for (let c = 0; c < 0x180; c++) {
      const ch = String.fromCharCode(c)
      if (alphabet.has(ch)) continue
      // Put the character in each position of a 4-digit group.
      for (const s of [`${ch}AAA`, `A${ch}AA`, `AA${ch}A`, `AAA${ch}`])
        throwsCode(() => base64url.decode(s), 'ERR_JWT_MALFORMED')
    }
    // U+0141 has the low byte 0x41 ('A'): a decoder that truncated char codes would accept it.
    throwsCode(() => base64url.decode('\u0141AAA'), 'ERR_JWT_MALFORMED')
    throwsCode(() => base64url.decode('AA\u{1F600}'), 'ERR_JWT_MALFORMED')
  })

  test('every accepted string is the one canonical spelling of its bytes (property)', () => {
    const digit = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')
    fc.assert(
      fc.property(
        fc.array(digit, { maxLength: 64 }).map((d) => d.join('')),
        (s) => {
          let bytes: Uint8Array
          try {
            bytes = base64url.decode(s)
          } catch {
            // Refused: must be one of the non-canonical cases.
            const rem = s.length % 4
            const reencoded = Buffer.from(s, 'base64url').toString('base64url')
            assert.ok(rem === 1 || reencoded !== s, `refused a canonical string ${s}`)
            return
          }
          assert.equal(base64url.encode(bytes), s)
        },
      ),
      { numRuns: 1000 },
    )
  })

  test('a non-string input is ERR_JWT_MALFORMED, never a TypeError', () => {
    for (const bad of [undefined, null, 42, {}, ['Zg']])
      throwsCode(() => base64url.decode(bad as unknown as string), 'ERR_JWT_MALFORMED')
  })
})

describe('base64url.decodeToString', () => {
  test('refuses invalid UTF-8 with ERR_JWT_MALFORMED', () => {
    const invalid = [
      [0xff],
      [0xc3], // truncated 2-byte sequence
      [0xc0, 0xaf], // overlong '/'
      [0xed, 0xa0, 0x80], // an encoded surrogate
      [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
      [0x61, 0x80, 0x62], // a stray continuation byte
    ]
    for (const bytes of invalid) {
      const encoded = ref(new Uint8Array(bytes))
      assert.equal(Buffer.from(encoded, 'base64url').toString('utf8').includes('\ufffd'), true)
      throwsCode(() => base64url.decodeToString(encoded), 'ERR_JWT_MALFORMED')
    }
  })

  test('keeps a leading byte-order mark instead of silently dropping it', () => {
    assert.equal(base64url.decodeToString(ref(Buffer.from('\ufeff{}', 'utf8'))), '\ufeff{}')
  })

  test('the public codec object is frozen', () => {
    assert.ok(Object.isFrozen(base64url))
  })
})
