/**
 * A strict, canonical base64url codec (RFC 4648 §5, as used by RFC 7515 §2 "Base64url Encoding").
 *
 * Written by hand rather than with Buffer's 'base64url' encoding because Buffer's decoder is lenient: it skips
 * characters outside the alphabet, accepts '+', '/', '=' and whitespace, and ignores non-zero trailing bits, so
 * many strings decode to the same bytes. A JWT library that accepts several spellings of one token breaks caches
 * and denylists keyed on the token string. Here every byte string has exactly one accepted spelling.
 *
 * Structure: one encode loop ({@link encodeInto}, bytes to digits) and one decode loop ({@link decodeInto},
 * digit bytes to bytes). Strings reach both as bytes in a scratch buffer, because V8 reads a Uint8Array several
 * times faster than `charCodeAt` on a string: long text through one native copy, short text (where a native
 * call costs more than it saves) through a JS copy loop. Both loops work on pairs of digits: encoding through
 * a 4096-entry table of digit pairs, decoding through two tables that give a pair's share of the decoded bytes
 * already in place, so that 16 digits become 12 bytes in three 32-bit stores. The decode loop gathers every
 * error into accumulators that are tested once after the loop, so the loop body has no branch.
 *
 * Scratch buffers: each belongs to exactly one function, which alone reads or writes it, and never across a
 * call that could re-enter it (all of this is synchronous).
 */
import { invalidOption, type JwtError, malformed } from '../errors.js'
import { latin1Slice, latin1Write, utf8Write } from './latin1.js'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/**
 * The two digits of each 12-bit value, as the 16-bit word whose bytes in memory are the two char codes (first
 * digit at the lower address, whatever the platform's byte order), so that one 16-bit store writes both.
 */
const ENCODE_PAIR = new Uint16Array(4096)
/**
 * The 6-bit value of each byte, or -1 for a byte outside the alphabet (anything >= 0x80 included). Used for the
 * last 2 or 3 digits of a text only.
 */
const DECODE_ONE = new Int16Array(256).fill(-1)
/**
 * The decode tables: for each pair of digit bytes, indexed by the 16-bit word those two bytes make in memory with
 * bit 7 of each byte masked off (so each half of a 32-bit read of the text is an index, whatever the byte order),
 * the bits that pair contributes to the 3 bytes of its 4-digit group, already in place: byte k of the group at
 * bits 8k to 8k+7 of the OR of a FIRST_PAIR and a SECOND_PAIR entry. -1 when either byte is outside the alphabet.
 * A 4-digit group is therefore two lookups and one OR, and four groups are three 32-bit stores. 32,640 entries
 * each (the largest masked word is 0x7f7f); a decode touches at most 64 × 78 entries of each, the rows of the 64
 * digits. The masked-off bits are checked separately: a byte >= 0x80 refuses the text.
 */
const FIRST_PAIR = new Int32Array(0x7f80).fill(-1)
const SECOND_PAIR = new Int32Array(0x7f80).fill(-1)
{
  const encodeBytes = new Uint8Array(ENCODE_PAIR.buffer)
  for (let v = 0; v < 4096; v++) {
    encodeBytes[2 * v] = ALPHABET.charCodeAt(v >>> 6)
    encodeBytes[2 * v + 1] = ALPHABET.charCodeAt(v & 63)
  }
  for (let i = 0; i < 64; i++) DECODE_ONE[ALPHABET.charCodeAt(i)] = i
  const word = new Uint16Array(1)
  const wordBytes = new Uint8Array(word.buffer)
  for (let a = 0; a < 64; a++) {
    for (let b = 0; b < 64; b++) {
      wordBytes[0] = ALPHABET.charCodeAt(a)
      wordBytes[1] = ALPHABET.charCodeAt(b)
      // 12 bits: the first pair holds group bits 23..12 (byte 0 and the high half of byte 1), the second pair
      // bits 11..0 (the low half of byte 1 and byte 2).
      const v = (a << 6) | b
      FIRST_PAIR[word[0] as number] = (v >>> 4) | ((v & 15) << 12)
      SECOND_PAIR[word[0] as number] = ((v >>> 8) << 8) | ((v & 0xff) << 16)
    }
  }
}

/**
 * Where the two 16-bit halves and the four bytes of a 32-bit word sit in its value (the platform's byte order),
 * so that JS code can compose or split words that are read or written through a Uint32Array.
 */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1
