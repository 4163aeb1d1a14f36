/**
 * The adapters' flat options, checked once when an adapter is made, through one table: the core's verify
 * options, the extraction options and the adapter's own. So a misspelt `credentialsRequred` or `audiance` fails
 * at start-up instead of silently opening a route, and no option is ever read from the prototype chain.
 */
import { invalidOption } from '../errors.js'
import { copyArray, copyRegExp, pickOptions, readOptions } from '../lib/option-table.js'
import { VERIFY_OPTIONS } from '../lib/options.js'
import type { KeyInput, KeySet, RemoteKeySet } from '../types.js'
import { type BodyReading, bodyTokenField, compileReadBody } from './body.js'
import { isPrintableRealm } from './challenge.js'
import { type CompiledExtractOptions, compileExtractOptions, EXTRACT_OPTIONS } from './extract.js'
import { makeTokenVerifier, type TokenVerifier } from './keys.js'
import { agreedPathname, type RequestParts } from './parts.js'
import type { IsRevokedInput, SecretResolver, TokenGetter } from './types.js'

/** `isRevoked` as the adapters call it, whatever request and claims types the caller declared. */
export type IsRevokedHook = (input: IsRevokedInput<object, unknown>) => unknown

/** Names a request property must not take: setting them would change the request object's prototype chain. */
const FORBIDDEN_PROPERTIES: readonly string[] = ['__proto__', 'constructor', 'prototype']

/** The adapter options after checking. */
export interface CompiledAdapter {
  readonly extract: CompiledExtractOptions
  readonly verifyToken: TokenVerifier
  readonly credentialsRequired: boolean
  readonly requestProperty: string
  /** Attach `{ header, payload, signature }` rather than the payload. */
  readonly complete: boolean
  readonly skip: SkipCheck | undefined
  /** The user's token finder, replacing the built-in one. */
  readonly getToken: TokenGetter<unknown> | undefined
  /** The body field the built-in finder reads (checked for duplicates when a body is parsed), if any. */
  readonly bodyTokenField: string | undefined
  readonly isRevoked: IsRevokedHook | undefined
  readonly realm: string | undefined
  /** The body limit and timeout, or undefined when `readBody` is off. */
  readonly readBody: BodyReading | undefined
}

/**
 * A RegExp of our own (so a later `compile()` on the caller's changes nothing), without the `g`/`y` flags, whose
 * `lastIndex` would make `test` answer differently on each call.
 */
function stateless(re: RegExp): RegExp {
  const copy = copyRegExp(re)
  return copy.global || copy.sticky ? new RegExp(copy.source, copy.flags.replace(/[gy]/g, '')) : copy
}

const PATH_SHAPE = '"unless.path" must be a string, a RegExp, { url, methods? } or an array of them'

/** A string or an array of strings, as express-unless takes `method`, `methods` and `ext`: always an array here. */
function stringList(v: unknown, name: string): string[] {
  if (v === undefined) return []
  const list = typeof v === 'string' ? [v] : copyArray(v, name)
  if (list === undefined || !list.every((m) => typeof m === 'string' && m.length > 0)) {
    throw invalidOption(`"${name}" must be a non-empty string or an array of them`)
  }
  return list as string[]
}

function methodList(v: unknown, name: string): string[] {
  return stringList(v, name).map((m) => m.toUpperCase())
}

/** One path rule: a pathname (exact or RegExp) and, for `{ url, methods }`, the methods it is exempt for. */
interface PathRule {
  readonly url: string | RegExp
  readonly methods: ReadonlySet<string> | undefined
}

function pathMatch(v: unknown): string | RegExp {
  if (typeof v === 'string' && v.length > 0) return v
  if (v instanceof RegExp) return stateless(v)
  throw invalidOption(PATH_SHAPE)
}

/** `{ url, methods?, method? }`, read through the option table like every other options object. */
const PATH_OBJECT_OPTIONS = {
  url: (v: unknown): string | RegExp => pathMatch(v),
  methods: (v: unknown): string[] | undefined => (v === undefined ? undefined : methodList(v, 'unless.path.methods')),
  method: (v: unknown): string[] | undefined => (v === undefined ? undefined : methodList(v, 'unless.path.method')),
} as const

function pathRule(v: unknown): PathRule {
  if (typeof v === 'string' || v instanceof RegExp) return { url: pathMatch(v), methods: undefined }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalidOption(PATH_SHAPE)
  const { url, methods, method } = readOptions(PATH_OBJECT_OPTIONS, v, 'unless.path')
  // express-unless reads `method || methods`; one spelling at a time leaves nothing to guess.
  if (methods !== undefined && method !== undefined) {
    throw invalidOption('an "unless.path" entry takes "methods" or "method", not both')
  }
  const list = methods ?? method
  return { url, methods: list === undefined ? undefined : new Set(list) }
}

