/**
 * Shared test helpers. Tokens are forged here with node:crypto and Buffer's own base64url, independently of the
 * code under test, so a bug in src/ cannot hide itself by agreeing with itself.
 */
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { JwtError, type JwtErrorCode } from '../src/index.js'

/** 64 bytes: long enough for HS256, HS384 and HS512. */
export const SECRET = 'test-secret:0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP'
/** Exactly 32 bytes: the shortest HS256 secret. */
export const SECRET32 = 'thirty-two-byte-secret-for-hs256'

export const HASH = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' } as const
export type Alg = keyof typeof HASH

/** base64url of a string's UTF-8 bytes or of raw bytes, by Buffer (the reference, not our codec). */
export function b64(input: string | Uint8Array): string {
  return Buffer.from(input).toString('base64url')
}

/** A header or payload segment: an object is JSON-serialised; a string is taken as the raw JSON text. */
export function segment(part: object | string): string {
  return b64(typeof part === 'string' ? part : JSON.stringify(part))
}

/** The HMAC of a signing input, base64url, computed with node:crypto directly. */
export function hmac(signingInput: string, key: string | Uint8Array = SECRET, alg: Alg = 'HS256'): string {
  return createHmac(HASH[alg], key).update(signingInput).digest('base64url')
}

/** Builds a correctly signed token from arbitrary header and payload (objects or raw JSON text). */
export function forge(
  header: object | string,
  payload: object | string,
  key: string | Uint8Array = SECRET,
  alg: Alg = 'HS256',
): string {
  const input = `${segment(header)}.${segment(payload)}`
  return `${input}.${hmac(input, key, alg)}`
}

/** Runs `fn`, asserts it throws a JwtError with `code` (and the given own properties), and returns the error. */
export function throwsCode(fn: () => unknown, code: JwtErrorCode, props?: Record<string, unknown>): JwtError {
  let caught: unknown
  let threw = false
  try {
    fn()
  } catch (err) {
    threw = true
    caught = err
  }
  assert.ok(threw, `expected ${code}, but nothing was thrown`)
  assert.ok(caught instanceof JwtError, `expected a JwtError ${code}, got ${String(caught)}`)
  assert.equal(caught.code, code, `expected ${code}, got ${caught.code}: ${caught.message}`)
  if (props !== undefined) {
    for (const [name, value] of Object.entries(props)) {
      assert.deepEqual((caught as unknown as Record<string, unknown>)[name], value, `error property ${name}`)
    }
  }
  return caught
}
