/**
 * Direct latin1 copies between strings and Buffers, used by the hot paths (base64url text, HMAC input).
 *
 * Node's Buffer has `latin1Slice` and `latin1Write` methods that `toString('latin1')` and `write(..., 'latin1')`
 * end up calling; calling them directly skips the argument normalisation, which is a measurable share of the
 * cost for strings of a few dozen characters. They are not in @types/node, so they are reached through a narrow
 * interface here, with the documented methods as the fallback should a Node version lack them.
 */

interface Latin1Methods {
  latin1Slice(start: number, end: number): string
  latin1Write(text: string, offset: number, length: number): number
}

const proto = Buffer.prototype as unknown as Partial<Latin1Methods>
const direct = typeof proto.latin1Slice === 'function' && typeof proto.latin1Write === 'function'

/** The bytes `buffer[start, end)` as a one-byte string (each byte one char). */
export const latin1Slice: (buffer: Buffer, start: number, end: number) => string = direct
  ? (buffer, start, end) => (buffer as unknown as Latin1Methods).latin1Slice(start, end)
  : (buffer, start, end) => buffer.toString('latin1', start, end)

/**
 * Writes the low byte of each of the first `length` char codes of `text` into `buffer` at `offset`; returns the
 * number of bytes written. The caller makes sure that `offset + length` fits.
 */
export const latin1Write: (buffer: Buffer, text: string, offset: number, length: number) => number = direct
  ? (buffer, text, offset, length) => (buffer as unknown as Latin1Methods).latin1Write(text, offset, length)
  : (buffer, text, offset, length) => buffer.write(text, offset, length, 'latin1')

interface Utf8Methods {
  utf8Write(text: string, offset: number, length: number): number
}

const utf8Direct = typeof (Buffer.prototype as unknown as Partial<Utf8Methods>).utf8Write === 'function'

/**
 * Writes `text` as UTF-8 into `buffer` at `offset`, at most `length` bytes and only whole characters; returns the
 * number of bytes written. For ASCII text this is a native copy, much faster than reading char codes one by one.
 */
export const utf8Write: (buffer: Buffer, text: string, offset: number, length: number) => number = utf8Direct
  ? (buffer, text, offset, length) => (buffer as unknown as Utf8Methods).utf8Write(text, offset, length)
  : (buffer, text, offset, length) => buffer.write(text, offset, length, 'utf8')
