/**
 * Turning an adapter error into an HTTP answer: the status, the `WWW-Authenticate` challenge of RFC 6750 §3 and
 * a JSON body `{ error, error_description }`.
 */
import { isJwtError, type JwtError, type JwtErrorCode } from '../errors.js'

/**
 * The parts of an HTTP error answer.
 *
 * @example
 * ```ts
 * import { describeError, type HttpErrorParts } from 'jwt-codec/http'
 * import { JwtError } from 'jwt-codec'
 * const parts: HttpErrorParts = describeError(new JwtError('ERR_JWT_EXPIRED', 'the token has expired'))
 * console.log(parts.status, parts.headers['www-authenticate'], parts.body.error)
 * ```
 */
export interface HttpErrorParts {
  /** 400, 401, 408, 413 or 500. */
  status: number
  /** `www-authenticate` (absent for a 500), `content-type` and `cache-control`. */
  headers: Record<string, string>
  /** The JSON body: an RFC 6750 §3.1 error code and a description safe to show. */
  body: { error: string; error_description: string }
}

/**
 * Fixed descriptions per code: the client learns what kind of failure it was (an expired token is worth a
 * refresh, a bad signature is not), never anything taken from the token.
 */
const DESCRIPTIONS: Readonly<Record<JwtErrorCode, string>> = {
  ERR_JWT_MALFORMED: 'the token is malformed',
  ERR_JWT_ALGORITHM: 'the token algorithm is not accepted',
  ERR_JWT_SIGNATURE: 'the token signature is invalid',
  ERR_JWT_HEADER: 'the token header is not accepted',
  ERR_JWT_EXPIRED: 'the token has expired',
  ERR_JWT_NOT_BEFORE: 'the token is not valid yet',
  ERR_JWT_CLAIM: 'a token claim is not accepted',
  ERR_JWT_INVALID_OPTION: 'the server is not configured correctly',
  ERR_JWT_MISSING: 'a bearer token is required',
  ERR_JWT_AMBIGUOUS: 'the request does not carry exactly one token',
  ERR_JWT_REVOKED: 'the token has been revoked',
  ERR_JWT_BODY_TOO_LARGE: 'the request body is larger than the limit',
  ERR_JWT_BODY_TIMEOUT: 'the request body did not arrive in time',
  ERR_JWKS_NO_MATCH: 'no key is known for this token',
  ERR_JWKS_MULTIPLE_MATCHES: 'several keys fit the token and it names none of them',
  ERR_JWKS_UNAVAILABLE: 'the keys to check the token cannot be had right now',
}

/** Codes that blame the request rather than the token: RFC 6750 §3.1 `invalid_request`. */
const INVALID_REQUEST: ReadonlySet<JwtErrorCode> = new Set<JwtErrorCode>([
  'ERR_JWT_AMBIGUOUS',
  'ERR_JWT_BODY_TOO_LARGE',
  'ERR_JWT_BODY_TIMEOUT',
])

/**
 * RFC 6750 §3: `error_description` may hold only %x20-21 / %x23-5B / %x5D-7E, so no `"`, no `\` and nothing
 * outside printable ASCII. Mapping those away (rather than escaping) keeps every client parser happy.
 */
export function safeDescription(text: string): string {
  return text
    .replace(/"/g, "'")
    .replace(/\\/g, '/')
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, 200)
}

/** A realm is a quoted-string (RFC 9110 §5.6.4): `"` and `\` are escaped; the caller checked it is printable. */
export function quoteRealm(realm: string): string {
  return `"${realm.replace(/["\\]/g, '\\$&')}"`
}

/** True for a realm that can be sent as a header value: printable ASCII (and SP/HTAB) only. */
export function isPrintableRealm(realm: string): boolean {
  return /^[\t\x20-\x7e]*$/.test(realm)
}

/**
 * The fields {@link describeError} needs, each read once, or undefined for anything that is not a client-side
 * JwtError. `describeError` is documented never to throw, yet a Proxy (revoked or not) or an object with throwing
 * getters can pass `isJwtError`: a throw while reading, or a code or status we did not write, is a 500.
 */
