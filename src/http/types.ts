/** Public types of the request adapters. This file holds types only. */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import type { AnyVerifyOptions, JwtHeader, JwtPayload, KeyInput, KeySet, RemoteKeySet } from '../types.js'

/**
 * Where a token may be found: `'bearer'` is `Authorization: Bearer <token>` (RFC 6750 §2.1), `'header'` is a
 * custom header (`x-access-token` unless `headerName` says otherwise), `'body'` a body field (§2.2), `'query'` a
 * query parameter (§2.3), `'cookie'` a cookie (never by default: cookies are sent by browsers on their own, which
 * makes a cookie-carried token a CSRF risk the application must handle).
 *
 * @example
 * ```ts
 * import { extractToken, type TokenSource } from 'jwt-codec/http'
 * const sources: TokenSource[] = ['bearer', 'cookie']
 * const token = extractToken({ headers: { cookie: 'access_token=abc' } }, { sources })
 * ```
 */
export type TokenSource = 'bearer' | 'header' | 'body' | 'query' | 'cookie'

/**
 * The shape of a Node.js request that the adapters read: an `IncomingMessage`, or a framework's request.
 *
 * @example
 * ```ts
 * import { extractToken, type NodeRequestLike } from 'jwt-codec/http'
 * const req: NodeRequestLike = { method: 'GET', url: '/api/me', headers: { authorization: 'Bearer abc' } }
 * extractToken(req) // 'abc'
 * ```
 */
export interface NodeRequestLike {
  /** The method; `OPTIONS` with `origin` and `access-control-request-method` is a CORS preflight. */
  method?: string
  /** The request target: path and query. */
  url?: string
  /** Express's untouched request target (`url` is rewritten under a mount path). */
  originalUrl?: string
  /** The headers, names in lower case, as Node parses them. */
  headers: IncomingHttpHeaders
  /** The headers as received, name and value alternating; lets a repeated `Authorization` be seen. */
  rawHeaders?: string[]
  /** A query object parsed by a framework, if any. */
  query?: unknown
  /** A body parsed by a framework (or by `readBody`), if any. */
  body?: unknown
}

/**
 * Where and under which names {@link extractToken} looks. Unknown names are refused.
 *
 * @example
 * ```ts
 * import { extractToken, type ExtractOptions } from 'jwt-codec/http'
 * const options: ExtractOptions = { sources: ['header'], headerName: 'x-api-token' }
 * const token = extractToken({ headers: { 'x-api-token': 'abc' } }, options)
 * ```
 */
export interface ExtractOptions {
  /** The places to look, default `['bearer', 'header', 'body', 'query']`. Add `'cookie'` to read a cookie. */
  sources?: TokenSource[]
  /** The custom header for the `'header'` source; default `'x-access-token'`. */
  headerName?: string
  /** The body field for the `'body'` source; default `'access_token'` (RFC 6750 §2.2). */
  bodyField?: string
  /** The query parameter for the `'query'` source; default `'access_token'` (RFC 6750 §2.3). */
  queryParameter?: string
  /** The cookie for the `'cookie'` source; default `'access_token'`. */
  cookieName?: string
}

/**
 * What a secret resolver is given: the header and payload of a token whose MAC has NOT been checked yet, and the
 * request that carried it (an `IncomingMessage` or framework request for the Node adapters, a `Request` for Fetch).
 *
 * @typeParam Req - the request type of the adapter
 * @example
 * ```ts
 * import type { IncomingMessage } from 'node:http'
 * import type { SecretResolverInput } from 'jwt-codec/http'
 * const tenants = new Map<string, string>([['a.example.com', process.env.TENANT_A_SECRET ?? '']])
 * const pickKey = ({ request }: SecretResolverInput<IncomingMessage>) => tenants.get(request.headers.host ?? '')
 * ```
 */
export interface SecretResolverInput<Req = NodeRequestLike | Request> {
  /** The unverified header: use `kid` to choose a key, trust nothing else in it. */
  header: JwtHeader
  /** The unverified payload: use `iss` to choose a tenant's key, trust nothing else in it. */
  payload: JwtPayload
  /** The request being authenticated: its `Host` or path prefix can choose a tenant's key. */
  request: Req
}

/**
 * Chooses the key for one token (for `kid`-based key rotation, one key per issuer, or one key per tenant chosen
 * from the request): a secret, a PEM text, a `KeyObject`, a JWK, or a key set (`createKeySet`, or a remote set such
 * as one issuer's `discoverKeySet`) that then picks the key by `kid`. Returning anything else (`undefined`, `null`,
 * a function, a plain object without `kty`...) means "no key for this token": the request is refused with 401
 * `ERR_JWT_HEADER`. A `kid` that is not
 * a string or is longer than 256 characters is refused before the resolver runs. The header is hostile input: look
 * `kid` up in a `Map` (or check `Object.hasOwn`), never as `keys[header.kid]` on a plain object, where
 * `"constructor"` finds a function.
 *
 * @typeParam Req - the request type of the adapter
 * @example
 * ```ts
 * import { withJwt, type SecretResolver } from 'jwt-codec/http'
 * const keys = new Map([
 *   ['k1', process.env.JWT_SECRET_1 ?? ''],
 *   ['k2', process.env.JWT_SECRET_2 ?? ''],
 * ])
 * const secret: SecretResolver = ({ header }) => (header.kid === undefined ? undefined : keys.get(header.kid))
 * const handler = withJwt({ secret }, (req, res) => res.end('ok'))
 * ```
 */
