/**
 * The adapters' flat options, checked once when an adapter is made, through one table: the core's verify
 * options, the extraction options and the adapter's own. So a misspelt `credentialsRequred` or `audiance` fails
 * at start-up instead of silently opening a route, and no option is ever read from the prototype chain.
 */
import { copyArray, copyRegExp, invalidOption, pickOptions, readOptions } from '../lib/option-table.js'
import { VERIFY_OPTIONS } from '../lib/options.js'
import type { Secret } from '../types.js'
import { type BodyReading, compileReadBody } from './body.js'
import { isPrintableRealm } from './challenge.js'
import { type CompiledExtractOptions, EXTRACT_OPTIONS } from './extract.js'
import { makeTokenVerifier, type TokenVerifier } from './keys.js'
import { agreedPathname, type RequestParts } from './parts.js'
import type { JwtRequestOptions, SecretResolver } from './types.js'

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
  readonly skip: ((parts: RequestParts, request: unknown) => boolean) | undefined
  readonly isRevoked: JwtRequestOptions['isRevoked']
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

const UNLESS_OPTIONS = {
  path: (v: unknown): Array<string | RegExp> => {
    if (v === undefined) return []
    const list = copyArray(v, 'unless.path')
    const paths: Array<string | RegExp> = []
    if (list === undefined) throw invalidOption('"unless.path" must be an array of strings and RegExps')
    for (const p of list) {
      if (typeof p === 'string' && p.length > 0) paths.push(p)
      else if (p instanceof RegExp) paths.push(stateless(p))
      else throw invalidOption('"unless.path" must be an array of strings and RegExps')
    }
    return paths
  },
  method: (v: unknown): string[] => {
    if (v === undefined) return []
    const list = copyArray(v, 'unless.method')
    if (list === undefined || !list.every((m) => typeof m === 'string' && m.length > 0)) {
      throw invalidOption('"unless.method" must be an array of method names')
    }
    return (list as string[]).map((m) => m.toUpperCase())
  },
} as const

function compileUnless(value: unknown): CompiledAdapter['skip'] {
  if (value === undefined) return undefined
  if (typeof value === 'function') {
    const predicate = value as (request: unknown) => unknown
    return (_parts, request) => predicate(request) === true
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidOption('"unless" must be { path?, method? } or a function')
  }
  const { path, method } = readOptions(UNLESS_OPTIONS, value, 'unless')
  const strings = new Set<string>()
  const patterns: RegExp[] = []
  for (const p of path) {
    if (typeof p === 'string') strings.add(p)
    else patterns.push(p)
  }
  const methods = new Set<string>(method)
  return (parts) => {
    if (methods.has(parts.method)) return true
    // The pathname a WHATWG URL gives, and only when the raw target names the same segments: `/public/..\admin`
    // matches /^\/public\// as text but is /admin to a router that builds a URL from it (RFC 3986 §5.2.4).
    const pathname = agreedPathname(parts.target)
    if (pathname === undefined) return false
    // The pathname only: a query string such as `?x=/public` must never unlock a route.
    return strings.has(pathname) || patterns.some((re) => re.test(pathname))
  }
}

/** The adapter's own options; the verify and extraction options sit beside them in {@link ADAPTER_OPTIONS}. */
const ADAPTER_OWN_OPTIONS = {
  secret: (v: unknown): Secret | SecretResolver => {
    if (v === undefined || v === null) throw invalidOption('"secret" is required: a secret or a resolver function')
    // The core checks a secret value (kind, length) when the verifier is made, below.
    return v as Secret | SecretResolver
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
  isRevoked: (v: unknown): JwtRequestOptions['isRevoked'] => {
    if (v !== undefined && typeof v !== 'function') throw invalidOption('"isRevoked" must be a function')
    return v as JwtRequestOptions['isRevoked']
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
  return {
    extract: pickOptions(EXTRACT_OPTIONS, o),
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