function readError(
  value: unknown,
  options: { realm?: string } | undefined,
): { error: JwtError; realm: string | undefined } | undefined {
  try {
    if (!isJwtError(value)) return undefined
    const code: unknown = value.code
    const status: unknown = value.status
    if (typeof code !== 'string' || !Object.hasOwn(DESCRIPTIONS, code) || code === 'ERR_JWT_INVALID_OPTION') {
      return undefined
    }
    // The one server-side code answered as such: the key set is unavailable (503), which no token can cure.
    const unavailable = code === 'ERR_JWKS_UNAVAILABLE' && status === 503
    if (!unavailable && (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status >= 500))
      return undefined
    const claim: unknown = value.claim
    const message: unknown = value.message
    const given: unknown = options?.realm
    const realm = typeof given === 'string' ? given : undefined
    // A plain snapshot, so nothing below reads the caller's object again.
    const error = {
      code,
      status,
      claim: typeof claim === 'string' ? claim : undefined,
      message: typeof message === 'string' ? message : '',
    } as JwtError
    return { error, realm }
  } catch {
    return undefined
  }
}

function descriptionOf(error: JwtError): string {
  if (error.code === 'ERR_JWT_CLAIM' && typeof error.claim === 'string') {
    // The claim's name comes from the verifier's rules (iss, aud, a requiredClaims entry), never its value.
    return safeDescription(`the token claim '${error.claim}' is not accepted`)
  }
  // Extraction messages are written by this adapter and name only configured carriers: specific and safe.
  if (error.code === 'ERR_JWT_AMBIGUOUS') return safeDescription(error.message)
  return DESCRIPTIONS[error.code]
}

/**
 * Describes an error from the adapters as an HTTP answer: 401 with a bare `Bearer` challenge for a missing token
 * (RFC 6750 §3.1: no error code when the request had no credentials), 401 `error="invalid_token"` for a bad,
 * expired or revoked one, 400 `error="invalid_request"` for a request that does not carry exactly one token (413
 * for a body over `readBody`'s limit, 408 for one slower than its timeout), 503 `temporarily_unavailable` with
 * `Retry-After` when a remote key set cannot be had, and 500 `server_error` for anything else (a resolver that
 * threw, a bad option, a non-JwtError).
 *
 * @param error - anything an adapter raised, typically an `UnauthorizedError`
 * @param options - `realm`: the realm of the `WWW-Authenticate` challenge (RFC 6750 §3), as the adapter was given it
 * @returns `{ status, headers, body }`, ready to send
 * @throws never
 * @example
 * ```ts
 * import express, { type NextFunction, type Request, type Response } from 'express'
 * import { describeError } from 'jwt-codec'
 * const app = express()
 * app.use((err: Error, req: Request, res: Response, next: NextFunction) => {
 *   if (err.name !== 'UnauthorizedError') return next(err)
 *   const { status, headers, body } = describeError(err, { realm: 'api' })
 *   res.status(status).set(headers).json(body)
 * })
 * ```
 */
export function describeError(error: unknown, options?: { realm?: string }): HttpErrorParts {
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  }
  const read = readError(error, options)
  if (read === undefined) {
    return {
      status: 500,
      headers,
      body: { error: 'server_error', error_description: DESCRIPTIONS.ERR_JWT_INVALID_OPTION },
    }
  }
  const { error: err, realm } = read
  if (err.code === 'ERR_JWKS_UNAVAILABLE') {
    // Not the client's fault and no challenge to answer: try again later (RFC 9110 §10.2.3).
    headers['retry-after'] = '30'
    return { status: 503, headers, body: { error: 'temporarily_unavailable', error_description: descriptionOf(err) } }
  }
  const params: string[] = []
  if (realm !== undefined && isPrintableRealm(realm)) params.push(`realm=${quoteRealm(realm)}`)
  const description = descriptionOf(err)
  let code: string
  if (err.code === 'ERR_JWT_MISSING') {
    code = 'unauthorized'
  } else {
    code = INVALID_REQUEST.has(err.code) ? 'invalid_request' : 'invalid_token'
    params.push(`error="${code}"`, `error_description="${description}"`)
  }
  headers['www-authenticate'] = params.length === 0 ? 'Bearer' : `Bearer ${params.join(', ')}`
  return { status: err.status, headers, body: { error: code, error_description: description } }
}