export type SecretResolver<Req = NodeRequestLike | Request> = (
  input: SecretResolverInput<Req>,
) => KeyInput | KeySet | RemoteKeySet | null | undefined | Promise<KeyInput | KeySet | RemoteKeySet | null | undefined>

/**
 * What `isRevoked` is given: the verified claims and header, and the request that carried the token.
 *
 * @typeParam T - the claims type
 * @typeParam Req - the request type of the adapter
 * @example
 * ```ts
 * import type { IsRevokedInput } from 'jwt-codec/http'
 * const denied = new Set<string>()
 * const isRevoked = ({ claims }: IsRevokedInput) => claims.jti !== undefined && denied.has(claims.jti)
 * ```
 */
export interface IsRevokedInput<T extends object = JwtPayload, Req = NodeRequestLike | Request> {
  /** The verified claims. */
  claims: T
  /** The verified header. */
  header: JwtHeader
  /** The request being authenticated. */
  request: Req
}

/**
 * One `unless` path: an exact pathname, a RegExp tested against the pathname, or either of them limited to some
 * methods (`{ url: '/login', methods: ['POST'] }`), as express-unless writes it.
 *
 * @example
 * ```ts
 * import type { UnlessPath } from 'jwt-codec/http'
 * const paths: UnlessPath[] = ['/health', /^\/public\//, { url: '/login', methods: ['POST'] }]
 * ```
 */
export type UnlessPath =
  | string
  | RegExp
  | {
      /** The pathname: an exact string or a RegExp. */
      url: string | RegExp
      /** The methods this path is exempt for (all when absent). */
      methods?: string | string[]
      /** The same as `methods` (express-unless accepts both spellings); give one of them. */
      method?: string | string[]
    }

/**
 * The rules of `unless` in object form (express-unless's options). A request is exempt when any rule matches.
 *
 * @typeParam Req - the request type of the adapter
 * @example
 * ```ts
 * import type { IncomingMessage } from 'node:http'
 * import type { UnlessRules } from 'jwt-codec/http'
 * const rules: UnlessRules<IncomingMessage> = { path: ['/login'], ext: ['.css', '.js'], method: 'HEAD' }
 * ```
 */
export interface UnlessRules<Req> {
  /** Pathnames that need no token: one {@link UnlessPath} or an array of them, tested against the pathname only. */
  path?: UnlessPath | UnlessPath[]
  /** Methods that need no token, such as `['GET', 'HEAD']`. */
  method?: string | string[]
  /** Pathname endings (file extensions such as `'.css'`) that need no token. */
  ext?: string | string[]
  /** Decides by itself; only `true` (or a Promise of `true`) exempts. */
  custom?: (request: Req) => boolean | Promise<boolean>
  /** Match Express's `req.originalUrl` (default `true`) rather than the mount-relative `req.url`. */
  useOriginalUrl?: boolean
}

/**
 * Requests that skip authentication entirely. With an object ({@link UnlessRules}), a request is skipped when its
 * pathname (never the query string) equals one of the path strings or matches one of the RegExps, ends with one
 * of the extensions, when its method is listed, or when `custom` answers `true`. The pathname is the one a WHATWG
 * `URL` built from the request target has (dot segments resolved, `\` read as `/`); a target whose raw path has
 * other segments than that (`/public/../admin`, `/public/%2e%2e/admin`, `/public\x`) is never exempt by path or
 * extension. A function decides by itself, like `custom`.
 *
 * @typeParam Req - the request type of the adapter
 * @example
 * ```ts
 * import { jwtMiddleware, type UnlessOptions } from 'jwt-codec/http'
 * import type { IncomingMessage } from 'node:http'
 * const unless: UnlessOptions<IncomingMessage> = { path: ['/health', /^\/public\//], method: ['OPTIONS'] }
 * const middleware = jwtMiddleware({ secret: process.env.JWT_SECRET ?? '', unless })
 * ```
 */
export type UnlessOptions<Req> = UnlessRules<Req> | ((request: Req) => boolean | Promise<boolean>)

/**
 * Finds the token in a request when it travels somewhere the built-in finder does not look. It replaces the
 * finder: a string is the token, `undefined`, `null` or `''` means "no token". Anything else, or a throw, is the
 * server's fault: 500 `ERR_JWT_INVALID_OPTION` (the thrown error is not passed on, as it may quote the request).
 *
 * @typeParam Req - the request type of the adapter
 * @example
 * ```ts
 * import type { IncomingMessage } from 'node:http'
 * import type { TokenGetter } from 'jwt-codec/http'
 * const getToken: TokenGetter<IncomingMessage> = (req) => {
 *   const value = req.headers['x-session']
 *   return typeof value === 'string' ? value : undefined
 * }
 * ```
 */
