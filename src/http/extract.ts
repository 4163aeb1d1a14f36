/**
 * Finding the one token a request carries (RFC 6750 §2). A request is refused as ambiguous (400
 * `invalid_request`, before any verification) when it carries different tokens in several places, repeats a
 * carrier, or carries a value that is not a single token (an empty value counts as absent, so a cleared cookie
 * or an empty field is "no token"): the server must never have to guess which credential
 * the client meant, because a guess is what a request-smuggling or cache-poisoning attack exploits.
 */
import { ambiguous, invalidOption } from '../errors.js'
import { copyArray, readOptions } from '../lib/option-table.js'
import { fetchParts, isFetchRequest, nodeParts, type RequestParts } from './parts.js'
import type { ExtractOptions, NodeRequestLike, TokenSource } from './types.js'

/** Extraction options after checking. */
export interface CompiledExtractOptions {
  readonly sources: readonly TokenSource[]
  readonly headerName: string
  readonly bodyField: string
  readonly queryParameter: string
  readonly cookieName: string
}

const SOURCES: readonly TokenSource[] = ['bearer', 'header', 'body', 'query', 'cookie']
const DEFAULT_SOURCES: readonly TokenSource[] = ['bearer', 'header', 'body', 'query']

/** RFC 9110 §5.6.2 `token`: what a header name or an auth-scheme may be made of. */
const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
/** RFC 6750 §2.1 `b64token` (RFC 7235 token68): a compact JWT uses a subset of it. */
const B64TOKEN = /^[A-Za-z0-9._~+/-]+=*$/

function nameOption(value: unknown, option: string, fallback: string, pattern: RegExp | undefined): string {
  if (value === undefined) return fallback
  if (typeof value !== 'string' || value.length === 0 || value.length > 256 || (pattern && !pattern.test(value))) {
    throw invalidOption(`"${option}" must be a non-empty name`)
  }
  return value
}

function sourceList(value: unknown): readonly TokenSource[] {
  if (value === undefined) return DEFAULT_SOURCES
  const list = copyArray(value, 'sources')
  if (
    list === undefined ||
    list.length === 0 ||
    !list.every((s) => SOURCES.includes(s as TokenSource)) ||
    new Set(list).size !== list.length
  ) {
    throw invalidOption(`"sources" must be a non-empty array of distinct names among ${SOURCES.join(', ')}`)
  }
  return list as TokenSource[]
}

function headerNameOption(value: unknown): string {
  const headerName = nameOption(value, 'headerName', 'x-access-token', HTTP_TOKEN).toLowerCase()
  if (headerName === 'authorization' || headerName === 'cookie') {
    throw invalidOption('"headerName" cannot be authorization or cookie: use the bearer or cookie source')
  }
  return headerName
}

/** The extraction options, also part of the adapters' table. */
export const EXTRACT_OPTIONS = {
  sources: sourceList,
  headerName: headerNameOption,
  bodyField: (v: unknown): string => nameOption(v, 'bodyField', 'access_token', undefined),
  queryParameter: (v: unknown): string => nameOption(v, 'queryParameter', 'access_token', undefined),
  cookieName: (v: unknown): string => nameOption(v, 'cookieName', 'access_token', HTTP_TOKEN),
} as const satisfies Record<keyof ExtractOptions, (value: unknown) => unknown>

/** Reads and checks extraction options (see {@link EXTRACT_OPTIONS}), refusing unknown names. */
export function compileExtractOptions(options: unknown): CompiledExtractOptions {
  return readOptions(EXTRACT_OPTIONS, options, 'extract')
}

function printable(code: number): boolean {
  return code > 0x20 && code < 0x7f
}

/** `Authorization: Bearer <token>`; another scheme (Basic, ...) is "no token here", not an error. */
function fromAuthorization(parts: RequestParts): string | undefined {
  const values = parts.fieldValues('authorization')
  if (values.length > 1) throw ambiguous('the request has more than one Authorization header')
  const field = values[0]
  if (field === undefined) return undefined
  // What nearly every client sends, `Bearer <token>` with nothing around it, sliced without the general path's
  // trim, lower-case copy and regular-expression replace. Both ends printable ASCII, so that what `trim` would
  // remove (a tab, a no-break space) takes the general path and gets the same answer as before.
  let token: string
  if (field.startsWith('Bearer ') && printable(field.charCodeAt(7)) && printable(field.charCodeAt(field.length - 1))) {
    token = field.slice(7)
  } else {
    const value = field.trim()
    if (value === '') return undefined
    const space = value.indexOf(' ')
    const scheme = space === -1 ? value : value.slice(0, space)
    if (scheme.toLowerCase() !== 'bearer') return undefined
    token = space === -1 ? '' : value.slice(space + 1).replace(/^ +/, '')
  }
  // RFC 6750 §2.1: "Bearer" 1*SP b64token, exactly one credential.
  if (!B64TOKEN.test(token)) throw ambiguous('the Authorization header is not Bearer followed by exactly one token')
  return token
}

function fromHeader(parts: RequestParts, name: string): string | undefined {
  const values = parts.fieldValues(name)
  if (values.length > 1) throw ambiguous(`the request has more than one ${name} header`)
  const value = values[0]?.trim()
  if (value === undefined || value === '') return undefined
  if (!B64TOKEN.test(value)) throw ambiguous(`the ${name} header does not hold exactly one token`)
  return value
}