const FIRST_HALF = LITTLE_ENDIAN ? 0 : 16
const SECOND_HALF = LITTLE_ENDIAN ? 16 : 0
const BYTE0 = LITTLE_ENDIAN ? 0 : 24
const BYTE1 = LITTLE_ENDIAN ? 8 : 16
const BYTE2 = LITTLE_ENDIAN ? 16 : 8
const BYTE3 = LITTLE_ENDIAN ? 24 : 0

/**
 * A fatal decoder: invalid UTF-8 is an error, not U+FFFD. `ignoreBOM: true` keeps a leading byte-order mark in
 * the output instead of silently dropping it, so that callers can refuse it (RFC 8259 §8.1: JSON text must not
 * start with a BOM).
 */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/**
 * Below this many characters, text to decode is copied to bytes by a JS loop, not natively: the native call
 * costs more than it saves on a short header segment.
 */
const NATIVE_COPY_FROM = 40

/** Scratch buffers larger than this are not kept between calls: a single 100 MB input must not pin 100 MB. */
const SCRATCH_KEEP = 256 * 1024

/**
 * A Buffer on an ArrayBuffer of its own (never the shared pool), so that its offset is 0 and a Uint16Array or
 * Uint32Array view of the same memory is aligned.
 */
function scratch(size: number): Buffer {
  return Buffer.allocUnsafeSlow(size)
}

/** `n` rounded up to even: the size of a scratch buffer whose Uint16Array view must cover `n` bytes. */
function even(n: number): number {
  return n + (n & 1)
}

function notCanonical(): JwtError {
  return malformed('invalid base64url: not canonical unpadded base64url')
}

/** Length of the unpadded base64url text for `n` bytes. */
function encodedLength(n: number): number {
  const rem = n % 3
  return ((n - rem) / 3) * 4 + (rem === 0 ? 0 : rem + 1)
}

/**
 * THE encode loop: writes the base64url digits of `bytes[0, n)` into `out` (as char codes, from index 0; `out16`
 * is a Uint16Array view of the same memory, which must start at an even address).
 */
function encodeInto(bytes: Uint8Array, n: number, out: Uint8Array, out16: Uint16Array): void {
  const rem = n % 3
  const full = n - rem
  let o = 0
  let i = 0
  for (; i < full; i += 3) {
    const v = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number)
    out16[o] = ENCODE_PAIR[v >>> 12] as number
    out16[o + 1] = ENCODE_PAIR[v & 0xfff] as number
    o += 2
  }
  // The last 1 or 2 bytes: 2 or 3 digits, the unused low bits of the last digit zero (RFC 4648 §3.5), no padding.
  if (rem === 1) {
    out16[o] = ENCODE_PAIR[(bytes[i] as number) << 4] as number
  } else if (rem === 2) {
    const v = ((bytes[i] as number) << 10) | ((bytes[i + 1] as number) << 2)
    out16[o] = ENCODE_PAIR[v >>> 6] as number
    out[2 * o + 2] = ALPHABET.charCodeAt(v & 63)
  }
}

/** Owned by {@link encodeRange} alone: the digits before they become a string. */
let digits = scratch(1024)
let digits16 = new Uint16Array(digits.buffer, 0, digits.length >>> 1)

/** The base64url text of `bytes[0, n)`. */
function encodeRange(bytes: Uint8Array, n: number): string {
  const outLen = encodedLength(n)
  let out = digits
  let out16 = digits16
  if (out.length < outLen) {
    // Even, so that the Uint16Array view covers every digit (an odd last digit is written through its word).
    out = scratch(even(outLen))
    out16 = new Uint16Array(out.buffer, 0, out.length >>> 1)
    if (out.length <= SCRATCH_KEEP) {
      digits = out
      digits16 = out16
    }
  }
  encodeInto(bytes, n, out, out16)
  return latin1Slice(out, 0, outLen)
}

/** Encodes bytes as unpadded base64url. */
export function encodeBytes(bytes: Uint8Array): string {
  return encodeRange(bytes, bytes.length)
}

/** Owned by {@link encodeString} alone: the UTF-8 bytes of the text. */
let utf8Bytes = scratch(4096)

/**
 * Encodes a string as the base64url of its UTF-8 bytes (a lone surrogate becomes U+FFFD, as everywhere in
 * Node). The text is copied to bytes natively, with room for 3 bytes per UTF-16 unit (the most UTF-8 needs:
 * a surrogate pair is 4 bytes for 2 units), so nothing is cut off.
 */
