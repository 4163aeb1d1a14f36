/**
 * The one secret and token every stack of the request benchmark checks: HS256, the default header, a small claim
 * set with `exp` an hour ahead, so every verifier runs its expiry check.
 */
import { sign } from '../../src/index.js'

/** 36 bytes: long enough for HS256 in every library here (none warns or refuses it). */
export const SECRET = 'request-bench-secret-0123456789abcdef'
export const SUBJECT = 'user-1234'
/** The route every stack serves. */
export const PATH = '/api/me'

/** The token, as a flat string (as one read from a socket is). */
export function makeToken(now = Math.floor(Date.now() / 1000)): string {
  const token = sign({ sub: SUBJECT, name: 'Request Bench', scope: 'read', iat: now, exp: now + 3600 }, SECRET)
  return Buffer.from(token, 'latin1').toString('latin1')
}
