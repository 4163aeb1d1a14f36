/**
 * Checks of option values that turn a mistake into a usage error (exit status 2) naming the command-line flag,
 * rather than a library error naming the option property.
 */
import { randomBytes } from 'node:crypto'
import { type Algorithm, createSigner, createVerifier, isJwtError } from '../index.js'
import { ALGORITHMS, algorithmSpec } from '../lib/algorithms.js'
import { UsageError } from './io.js'

/** The HMAC algorithms, from the library's table: the ones a shared secret can be used with. */
const HMAC: readonly Algorithm[] = ALGORITHMS.filter((alg) => algorithmSpec(alg).family === 'oct')

/** The minimum secret length of an HMAC algorithm (RFC 7518 §3.2): its hash output size. */
export function secretBytesFor(alg: Algorithm): number {
  return algorithmSpec(alg).hashBytes
}

export function algorithm(value: string | undefined): Algorithm {
  if (value === undefined) return 'HS256'
  if (HMAC.includes(value as Algorithm)) return value as Algorithm
  throw new UsageError(`--alg must be ${HMAC.slice(0, -1).join(', ')} or ${HMAC[HMAC.length - 1]}`)
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