export type TokenGetter<Req = NodeRequestLike | Request> = (
  request: Req,
) => string | null | undefined | Promise<string | null | undefined>

/**
 * The middleware {@link jwtMiddleware} returns: an Express/Connect handler with express-jwt's `.unless()`.
 *
 * @typeParam Req - your framework's request type
 * @example
 * ```ts
 * import express from 'express'
 * import { jwtMiddleware, type JwtMiddleware } from 'jwt-codec'
 * const auth: JwtMiddleware = jwtMiddleware({ secret: process.env.JWT_SECRET ?? '', algorithms: ['HS256'] })
 * express().use(auth.unless({ path: ['/login'] }))
 * ```
 */
export interface JwtMiddleware<Req extends IncomingMessage = IncomingMessage> {
  /** Authenticates one request: `next()` on success (or exemption), `next(err)` on failure. */
  (req: Req, res: ServerResponse, next: (error?: unknown) => void): void
  /**
   * A new middleware that also lets the requests these rules name pass without a token; this one is unchanged.
   * The rules are checked now, through the same table as the `unless` option (unknown names refused).
   * @param options - {@link UnlessOptions}
   * @returns the new middleware, itself with `.unless()`
   * @throws {JwtError} `ERR_JWT_INVALID_OPTION` for an unknown name or a bad value
   * @example
   * ```ts
   * import { jwtMiddleware } from 'jwt-codec'
   * const auth = jwtMiddleware({ secret: process.env.JWT_SECRET ?? '' }).unless({ path: [/^\/noToken\//] })
   * ```
   */
  unless(options: UnlessOptions<Req>): JwtMiddleware<Req>
}

/**
 * The options of {@link jwtMiddleware}, {@link withJwt} and {@link authenticateRequest}: the core's
 * {@link VerifyOptions} (`algorithms` defaults to `['HS256']`), the {@link ExtractOptions}, and the adapter's own.
 * They are checked once, when the adapter is made; unknown names are refused with `ERR_JWT_INVALID_OPTION`.
 *
 * @example
 * ```ts
 * import { withJwt, type JwtRequestOptions } from 'jwt-codec/http'
 * import type { IncomingMessage } from 'node:http'
 * const options: JwtRequestOptions<IncomingMessage> = {
 *   secret: process.env.JWT_SECRET ?? '',
 *   algorithms: ['HS256'],
 *   issuer: 'auth.example.com',
 *   credentialsRequired: true,
 *   realm: 'api',
 * }
 * const handler = withJwt(options, (req, res) => res.end(JSON.stringify(req.user)))
 * ```
 */
export interface JwtRequestOptions<Req = NodeRequestLike | Request, T extends object = JwtPayload>
  extends AnyVerifyOptions,
    ExtractOptions {
  /**
   * The key: an HMAC secret, a PEM text, a `KeyObject` or a JWK; a key set (`createKeySet`, `createRemoteKeySet`,
   * `discoverKeySet`); or a {@link SecretResolver} that picks one per token (and request). Required.
   */
  secret: KeyInput | KeySet | RemoteKeySet | SecretResolver<Req>
  /** Default true. When false, a request without a token passes with no claims; a bad token is still refused. */
  credentialsRequired?: boolean
  /** The request property that receives the claims (Node adapters); default `'user'`. */
  requestProperty?: string
  /** Requests that need no token. */
  unless?: UnlessOptions<Req>
  /**
   * Replaces the built-in token finder (then `sources` and the carrier names cannot be set): see
   * {@link TokenGetter}.
   */
  getToken?: TokenGetter<Req>
  /**
   * Called after the token verified, with one object `{ claims, header, request }`; resolving to true refuses it
   * with 401 `ERR_JWT_REVOKED`. A function declared with two or more parameters (the older `(claims, header)` or
   * express-jwt's `(req, token)`) is refused when the adapter is made, so an old hook cannot silently let revoked
   * tokens through.
   */
  isRevoked?: (input: IsRevokedInput<T, Req>) => boolean | Promise<boolean>
  /** The `realm` of the `WWW-Authenticate` challenge (RFC 6750 §3); printable ASCII. Omitted when not set. */
  realm?: string
  /**
   * Read and parse a JSON or `application/x-www-form-urlencoded` body when no framework has (`req.body` is
   * unset), so the body source works on its own. `true` means `{ limit: 16 KiB, timeout: '10s' }`: a larger body
   * is 413 `ERR_JWT_BODY_TOO_LARGE`, one that has not fully arrived within `timeout` (seconds or a duration
   * string) is 408 `ERR_JWT_BODY_TIMEOUT`.
   */
  readBody?: boolean | { limit?: number; timeout?: number | string }
}
