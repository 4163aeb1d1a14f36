/**
 * jwt-codec: zero-dependency, secure-by-default JSON Web Tokens (HS256/384/512) for Node.js.
 * @packageDocumentation
 */
export { sign, createSigner } from './sign.js'
export { verify, createVerifier, type CompleteVerifyOptions } from './verify.js'
export { decodeUnverified } from './decode.js'
export { JwtError, UnauthorizedError, isJwtError, type JwtErrorCode, type JwtErrorDetails } from './errors.js'
export { base64url } from './base64url.js'
export type {
  Algorithm,
  CompleteResult,
  DecodeOptions,
  Duration,
  JwtHeader,
  JwtPayload,
  Secret,
  SignOptions,
  VerifyOptions,
} from './types.js'
export {
  authenticateRequest,
  describeError,
  errorResponse,
  extractToken,
  jwtMiddleware,
  withJwt,
  type AuthenticatedRequest,
  type ExtractOptions,
  type HttpErrorParts,
  type JwtRequestOptions,
  type NodeRequestLike,
  type SecretResolver,
  type SecretResolverInput,
  type TokenSource,
  type UnlessOptions,
} from './http/index.js'