export function encodeString(input: string): string {
  const room = input.length * 3
  let bytes = utf8Bytes
  if (bytes.length < room) {
    bytes = scratch(room)
    if (room <= SCRATCH_KEEP) utf8Bytes = bytes
  }
  return encodeRange(bytes, utf8Write(bytes, input, 0, room))
}

/**
 * Encodes a string (as UTF-8) or bytes as unpadded base64url. A Uint8Array is read through its own view (any
 * `byteOffset`). The public entry (src/base64url.ts) refuses a view over a detached buffer before this.
 */
export function encode(input: string | Uint8Array): string {
  if (typeof input === 'string') return encodeString(input)
  if (input instanceof Uint8Array) return encodeBytes(input)
  throw invalidOption('base64url.encode expects a string or a Uint8Array')
}

/** Bytes decoded from `len` canonical base64url characters, or -1 for a length that no byte string encodes to. */
function decodedLength(len: number): number {
  const rem = len & 3
  if (rem === 1) return -1
  return ((len - rem) / 4) * 3 + (rem === 0 ? 0 : rem - 1)
}

/**
 * THE decode loop: decodes the `len` digit bytes `src[0, len)` (`src32` is a Uint32Array view of the same
 * memory, from offset 0) into `out` (`out32` a Uint32Array view of it, from offset 0), which has room for
 * {@link decodedLength} bytes. Returns -1 if they are not canonical unpadded base64url; otherwise 1 if some
 * decoded byte is >= 0x80, else 0.
 *
 * Each 4-digit group is one 32-bit read, two lookups and an OR, which give its 3 bytes in place (byte k at bits
 * 8k..8k+7); on a little-endian platform four groups (16 digits, 12 bytes) are then three 32-bit stores, and the
 * groups left over, or all of them on a big-endian one, three byte stores each. Refuses padding, '+', '/',
 * whitespace, any other byte, a length of 1 mod 4 (no byte string encodes to it), and non-zero bits in the last
 * digit (so each byte string has one spelling only, RFC 4648 §3.5).
 */
function decodeInto(src: Uint8Array, src32: Uint32Array, len: number, out: Uint8Array, out32: Uint32Array): number {
  const rem = len & 3
  if (rem === 1) return -1
  const groups = (len - rem) >>> 2
  // Every group's 3 bytes are OR-ed into `acc`: bits 7, 15 and 23 tell whether a byte is >= 0x80, and a pair
  // outside the alphabet is -1, which makes it negative. Every word read is OR-ed into `raw`: a byte >= 0x80,
  // whose high bit the table index masks off, shows there.
  let acc = 0
  let raw = 0
  let g = 0
  let q = 0
  const quads = LITTLE_ENDIAN ? groups >>> 2 : 0
  for (let k = 0; k < quads; k++, g += 4, q += 3) {
    const w0 = src32[g] as number
    const w1 = src32[g + 1] as number
    const w2 = src32[g + 2] as number
    const w3 = src32[g + 3] as number
    raw |= w0 | w1 | w2 | w3
    const a = (FIRST_PAIR[w0 & 0x7f7f] as number) | (SECOND_PAIR[(w0 >>> 16) & 0x7f7f] as number)
    const b = (FIRST_PAIR[w1 & 0x7f7f] as number) | (SECOND_PAIR[(w1 >>> 16) & 0x7f7f] as number)
    const c = (FIRST_PAIR[w2 & 0x7f7f] as number) | (SECOND_PAIR[(w2 >>> 16) & 0x7f7f] as number)
    const d = (FIRST_PAIR[w3 & 0x7f7f] as number) | (SECOND_PAIR[(w3 >>> 16) & 0x7f7f] as number)
    acc |= a | b | c | d
    // Bytes a0 a1 a2 b0 | b1 b2 c0 c1 | c2 d0 d1 d2, each word little-endian.
    out32[q] = a | (b << 24)
    out32[q + 1] = (b >>> 8) | (c << 16)
    out32[q + 2] = (c >>> 16) | (d << 8)
  }
  let o = q << 2
  for (; g < groups; g++, o += 3) {
    const w = src32[g] as number
    raw |= w
    const v =
      (FIRST_PAIR[(w >>> FIRST_HALF) & 0x7f7f] as number) | (SECOND_PAIR[(w >>> SECOND_HALF) & 0x7f7f] as number)
    acc |= v
    out[o] = v
    out[o + 1] = v >>> 8
    out[o + 2] = v >>> 16
  }
  if (rem !== 0) {
    const i = groups << 2
    const a = DECODE_ONE[src[i] as number] as number
    const b = DECODE_ONE[src[i + 1] as number] as number
    if (rem === 2) {
      // 2 digits carry 1 byte: 8 bits of data and 4 bits that must be zero.
      if ((a | b) < 0 || (b & 15) !== 0) return -1
      const v = (a << 2) | (b >> 4)
      acc |= v
      out[o] = v
    } else {
      // 3 digits carry 2 bytes: 16 bits of data and 2 bits that must be zero.
      const c = DECODE_ONE[src[i + 2] as number] as number
      if ((a | b | c) < 0 || (c & 3) !== 0) return -1
      const v = (a << 10) | (b << 4) | (c >> 2)
      acc |= v
      out[o] = v >>> 8
      out[o + 1] = v
    }
  }
  if (acc < 0 || (raw & 0x80808080) !== 0) return -1
  return (acc & 0x808080) === 0 ? 0 : 1
}

