import { readOptions } from './lib/option-table.js'
import { maxTokenLength } from './lib/options.js'
import { checkCanonical, parseObjectSegment, splitToken } from './lib/segments.js'
import type { CompleteResult, DecodeOptions, JwtHeader, JwtPayload } from './types.js'

const DECODE_OPTIONS = { maxTokenLength } as const

/**
 * Decodes a token WITHOUT verifying it: no MAC check, no claim check. Use it to read a `kid` before choosing a
 * key, or to show a token in a debugging tool, never to make an access decision. The parsing is as strict as
 * {@link verify}'s: the same size limit, canonical base64url, strict UTF-8, JSON objects.
 *
 * @param token - the compact JWT
 * @param options - `maxTokenLength` (default 8192)
 * @returns `{ header, payload, signature }`, none of it trustworthy
 * @throws {JwtError} `ERR_JWT_MALFORMED` for a token that is not a well-formed compact JWS;
 *   `ERR_JWT_INVALID_OPTION` for bad options
 * @example
 * ```ts
 * import { decodeUnverified } from 'jwt-codec'
 * const { header } = decodeUnverified(token)
 * console.log(header.kid)
 * ```
 */
export function decodeUnverified<T extends object = JwtPayload>(
  token: string,
  options?: DecodeOptions,
): CompleteResult<T> {
  const o = readOptions(DECODE_OPTIONS, options, 'decode')
  const { d1, d2 } = splitToken(token, o.maxTokenLength)
  const header = parseObjectSegment(token.slice(0, d1), 'header') as JwtHeader
  const payload = parseObjectSegment(token.slice(d1 + 1, d2), 'payload') as T & JwtPayload
  const signature = token.slice(d2 + 1)
  checkCanonical(signature)
  return { header, payload, signature }
}