/** A field of a parsed object (body or framework query): a string, or absent; anything else is refused. */
function fromObject(object: unknown, name: string, where: string): string | undefined {
  if (typeof object !== 'object' || object === null || Array.isArray(object) || object instanceof Uint8Array) {
    return undefined
  }
  // `access_token[]=x` or `access_token[0]=x` under a non-extended parser lands under a bracketed key.
  for (const key of Object.keys(object)) {
    if (key !== name && key.startsWith(`${name}[`)) throw ambiguous(`the ${where} ${name} is not a single string`)
  }
  if (!Object.hasOwn(object, name)) return undefined
  const value = (object as Record<string, unknown>)[name]
  if (value === undefined || value === '') return undefined
  if (typeof value !== 'string') throw ambiguous(`the ${where} ${name} is not a single string`)
  if (!B64TOKEN.test(value)) throw ambiguous(`the ${where} ${name} does not hold exactly one token`)
  return value
}

function fromQuery(parts: RequestParts, name: string): string | undefined {
  // An empty query string holds no parameter (what URLSearchParams would find, without making one), and what a
  // framework parsed from it holds none either, so neither is read: the common request parses no query at all.
  if (parts.search === '') return undefined
  // A framework may have parsed the query with its own rules; a non-string there is refused even when the raw
  // query string below looks fine (and the raw string is what decides the token when it is known).
  const parsed = fromObject(parts.query, name, 'query parameter')
  if (parts.search === undefined) return parsed
  const params = new URLSearchParams(parts.search)
  for (const key of params.keys()) {
    if (key !== name && key.startsWith(`${name}[`))
      throw ambiguous(`the query parameter ${name} is not a single string`)
  }
  const values = params.getAll(name)
  if (values.length > 1) throw ambiguous(`the query parameter ${name} is repeated`)
  const value = values[0]
  if (value === undefined || value === '') return undefined
  if (!B64TOKEN.test(value)) throw ambiguous(`the query parameter ${name} does not hold exactly one token`)
  return value
}

function fromCookie(parts: RequestParts, name: string): string | undefined {
  const found: string[] = []
  for (const header of parts.fieldValues('cookie')) {
    // RFC 6265 §4.2.1: cookie-pair *( ";" SP cookie-pair ).
    for (const pair of header.split(';')) {
      const eq = pair.indexOf('=')
      if (eq === -1 || pair.slice(0, eq).trim() !== name) continue
      let value = pair.slice(eq + 1).trim()
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1)
      found.push(value)
    }
  }
  if (found.length > 1) throw ambiguous(`the request has more than one ${name} cookie`)
  const value = found[0]
  if (value === undefined || value === '') return undefined
  if (!B64TOKEN.test(value)) throw ambiguous(`the ${name} cookie does not hold exactly one token`)
  return value
}

/** Finds the token in request parts, or undefined; throws `ERR_JWT_AMBIGUOUS` as described above. */
export function findToken(parts: RequestParts, o: CompiledExtractOptions): string | undefined {
  let token: string | undefined
  for (const source of o.sources) {
    let value: string | undefined
    switch (source) {
      case 'bearer':
        value = fromAuthorization(parts)
        break
      case 'header':
        value = fromHeader(parts, o.headerName)
        break
      case 'body':
        value = fromObject(parts.body, o.bodyField, 'body field')
        break
      case 'query':
        value = fromQuery(parts, o.queryParameter)
        break
      case 'cookie':
        value = fromCookie(parts, o.cookieName)
        break
    }
    if (value === undefined) continue
    // The same token sent twice is one credential; two different ones leave the server to guess.
    if (token !== undefined && token !== value)
      throw ambiguous('the request carries different tokens in several places')
    token = value
  }
  return token
}

/**
 * Finds the bearer token a request carries, without verifying it. Looks, in order, at `Authorization: Bearer
 * <token>` (scheme case-insensitive), the `x-access-token` header, the body field `access_token` (when a
 * framework or `readBody` has parsed the body), and the query parameter `access_token` (read from the request
 * target, and from `req.query` when a framework has parsed it); a cookie only when `sources` lists `'cookie'`.
 * A Fetch `Request` is read too, except its body, which cannot be read synchronously.
 *
 * @param req - a Node `IncomingMessage`, a framework request (Express, Koa's `ctx.request`, Fastify) or a Fetch `Request`
 * @param options - {@link ExtractOptions}: which sources, and under which names
 * @returns the token, or `undefined` when the request carries none (an `Authorization` of another scheme counts as none)
 * @throws {JwtError} `ERR_JWT_AMBIGUOUS` (status 400) for different tokens in several places, a repeated
 *   `Authorization` header or query parameter, a non-string value (`access_token[]=x`, a JSON array), or a value
 *   that is not exactly one token; `ERR_JWT_INVALID_OPTION` for bad options
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { extractToken, verify } from 'jwt-codec'
 * createServer((req, res) => {
 *   const token = extractToken(req)
 *   const claims = token === undefined ? undefined : verify(token, process.env.JWT_SECRET ?? '')
 *   res.end(JSON.stringify(claims ?? null))
 * })
 * ```
 */
export function extractToken(req: NodeRequestLike | Request, options?: ExtractOptions): string | undefined {
  if (typeof req !== 'object' || req === null || typeof req.headers !== 'object' || req.headers === null) {
    throw invalidOption('extractToken needs a request with headers')
  }
  // Options first: a bad option is the caller's error whatever the request holds.
  const o = compileExtractOptions(options)
  const parts = isFetchRequest(req) ? fetchParts(req, undefined) : nodeParts(req)
  return findToken(parts, o)
}