/** The object form of `unless`: express-unless's options, each checked once. */
const UNLESS_OPTIONS = {
  path: (v: unknown): PathRule[] => {
    if (v === undefined) return []
    // copyArray gives a copy for every array (and throws for holes or getters), so `?? []` is never taken.
    const list = Array.isArray(v) ? (copyArray(v, 'unless.path') ?? []) : [v]
    return list.map(pathRule)
  },
  method: (v: unknown): string[] => methodList(v, 'unless.method'),
  ext: (v: unknown): string[] => stringList(v, 'unless.ext'),
  custom: (v: unknown): ((request: unknown) => unknown) | undefined => {
    if (v !== undefined && typeof v !== 'function') throw invalidOption('"unless.custom" must be a function')
    return v as ((request: unknown) => unknown) | undefined
  },
  useOriginalUrl: (v: unknown): boolean => {
    if (v === undefined) return true
    if (typeof v !== 'boolean') throw invalidOption('"unless.useOriginalUrl" must be a boolean')
    return v
  },
} as const

/** Decides whether a request is exempt: a boolean, or a Promise of one when a predicate answered with a Promise. */
export type SkipCheck = (parts: RequestParts, request: unknown) => boolean | Promise<boolean>

/**
 * A predicate's answer: exactly `true` exempts, and so does a Promise (or thenable) that resolves to exactly
 * `true`; anything else (`1`, `'yes'`) does not. A throw or a rejection is the server's error, and reaches it.
 */
function predicateAnswer(answer: unknown): boolean | Promise<boolean> {
  if (answer === true) return true
  if (typeof answer === 'object' && answer !== null && typeof (answer as { then?: unknown }).then === 'function') {
    return Promise.resolve(answer as PromiseLike<unknown>).then((value) => value === true)
  }
  return false
}

function pathMatches(url: string | RegExp, pathname: string): boolean {
  return typeof url === 'string' ? url === pathname : url.test(pathname)
}

/**
 * The one `unless` matcher, for the `unless` adapter option and for the middleware's `.unless()`: a function, or
 * express-unless's object form. Any rule that matches exempts the request.
 * @throws {JwtError} `ERR_JWT_INVALID_OPTION` for an unknown name or a bad value
 */
export function compileUnless(value: unknown): SkipCheck | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'function') {
    const predicate = value as (request: unknown) => unknown
    return (_parts, request) => predicateAnswer(predicate(request))
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidOption('"unless" must be { path?, method?, ext?, custom?, useOriginalUrl? } or a function')
  }
  const { path, method, ext, custom, useOriginalUrl } = readOptions(UNLESS_OPTIONS, value, 'unless')
  const strings = new Set<string>()
  const rules: PathRule[] = []
  for (const rule of path) {
    if (typeof rule.url === 'string' && rule.methods === undefined) strings.add(rule.url)
    else rules.push(rule)
  }
  const methods = new Set<string>(method)
  return (parts, request) => {
    if (methods.has(parts.method)) return true
    // The pathname a WHATWG URL gives, and only when the raw target names the same segments: `/public/..\admin`
    // matches /^\/public\// as text but is /admin to a router that builds a URL from it (RFC 3986 §5.2.4).
    // The pathname only: a query string such as `?x=/public` must never unlock a route.
    const pathname = agreedPathname(useOriginalUrl ? parts.target : parts.url)
    if (pathname !== undefined) {
      if (strings.has(pathname)) return true
      for (const rule of rules) {
        if (pathMatches(rule.url, pathname) && (rule.methods === undefined || rule.methods.has(parts.method))) {
          return true
        }
      }
      for (const suffix of ext) if (pathname.endsWith(suffix)) return true
    }
    return custom === undefined ? false : predicateAnswer(custom(request))
  }
}

/** Either check exempts: what chaining `.unless()` calls does (each call adds rules, as with express-unless). */
export function eitherSkip(first: SkipCheck | undefined, second: SkipCheck): SkipCheck {
  if (first === undefined) return second
  return (parts, request) => {
    const a = first(parts, request)
    if (a === true) return true
    if (a === false) return second(parts, request)
    return a.then((skip) => skip || second(parts, request))
  }
}

