/**
 * Remote JWK Sets: the URL rules, one bounded fetch (timeout, size limit while reading, no redirects, status 200,
 * a JSON object), and the cache that decides when to fetch (RFC 7517 §5; OpenID Connect Discovery 1.0 §4).
 */
import { invalidOption, isJwtError, keySetUnavailable } from '../errors.js'
import { joinChunks } from './chunks.js'
import { toSeconds } from './duration.js'
import { type KeySetData, readKeySet } from './keyset.js'
import { readOptions } from './option-table.js'

/** A `fetch`-compatible function: the global one, or the `fetch` option. */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>

/**
 * Remote set options, checked once (durations in seconds). The defaults: keys are fresh for ten minutes; an unknown
 * `kid` may cause a fetch at most every thirty seconds; a fetch may take five seconds; while the endpoint fails,
 * cached keys serve an hour past their freshness; a set is at most 1 MiB.
 */
export const REMOTE_OPTIONS = {
  cacheMaxAge: (v: unknown): number => (v === undefined ? 600 : toSeconds(v, 'cacheMaxAge', false)),
  cooldown: (v: unknown): number => (v === undefined ? 30 : toSeconds(v, 'cooldown', false)),
  timeout: (v: unknown): number => {
    const s = v === undefined ? 5 : toSeconds(v, 'timeout', false)
    if (s <= 0) throw invalidOption('"timeout" must be more than zero')
    return s
  },
  staleIfError: (v: unknown): number => (v === undefined ? 3600 : toSeconds(v, 'staleIfError', false)),
  maxBytes: (v: unknown): number => {
    if (v === undefined) return 1024 * 1024
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) {
      throw invalidOption('"maxBytes" must be a positive integer')
    }
    return v
  },
  headers: (v: unknown): ReadonlyArray<readonly [string, string]> => {
    if (v === undefined) return []
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      throw invalidOption('"headers" must be an object of header names and string values')
    }
    const out: Array<readonly [string, string]> = []
    for (const name of Object.keys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, name)
      if (d === undefined || !('value' in d) || typeof d.value !== 'string') {
        throw invalidOption('"headers" must be an object of header names and string values')
      }
      out.push([name, d.value])
    }
    return out
  },
  fetch: (v: unknown): FetchFunction | undefined => {
    if (v === undefined) return undefined
    if (typeof v !== 'function') throw invalidOption('"fetch" must be a fetch-compatible function')
    return v as FetchFunction
  },
} as const

export interface RemoteOptions {
  readonly cacheMaxAge: number
  readonly cooldown: number
  readonly timeout: number
  readonly staleIfError: number
  readonly maxBytes: number
  readonly headers: ReadonlyArray<readonly [string, string]>
  readonly fetch: FetchFunction | undefined
}

export function readRemoteOptions(options: unknown): RemoteOptions {
  return readOptions(REMOTE_OPTIONS, options, 'key set')
}

/** `localhost`, `127.0.0.0/8` and `[::1]`: the hosts a plain `http:` URL may name (tests, a sidecar). */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
}

/**
 * A key set or discovery URL, checked: absolute, `https:` (or `http:` on a loopback host), no credentials. Keys
 * fetched over plain HTTP could be swapped by anyone on the path, and every token they "verify" with them.
 */
export function checkUrl(value: unknown, what: string): URL {
  let url: URL
  try {
    url = new URL(value instanceof URL ? value.href : (value as string))
  } catch {
    throw invalidOption(`${what} must be an absolute URL`)
  }
  if (typeof value !== 'string' && !(value instanceof URL)) throw invalidOption(`${what} must be a string or a URL`)
  if (url.username !== '' || url.password !== '') throw invalidOption(`${what} must not carry credentials`)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw invalidOption(`${what} must be https: (plain http: only on localhost, 127.0.0.0/8 or [::1])`)
  }
  return url
}

