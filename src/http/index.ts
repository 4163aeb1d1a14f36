/**
 * jwt-codec/http: the request adapters alone (also exported from the package root).
 * @packageDocumentation
 */
export { extractToken } from './extract.js'
export { jwtMiddleware, withJwt, type AuthenticatedRequest } from './node.js'
export { authenticateRequest, errorResponse } from './fetch.js'
export { describeError, type HttpErrorParts } from './challenge.js'
export type {
  ExtractOptions,
  JwtRequestOptions,
  NodeRequestLike,
  SecretResolver,
  SecretResolverInput,
  TokenSource,
  UnlessOptions,
} from './types.js'
