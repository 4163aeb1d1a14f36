/**
 * JWK Sets (RFC 7517 §5): reading a set into the keys the library can use, choosing the one key for a token, and
 * verifying with it. Shared by local sets, remote sets and resolvers that return a set.
 */
import { algorithmRefused, headerRefused, invalidOption, multipleKeyMatches, noKeyMatch } from '../errors.js'
import type { Algorithm, CompleteResult } from '../types.js'
import { isAlgorithm, keyAlgorithms } from './algorithms.js'
import { type ImportedKey, importKey } from './keys.js'
import type { CompiledVerifyOptions } from './options.js'
import { own, parseObjectRange, splitToken } from './segments.js'
import { buildVerifier, type HeaderMemo, memoFor, type Verifier, verifyToken } from './verifier.js'

/**
 * The longest `kid` looked up. Key ids are short labels; a longer one is an attack on whatever it is looked up in
 * (a resolver's database query, a log line), refused before any lookup.
 */
export const MAX_KID_LENGTH = 256

/** One usable key of a set. */
export interface SetEntry {
  readonly kid: string | undefined
  readonly key: ImportedKey
  /** The algorithms the key brings when no `algorithms` option narrows them (its JWK `alg`, else its default). */
  readonly defaults: readonly Algorithm[]
}

/** A set's usable keys, and its `kid` index (a Map: a `kid` is hostile input, never a property name). */
export interface KeySetData {
  readonly entries: readonly SetEntry[]
  readonly byKid: ReadonlyMap<string, readonly SetEntry[]>
}

/** An own data property of a caller's object (never a getter, never inherited), or undefined. */
function ownData(object: object, name: string): unknown {
  const d = Object.getOwnPropertyDescriptor(object, name)
  return d !== undefined && 'value' in d ? d.value : undefined
}

/**
 * Reads a JWK Set into its usable keys. Keys the library cannot use (an unknown `kty`, `use: "enc"`, `key_ops`
 * without `verify`, a short RSA modulus, a curve it does not support, bad members) are skipped, not fatal: real
 * providers publish encryption keys and new key types beside their signing keys. `secrets: false` (remote sets)
 * also skips `oct` keys: a secret published at a URL is no secret.
 */
export function readKeySet(jwks: unknown, secrets: boolean): KeySetData {
  if (typeof jwks !== 'object' || jwks === null) throw invalidOption('a JWK Set must be an object with a "keys" array')
  const keys = ownData(jwks, 'keys')
  if (!Array.isArray(keys)) throw invalidOption('a JWK Set must be an object with a "keys" array')
  const entries: SetEntry[] = []
  const byKid = new Map<string, SetEntry[]>()
  const count = keys.length
  for (let i = 0; i < count; i++) {
    const jwk = ownData(keys, String(i))
    if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) continue
    if (!secrets && ownData(jwk, 'kty') === 'oct') continue
    let entry: SetEntry
    try {
      const key = importKey(jwk, 'verify')
      if (key.kind === 'secret' && !secrets) continue
      entry = { kid: key.jwk?.kid, key, defaults: keyAlgorithms(key, undefined, 'verify', false) }
    } catch {
      // Not a key this library can verify with: skipped, and the rest of the set still works.
      continue
    }
    entries.push(entry)
    if (entry.kid !== undefined) {
      const same = byKid.get(entry.kid)
      if (same === undefined) byKid.set(entry.kid, [entry])
      else same.push(entry)
    }
  }
  return { entries, byKid }
}

/** The `alg` and `kid` a token's header names, checked as far as they can be before a key is chosen. */
export interface TokenKeyHint {
  readonly alg: Algorithm
  readonly kid: string | undefined
}

/**
 * Reads the header of `token` (strictly, as verify does) for choosing a key: `alg` must be allowed (the
 * `algorithms` option, else any supported algorithm, never `none`), `kid` a string of at most
 * {@link MAX_KID_LENGTH} characters. Nothing is trusted yet: the chosen key's verifier checks everything again.
 */
export function keyHint(token: string, o: CompiledVerifyOptions): TokenKeyHint {
  const { d1 } = splitToken(token, o.maxTokenLength)
  return hintOf(parseObjectRange(token, 0, d1, 'header'), o)
}

/** {@link keyHint} of a header already parsed (strictly, from the token). */
export function hintOf(header: Readonly<Record<string, unknown>>, o: CompiledVerifyOptions): TokenKeyHint {
  const alg = own(header, 'alg')
  if (typeof alg !== 'string') throw algorithmRefused('the header has no "alg" string')
  if (!isAlgorithm(alg) || (o.algorithms !== undefined && !o.algorithms.includes(alg))) {
    throw algorithmRefused('the token "alg" is not one of the allowed algorithms')
  }
  const kid = own(header, 'kid')
  if (kid !== undefined && (typeof kid !== 'string' || kid.length > MAX_KID_LENGTH)) {
    throw headerRefused(`the token "kid" is not a string of at most ${MAX_KID_LENGTH} characters`)
  }
  return { alg, kid }
}

