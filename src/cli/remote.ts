/**
 * Remote key sets for `jwt verify`: `--jwks URL` (the library's createRemoteKeySet) and `--issuer-discovery ISSUER`
 * (discoverKeySet, OpenID Connect Discovery), with `--jwks-timeout` for each fetch. The URL is the user's, never a
 * token's (`jku`, `x5u`, `iss` are never followed). The library checks it when the set is made, before any input
 * is read or anything fetched, and a refusal (plain `http:` off loopback, credentials, not absolute) is a usage
 * error naming the flag.
 */
import {
  createRemoteKeySet,
  discoverKeySet,
  isJwtError,
  type RemoteKeySet,
  type RemoteKeySetOptions,
} from '../index.js'
import { type OptionSpec, type Parsed, stringValue } from './args.js'
import { UsageError } from './io.js'

/** Options of `jwt verify` that name a remote key set. */
export const REMOTE_OPTIONS: OptionSpec = {
  jwks: { type: 'string' },
  'issuer-discovery': { type: 'string' },
  'jwks-timeout': { type: 'string' },
}

/** A remote key set, and the issuer `--issuer-discovery` named (the `iss` a token must have unless `--iss`). */
export interface RemoteSource {
  kind: 'remote'
  keySet: RemoteKeySet
  issuer?: string
}

/** The key options a remote set excludes; JWT_SECRET is ignored, as it is with --key-file (a shell default). */
const OTHER_SOURCES = ['key-file', 'secret-file', 'secret-encoding'] as const

/** Turns the library's refusal of an option into a usage error that names the flag; anything else is rethrown. */
function asUsage<T>(flag: string, make: () => T): T {
  try {
    return make()
  } catch (error) {
    if (isJwtError(error) && error.code === 'ERR_JWT_INVALID_OPTION') {
      throw new UsageError(`${flag}: ${error.message}`)
    }
    throw error
  }
}

/** The remote key set the options name, or undefined when they name none. Nothing is fetched here. */
export function remoteSource(values: Parsed['values']): RemoteSource | undefined {
  const url = stringValue(values, 'jwks')
  const issuer = stringValue(values, 'issuer-discovery')
  const timeout = stringValue(values, 'jwks-timeout')
  if (url === undefined && issuer === undefined) {
    if (timeout !== undefined) throw new UsageError('--jwks-timeout is for --jwks URL and --issuer-discovery ISSUER')
    return undefined
  }
  if (url !== undefined && issuer !== undefined) {
    throw new UsageError('--jwks and --issuer-discovery cannot be combined: discovery finds the jwks_uri itself')
  }
  const flag = url !== undefined ? '--jwks' : '--issuer-discovery'
  for (const name of OTHER_SOURCES) {
    if (values[name] !== undefined) throw new UsageError(`${flag} and --${name} cannot be combined`)
  }
  const options: RemoteKeySetOptions = {}
  if (timeout !== undefined) {
    // The library's duration grammar, checked on a set that is never used: no second copy of it here.
    try {
      createRemoteKeySet('https://timeout.invalid/', { timeout })
    } catch {
      throw new UsageError('--jwks-timeout must be a duration above zero with a unit, such as 2s or 0.5s')
    }
    options.timeout = timeout
  }
  if (url !== undefined) return { kind: 'remote', keySet: asUsage(flag, () => createRemoteKeySet(url, options)) }
  const discovered = asUsage(flag, () => discoverKeySet(issuer as string, options))
  return { kind: 'remote', keySet: discovered, issuer: issuer as string }
}
