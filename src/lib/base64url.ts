/**
 * A strict, canonical base64url codec (RFC 4648 §5, as used by RFC 7515 §2 "Base64url Encoding").
 *
 * Written by hand rather than with Buffer's 'base64url' encoding because Buffer's decoder is lenient: it skips
 * characters outside the alphabet, accepts '+', '/', '=' and whitespace, and ignores non-zero trailing bits, so
 * many strings decode to the same bytes. A JWT library that accepts several spellings of one token breaks caches
 * and denylists keyed on the token string. Here every byte string has exactly one accepted spelling.
 *
 * Speed: the loops read char codes straight from the string (no intermediate Buffer for ASCII text), and errors
 * are collected in accumulators and checked once after the loop, so the hot loop has no branches. Text output
 * goes through one scratch buffer per function and one native latin1 slice when the bytes are ASCII; strict
 * UTF-8 decoding runs only when a byte >= 0x80 is present.
 */
import { JwtError } from '../errors.js'
import { latin1Slice, utf8Write } from './latin1.js'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** char code of the base64url digit for each 6-bit value */
const ENCODE = new Uint8Array(64)
/**
 * 6-bit value for each char code or byte below 256; 0xff for anything outside the alphabet, so that OR-ing the
 * values of a group gives a number above 63 exactly when one of them is invalid.
 */
const DECODE = new Uint8Array(256).fill(0xff)
for (let i = 0; i < 64; i++) {
  ENCODE[i] = ALPHABET.charCodeAt(i)
  DECODE[ALPHABET.charCodeAt(i)] = i
}

/**
 * A fatal decoder: invalid UTF-8 is an error, not U+FFFD. `ignoreBOM: true` keeps a leading byte-order mark in
 * the output instead of silently dropping it, so that callers can refuse it (RFC 8259 §8.1: JSON text must not
 * start with a BOM).
 */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/**
 * Scratch buffers larger than this are not kept between calls: a single 100 MB input must not pin 100 MB.
 */
const SCRATCH_KEEP = 256 * 1024

/** From this many characters on, text is copied to bytes natively before the encode or decode loop. */
const BYTES_FROM = 256

function malformed(): JwtError {
  return new JwtError('ERR_JWT_MALFORMED', 'invalid base64url: not canonical unpadded base64url')
}

/** Length of the unpadded base64url text for `n` bytes. */
function encodedLength(n: number): number {
  const rem = n % 3
  return ((n - rem) / 3) * 4 + (rem === 0 ? 0 : rem + 1)
}

/** Writes the base64url digits of `bytes[0, n)` into `out` from index 0. */
function encodeInto(bytes: Uint8Array, n: number, out: Uint8Array): void {
  const rem = n % 3
  const full = n - rem
  let o = 0
  let i = 0
  for (; i < full; i += 3) {
    const v = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number)
    out[o] = ENCODE[v >>> 18] as number
    out[o + 1] = ENCODE[(v >>> 12) & 63] as number
    out[o + 2] = ENCODE[(v >>> 6) & 63] as number
    out[o + 3] = ENCODE[v & 63] as number
    o += 4
  }
  if (rem === 1) {
    const v = bytes[i] as number
    out[o] = ENCODE[v >>> 2] as number
    out[o + 1] = ENCODE[(v & 3) << 4] as number
  } else if (rem === 2) {
    const v = ((bytes[i] as number) << 8) | (bytes[i + 1] as number)
    out[o] = ENCODE[v >>> 10] as number
    out[o + 1] = ENCODE[(v >>> 4) & 63] as number
    out[o + 2] = ENCODE[(v & 15) << 2] as number
  }
}

/** Owned by {@link encodeBytes} alone. */
let encodeBytesScratch = Buffer.allocUnsafe(1024)

/** Encodes bytes as unpadded base64url. */
export function encodeBytes(bytes: Uint8Array): string {
  const outLen = encodedLength(bytes.length)
  let out = encodeBytesScratch
  if (out.length < outLen) {
    out = Buffer.allocUnsafe(outLen)
    if (outLen <= SCRATCH_KEEP) encodeBytesScratch = out
  }
  encodeInto(bytes, bytes.length, out)
  return latin1Slice(out, 0, outLen)
}

