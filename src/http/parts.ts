/**
 * A request reduced to the few things token extraction and `unless` read, so that one finder serves Node
 * requests, framework requests and Fetch `Request` objects alike.
 */
import type { NodeRequestLike } from './types.js'

/** The parts of a request the adapters read. */
export interface RequestParts {
  /** Upper-case method, `''` when unknown. */
  readonly method: string
  /** The pathname of the request target, without the query; `undefined` when unknown. */
  readonly pathname: string | undefined
  /** The raw query string (after `?`), `undefined` when the target is unknown. */
  readonly search: string | undefined
  /** A query object a framework parsed, if any. */
  readonly query: unknown
  /** A parsed body, if any. */
  readonly body: unknown
  /** Every value received for a header (lower-case name), one entry per field line where that can be known. */
  fieldValues(name: string): string[]
}

function splitTarget(target: string | undefined): { pathname: string | undefined; search: string | undefined } {
  if (target === undefined) return { pathname: undefined, search: undefined }
  let rest = target
  // Absolute-form targets (RFC 9112 §3.2.2, sent to proxies) carry a scheme and authority before the path.
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?]*/.exec(rest)
  if (scheme !== null) rest = rest.slice(scheme[0].length)
  const q = rest.indexOf('?')
  const pathname = q === -1 ? rest : rest.slice(0, q)
  return { pathname: pathname === '' ? '/' : pathname, search: q === -1 ? '' : rest.slice(q + 1) }
}

/** Reads a Node or framework request. `rawHeaders` is preferred: Node keeps only the first `Authorization`. */
export function nodeParts(req: NodeRequestLike): RequestParts {
  const target =
    typeof req.originalUrl === 'string' ? req.originalUrl : typeof req.url === 'string' ? req.url : undefined
  const { pathname, search } = splitTarget(target)
  const raw = Array.isArray(req.rawHeaders) ? req.rawHeaders : undefined
  const headers = req.headers ?? {}
  return {
    method: typeof req.method === 'string' ? req.method.toUpperCase() : '',
    pathname,
    search,
    query: req.query,
    body: req.body,
    fieldValues(name: string): string[] {
      if (raw !== undefined) {
        const values: string[] = []
        for (let i = 0; i + 1 < raw.length; i += 2) {
          if ((raw[i] as string).toLowerCase() === name) values.push(raw[i + 1] as string)
        }
        return values
      }
      const value = Object.hasOwn(headers, name) ? headers[name] : undefined
      if (typeof value === 'string') return [value]
      if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string')
      return []
    },
  }
}

/** Reads a Fetch `Request`. `Headers` joins repeated fields with `, `, which the token checks then refuse. */
export function fetchParts(request: Request, body: unknown): RequestParts {
  let pathname: string | undefined
  let search: string | undefined
  try {
    const url = new URL(request.url)
    pathname = url.pathname
    search = url.search.slice(1)
  } catch {
    // A relative or odd URL (some test doubles): fall back to reading it as a request target.
    ;({ pathname, search } = splitTarget(request.url))
  }
  return {
    method: request.method.toUpperCase(),
    pathname,
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
