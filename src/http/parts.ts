/**
 * A request reduced to the few things token extraction and `unless` read, so that one finder serves Node
 * requests, framework requests and Fetch `Request` objects alike.
 */
import type { NodeRequestLike } from './types.js'

/** The parts of a request the adapters read. */
export interface RequestParts {
  /** Upper-case method, `''` when unknown. */
  readonly method: string
  /** The request target as received (origin-form, absolute-form or a full URL); `undefined` when unknown. */
  readonly target: string | undefined
  /**
   * The mount-relative target (a Node request's `url`, which Express rewrites under a mount path; a Fetch
   * request's URL), for `unless` with `useOriginalUrl: false`.
   */
  readonly url: string | undefined
  /** The raw query string (after `?`), `undefined` when the target is unknown. */
  readonly search: string | undefined
  /** A query object a framework parsed, if any. */
  readonly query: unknown
  /** A parsed body, if any. */
  readonly body: unknown
  /** Every value received for a header (lower-case name), one entry per field line where that can be known. */
  fieldValues(name: string): string[]
}

/** Absolute-form targets (RFC 9112 §3.2.2, sent to proxies) carry a scheme and authority before the path. */
const ABSOLUTE_PREFIX = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/

function searchOf(target: string | undefined): string | undefined {
  if (target === undefined) return undefined
  let rest = target
  // Origin-form (`/path?query`, what nearly every request has) cannot start an absolute-form scheme.
  if (rest.charCodeAt(0) !== 0x2f) {
    const scheme = ABSOLUTE_PREFIX.exec(rest)
    if (scheme !== null) rest = rest.slice(scheme[0].length)
  }
  const q = rest.indexOf('?')
  return q === -1 ? '' : rest.slice(q + 1)
}

/** What the URL parser resolves a relative target against; only its path matters here. */
const BASE = 'http://host.invalid'

/**
 * Characters that make the URL parser change a path's structure rather than merely percent-encode it: a backslash
 * is a separator in special schemes, tab and newlines are dropped, and leading or trailing C0 controls and spaces are
 * trimmed (WHATWG URL, "basic URL parser").
 */
function restructures(path: string): boolean {
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i)
    if (c <= 0x20 || c === 0x7f || c === 0x5c) return true
  }
  return false
}

/**
 * An origin-form path the URL parser copies verbatim: it starts with one `/` (two would be an authority), and
 * holds only characters outside every percent-encode set and no separator but `/`. With no dot segment either,
 * its normalised pathname is itself, and the parser (about 1 µs) can be skipped on the common request.
 */
