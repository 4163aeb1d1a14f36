/**
 * Builds tokens the way an attacker would: header and payload are JSON text we write by hand (so they can be
 * anything, including things our signer would never produce), encoded with Buffer's base64url (an encoder that is
 * not ours) and MACed with node:crypto directly, so a bug in src/ cannot hide itself by agreeing with itself.
 * The one helper module for tokens, secrets and error assertions; the HTTP tests' signed tokens are in tokens.ts.
 */
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { JwtError, type JwtErrorCode } from '../../src/index.js'

/** 64 bytes: long enough for HS512, so one key serves all three algorithms. */
export const SECRET = 'hardening-secret-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHI'
/** Another valid secret, for "signed with the wrong key". */
export const OTHER_SECRET = 'another-secret-9876543210-zyxwvutsrqponmlkjihgfedcba-ZYXWVUTSRQ'
/** A fixed "now" (seconds) so claim tests do not depend on the clock. */
export const NOW = 1_700_000_000

const HASH: Record<string, string> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }

/** Reference base64url (Buffer's encoder, not ours). */
export function b64(input: string | Uint8Array): string {
  return Buffer.from(input as Uint8Array).toString('base64url')
}

/** A header or payload: JSON text as written, or a value to JSON.stringify. */
export type Part = string | object

function text(part: Part): string {
  return typeof part === 'string' ? part : JSON.stringify(part)
}

/** The MAC of `signingInput` with node:crypto, unpadded base64url. */
export function hmac(signingInput: string, key: string | Uint8Array = SECRET, alg = 'HS256'): string {
  const hash = HASH[alg]
  if (hash === undefined) throw new Error(`no hash for ${alg}`)
  return createHmac(hash, key).update(signingInput).digest('base64url')
}

export interface ForgeOptions {
  /** The key to MAC with (default SECRET). */
  key?: string | Uint8Array
  /** The HMAC used to sign, independent of the header's `alg` (default: the header's alg if HS*, else HS256). */
  macAlg?: string
}

/**
 * Assembles `b64(header).b64(payload).MAC`. Header and payload are JSON text (written as given) or values.
 * The MAC is computed over exactly the two segments, so a token that differs from a valid one in only one
 * property differs in only that property.
 */
export function forge(header: Part, payload: Part, options: ForgeOptions = {}): string {
  const signingInput = `${b64(text(header))}.${b64(text(payload))}`
  return `${signingInput}.${macFor(signingInput, header, options)}`
}

/** Like {@link forge} but with raw segments (already encoded, possibly non-canonical), MACed as given. */
export function forgeSegments(headerSegment: string, payloadSegment: string, options: ForgeOptions = {}): string {
  const signingInput = `${headerSegment}.${payloadSegment}`
  return `${signingInput}.${hmac(signingInput, options.key ?? SECRET, options.macAlg ?? 'HS256')}`
}

function macFor(signingInput: string, header: Part, options: ForgeOptions): string {
  let alg = options.macAlg
  if (alg === undefined) {
    const h: unknown = typeof header === 'string' ? safeParse(header) : header
    const named = typeof h === 'object' && h !== null ? (h as Record<string, unknown>).alg : undefined
    alg = typeof named === 'string' && Object.hasOwn(HASH, named) ? named : 'HS256'
  }
  return hmac(signingInput, options.key ?? SECRET, alg)
}

function safeParse(s: string): unknown {
  try {
    return JSON.parse(s)
  } catch {
    return undefined
  }
}

/** Runs `fn` and asserts that it throws a JwtError with exactly this code; returns the error. */
export function throwsCode(fn: () => unknown, code: JwtErrorCode): JwtError {
  let caught: unknown
  try {
    fn()
  } catch (err) {
    caught = err
  }
  assert.ok(caught !== undefined, `expected ${code}, but the call returned normally`)
  assert.ok(caught instanceof JwtError, `expected a JwtError ${code}, got ${String(caught)}`)
  assert.equal(caught.code, code, `expected ${code}, got ${caught.code}: ${caught.message}`)
  return caught
}

/** Asserts that `fn` either returns or throws a JwtError: never any other kind of exception. */
export function onlyJwtErrors(fn: () => unknown): void {
  try {
    fn()
  } catch (err) {
    if (!(err instanceof JwtError)) {
      assert.fail(`threw a non-JwtError: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`)
    }
  }
}

/** Replaces the character at `i`. */
export function replaceAt(s: string, i: number, c: string): string {
  return s.slice(0, i) + c + s.slice(i + 1)
}

/** Exactly 32 bytes: the shortest secret HS256 accepts (RFC 7518 §3.2), for "just long enough" cases. */
export const SECRET32 = 'thirty-two-byte-secret-for-hs256'

/** One encoded header or payload segment (reference base64url): JSON text as written, or a value to stringify. */
export function segment(part: Part): string {
  return b64(text(part))
}

/**
 * Like {@link throwsCode}, and also compares the error's own properties with deep equality (e.g. `claim`,
 * `expiredAt`, `date`, `status`); returns the error.
 */
export function throwsCodeWith(fn: () => unknown, code: JwtErrorCode, props: Record<string, unknown>): JwtError {
  const caught = throwsCode(fn, code)
  for (const [name, value] of Object.entries(props)) {
    assert.deepEqual((caught as unknown as Record<string, unknown>)[name], value, `error property ${name}`)
  }
  return caught
}