/** The adapter's own options; the verify and extraction options sit beside them in {@link ADAPTER_OPTIONS}. */
const ADAPTER_OWN_OPTIONS = {
  secret: (v: unknown): KeyInput | KeySet | RemoteKeySet | SecretResolver<unknown> => {
    if (v === undefined || v === null) throw invalidOption('"secret" is required: a secret or a resolver function')
    // express-jwt's `(req, token) => key` would get our one object as `req` and nothing as `token`: say so now.
    if (typeof v === 'function' && v.length >= 2) {
      throw invalidOption('a "secret" resolver takes one object { header, payload, request }, not separate arguments')
    }
    // The core checks a secret value (kind, length) when the verifier is made, below.
    return v as KeyInput | KeySet | RemoteKeySet | SecretResolver<unknown>
  },
  credentialsRequired: (v: unknown): boolean => {
    if (v === undefined) return true
    if (typeof v !== 'boolean') throw invalidOption('"credentialsRequired" must be a boolean')
    return v
  },
  requestProperty: (v: unknown): string => {
    if (v === undefined) return 'user'
    if (typeof v !== 'string' || v.length === 0 || FORBIDDEN_PROPERTIES.includes(v)) {
      throw invalidOption('"requestProperty" must be a plain property name such as "user"')
    }
    return v
  },
  unless: compileUnless,
  getToken: (v: unknown): TokenGetter<unknown> | undefined => {
    if (v !== undefined && typeof v !== 'function') throw invalidOption('"getToken" must be a function')
    return v as TokenGetter<unknown> | undefined
  },
  isRevoked: (v: unknown): IsRevokedHook | undefined => {
    if (v === undefined) return undefined
    if (typeof v !== 'function') throw invalidOption('"isRevoked" must be a function')
    // The hook takes one object. An old `(claims, header) => denied.has(claims.jti)` called with that object reads
    // `jti` of the wrong thing and answers false for every token: refused here rather than failing open.
    if (v.length >= 2) {
      throw invalidOption('"isRevoked" takes one object { claims, header, request }, not separate arguments')
    }
    return v as IsRevokedHook
  },
  realm: (v: unknown): string | undefined => {
    if (v !== undefined && (typeof v !== 'string' || !isPrintableRealm(v))) {
      throw invalidOption('"realm" must be a string of printable ASCII characters')
    }
    return v
  },
  readBody: compileReadBody,
} as const

/** Every name an adapter accepts, and how each is checked. */
const ADAPTER_OPTIONS = { ...VERIFY_OPTIONS, ...EXTRACT_OPTIONS, ...ADAPTER_OWN_OPTIONS } as const

/** The extraction defaults, to tell whether any extraction option was given beside `getToken`. */
const DEFAULT_EXTRACT = compileExtractOptions(undefined)

function sameExtraction(a: CompiledExtractOptions, b: CompiledExtractOptions): boolean {
  return (
    a.sources.length === b.sources.length &&
    a.sources.every((source, i) => source === b.sources[i]) &&
    a.headerName === b.headerName &&
    a.bodyField === b.bodyField &&
    a.queryParameter === b.queryParameter &&
    a.cookieName === b.cookieName
  )
}

/**
 * Checks adapter options and prepares the verifier.
 * @throws {JwtError} `ERR_JWT_INVALID_OPTION` for an unknown name or a bad value, including a bad secret
 */
export function compileAdapterOptions(options: unknown): CompiledAdapter {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidOption('the adapter options must be an object with at least "secret"')
  }
  // One snapshot, read once; nothing below looks at the caller's object again.
  const o = readOptions(ADAPTER_OPTIONS, options, 'adapter')
  const verifyOptions = pickOptions(VERIFY_OPTIONS, o)
  const extract = pickOptions(EXTRACT_OPTIONS, o)
  if (o.getToken !== undefined && !sameExtraction(extract, DEFAULT_EXTRACT)) {
    // Options that would do nothing are refused, like unknown names: the finder they configure is not used.
    throw invalidOption('"getToken" replaces the token finder: "sources" and the carrier names cannot be set with it')
  }
  return {
    extract,
    getToken: o.getToken,
    bodyTokenField: o.getToken === undefined ? bodyTokenField(extract) : undefined,
    // The core checks the secret (when it is a value) against the copied verify options right here.
    verifyToken: makeTokenVerifier(o.secret, verifyOptions),
    credentialsRequired: o.credentialsRequired,
    requestProperty: o.requestProperty,
    complete: o.complete,
    skip: o.unless,
    isRevoked: o.isRevoked,
    realm: o.realm,
    readBody: o.readBody,
  }
}
