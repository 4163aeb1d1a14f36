/** Secrets and tokens shared by the HTTP tests. */
import { base64url, type SignOptions, sign } from '../../src/index.js'

export const SECRET = 'http-test-secret-0123456789abcdef-0123456789'
export const OTHER_SECRET = 'another-secret-that-is-long-enough-for-hs256!'

export function token(payload: object = { sub: 'u1', role: 'reader' }, options?: SignOptions, secret = SECRET): string {
  return sign(payload, secret, { expiresIn: '1h', ...options })
}

export function expiredToken(): string {
  const now = Math.floor(Date.now() / 1000)
  return sign({ sub: 'u1' }, SECRET, { now: now - 7200, expiresIn: '1h' })
}

/** A token whose header says `alg: none` and whose signature is empty (RFC 7519 §6.1 unsecured JWT). */
export function noneToken(): string {
  return `${base64url.encode('{"alg":"none","typ":"JWT"}')}.${base64url.encode('{"sub":"admin"}')}.`
}

/** The same payload with the last signature character changed. */
export function tampered(value: string): string {
  // Change a signature character other than the last, so the segment stays canonical base64url and the
  // refusal is the MAC's (ERR_JWT_SIGNATURE), not the encoding's (ERR_JWT_MALFORMED).
  const i = value.length - 5
  const swapped = value[i] === 'A' ? 'B' : 'A'
  return value.slice(0, i) + swapped + value.slice(i + 1)
}