/** Owned by {@link encodeString} alone. */
let encodeStringScratch = Buffer.allocUnsafe(1024)

/**
 * Encodes a string as the base64url of its UTF-8 bytes. ASCII text (the common case: JSON of ASCII claims) is
 * encoded straight from its char codes; any char code >= 0x80 sends it through the UTF-8 encoder instead.
 */
export function encodeString(input: string): string {
  if (input.length >= BYTES_FROM) return encodeLongString(input)
  const n = input.length
  const outLen = encodedLength(n)
  let out = encodeStringScratch
  if (out.length < outLen) {
    out = Buffer.allocUnsafe(outLen)
    if (outLen <= SCRATCH_KEEP) encodeStringScratch = out
  }
  const rem = n % 3
  const full = n - rem
  let seen = 0
  let o = 0
  let i = 0
  for (; i < full; i += 3) {
    const a = input.charCodeAt(i)
    const b = input.charCodeAt(i + 1)
    const c = input.charCodeAt(i + 2)
    seen |= a | b | c
    // Not ASCII: stop at once and take the UTF-8 route below.
    if (seen > 0x7f) break
    const v = (a << 16) | (b << 8) | c
    out[o] = ENCODE[(v >>> 18) & 63] as number
    out[o + 1] = ENCODE[(v >>> 12) & 63] as number
    out[o + 2] = ENCODE[(v >>> 6) & 63] as number
    out[o + 3] = ENCODE[v & 63] as number
    o += 4
  }
  if (seen <= 0x7f && rem === 1) {
    const v = input.charCodeAt(i)
    seen |= v
    out[o] = ENCODE[(v >>> 2) & 63] as number
    out[o + 1] = ENCODE[(v & 3) << 4] as number
  } else if (seen <= 0x7f && rem === 2) {
    const a = input.charCodeAt(i)
    const b = input.charCodeAt(i + 1)
    seen |= a | b
    const v = (a << 8) | b
    out[o] = ENCODE[(v >>> 10) & 63] as number
    out[o + 1] = ENCODE[(v >>> 4) & 63] as number
    out[o + 2] = ENCODE[(v & 15) << 2] as number
  }
  // Not ASCII: the digits written above are wrong; encode the UTF-8 bytes instead.
  if (seen > 0x7f) return encodeBytes(Buffer.from(input, 'utf8'))
  return latin1Slice(out, 0, outLen)
}

/** Owned by {@link encodeLongString} alone: the UTF-8 bytes of the text. */
let utf8Scratch = Buffer.allocUnsafe(4096)

/**
 * {@link encodeString} for long text: one native UTF-8 copy to bytes (room for 3 bytes per UTF-16 unit, the most
 * UTF-8 needs, so nothing is cut off), then the byte loop, which V8 runs about three times faster than char reads.
 */
function encodeLongString(input: string): string {
  const room = input.length * 3
  let bytes = utf8Scratch
  if (bytes.length < room) {
    bytes = Buffer.allocUnsafeSlow(room)
    if (room <= SCRATCH_KEEP) utf8Scratch = bytes
  }
  const n = utf8Write(bytes, input, 0, room)
  const outLen = encodedLength(n)
  let out = encodeStringScratch
  if (out.length < outLen) {
    out = Buffer.allocUnsafeSlow(outLen)
    if (outLen <= SCRATCH_KEEP) encodeStringScratch = out
  }
  encodeInto(bytes, n, out)
  return latin1Slice(out, 0, outLen)
}

/** Encodes a string (as UTF-8) or bytes as unpadded base64url. */
export function encode(input: string | Uint8Array): string {
  if (typeof input === 'string') return encodeString(input)
  if (input instanceof Uint8Array) return encodeBytes(input)
  throw new JwtError('ERR_JWT_INVALID_OPTION', 'base64url.encode expects a string or a Uint8Array')
}

/** Bytes decoded from `len` canonical base64url characters, or -1 for a length that no byte string encodes to. */
function decodedLength(len: number): number {
  const rem = len & 3
  if (rem === 1) return -1
  return ((len - rem) / 4) * 3 + (rem === 0 ? 0 : rem - 1)
}

