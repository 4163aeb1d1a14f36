/**
 * Checks of option values that turn a mistake into a usage error (exit status 2) naming the command-line flag,
 * rather than a library error naming the option property. The algorithm names are the library's own list, never
 * a copy kept here.
 */
import { randomBytes } from 'node:crypto'
import { type Algorithm, createSigner, createVerifier, isJwtError } from '../index.js'
import { ALGORITHMS, algorithmSpec, isAlgorithm } from '../lib/algorithms.js'
import { UsageError } from './io.js'

/** The HMAC algorithms: the ones `jwt secret` makes secrets for and `--secret-file`/`JWT_SECRET` can sign with. */
export type HmacAlgorithm = Extract<Algorithm, `HS${string}`>

/** Whether the library's table puts the algorithm in the shared-secret family (JWK `kty` "oct"). */
export function isHmac(alg: Algorithm): alg is HmacAlgorithm {
  return algorithmSpec(alg).family === 'oct'
}

const HMAC_ALGORITHMS: readonly HmacAlgorithm[] = ALGORITHMS.filter(isHmac)
const KEY_PAIR_ALGORITHMS: readonly Algorithm[] = ALGORITHMS.filter((alg) => !isHmac(alg))

/** "A, B or C", for messages. */
function oneOf(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`
}

/** The minimum secret length of an HMAC algorithm: its hash's output size (RFC 7518 §3.2), 32, 48 or 64 bytes. */
export function hashBytes(alg: HmacAlgorithm): number {
  return algorithmSpec(alg).hashBytes
}

/** `--alg` of sign and verify: any algorithm the library has. */
export function algorithm(value: string): Algorithm {
  if (isAlgorithm(value)) return value
  throw new UsageError(`--alg must be ${oneOf(ALGORITHMS)}`)
}

/** `--alg` of `jwt secret`: an HMAC algorithm, HS256 when omitted; a key-pair algorithm is sent to `jwt keygen`. */
export function hmacAlgorithm(value: string | undefined): HmacAlgorithm {
  if (value === undefined) return 'HS256'
  if (isAlgorithm(value)) {
    if (isHmac(value)) return value
    throw new UsageError(`${value} signs with a key pair, not a shared secret: run jwt keygen --alg ${value}`)
  }
  throw new UsageError(`--alg must be ${oneOf(HMAC_ALGORITHMS)}`)
}

/** `--alg` of `jwt keygen`: required, and a key-pair algorithm; an HMAC one is sent to `jwt secret`. */
export function keyPairAlgorithm(value: string | undefined): Algorithm {
  if (value === undefined) throw new UsageError(`--alg is required: ${oneOf(KEY_PAIR_ALGORITHMS)}`)
  if (isAlgorithm(value)) {
    if (!isHmac(value)) return value
    throw new UsageError(`${value} signs with a shared secret, not a key pair: run jwt secret --alg ${value}`)
  }
  throw new UsageError(`--alg must be ${oneOf(KEY_PAIR_ALGORITHMS)}`)
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
