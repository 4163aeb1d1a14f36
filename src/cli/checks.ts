/**
 * Checks of option values that turn a mistake into a usage error (exit status 2) naming the command-line flag,
 * rather than a library error naming the option property.
 */
import { randomBytes } from 'node:crypto'
import { type Algorithm, createSigner, createVerifier, isJwtError } from '../index.js'
import { UsageError } from './io.js'

/** Hash output sizes: the minimum secret length for each algorithm (RFC 7518 §3.2). */
export const HASH_BYTES: Readonly<Record<Algorithm, number>> = { HS256: 32, HS384: 48, HS512: 64 }

export function algorithm(value: string | undefined): Algorithm {
  if (value === undefined) return 'HS256'
  if (value === 'HS256' || value === 'HS384' || value === 'HS512') return value
  throw new UsageError('--alg must be HS256, HS384 or HS512')
}

/**
 * A throwaway key long enough for every algorithm, so that a dry run of the library's own option check finds
 * only option mistakes. The duration grammar then stays the library's, with no second copy here to drift.
 */
const PROBE_KEY = randomBytes(64)

function probe(flag: string, run: () => unknown): void {
  try {
    run()
  } catch (error) {
    if (isJwtError(error) && error.code === 'ERR_JWT_INVALID_OPTION') {
      throw new UsageError(`${flag} must be a duration with a unit, such as 30s, 15m, 24h or 7d`)
    }
    throw error
  }
}

/** A duration for sign (`--exp`, `--nbf`): negative values are allowed, to make expired tokens for tests. */
export function signDuration(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined) probe(flag, () => createSigner(PROBE_KEY, { expiresIn: value }))
  return value
}

/** A duration for verify (`--leeway`, `--max-age`): never negative. */
export function verifyDuration(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined) probe(flag, () => createVerifier(PROBE_KEY, { clockTolerance: value }))
  return value
}