/**
 * Decodes `input[start, end)` into `out` (which has room for {@link decodedLength} bytes). Returns -1 if the text
 * is not canonical unpadded base64url; otherwise 1 if some decoded byte is >= 0x80, else 0.
 * Refuses padding, '+', '/', whitespace, any other character, a length of 1 mod 4 (no byte string encodes to
 * it), and non-zero bits in the last digit (so each byte string has one spelling only).
 */
function decodeCharsInto(input: string, start: number, end: number, out: Uint8Array): number {
  const len = end - start
  const rem = len & 3
  if (rem === 1) return -1
  const full = end - rem
  // `chars` collects every char code (any >= 0x80 is outside the alphabet), `digits` every 6-bit value (0xff
  // marks a non-alphabet char below 0x80), `bytes` every decoded 24-bit group (for the ASCII test).
  let chars = 0
  let digits = 0
  let bytes = 0
  let o = 0
  let i = start
  for (; i < full; i += 4) {
    const c0 = input.charCodeAt(i)
    const c1 = input.charCodeAt(i + 1)
    const c2 = input.charCodeAt(i + 2)
    const c3 = input.charCodeAt(i + 3)
    chars |= c0 | c1 | c2 | c3
    const a = DECODE[c0 & 0x7f] as number
    const b = DECODE[c1 & 0x7f] as number
    const c = DECODE[c2 & 0x7f] as number
    const d = DECODE[c3 & 0x7f] as number
    digits |= a | b | c | d
    const v = (a << 18) | (b << 12) | (c << 6) | d
    bytes |= v
    out[o] = v >>> 16
    out[o + 1] = v >>> 8
    out[o + 2] = v
    o += 3
  }
  if (rem === 2) {
    const c0 = input.charCodeAt(i)
    const c1 = input.charCodeAt(i + 1)
    chars |= c0 | c1
    const a = DECODE[c0 & 0x7f] as number
    const b = DECODE[c1 & 0x7f] as number
    digits |= a | b
    // The last digit carries 2 bits of data and 4 bits that must be zero.
    if ((b & 15) !== 0) return -1
    const v = (a << 2) | (b >>> 4)
    bytes |= v << 16
    out[o] = v
  } else if (rem === 3) {
    const c0 = input.charCodeAt(i)
    const c1 = input.charCodeAt(i + 1)
    const c2 = input.charCodeAt(i + 2)
    chars |= c0 | c1 | c2
    const a = DECODE[c0 & 0x7f] as number
    const b = DECODE[c1 & 0x7f] as number
    const c = DECODE[c2 & 0x7f] as number
    digits |= a | b | c
    // The last digit carries 4 bits of data and 2 bits that must be zero.
    if ((c & 3) !== 0) return -1
    const v = (a << 10) | (b << 4) | (c >>> 2)
    bytes |= v << 8
    out[o] = v >>> 8
    out[o + 1] = v
  }
  if (chars > 0x7f || digits > 63) return -1
  return (bytes & 0x808080) === 0 ? 0 : 1
}

/** Owned by {@link decodeBytesInto} alone. */
let textBytesScratch = Buffer.allocUnsafe(4096)

/**
 * {@link decodeCharsInto} for long text: V8 reads bytes from a Uint8Array about three times faster than char
 * codes from a string, and copying ASCII text to bytes is one native call. The copy is UTF-8 with room for two
 * spare bytes, so that the first non-ASCII char (at index <= len - 1, at most 3 bytes) is always written whole:
 * its bytes are >= 0x80, outside the alphabet, and the byte count differs from the char count whenever the text
 * is not all ASCII. Either one refuses it.
 */
