/** Public types of the request adapters. This file holds types only. */
import type { IncomingHttpHeaders } from 'node:http'
import type { AnyVerifyOptions, JwtHeader, JwtPayload, Secret } from '../types.js'

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
 * What a secret resolver is given: the header and payload of a token whose MAC has NOT been checked yet.
 *
 * @example
 * ```ts
 * import type { SecretResolverInput } from 'jwt-codec/http'
 * const keys = new Map<string, string>([['2026-01', process.env.JWT_SECRET ?? '']])
 * const pickKey = ({ header }: SecretResolverInput) => (header.kid === undefined ? undefined : keys.get(header.kid))
 * ```
 */
export interface SecretResolverInput {
  /** The unverified header: use `kid` to choose a key, trust nothing else in it. */
  header: JwtHeader
  /** The unverified payload: use `iss` to choose a tenant's key, trust nothing else in it. */
  payload: JwtPayload
}

/**
 * Chooses the secret for one token (for `kid`-based key rotation, or one key per issuer). Returning anything
 * that is not a key (`undefined`, `null`, a function, a plain object...) means "no key for this token": the
 * request is refused with 401 `ERR_JWT_HEADER`. A `kid` that is not a string or is longer than 256 characters is
 * refused before the resolver runs. The header is hostile input: look `kid` up in a `Map` (or check
 * `Object.hasOwn`), never as `keys[header.kid]` on a plain object, where `"constructor"` finds a function.
 *
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
export type SecretResolver = (
  input: SecretResolverInput,
) => Secret | null | undefined | Promise<Secret | null | undefined>

/**
 * Requests that skip authentication entirely. With an object, a request is skipped when its pathname (never the
 * query string) equals one of the strings or matches one of the RegExps, or when its method is listed. The
 * pathname is the one a WHATWG `URL` built from the request target has (dot segments resolved, `\` read as `/`);
 * a target whose raw path has other segments than that (`/public/../admin`, `/public/%2e%2e/admin`,
 * `/public\x`) is never exempt. A function decides by itself.
 *
 * @example
 * ```ts
 * import { jwtMiddleware, type UnlessOptions } from 'jwt-codec/http'
 * import type { IncomingMessage } from 'node:http'
 * const unless: UnlessOptions<IncomingMessage> = { path: ['/health', /^\/public\//], method: ['OPTIONS'] }
 * const middleware = jwtMiddleware({ secret: process.env.JWT_SECRET ?? '', unless })
 * ```
 */
export type UnlessOptions<Req> =
  | {
      /** Pathnames that need no token: exact strings or RegExps tested against the pathname only. */
      path?: Array<string | RegExp>
      /** Methods that need no token, such as `['GET', 'HEAD']`. */
      method?: string[]
    }
  | ((request: Req) => boolean)

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
export interface JwtRequestOptions<Req = NodeRequestLike | Request> extends AnyVerifyOptions, ExtractOptions {
  /** The HMAC secret, or a {@link SecretResolver} that picks it per token. Required. */
  secret: Secret | SecretResolver
  /** Default true. When false, a request without a token passes with no claims; a bad token is still refused. */
  credentialsRequired?: boolean
  /** The request property that receives the claims (Node adapters); default `'user'`. */
  requestProperty?: string
  /** Requests that need no token. */
  unless?: UnlessOptions<Req>
  /** Called after the token verified; resolving to true refuses it with 401 `ERR_JWT_REVOKED`. */
  isRevoked?: (claims: JwtPayload, header: JwtHeader) => boolean | Promise<boolean>
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
