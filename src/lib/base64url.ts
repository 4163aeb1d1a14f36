/**
 * A strict, canonical base64url codec (RFC 4648 §5, as used by RFC 7515 §2 "Base64url Encoding").
 *
 * Written by hand rather than with Buffer's 'base64url' encoding because Buffer's decoder is lenient: it skips
 * characters outside the alphabet, accepts '+', '/', '=' and whitespace, and ignores non-zero trailing bits, so
 * many strings decode to the same bytes. A JWT library that accepts several spellings of one token breaks caches
 * and denylists keyed on the token string. Here every byte string has exactly one accepted spelling.
 */
import { JwtError } from '../errors.js'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** char code of the base64url digit for each 6-bit value */
const ENCODE = new Uint8Array(64)
/** 6-bit value for each char code below 128, or -1 */
const DECODE = new Int8Array(128).fill(-1)
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

function malformed(): JwtError {
  return new JwtError('ERR_JWT_MALFORMED', 'invalid base64url: not canonical unpadded base64url')
}

/** Encodes bytes as unpadded base64url. */
export function encodeBytes(bytes: Uint8Array): string {
  const n = bytes.length
  const rem = n % 3
  const full = n - rem
  const outLen = (full / 3) * 4 + (rem === 0 ? 0 : rem + 1)
  const out = Buffer.allocUnsafe(outLen)
  let o = 0
  let i = 0
  for (; i < full; i += 3) {
    const v = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number)
    out[o++] = ENCODE[v >>> 18] as number
    out[o++] = ENCODE[(v >>> 12) & 63] as number
    out[o++] = ENCODE[(v >>> 6) & 63] as number
    out[o++] = ENCODE[v & 63] as number
  }
  if (rem === 1) {
    const v = bytes[i] as number
    out[o++] = ENCODE[v >>> 2] as number
    out[o++] = ENCODE[(v & 3) << 4] as number
  } else if (rem === 2) {
    const v = ((bytes[i] as number) << 8) | (bytes[i + 1] as number)
    out[o++] = ENCODE[v >>> 10] as number
    out[o++] = ENCODE[(v >>> 4) & 63] as number
    out[o++] = ENCODE[(v & 15) << 2] as number
  }
  return out.toString('latin1', 0, outLen)
}

/** Encodes a string (as UTF-8) or bytes as unpadded base64url. */
export function encode(input: string | Uint8Array): string {
  if (typeof input === 'string') return encodeBytes(Buffer.from(input, 'utf8'))
  if (input instanceof Uint8Array) return encodeBytes(input)
  throw new JwtError('ERR_JWT_INVALID_OPTION', 'base64url.encode expects a string or a Uint8Array')
}

function digit(input: string, i: number): number {
  const c = input.charCodeAt(i)
  const v = c < 128 ? (DECODE[c] as number) : -1
  if (v < 0) throw malformed()
  return v
}

/**
 * Decodes canonical unpadded base64url. Refuses padding, '+', '/', whitespace, any other character, a length
 * of 1 mod 4 (no byte string encodes to it), and non-zero bits in the last digit (so each byte string has one
 * spelling only).
 */
export function decode(input: string): Uint8Array {
  if (typeof input !== 'string') throw malformed()
  const len = input.length
  const rem = len & 3
  if (rem === 1) throw malformed()
  const full = len - rem
  // A plain Uint8Array of its own, not Buffer.allocUnsafe: a pooled Buffer's `.buffer` would expose the shared
  // 8 KiB pool (other requests' data, key copies) to whoever receives the result.
  const out = new Uint8Array((full / 4) * 3 + (rem === 0 ? 0 : rem - 1))
  let o = 0
  let i = 0
  for (; i < full; i += 4) {
    const v = (digit(input, i) << 18) | (digit(input, i + 1) << 12) | (digit(input, i + 2) << 6) | digit(input, i + 3)
    out[o++] = v >>> 16
    out[o++] = (v >>> 8) & 255
    out[o++] = v & 255
  }
  if (rem === 2) {
    const a = digit(input, i)
    const b = digit(input, i + 1)
    if ((b & 15) !== 0) throw malformed()
    out[o++] = (a << 2) | (b >>> 4)
  } else if (rem === 3) {
    const a = digit(input, i)
    const b = digit(input, i + 1)
    const c = digit(input, i + 2)
    if ((c & 3) !== 0) throw malformed()
    out[o++] = (a << 2) | (b >>> 4)
    out[o++] = ((b & 15) << 4) | (c >>> 2)
  }
  return out
}

/** Decodes canonical base64url and then strict UTF-8 (invalid bytes are an error; a BOM is kept, not dropped). */
export function decodeToString(input: string): string {
  const bytes = decode(input)
  try {
    return UTF8.decode(bytes)
  } catch (cause) {
    throw new JwtError('ERR_JWT_MALFORMED', 'invalid UTF-8 in a token segment', { cause })
  }
}