/**
 * Finds a char above U+00FF, which a latin1 copy would cut to its low byte (U+0141 passing for 'A'). V8 (and
 * JavaScriptCore) answer "no" for a one-byte string without reading it, so on the common input it costs a call
 * (about 20 ns); a two-byte string is scanned.
 */
const WIDE_CHAR = /[\u0100-\uffff]/

/**
 * How text of {@link NATIVE_COPY_FROM} chars or more reaches the decode loop: copied natively into `src` (which
 * has room for `len + 2` bytes); `false` refuses the text. Both copies are exported and tested alike.
 */
export type TextCopy = (src: Buffer, text: string, len: number) => boolean

/**
 * One byte per char, a plain memory copy for a one-byte string, once {@link WIDE_CHAR} has found no char that the
 * copy would cut; a char from U+0080 to U+00FF comes through as a byte >= 0x80, which the decode loop refuses.
 */
export const latin1TextCopy: TextCopy = (src, text, len) => {
  if (WIDE_CHAR.test(text)) return false
  latin1Write(src, text, 0, len)
  return true
}

/**
 * As UTF-8, with room for two spare bytes, so that the first non-ASCII char (at index <= len - 1, at most 4 bytes
 * for a surrogate pair at index <= len - 2) is written whole: its first byte is >= 0x80, which the decode loop
 * refuses, and the byte count mostly differs from the char count, which refuses it here.
 */
export const utf8TextCopy: TextCopy = (src, text, len) => utf8Write(src, text, 0, len + 2) === len

/**
 * The faster of the two where the code runs: latin1, except on Deno, whose Buffer writes latin1 in JavaScript
 * char by char (24 µs for an 8 KB token's payload on Deno 2.9, against 0.5 µs for its native UTF-8 write; on
 * Node 20 the latin1 copy and the check take 0.17 µs, the UTF-8 copy 0.5 µs).
 */
const TEXT_COPY: TextCopy = 'Deno' in globalThis ? utf8TextCopy : latin1TextCopy

/** Owned by {@link decodeRange} alone: the text of the digits, as bytes. */
let textBytes = scratch(4096)
let textBytes32 = new Uint32Array(textBytes.buffer, 0, textBytes.length >>> 2)

/**
 * Decodes `input[start, end)` into `out` (`out32` a Uint32Array view of it from offset 0) through
 * {@link decodeInto}: -1 if not canonical, else 1 if a decoded byte is >= 0x80, else 0.
 *
 * Short text is copied to bytes by a JS loop (a native call costs more than it saves on a header segment of
 * about 36 chars), four chars to one 32-bit store, every char code OR-ed into `chars` so that one above 0x7f
 * (which the store would cut to its low byte) refuses the text.
 *
 * Longer text is copied natively by `copy` ({@link TEXT_COPY} unless a test picks one).
 */
