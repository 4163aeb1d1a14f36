import { types } from 'node:util'
import { invalidOption } from './errors.js'
import { decode, decodeToString, encode } from './lib/base64url.js'
import { isDetached } from './lib/detached.js'

/**
 * The public encode: the input is checked by its internal slots (util.types: no Proxy trap runs, so a revoked
 * Proxy is simply "not a Uint8Array"), and a view over a detached buffer, whose length reads 0, is refused rather
 * than encoded as ''.
 */
function checkedEncode(input: string | Uint8Array): string {
  if (typeof input === 'string') return encode(input)
  if (!types.isUint8Array(input)) {
    throw invalidOption('base64url.encode expects a string or a Uint8Array')
  }
  if (input.byteLength === 0 && isDetached(input)) {
    throw invalidOption('base64url.encode was given a Uint8Array over a detached buffer')
  }
  return encode(input)
}

/**
 * The strict base64url codec jwt-codec uses (RFC 4648 §5 without padding, as RFC 7515 §2 requires).
 * Unlike `Buffer.from(s, 'base64url')`, `decode` refuses anything that is not the one canonical spelling:
 * padding, `+`, `/`, whitespace, other characters, a length of 1 mod 4, and non-zero trailing bits.
 *
 * @example
 * ```ts
 * import { base64url } from 'jwt-codec'
 * base64url.encode('héllo')          // 'aMOpbGxv'
 * base64url.decodeToString('aMOpbGxv') // 'héllo'
 * base64url.decode('aGk=')            // throws JwtError ERR_JWT_MALFORMED (padding)
 * ```
 */
export const base64url: {
  /**
   * Encodes a string (as UTF-8) or bytes as unpadded base64url.
   * @param input - a string or a Uint8Array
   * @returns the base64url text
   * @throws {JwtError} `ERR_JWT_INVALID_OPTION` if input is neither a string nor a Uint8Array, or is a Uint8Array
   *   over a detached (transferred) buffer
   * @example
   * ```ts
   * base64url.encode(new Uint8Array([255, 254])) // '__4'
   * ```
   */
  encode(input: string | Uint8Array): string
  /**
   * Decodes canonical base64url to bytes.
   * @param input - base64url text
   * @returns the bytes
   * @throws {JwtError} `ERR_JWT_MALFORMED` if the input is not canonical unpadded base64url
   * @example
   * ```ts
   * base64url.decode('__4') // Uint8Array [255, 254]
   * ```
   */
  decode(input: string): Uint8Array
  /**
   * Decodes canonical base64url, then strict UTF-8.
   * @param input - base64url text
   * @returns the text
   * @throws {JwtError} `ERR_JWT_MALFORMED` if the input is not canonical base64url or not valid UTF-8
   * @example
   * ```ts
   * base64url.decodeToString('aGk') // 'hi'
   * ```
   */
  decodeToString(input: string): string
} = Object.freeze({ encode: checkedEncode, decode, decodeToString })
