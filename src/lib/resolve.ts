/**
 * The asynchronous ways to find a token's key: a remote key set (fetched and cached) and a resolver function
 * (which may return a key, a local set or a remote set). Both read the header first, strictly and unverified, only
 * to choose the key; the chosen key's verifier then checks everything.
 */
import { types } from 'node:util'
import { headerRefused, keySetUnavailable } from '../errors.js'
import type { CompleteResult, JwtHeader, JwtPayload, KeyInput, KeyResolver } from '../types.js'
import { importKey, isJwkObject, jwkContentId } from './keys.js'
import { hintOf, isNoMatch, localSetData, SetVerifier, type TokenKeyHint } from './keyset.js'
import type { CompiledVerifyOptions } from './options.js'
import { type RemoteCache, remoteSetCache } from './remote.js'
import { parseObjectRange, splitToken } from './segments.js'
import { buildVerifier, type HeaderMemo, memoFor, type Verifier, verifyToken } from './verifier.js'

type Result = Record<string, unknown> | CompleteResult<Record<string, unknown>>

/**
 * Verifies with a remote set. A verify whose key is cached never waits on the network; the set is fetched when
 * never had (or no longer usable), and fetched again for a token whose key it lacks, at most once per `cooldown`
 * (callers arriving meanwhile share the fetch in flight).
 */
export async function verifyRemote(
  token: string,
  sv: SetVerifier,
  cache: RemoteCache,
  hint: TokenKeyHint = sv.hint(token),
): Promise<Result> {
  let data = cache.usable(Date.now())
  if (data === undefined) {
    if (!cache.fetching && !cache.mayStart(Date.now())) {
      throw keySetUnavailable('the key set cannot be had: its last fetch failed, and the cooldown has not passed')
    }
    await cache.refresh()
    data = cache.usable(Date.now())
    if (data === undefined) throw keySetUnavailable('the key set cannot be had')
  }
  try {
    return sv.verify(token, data, hint)
  } catch (err) {
    // A key the cached set lacks may be new: fetch again, unless one was made too recently.
    if (!isNoMatch(err) || (!cache.fetching && !cache.mayStartForKid(Date.now()))) throw err
    try {
      await cache.refresh(true)
    } catch {
      // The endpoint fails: the cached keys still stand, and the token has no key among them.
      throw err
    }
    const fresh = cache.usable(Date.now())
    if (fresh === undefined) throw err
    return sv.verify(token, fresh, hint)
  }
}

/** How many verifiers a resolver's cache keeps for string, byte and JWK keys (KeyObjects are held weakly). */
export const VERIFIER_CACHE_SIZE = 64

/** A verifier and its header memo. */
interface CachedVerifier {
  readonly verifier: Verifier
  readonly memo: HeaderMemo | undefined
}

/**
 * Verifiers per resolved key, for one set of compiled options. KeyObjects are immutable, so one is keyed by
 * identity in a WeakMap that lets it go with the key. Strings, bytes and JWKs are keyed by content (a Uint8Array
 * or an object can be changed in place after it was returned, so its identity proves nothing) in a Map bounded to
 * {@link VERIFIER_CACHE_SIZE}, least recently used out first, so a resolver returning ever-new keys cannot grow it
 * without bound.
 */
export class KeyVerifierCache {
  private readonly byKeyObject = new WeakMap<object, CachedVerifier>()
  private readonly byValue = new Map<string, CachedVerifier>()

  constructor(private readonly o: CompiledVerifyOptions) {}

  private make(key: KeyInput): CachedVerifier {
    const verifier = buildVerifier(this.o, importKey(key, 'verify'), this.o.algorithms, false)
    return { verifier, memo: memoFor(verifier) }
  }

  get(key: KeyInput): CachedVerifier {
    if (types.isKeyObject(key)) {
      let hit = this.byKeyObject.get(key)
      if (hit === undefined) {
        hit = this.make(key)
        this.byKeyObject.set(key, hit)
      }
      return hit
    }
    let id: string | undefined
    if (typeof key === 'string') id = `s${key}`
    else if (types.isUint8Array(key)) id = `b${Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('hex')}`
    else id = jwkContentId(key)
    // Anything else is not a key: building refuses it with ERR_JWT_INVALID_OPTION.
    if (id === undefined) return this.make(key)
    let hit = this.byValue.get(id)
    if (hit !== undefined) {
      this.byValue.delete(id)
    } else {
      hit = this.make(key)
      if (this.byValue.size >= VERIFIER_CACHE_SIZE) {
        const oldest = this.byValue.keys().next().value
        if (oldest !== undefined) this.byValue.delete(oldest)
      }
    }
    this.byValue.set(id, hit)
    return hit
  }
}

/**
 * True for what a resolver may return as a key: a string, real `Uint8Array` bytes, a real `KeyObject` (both checked
 * by internal slot) or a plain object with `kty`. Anything else (`undefined`, `null`, the function or prototype a
 * `keys[header.kid]` lookup finds for `kid: "constructor"` or `"__proto__"`, a number) means "no key".
 */
export function isKeyInput(value: unknown): value is KeyInput {
  return typeof value === 'string' || types.isUint8Array(value) || types.isKeyObject(value) || isJwkObject(value)
}

/** What a resolver verifier keeps between tokens: one verifier per key, and one set verifier for all sets. */
export class ResolverVerifier<In> {
  private readonly keys: KeyVerifierCache
  private readonly sets: SetVerifier

  constructor(
    readonly o: CompiledVerifyOptions,
    private readonly resolve: (input: In) => unknown,
  ) {
    this.keys = new KeyVerifierCache(o)
    this.sets = new SetVerifier(o)
  }

  /**
   * Verifies `token` with the key the resolver picks from its unverified header and payload. The `alg` and `kid`
   * are checked first, so the resolver is never asked about `none` or an algorithm that is not allowed. `extra`
   * adds to the resolver's input (the adapters' `request`).
   */
  async verify(token: string, extra?: Omit<In, 'header' | 'payload'>): Promise<Result> {
    const { d1, d2 } = splitToken(token, this.o.maxTokenLength)
    const header = parseObjectRange(token, 0, d1, 'header') as JwtHeader
    // Read before the resolver runs, which may change the header object it is given.
    const hint = hintOf(header, this.o)
    const payload = parseObjectRange(token, d1 + 1, d2, 'payload') as JwtPayload
    const key: unknown = await this.resolve({ ...extra, header, payload } as In)
    const set = localSetData(key)
    if (set !== undefined) return this.sets.verify(token, set, hint)
    const remote = remoteSetCache(key)
    if (remote !== undefined) return verifyRemote(token, this.sets, remote, hint)
    // An unknown `kid` is the token's problem, not the server's: 401, never 500.
    if (!isKeyInput(key)) throw headerRefused('no key is known for this token')
    const { verifier, memo } = this.keys.get(key)
    return verifyToken(token, verifier, memo)
  }
}

/** The resolver of the core API, which sees `{ header, payload }`. */
export function resolverVerifier(o: CompiledVerifyOptions, resolver: KeyResolver): ResolverVerifier<object> {
  return new ResolverVerifier(o, resolver as (input: object) => unknown)
}
