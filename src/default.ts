/**
 * The default export: every function and class of the package root as one frozen object, for code written as
 * `import jwt from 'jsonwebtoken'` / `jwt.sign(...)`. Built from the same bindings as the named exports, so
 * `jwt.sign === sign`.
 */
import { base64url } from './base64url.js'
import { decodeUnverified } from './decode.js'
import { isJwtError, JwtError, UnauthorizedError } from './errors.js'
import {
  authenticateRequest,
  describeError,
  errorResponse,
  extractToken,
  jwtMiddleware,
  withJwt,
} from './http/index.js'
import { createSigner, sign } from './sign.js'
import { createVerifier, verify } from './verify.js'

/**
 * The package's functions and classes as one frozen object: `import jwt from 'jwt-codec'` in an ES module,
 * `require('jwt-codec').default` in CommonJS (where `require('jwt-codec')` itself also has every named export).
 * Its members are the named exports themselves.
 *
 * @throws never (it is an object; its members throw as documented on each)
 * @example
 * ```ts
 * import jwt from 'jwt-codec'
 * const token = jwt.sign({ sub: '42' }, secret, { expiresIn: '15m' })
 * const claims = jwt.verify(token, secret)
 * ```
 */
const jwt = Object.freeze({
  sign,
  createSigner,
  verify,
  createVerifier,
  decodeUnverified,
  base64url,
  isJwtError,
  JwtError,
  UnauthorizedError,
  withJwt,
  jwtMiddleware,
  authenticateRequest,
  errorResponse,
  describeError,
  extractToken,
})

export default jwt
