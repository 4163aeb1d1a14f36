/**
 * Turning the `secret` option into a token verifier. A fixed key or key set gets one verifier, made when the
 * adapter is made, returning the payload (or, with `complete`, the complete result) like `createVerifier` itself.
 * A resolver goes through the core's resolver path (lib/resolve.ts), with the request added to its input.
 */
import { compileVerifyOptions, type VerifyOptionValues } from '../lib/options.js'
import { remoteSetCache } from '../lib/remote.js'
import { ResolverVerifier } from '../lib/resolve.js'
import { parseObjectRange } from '../lib/segments.js'
import type {
  AnyVerifyOptions,
  CompleteResult,
  JwtHeader,
  JwtPayload,
  KeyInput,
  KeySet,
  RemoteKeySet,
} from '../types.js'
import { createVerifier } from '../verify.js'
import type { SecretResolver, SecretResolverInput } from './types.js'

/**
 * Verifies one token, to what the adapter attaches: the payload, or `{ header, payload, signature }` with the
 * adapter's `complete`. Without `complete` the verifier keeps its header memo and known-header fast path, so an
 * adapter pays for the header object only when it is asked for one (`isRevoked`, see {@link verifiedHeader}).
 * The request is for a resolver, which may choose the key by it (a tenant's `Host`, a path prefix).
 */
export type TokenVerifier = (token: string, request: unknown) => Verified | Promise<Verified>

/** A verified token as an adapter carries it: the payload, or the complete result with `complete: true`. */
export type Verified = JwtPayload | CompleteResult

/**
 * The header of a token that has just verified, parsed afresh (the caller may keep or change it): for `isRevoked`
 * when the adapter's verifier returned only the payload. Its checks passed, so parsing it again cannot fail.
 */
export function verifiedHeader(token: string): JwtHeader {
  return parseObjectRange(token, 0, token.indexOf('.'), 'header') as JwtHeader
}

/** The core's verifier for a key or a key set; a remote set's answers are Promises. */
function verifierFor(
  key: KeyInput | KeySet | RemoteKeySet,
  options: AnyVerifyOptions,
): (token: string) => Verified | Promise<Verified> {
  return remoteSetCache(key) !== undefined
    ? createVerifier(key as RemoteKeySet, options)
    : createVerifier(key as KeyInput | KeySet, options)
}

/**
 * Makes the verifier for the adapter's `secret`. `options` are the adapter's own checked copies of the verify
 * options (read once when the adapter was made), never the caller's object: every verifier made later for a
 * resolved secret, and the allowlist checked before the resolver is asked, use exactly what was checked then.
 */
export function makeTokenVerifier(
  secret: KeyInput | KeySet | RemoteKeySet | SecretResolver<unknown>,
  options: VerifyOptionValues,
  complete: boolean,
): TokenVerifier {
  // A frozen object of our own: createVerifier reads it as data, and nothing can change it between secrets.
  const verifyOptions: AnyVerifyOptions = Object.freeze({ ...options, complete })
  if (typeof secret !== 'function') return verifierFor(secret, verifyOptions)

  // The core's resolver path (lib/resolve.ts): the `alg` and `kid` are checked before the resolver is asked (never
  // for `none`, nor an algorithm outside the allowlist), and it keeps one verifier per resolved key or set. The
  // adapter adds the request to what the resolver sees.
  const resolver = new ResolverVerifier<SecretResolverInput<unknown>>(
    compileVerifyOptions(verifyOptions),
    secret as (input: SecretResolverInput<unknown>) => unknown,
  )
  return (token: string, request: unknown) => resolver.verify(token, { request }) as Promise<Verified>
}