function decodeBytesInto(input: string, start: number, end: number, out: Uint8Array): number {
  const len = end - start
  const rem = len & 3
  if (rem === 1) return -1
  let src = textBytesScratch
  if (src.length < len + 2) {
    src = Buffer.allocUnsafeSlow(len + 2)
    if (len + 2 <= SCRATCH_KEEP) textBytesScratch = src
  }
  const text = start === 0 && end === input.length ? input : input.slice(start, end)
  if (utf8Write(src, text, 0, len + 2) !== len) return -1
  const full = len - rem
  let digits = 0
  let bytes = 0
  let o = 0
  let i = 0
  for (; i < full; i += 4) {
    const a = DECODE[src[i] as number] as number
    const b = DECODE[src[i + 1] as number] as number
    const c = DECODE[src[i + 2] as number] as number
    const d = DECODE[src[i + 3] as number] as number
    digits |= a | b | c | d
    const v = (a << 18) | (b << 12) | (c << 6) | d
    bytes |= v
    out[o] = v >>> 16
    out[o + 1] = v >>> 8
    out[o + 2] = v
    o += 3
  }
  if (rem === 2) {
    const a = DECODE[src[i] as number] as number
    const b = DECODE[src[i + 1] as number] as number
    digits |= a | b
    if ((b & 15) !== 0) return -1
    const v = (a << 2) | (b >>> 4)
    bytes |= v << 16
    out[o] = v
  } else if (rem === 3) {
    const a = DECODE[src[i] as number] as number
    const b = DECODE[src[i + 1] as number] as number
    const c = DECODE[src[i + 2] as number] as number
    digits |= a | b | c
    if ((c & 3) !== 0) return -1
    const v = (a << 10) | (b << 4) | (c >>> 2)
    bytes |= v << 8
    out[o] = v >>> 8
    out[o + 1] = v
  }
  if (digits > 63) return -1
  return (bytes & 0x808080) === 0 ? 0 : 1
}

/** -1 if `input[start, end)` is not canonical base64url; else 1 if a decoded byte is >= 0x80, else 0. */
function decodeInto(input: string, start: number, end: number, out: Uint8Array): number {
  return end - start < BYTES_FROM ? decodeCharsInto(input, start, end, out) : decodeBytesInto(input, start, end, out)
}

/**
 * Decodes canonical unpadded base64url. Refuses padding, '+', '/', whitespace, any other character, a length
 * of 1 mod 4 (no byte string encodes to it), and non-zero bits in the last digit (so each byte string has one
 * spelling only).
 */
export function decode(input: string): Uint8Array {
  if (typeof input !== 'string') throw malformed()
  const n = decodedLength(input.length)
  if (n < 0) throw malformed()
  // Memory of its own (Buffer.alloc never uses the shared pool): a pooled Buffer's `.buffer` would expose the
  // shared 8 KiB slab (other requests' data, key copies) to whoever receives the result.
  // A plain Uint8Array of its own, not a Buffer from the shared pool, whose `.buffer` would expose other data of
  // the process to whoever receives the result. (V8 also allocates it faster than Buffer.alloc.)
  const out = new Uint8Array(n)
  if (decodeInto(input, 0, input.length, out) < 0) throw malformed()
  return out
}

/** Owned by {@link decodeRangeToString} alone. */
let decodeScratch = Buffer.allocUnsafe(4096)

/**
 * Decodes the canonical base64url in `input[start, end)`, then strict UTF-8 (invalid bytes are an error; a BOM
 * is kept, not dropped). ASCII output (no byte >= 0x80) is valid UTF-8 by definition and is sliced out directly.
 */
export function decodeRangeToString(input: string, start: number, end: number): string {
  const n = decodedLength(end - start)
  if (n < 0) throw malformed()
  let out = decodeScratch
  if (out.length < n) {
    out = Buffer.allocUnsafe(n)
    if (n <= SCRATCH_KEEP) decodeScratch = out
  }
  const r = decodeInto(input, start, end, out)
  if (r === 0) return latin1Slice(out, 0, n)
  if (r < 0) throw malformed()
  try {
    return UTF8.decode(out.subarray(0, n))
  } catch (cause) {
    throw new JwtError('ERR_JWT_MALFORMED', 'invalid UTF-8 in a token segment', { cause })
  }
}

/** Decodes canonical base64url and then strict UTF-8 (invalid bytes are an error; a BOM is kept, not dropped). */
export function decodeToString(input: string): string {
  if (typeof input !== 'string') throw malformed()
  return decodeRangeToString(input, 0, input.length)
}
