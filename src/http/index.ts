/**
 * jwt-codec/http: the request adapters alone (also exported from the package root).
 * @packageDocumentation
 */

export { describeError, type HttpErrorParts } from './challenge.js'
export { extractToken } from './extract.js'
export { authenticateRequest, errorResponse } from './fetch.js'
export { type AuthenticatedRequest, jwtMiddleware, withJwt } from './node.js'
export type {
  ExtractOptions,
  IsRevokedInput,
  JwtMiddleware,
  JwtRequestOptions,
  NodeRequestLike,
  SecretResolver,
  SecretResolverInput,
  TokenGetter,
  TokenSource,
  UnlessOptions,
  UnlessPath,
  UnlessRules,
} from './types.js'
