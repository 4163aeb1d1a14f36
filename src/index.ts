/**
 * jwt-codec: zero-dependency, secure-by-default JSON Web Tokens (HMAC, RSA, RSA-PSS, ECDSA and EdDSA) for Node.js.
 * @packageDocumentation
 */

export { base64url } from './base64url.js'
export { decodeUnverified } from './decode.js'
export { default } from './default.js'
export { isJwtError, JwtError, type JwtErrorCode, type JwtErrorDetails, UnauthorizedError } from './errors.js'
export {
  type AuthenticatedRequest,
  authenticateRequest,
  describeError,
  type ExtractOptions,
  errorResponse,
  extractToken,
  type HttpErrorParts,
  type IsRevokedInput,
  type JwtMiddleware,
  type JwtRequestOptions,
  jwtMiddleware,
  type NodeRequestLike,
  type SecretResolver,
  type SecretResolverInput,
  type TokenGetter,
  type TokenSource,
  type UnlessOptions,
  type UnlessPath,
  type UnlessRules,
  withJwt,
} from './http/index.js'
export { generateKeyPair, jwkThumbprint, toPublicJwk } from './keys.js'
export { createKeySet, createRemoteKeySet, discoverKeySet } from './keysets.js'
export { createSigner, sign } from './sign.js'
export type {
  Algorithm,
  AnyVerifyOptions,
  CompleteResult,
  CompleteVerifyOptions,
  DecodeOptions,
  Duration,
  JsonWebKey,
  JwtHeader,
  JwtPayload,
  KeyInput,
  KeyResolver,
  KeyResolverInput,
  KeySet,
  RemoteKeySet,
  RemoteKeySetOptions,
  Secret,
  SignOptions,
  VerifyOptions,
} from './types.js'
export { createVerifier, verify } from './verify.js'
