/**
 * Splitting a compact JWS (RFC 7515 §7.1) and parsing its JSON segments strictly.
 */
import { malformed } from '../errors.js'
import { decode, decodeRangeToString } from './base64url.js'

export const DEFAULT_MAX_TOKEN_LENGTH = 8192

/** The positions of the two dots of a compact token. */
export interface Split {
  /** index of the first '.' */
  readonly d1: number
  /** index of the second '.' */
  readonly d2: number
}

/**
 * Checks the type and size first (cheap, before any decoding), then that there are exactly three segments.
 * A five-segment JWE is refused here, before any decryption-shaped work.
 */
export function splitToken(token: unknown, maxLength: number): Split {
  if (typeof token !== 'string') throw malformed('the token must be a string')
  if (token.length > maxLength) throw malformed('the token is longer than maxTokenLength')
  const d1 = token.indexOf('.')
  const d2 = d1 === -1 ? -1 : token.indexOf('.', d1 + 1)
  if (d2 === -1 || token.indexOf('.', d2 + 1) !== -1) {
    throw malformed('the token must have three dot-separated segments')
  }
  return { d1, d2 }
}

/**
 * Decodes one JSON segment: canonical base64url, strict UTF-8, no byte-order mark, JSON, and a plain object
 * (RFC 7515 §4 and RFC 7519 §7.2 require a JSON object). JSON.parse defines `__proto__` as an own data property,
 * so a hostile `__proto__` member cannot change any prototype.
 */
export function parseObjectSegment(segment: string, what: 'header' | 'payload'): Record<string, unknown> {
  return parseObjectRange(segment, 0, segment.length, what)
}

/** {@link parseObjectSegment} of `token[start, end)`, without slicing the segment out first. */
export function parseObjectRange(
  token: string,
  start: number,
  end: number,
  what: 'header' | 'payload',
): Record<string, unknown> {
  const text = decodeRangeToString(token, start, end)
  if (text.charCodeAt(0) === 0xfeff) {
    throw malformed(`the ${what} starts with a byte-order mark`)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    // No `cause`: V8's SyntaxError quotes the start of the text, and error messages must not carry token content.
    throw malformed(`the ${what} is not valid JSON`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(`the ${what} must be a JSON object`)
  }
  return value as Record<string, unknown>
}

/**
 * Checks that a segment is canonical base64url without reading what it says: the signature where no MAC is
 * checked (decodeUnverified), and the payload and signature once a MAC has failed (verify), so that a misspelt
 * segment is reported as MALFORMED either way.
 */
export function checkCanonical(segment: string): void {
  decode(segment)
}

/** Reads an own property only: inherited names such as `constructor` or `toString` never count as present. */
export function own(object: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(object, name) ? object[name] : undefined
}