const PLAIN_PATH = /^\/(?!\/)[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/
/** A `.` or `..` segment in any spelling the URL parser accepts (`%2e`, `.%2e`, `%2E%2e`, ...). */
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i

/**
 * The pathname a request target names, exactly as a WHATWG `URL` built from it says (`new URL(target, base)`:
 * both separators, dot segments removed, `%2e` counted as a dot, RFC 3986 §5.2.4), or `undefined` when that
 * pathname must not decide anything: the target does not parse, or its raw path and the normalised pathname
 * disagree about the segments (a `.` or `..` in any spelling, a backslash, a `//authority`). Then a server that
 * routes the raw text and one that routes the URL would see different resources, so no exemption may rest on
 * either.
 */
export function agreedPathname(target: string | undefined): string | undefined {
  if (target === undefined) return undefined
  const q = target.indexOf('?')
  const path = q === -1 ? target : target.slice(0, q)
  if (PLAIN_PATH.test(path) && !DOT_SEGMENT.test(path)) return path
  let pathname: string
  try {
    pathname = new URL(target, BASE).pathname
  } catch {
    return undefined
  }
  const scheme = ABSOLUTE_PREFIX.exec(target)
  const rest = scheme === null ? target : target.slice(scheme[0].length)
  const end = rest.search(/[?#]/)
  const raw = (end === -1 ? rest : rest.slice(0, end)) || '/'
  if (raw === pathname) return pathname
  return sameSegments(raw, pathname) ? pathname : undefined
}

/**
 * True when the normalised pathname has the raw path's segments, each merely percent-encoded by the parser (a raw
 * `é` becomes `%C3%A9`). Each raw segment is run through the same parser behind a prefix that keeps it from
 * being read as a dot segment, so the encoding compared is the parser's own.
 */
function sameSegments(raw: string, pathname: string): boolean {
  if (restructures(raw)) return false
  const rawSegments = raw.split('/')
  const segments = pathname.split('/')
  if (rawSegments.length !== segments.length) return false
  for (let i = 0; i < segments.length; i++) {
    const rawSegment = rawSegments[i] as string
    if (rawSegment === segments[i]) continue
    let encoded: string
    try {
      encoded = new URL(`${BASE}/a${rawSegment}`).pathname.slice(2)
    } catch {
      return false
    }
    if (encoded !== segments[i]) return false
  }
  return true
}

/**
 * A Node or framework request, read as the finder asks. `req.headers` and `req.query` are read only when needed,
 * and then once: on a Node request `headers` is built from `rawHeaders` on first access (a few hundred ns a request
 * that nothing else may ever pay), and Express 5 parses the query string on every read of `req.query`.
 */
class NodeParts implements RequestParts {
  readonly method: string
  readonly target: string | undefined
  readonly url: string | undefined
  readonly search: string | undefined
  readonly body: unknown
  private readonly req: NodeRequestLike
  /** `rawHeaders` when the request has them (preferred: Node keeps only the first `Authorization`). */
  private readonly raw: string[] | undefined
  private parsedQuery: unknown
  private queryRead = false

  constructor(req: NodeRequestLike) {
    // Each property read once: on a request whose prototype a framework swapped (Express does, per request), a
    // property read can cost a few hundred ns.
    const { originalUrl, url, method, rawHeaders, body } = req
    const target = typeof originalUrl === 'string' ? originalUrl : typeof url === 'string' ? url : undefined
    this.req = req
    this.raw = Array.isArray(rawHeaders) ? rawHeaders : undefined
    this.method = typeof method === 'string' ? method.toUpperCase() : ''
    this.target = target
    this.url = typeof url === 'string' ? url : undefined
    this.search = searchOf(target)
    this.body = body
  }

  get query(): unknown {
    if (!this.queryRead) {
      this.queryRead = true
      this.parsedQuery = this.req.query
    }
    return this.parsedQuery
  }

  fieldValues(name: string): string[] {
    const raw = this.raw
    if (raw !== undefined) {
      const values: string[] = []
      for (let i = 0; i + 1 < raw.length; i += 2) {
        const field = raw[i] as string
        // The length first: most field names differ from `name` in it, and need no lower-case copy.
        if (field.length === name.length && (field === name || field.toLowerCase() === name)) {
          values.push(raw[i + 1] as string)
        }
      }
      return values
    }
    const headers = this.req.headers ?? {}
    const value = Object.hasOwn(headers, name) ? headers[name] : undefined
    if (typeof value === 'string') return [value]
    if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string')
    return []
  }
}

/** Reads a Node or framework request. `rawHeaders` is preferred: Node keeps only the first `Authorization`. */
export function nodeParts(req: NodeRequestLike): RequestParts {
  return new NodeParts(req)
}

/** Reads a Fetch `Request`. `Headers` joins repeated fields with `, `, which the token checks then refuse. */
export function fetchParts(request: Request, body: unknown): RequestParts {
  const url = request.url
  // No `?` anywhere: no query (the URL parser, about a microsecond, is needed only to find one).
  let search: string | undefined = url.includes('?') ? undefined : ''
  if (search === undefined) {
    try {
      search = new URL(url).search.slice(1)
    } catch {
      // A relative or odd URL (some test doubles): fall back to reading it as a request target.
      search = searchOf(url)
    }
  }
  return {
    method: request.method.toUpperCase(),
    target: url,
    url,
    search,
    query: undefined,
    body,
    fieldValues(name: string): string[] {
      const value = request.headers.get(name)
      return value === null ? [] : [value]
    },
  }
}

/** True for a Fetch `Request` (or anything with a `Headers`-like `get`), false for a Node-style request. */
export function isFetchRequest(req: NodeRequestLike | Request): req is Request {
  return typeof (req.headers as { get?: unknown }).get === 'function'
}