/**
 * GETs `url` and parses its body as JSON, within the limits: `timeout` for the whole exchange (through an
 * AbortSignal, so a hung server is abandoned), no redirect followed, status 200, and at most `maxBytes` read (the
 * body is read in chunks and the exchange aborted at the limit, never buffered whole first). Any failure is
 * ERR_JWKS_UNAVAILABLE with a message naming what failed, never the body.
 */
export async function fetchJson(url: string, o: RemoteOptions, what: string): Promise<unknown> {
  const fetchFn = o.fetch ?? (globalThis.fetch as FetchFunction | undefined)
  if (typeof fetchFn !== 'function') throw keySetUnavailable('no fetch function is available to load the key set')
  const controller = new AbortController()
  let timedOut = false
  let expire: (() => void) | undefined
  // Rejects when the time is up, raced against every wait below: the timeout holds even with a `fetch` option
  // that ignores the signal, or a body stream that does not end when it is aborted.
  const expired = new Promise<never>((_resolve, reject) => {
    expire = () => reject(new Error('timeout'))
  })
  expired.catch(() => undefined)
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
    expire?.()
  }, o.timeout * 1000)
  // A pending timer must not keep a process alive that has nothing else to do.
  ;(timer as { unref?: () => void }).unref?.()
  try {
    const headers: Record<string, string> = { accept: 'application/json' }
    for (const [name, value] of o.headers) headers[name] = value
    let response: Response
    try {
      const pending = fetchFn(url, { method: 'GET', headers, redirect: 'manual', signal: controller.signal })
      // A response that arrives after the timeout is let go, its body unread.
      Promise.resolve(pending).then(
        (late) => {
          const body: unknown = timedOut ? (late as { body?: unknown } | null)?.body : undefined
          if (body instanceof ReadableStream) body.cancel().catch(() => undefined)
        },
        () => undefined,
      )
      response = await Promise.race([pending, expired])
    } catch {
      throw keySetUnavailable(`the ${what} ${timedOut ? 'did not answer in time' : 'cannot be reached'}`)
    }
    if (response.status !== 200) {
      controller.abort()
      throw keySetUnavailable(`the ${what} answered with status ${String(response.status)}, not 200`)
    }
    const declared = Number(response.headers.get('content-length') ?? Number.NaN)
    if (declared > o.maxBytes) {
      controller.abort()
      throw keySetUnavailable(`the ${what} is larger than maxBytes`)
    }
    const bytes = await readLimited(response, o.maxBytes, controller, expired, () => timedOut, what)
    let text: string
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    } catch {
      throw keySetUnavailable(`the ${what} is not UTF-8`)
    }
    try {
      return JSON.parse(text) as unknown
    } catch {
      throw keySetUnavailable(`the ${what} is not JSON`)
    }
  } catch (err) {
    // Whatever an odd result of a `fetch` option throws on the way (null, no headers, no body reader) is a fetch
    // that failed, never a raw TypeError.
    if (isJwtError(err)) throw err
    throw keySetUnavailable(`the ${what} cannot be read`)
  } finally {
    clearTimeout(timer)
  }
}

async function readLimited(
  response: Response,
  maxBytes: number,
  controller: AbortController,
  expired: Promise<never>,
  timedOut: () => boolean,
  what: string,
): Promise<Uint8Array> {
  const body = response.body
  if (body === null) return new Uint8Array(0)
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), expired])
      if (done) break
      total += value.byteLength
      if (total > maxBytes) {
        // Stop reading at once: the rest is never buffered.
        controller.abort()
        await reader.cancel().catch(() => undefined)
        throw keySetUnavailable(`the ${what} is larger than maxBytes`)
      }
      chunks.push(value)
    }
  } catch (err) {
    if (err instanceof Error && (err as { code?: unknown }).code === 'ERR_JWKS_UNAVAILABLE') throw err
    reader.cancel().catch(() => undefined)
    throw keySetUnavailable(`the ${what} ${timedOut() ? 'did not arrive in time' : 'could not be read'}`)
  }
  return joinChunks(chunks, total)
}

