/**
 * The adapters' flat options, checked once when an adapter is made: the adapter's own names, the extraction
 * names, and everything else handed to the core's `createVerifier`, which refuses names it does not know. So a
 * misspelt `credentialsRequred` or `audiance` fails at start-up instead of silently opening a route.
 */
import { JwtError } from '../errors.js'
import type { VerifyOptions } from '../types.js'
import { type BodyReading, compileReadBody } from './body.js'
import { isPrintableRealm } from './challenge.js'
import { type CompiledExtractOptions, compileExtractOptions, EXTRACT_OPTION_NAMES } from './extract.js'
import { makeTokenVerifier, type TokenVerifier } from './keys.js'
import { agreedPathname, type RequestParts } from './parts.js'
import type { JwtRequestOptions } from './types.js'

const ADAPTER_OPTION_NAMES: readonly string[] = [
  'secret',
  'credentialsRequired',
  'requestProperty',
  'unless',
  'isRevoked',
  'realm',
  'readBody',
]

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

function invalidOption(message: string): JwtError {
  return new JwtError('ERR_JWT_INVALID_OPTION', message)
}

/** A RegExp without the `g`/`y` flags, whose `lastIndex` would make `test` answer differently on each call. */
function stateless(re: RegExp): RegExp {
  return re.global || re.sticky ? new RegExp(re.source, re.flags.replace(/[gy]/g, '')) : re
}

function compileUnless(value: unknown): CompiledAdapter['skip'] {
  if (value === undefined) return undefined
  if (typeof value === 'function') {
    const predicate = value as (request: unknown) => unknown
    return (_parts, request) => predicate(request) === true
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidOption('"unless" must be { path?, method? } or a function')
  }
  for (const name of Object.keys(value)) {
    if (name !== 'path' && name !== 'method') throw invalidOption(`unknown unless option "${name}"`)
  }
  const { path, method } = value as { path?: unknown; method?: unknown }
  const strings = new Set<string>()
  const patterns: RegExp[] = []
  if (path !== undefined) {
    if (!Array.isArray(path)) throw invalidOption('"unless.path" must be an array of strings and RegExps')
    for (const p of path) {
      if (typeof p === 'string' && p.length > 0) strings.add(p)
      else if (p instanceof RegExp) patterns.push(stateless(p))
      else throw invalidOption('"unless.path" must be an array of strings and RegExps')
    }
  }
  const methods = new Set<string>()
  if (method !== undefined) {
    if (!Array.isArray(method) || !method.every((m) => typeof m === 'string' && m.length > 0)) {
      throw invalidOption('"unless.method" must be an array of method names')
    }
    for (const m of method as string[]) methods.add(m.toUpperCase())
  }
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

/**
 * Checks adapter options and prepares the verifier.
 * @throws {JwtError} `ERR_JWT_INVALID_OPTION` for an unknown name or a bad value, including a bad secret
 */
export function compileAdapterOptions(options: unknown): CompiledAdapter {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidOption('the adapter options must be an object with at least "secret"')
  }
  const o = options as Record<string, unknown>
  const extract: Record<string, unknown> = {}
  const verifyOptions: Record<string, unknown> = {}
  for (const name of Object.keys(o)) {
    if (EXTRACT_OPTION_NAMES.includes(name)) extract[name] = o[name]
    else if (!ADAPTER_OPTION_NAMES.includes(name)) verifyOptions[name] = o[name]
  }

  const secret = o.secret
  if (secret === undefined || secret === null)
    throw invalidOption('"secret" is required: a secret or a resolver function')
  if (verifyOptions.complete !== undefined && typeof verifyOptions.complete !== 'boolean') {
    throw invalidOption('"complete" must be a boolean')
  }
  // The core checks every remaining name and value (and the secret, when it is a value) right here.
  const verifyToken = makeTokenVerifier(secret as JwtRequestOptions['secret'], verifyOptions as VerifyOptions)

  const credentialsRequired = o.credentialsRequired ?? true
  if (typeof credentialsRequired !== 'boolean') throw invalidOption('"credentialsRequired" must be a boolean')

  const requestProperty = o.requestProperty ?? 'user'
  if (
    typeof requestProperty !== 'string' ||
    requestProperty.length === 0 ||
    FORBIDDEN_PROPERTIES.includes(requestProperty)
  ) {
    throw invalidOption('"requestProperty" must be a plain property name such as "user"')
  }

  if (o.isRevoked !== undefined && typeof o.isRevoked !== 'function')
    throw invalidOption('"isRevoked" must be a function')

  const realm = o.realm
  if (realm !== undefined && (typeof realm !== 'string' || !isPrintableRealm(realm))) {
    throw invalidOption('"realm" must be a string of printable ASCII characters')
  }

  return {
    extract: compileExtractOptions(extract),
    verifyToken,
    credentialsRequired,
    requestProperty,
    complete: verifyOptions.complete === true,
    skip: compileUnless(o.unless),
    isRevoked: o.isRevoked as JwtRequestOptions['isRevoked'],
    realm,
    readBody: compileReadBody(o.readBody),
  }
}