function decodeRange(
  input: string,
  start: number,
  end: number,
  out: Uint8Array,
  out32: Uint32Array,
  copy: TextCopy,
): number {
  const len = end - start
  const room = len + 2
  let src = textBytes
  let src32 = textBytes32
  if (src.length < room) {
    // A multiple of 4, so that the Uint32Array view covers every byte.
    src = scratch((room + 3) & ~3)
    src32 = new Uint32Array(src.buffer, 0, src.length >>> 2)
    if (src.length <= SCRATCH_KEEP) {
      textBytes = src
      textBytes32 = src32
    }
  }
  if (len < NATIVE_COPY_FROM) {
    let chars = 0
    const groups = len >>> 2
    let i = start
    for (let g = 0; g < groups; g++, i += 4) {
      const c0 = input.charCodeAt(i)
      const c1 = input.charCodeAt(i + 1)
      const c2 = input.charCodeAt(i + 2)
      const c3 = input.charCodeAt(i + 3)
      chars |= c0 | c1 | c2 | c3
      src32[g] = (c0 << BYTE0) | (c1 << BYTE1) | (c2 << BYTE2) | (c3 << BYTE3)
    }
    for (let j = groups << 2; i < end; i++, j++) {
      const c = input.charCodeAt(i)
      chars |= c
      src[j] = c
    }
    if (chars > 0x7f) return -1
  } else {
    const text = start === 0 && end === input.length ? input : input.slice(start, end)
    if (!copy(src, text, len)) return -1
  }
  return decodeInto(src, src32, len, out, out32)
}

/** Owned by {@link decodeWith} alone: the decoded bytes before they are copied out. */
let bytesOut = new Uint8Array(4096)
let bytesOut32 = new Uint32Array(bytesOut.buffer)

/**
 * Decodes canonical unpadded base64url. Refuses padding, '+', '/', whitespace, any other character, a length
 * of 1 mod 4 (no byte string encodes to it), and non-zero bits in the last digit (so each byte string has one
 * spelling only).
 */
export function decode(input: string): Uint8Array {
  return decodeWith(input, TEXT_COPY)
}

/** {@link decode} with the given long-text copy (the tests run both). */
export function decodeWith(input: string, copy: TextCopy): Uint8Array {
  if (typeof input !== 'string') throw notCanonical()
  const n = decodedLength(input.length)
  if (n < 0) throw notCanonical()
  let out = bytesOut
  let out32 = bytesOut32
  if (out.length < n) {
    out = new Uint8Array((n + 3) & ~3)
    out32 = new Uint32Array(out.buffer)
    if (out.length <= SCRATCH_KEEP) {
      bytesOut = out
      bytesOut32 = out32
    }
  }
  if (decodeRange(input, 0, input.length, out, out32, copy) < 0) throw notCanonical()
  // A plain Uint8Array on an ArrayBuffer of exactly its own bytes, not a view of the scratch buffer nor a Buffer
  // from the shared pool, whose `.buffer` would expose other data of the process (other requests' data, key
  // copies) to whoever receives the result.
  return out.slice(0, n)
}

/** Owned by {@link decodeRangeToStringWith} alone: the decoded bytes before they become a string. */
let decoded = scratch(4096)
let decoded32 = new Uint32Array(decoded.buffer)

/**
 * Decodes the canonical base64url in `input[start, end)`, then strict UTF-8 (invalid bytes are an error; a BOM
 * is kept, not dropped). ASCII output (no byte >= 0x80) is valid UTF-8 by definition and is sliced out directly.
 */
export function decodeRangeToString(input: string, start: number, end: number): string {
  return decodeRangeToStringWith(input, start, end, TEXT_COPY)
}

/** {@link decodeRangeToString} with the given long-text copy (the tests run both). */
export function decodeRangeToStringWith(input: string, start: number, end: number, copy: TextCopy): string {
  const n = decodedLength(end - start)
  if (n < 0) throw notCanonical()
  let out = decoded
  let out32 = decoded32
  if (out.length < n) {
    out = scratch((n + 3) & ~3)
    out32 = new Uint32Array(out.buffer)
    if (out.length <= SCRATCH_KEEP) {
      decoded = out
      decoded32 = out32
    }
  }
  const r = decodeRange(input, start, end, out, out32, copy)
  if (r === 0) return latin1Slice(out, 0, n)
  if (r < 0) throw notCanonical()
  try {
    return UTF8.decode(out.subarray(0, n))
  } catch (cause) {
    throw malformed('invalid UTF-8 in a token segment', cause)
  }
}

/** Decodes canonical base64url and then strict UTF-8 (invalid bytes are an error; a BOM is kept, not dropped). */
export function decodeToString(input: string): string {
  if (typeof input !== 'string') throw notCanonical()
  return decodeRangeToStringWith(input, 0, input.length, TEXT_COPY)
}
