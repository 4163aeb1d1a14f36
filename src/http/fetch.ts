/**
 * The Fetch API adapter: for servers whose handlers take a `Request` and return a `Response` (Hono, Bun, Deno,
 * Next.js route handlers, Cloudflare-style workers).
 */
import type { JwtPayload } from '../types.js'
import { adapterError, authenticateNow, shouldSkip } from './authenticate.js'
import { bodyKind, parseBody, readFetchBody } from './body.js'
import { describeError } from './challenge.js'
import { type CompiledAdapter, compileAdapterOptions } from './options.js'
import { fetchParts } from './parts.js'
import type { JwtRequestOptions } from './types.js'

/**
 * Checked options per options object, so that passing the same object on every request checks it and prepares
 * its key once. Held weakly: an options object that is dropped takes its entry with it.
 */
const compiled = new WeakMap<object, CompiledAdapter>()

function adapterFor<T extends object>(options: JwtRequestOptions<Request, T>): CompiledAdapter {
  let adapter = typeof options === 'object' && options !== null ? compiled.get(options) : undefined
  if (adapter === undefined) {
    adapter = compileAdapterOptions(options)
    compiled.set(options, adapter)
  }
  return adapter
}

/**
 * Authenticates a Fetch `Request`: finds the one token (Bearer, `x-access-token`, query; the body with
 * `readBody`, read from a clone so your handler can still read it; a cookie when `sources` lists it), verifies
 * it and asks `isRevoked`. The options are checked the first time an options object is used; keep one object and
 * pass it on every call (changing it afterwards has no effect: make a new object instead).
 *
 * @typeParam T - the claims type you expect
 * @param request - the incoming `Request`
 * @param options - {@link JwtRequestOptions}; `secret` is required, `algorithms` defaults to `['HS256']`
 * @returns the verified claims (`{ header, payload, signature }` with `complete: true`), or `undefined` for a
 *   request that needs no token: a CORS preflight, one `unless` exempts, or one without a token when
 *   `credentialsRequired` is false
 * @throws {UnauthorizedError} (as a rejection) `ERR_JWT_MISSING` (401), `ERR_JWT_AMBIGUOUS` (400),
 *   `ERR_JWT_BODY_TOO_LARGE` (413) or `ERR_JWT_BODY_TIMEOUT` (408) with `readBody`, `ERR_JWT_REVOKED` or a
 *   verification code (401); turn it into a reply with {@link errorResponse}.
 *   `ERR_JWT_INVALID_OPTION` (a plain JwtError) for bad options; a resolver's or `isRevoked`'s own errors pass through
 * @example
 * ```ts
 * import { authenticateRequest, errorResponse } from 'jwt-codec'
 * const options = { secret: process.env.JWT_SECRET ?? '', issuer: 'auth.example.com', realm: 'api' }
 * export async function GET(request: Request): Promise<Response> {
 *   try {
 *     const claims = await authenticateRequest(request, options)
 *     return Response.json({ hello: claims?.sub })
 *   } catch (error) {
 *     return errorResponse(error, options)
 *   }
 * }
 * ```
 */
export async function authenticateRequest<T extends object = JwtPayload>(
  request: Request,
  options: JwtRequestOptions<Request, T>,
): Promise<T | undefined> {
  const adapter = adapterFor(options)
  let parts = fetchParts(request, undefined)
  // No body is read for an exempt request: the handler reads the original, which a Fetch adapter never consumes.
  const skip = shouldSkip(adapter, parts, request)
  if (skip === true || (skip !== false && (await skip))) return undefined
  try {
    if (adapter.readBody !== undefined) {
      const kind = bodyKind(request.headers.get('content-type'))
      const bytes = kind === undefined ? undefined : await readFetchBody(request, adapter.readBody)
      if (kind !== undefined && bytes !== undefined) {
        parts = fetchParts(request, parseBody(kind, bytes, adapter.bodyTokenField))
      }
    }
    // Awaited only when a hook answered with a Promise: the common request settles this one Promise alone.
    const claims = authenticateNow(adapter, parts, request)
    return (claims instanceof Promise ? await claims : claims) as T | undefined
  } catch (error) {
    throw adapterError(error)
  }
}

/**
 * Turns an error from {@link authenticateRequest} into a `Response`: the status (401, 400, 408, 413, or 500 for
 * anything that is not a token problem), `WWW-Authenticate` per RFC 6750 §3 (a bare `Bearer realm=...` when the
 * request had no token, `error="invalid_token"` or `error="invalid_request"` otherwise) and a JSON body
 * `{ error, error_description }` that never contains the token or a claim value.
 *
 * @param error - what `authenticateRequest` rejected with (anything else becomes a 500)
 * @param options - `realm`: the realm of the challenge; the adapter's own options object will do (only `realm` is
 *   read), so one object configures both
 * @returns the `Response` to send
 * @throws never
 * @example
 * ```ts
 * import { Hono } from 'hono'
 * import { authenticateRequest, errorResponse, type JwtPayload, type JwtRequestOptions } from 'jwt-codec'
 * const options: JwtRequestOptions<Request> = { secret: process.env.JWT_SECRET ?? '', realm: 'api' }
 * const app = new Hono<{ Variables: { user: JwtPayload | undefined } }>()
 * app.use('/api/*', async (c, next) => {
 *   try {
 *     c.set('user', await authenticateRequest(c.req.raw, options))
 *   } catch (error) {
 *     return errorResponse(error, options)
 *   }
 *   await next()
 * })
 * ```
 */
export function errorResponse(error: unknown, options?: { realm?: string }): Response {
  const { status, headers, body } = describeError(error, options)
  return new Response(JSON.stringify(body), { status, headers })
}
