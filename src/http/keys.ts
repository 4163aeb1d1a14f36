/**
 * Turning the `secret` option into a token verifier. A fixed secret or key set gets one verifier, made when the
 * adapter is made. A resolver needs the header before the MAC: the token is decoded (strictly, but unverified), the
 * `alg` is checked against the allowlist so a resolver is never consulted for `none` or a foreign algorithm, the
 * resolver picks the key (or a key set), and a verifier for it does the real work, header checks included.
 */
import { KeyObject } from 'node:crypto'
import { types } from 'node:util'
import { decodeUnverified } from '../decode.js'
import { algorithmRefused, headerRefused } from '../errors.js'
import { isAlgorithm } from '../lib/algorithms.js'
import { isJwkObject, jwkContentId } from '../lib/keys.js'
import { localSetData } from '../lib/keyset.js'
import type { VerifyOptionValues } from '../lib/options.js'
import { remoteSetCache } from '../lib/remote.js'
import type { CompleteResult, KeyInput, KeySet, RemoteKeySet } from '../types.js'
import { type CompleteVerifyOptions, createVerifier } from '../verify.js'
import type { SecretResolver } from './types.js'

/**
 * Verifies one token; complete results, so the adapter has the header for `isRevoked`. The request is for a
 * resolver, which may choose the key by it (a tenant's `Host`, a path prefix).
 */
export type TokenVerifier = (token: string, request: unknown) => CompleteResult | Promise<CompleteResult>

/** How many verifiers a resolver's cache keeps for string and byte secrets (KeyObjects are held weakly). */
export const VERIFIER_CACHE_SIZE = 64

/**
 * Verifiers per resolved secret. KeyObjects are immutable, so one is keyed by identity in a WeakMap that lets
 * it go with the key. Strings and bytes are keyed by content (a Uint8Array can be changed in place after it was
 * returned, so its identity proves nothing) in a Map bounded to {@link VERIFIER_CACHE_SIZE}, least recently used
 * out first, so a resolver returning ever-new secrets cannot grow it without bound.
 */
class VerifierCache {
  private readonly byKeyObject = new WeakMap<KeyObject, (token: string) => CompleteResult>()
  private readonly byValue = new Map<string, (token: string) => CompleteResult>()

  /** `options` are the adapter's frozen copy, with `complete: true`. */
  constructor(private readonly options: CompleteVerifyOptions) {}

  get(secret: KeyInput): (token: string) => CompleteResult {
    if (secret instanceof KeyObject) {
      let verifier = this.byKeyObject.get(secret)
      if (verifier === undefined) {
        verifier = createVerifier(secret, this.options)
        this.byKeyObject.set(secret, verifier)
      }
      return verifier
    }
    let id: string | undefined
    if (typeof secret === 'string') id = `s${secret}`
    else if (secret instanceof Uint8Array)
      id = `b${Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength).toString('hex')}`
    // A JWK is keyed by its JSON: a resolver may hand out a fresh object (or change one) for every token.
    else id = jwkContentId(secret)
    // Anything else is not a secret: createVerifier refuses it with ERR_JWT_INVALID_OPTION.
    if (id === undefined) return createVerifier(secret, this.options)
    let verifier = this.byValue.get(id)
    if (verifier !== undefined) {
      this.byValue.delete(id)
    } else {
      verifier = createVerifier(secret, this.options)
      if (this.byValue.size >= VERIFIER_CACHE_SIZE) {
        const oldest = this.byValue.keys().next().value
        if (oldest !== undefined) this.byValue.delete(oldest)
      }
    }
    this.byValue.set(id, verifier)
    return verifier
  }
}

/**
 * The longest `kid` handed to a resolver. Key ids are short labels; a longer one is an attack on whatever the
 * resolver looks it up in (a database query, a log line, a cache key), refused before the resolver runs.
 */
export const MAX_KID_LENGTH = 256

/**
 * True for what a resolver may return as a key: a string, real `Uint8Array` bytes or a real `KeyObject` (both checked by
 * internal slot, so `Object.create(Uint8Array.prototype)` is neither). Anything else (`undefined`, `null`, the
 * function or prototype a `keys[header.kid]` lookup finds for `kid: "constructor"` or `"__proto__"`, a number, a
 * plain object) means "no key for this token".
 */
function isKey(value: unknown): value is KeyInput {
  return typeof value === 'string' || types.isUint8Array(value) || types.isKeyObject(value) || isJwkObject(value)
}

/** A set made by `createKeySet`, `createRemoteKeySet` or `discoverKeySet` (by the library's own records). */
function isKeySet(value: unknown): value is KeySet | RemoteKeySet {
  return localSetData(value) !== undefined || remoteSetCache(value) !== undefined
}

/** The core's verifier for a key or a key set; a remote set's answers are Promises. */
function verifierFor(
  key: KeyInput | KeySet | RemoteKeySet,
  options: CompleteVerifyOptions,
): (token: string) => CompleteResult | Promise<CompleteResult> {
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
): TokenVerifier {
  // A frozen object of our own: createVerifier reads it as data, and nothing can change it between secrets.
  const verifyOptions: CompleteVerifyOptions = Object.freeze({ ...options, complete: true })
  if (typeof secret !== 'function') return verifierFor(secret, verifyOptions)

  // Without an `algorithms` option each resolved key brings its own; before the resolver runs, the token's `alg`
  // must still be one jwt-codec supports (never `none`).
  const algorithms: ReadonlySet<string> | undefined =
    options.algorithms === undefined ? undefined : new Set(options.algorithms)
  const decodeOptions = { maxTokenLength: options.maxTokenLength }
  const cache = new VerifierCache(verifyOptions)
  // One verifier per key set a resolver returns (one per issuer, say), held weakly: the set does the caching.
  const sets = new WeakMap<object, (token: string) => CompleteResult | Promise<CompleteResult>>()
  const resolve = secret
  return async (token: string, request: unknown): Promise<CompleteResult> => {
    const { header, payload } = decodeUnverified(token, decodeOptions)
    const alg = Object.hasOwn(header, 'alg') ? header.alg : undefined
    if (typeof alg !== 'string' || (algorithms === undefined ? !isAlgorithm(alg) : !algorithms.has(alg))) {
      throw algorithmRefused('the token "alg" is not one of the allowed algorithms')
    }
    // RFC 7515 §4.1.4: `kid` is a case-sensitive string. Absent, the resolver sees undefined and decides.
    const kid = Object.hasOwn(header, 'kid') ? header.kid : undefined
    if (kid !== undefined && (typeof kid !== 'string' || kid.length > MAX_KID_LENGTH)) {
      throw headerRefused(`the token "kid" is not a string of at most ${MAX_KID_LENGTH} characters`)
    }
    const key: unknown = await resolve({ header, payload, request })
    if (isKeySet(key)) {
      let verifier = sets.get(key)
      if (verifier === undefined) {
        verifier = verifierFor(key, verifyOptions)
        sets.set(key, verifier)
      }
      return verifier(token)
    }
    // An unknown `kid` is the token's problem, not the server's: 401, never 500.
    if (!isKey(key)) throw headerRefused('no key is known for this token')
    return cache.get(key)(token)
  }
}