/** A verifier of one entry, with the algorithms it may be used for under the verifier's options. */
interface EntryVerifier {
  readonly algorithms: readonly Algorithm[]
  /** Undefined when no allowed algorithm fits the key. */
  readonly verifier: Verifier | undefined
  readonly memo: HeaderMemo | undefined
}

/**
 * Verifying against key sets with one set of compiled options. Each entry gets its verifier when a token first
 * needs it, kept as long as the entry (a refreshed remote set brings new entries, and their old verifiers go with
 * the old set).
 */
export class SetVerifier {
  private readonly perEntry = new WeakMap<SetEntry, EntryVerifier>()
  /**
   * The last header segment whose hint was read, and that hint: a hint is a pure function of the segment text and
   * the options, so a token with the same header text (every token of one key, usually) is not parsed for it again.
   */
  private lastSegment: string | undefined
  private lastHint: TokenKeyHint | undefined

  constructor(readonly o: CompiledVerifyOptions) {}

  private entryVerifier(entry: SetEntry): EntryVerifier {
    let ev = this.perEntry.get(entry)
    if (ev !== undefined) return ev
    // An `algorithms` option narrows what any key may be used for: the listed algorithms that fit this key.
    const wanted = this.o.algorithms
    let algorithms: readonly Algorithm[]
    if (wanted === undefined) {
      algorithms = entry.defaults
    } else {
      const fitting: Algorithm[] = []
      for (const alg of wanted) {
        try {
          keyAlgorithms(entry.key, [alg], 'verify', false)
          fitting.push(alg)
        } catch {
          // this algorithm does not fit this key
        }
      }
      algorithms = fitting
    }
    // A set keeps its keys for many tokens: the verifier is built with pads (never `once`), from a copy of a
    // secret's bytes, since building zeroes the bytes it was given.
    const key = entry.key.kind === 'secret' ? { ...entry.key, bytes: copyBytes(entry.key.bytes) } : entry.key
    const verifier = algorithms.length === 0 ? undefined : buildVerifier(this.o, key, algorithms, false)
    ev = { algorithms, verifier, memo: verifier === undefined ? undefined : memoFor(verifier) }
    this.perEntry.set(entry, ev)
    return ev
  }

  /**
   * The one entry of `data` for the token: with a `kid`, the key with that `kid` (it must fit the `alg`); without,
   * the one key that fits. Throws ERR_JWKS_NO_MATCH or ERR_JWKS_MULTIPLE_MATCHES.
   */
  select(data: KeySetData, hint: TokenKeyHint): EntryVerifier {
    const candidates = hint.kid === undefined ? data.entries : data.byKid.get(hint.kid)
    if (candidates === undefined) throw noKeyMatch('no key of the set has the token "kid"')
    let found: EntryVerifier | undefined
    let several = false
    for (const entry of candidates) {
      const ev = this.entryVerifier(entry)
      if (!ev.algorithms.includes(hint.alg)) continue
      if (found !== undefined) several = true
      found = ev
    }
    if (found === undefined) throw noKeyMatch('no key of the set fits the token "alg" and "kid"')
    if (several) throw multipleKeyMatches()
    return found
  }

  /** The hint of `token`, from the memo when its header segment is the last one read. */
  hint(token: string): TokenKeyHint {
    // Anything but a string goes to keyHint, whose split refuses it as malformed.
    if (typeof token !== 'string') return keyHint(token, this.o)
    const known = this.lastSegment
    const dot = token.indexOf('.')
    // The size limit comes first, as in verify: an over-long token never reaches the memo.
    if (
      known !== undefined &&
      dot === known.length &&
      token.length <= this.o.maxTokenLength &&
      token.startsWith(known)
    ) {
      return this.lastHint as TokenKeyHint
    }
    const hint = keyHint(token, this.o)
    // Reached only when the header passed: the segment is exactly the text before the first dot.
    this.lastSegment = token.slice(0, dot)
    this.lastHint = hint
    return hint
  }

  /** Verifies `token` with the key of `data` it names. */
  verify(
    token: string,
    data: KeySetData,
    hint: TokenKeyHint = this.hint(token),
  ): Record<string, unknown> | CompleteResult<Record<string, unknown>> {
    const ev = this.select(data, hint)
    return verifyToken(token, ev.verifier as Verifier, ev.memo)
  }
}

/** A copy in memory of its own (Buffer.from could take a slice of the shared pool). */
function copyBytes(bytes: Uint8Array): Buffer {
  const copy = Buffer.alloc(bytes.length)
  copy.set(bytes)
  return copy
}

/**
 * True when an error means "this set has no key for the token", which a fresh copy of a remote set might cure.
 * Read from our own codes only.
 */
export function isNoMatch(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ERR_JWKS_NO_MATCH'
}

/**
 * The local sets this library made, and what each holds. A WeakMap rather than a property: an object that merely
 * looks like a key set (or a Proxy of one) is not one, and nothing a caller can reach changes what a set holds.
 */
const localSets = new WeakMap<object, KeySetData>()

export function registerLocalSet(set: object, data: KeySetData): void {
  localSets.set(set, data)
}

/** The data of a set made by `createKeySet`, or undefined for anything else. */
export function localSetData(value: unknown): KeySetData | undefined {
  return typeof value === 'object' && value !== null ? localSets.get(value) : undefined
}