/** Where a remote set's keys come from: a fixed URL, or one found by discovery (fetched when first needed). */
export type Locate = () => Promise<string>

/**
 * One remote key set's cache. The set is fetched when first needed; it is fresh for `cacheMaxAge`, after which a
 * verify starts a refresh in the background and goes on with the cached keys; while refreshes fail, the cached
 * keys serve until `cacheMaxAge + staleIfError` (counted from the last successful fetch). An unknown `kid` may
 * cause a fetch at most once per `cooldown`, and a failed fetch is not retried within `cooldown` either; a set
 * that is no longer fresh is refetched whatever the cooldown. All callers share the one fetch in flight.
 */
export class RemoteCache {
  private data: KeySetData | undefined
  /** When the data was fetched (ms since the epoch). */
  private fetchedAt = 0
  /** When the last fetch caused by an unknown `kid` started. */
  private kidStart = Number.NEGATIVE_INFINITY
  /** When the last fetch that failed started (reset by a success). */
  private failedStart = Number.NEGATIVE_INFINITY
  private inflight: Promise<void> | undefined

  constructor(
    private readonly locate: Locate,
    readonly o: RemoteOptions,
  ) {}

  /** The cached data if it may still be used at `now`; starts a background refresh once it is no longer fresh. */
  usable(now: number): KeySetData | undefined {
    const data = this.data
    if (data === undefined) return undefined
    const age = (now - this.fetchedAt) / 1000
    if (age >= this.o.cacheMaxAge && this.mayStart(now)) {
      // Preferred: serve the cached keys while the refresh runs. Its failure is already recorded by refresh().
      this.refresh().catch(() => undefined)
    }
    return age < this.o.cacheMaxAge + this.o.staleIfError ? data : undefined
  }

  /** True when a fetch may start at `now`: none in flight, and no failed one started within `cooldown`. */
  mayStart(now: number): boolean {
    return this.inflight === undefined && (now - this.failedStart) / 1000 >= this.o.cooldown
  }

  /** True when an unknown `kid` may cause a fetch at `now`: as {@link mayStart}, and none for a kid within `cooldown`. */
  mayStartForKid(now: number): boolean {
    return this.mayStart(now) && (now - this.kidStart) / 1000 >= this.o.cooldown
  }

  /** True while a fetch is in flight (a caller may wait for it rather than give up). */
  get fetching(): boolean {
    return this.inflight !== undefined
  }

  /**
   * Fetches the set now, or joins the fetch in flight. Rejects with ERR_JWKS_UNAVAILABLE on failure. `forKid`:
   * the fetch is for an unknown `kid`, and counts toward that cooldown.
   */
  refresh(forKid = false): Promise<void> {
    if (this.inflight !== undefined) return this.inflight
    const started = Date.now()
    if (forKid) this.kidStart = started
    const run = (async () => {
      try {
        const url = await this.locate()
        const json = await fetchJson(url, this.o, 'key set')
        let data: KeySetData
        try {
          data = readKeySet(json, false)
        } catch {
          throw keySetUnavailable('the key set is not an object with a "keys" array')
        }
        this.data = data
        this.fetchedAt = Date.now()
        this.failedStart = Number.NEGATIVE_INFINITY
      } catch (err) {
        this.failedStart = started
        throw err
      } finally {
        this.inflight = undefined
      }
    })()
    this.inflight = run
    return run
  }
}

/** The remote sets this library made (see `localSetData` in ./keyset.ts for why a WeakMap). */
const remoteSets = new WeakMap<object, RemoteCache>()

export function registerRemoteSet(set: object, cache: RemoteCache): void {
  remoteSets.set(set, cache)
}

/** The cache of a set made by `createRemoteKeySet` or `discoverKeySet`, or undefined for anything else. */
export function remoteSetCache(value: unknown): RemoteCache | undefined {
  return typeof value === 'object' && value !== null ? remoteSets.get(value) : undefined
}
