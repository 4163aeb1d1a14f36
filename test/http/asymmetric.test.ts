/**
 * The HTTP adapters with key pairs, over real HTTP on 127.0.0.1 (port 0): withJwt (node:http), jwtMiddleware in
 * Express 5, and authenticateRequest behind a node:http server that hands it a Fetch Request. Each verifies RS256
 * and ES256 tokens with a public key (PEM), and with a `kid` resolver that returns PEM strings and JWK objects. An
 * unknown kid is 401 ERR_JWT_HEADER; the HS256 token forged with the public PEM as the secret (CVE-2015-9235) is a
 * 401, and an adapter configured to check HS256 with a public key is refused when it is made.
 */
import assert from 'node:assert/strict'
import { createHmac, type KeyObject } from 'node:crypto'
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import { describe, type TestContext, test } from 'node:test'
import express, { type Request as ExpressRequest, type Response as ExpressResponse, type NextFunction } from 'express'
import jsonwebtoken from 'jsonwebtoken'
import {
  type AuthenticatedRequest,
  authenticateRequest,
  describeError,
  errorResponse,
  isJwtError,
  type JwtRequestOptions,
  jwtMiddleware,
  type SignOptions,
  sign,
  withJwt,
} from '../../src/index.js'
import { forgeSigned, jwkOf, pair, pkcs8Pem, signingInput, spkiPem, withSignature } from '../helpers/keypairs.js'
import { serve } from '../helpers/server.js'

type AnyOptions = Partial<JwtRequestOptions<never>> & Record<string, unknown>

const rsa = pair('rsa2048')
const ec = pair('p256')
const attacker = pair('rsa2048b')
const rsaPem = spkiPem(rsa.publicKey)
const ecPem = spkiPem(ec.publicKey)

const DESCRIPTION: Record<string, string> = {
  ERR_JWT_MALFORMED: 'the token is malformed',
  ERR_JWT_ALGORITHM: 'the token algorithm is not accepted',
  ERR_JWT_SIGNATURE: 'the token signature is invalid',
  ERR_JWT_HEADER: 'the token header is not accepted',
}

function token(key: KeyObject, options: SignOptions = {}, payload: object = { sub: 'u1' }): string {
  return sign(payload, key, { expiresIn: '1h', noTimestamp: true, ...options })
}

/** An HS256 token MACed with the public key text: the forgery of CVE-2015-9235. */
function hmacForgery(secret: string, header: object = {}): string {
  const input = signingInput({ alg: 'HS256', typ: 'JWT', ...header }, { sub: 'admin' })
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

/** The three adapters, each behind a real server that answers `{ user }` or the adapter's error body. */
const ADAPTERS: Record<string, (t: TestContext, options: AnyOptions) => Promise<string>> = {
  'withJwt (node:http)': async (t, options) =>
    serve(
      t,
      withJwt({ realm: 'api', ...options } as JwtRequestOptions<IncomingMessage>, (req: AuthenticatedRequest, res) =>
        send(res, 200, {}, { user: req.user ?? null }),
      ),
    ),
  'jwtMiddleware (Express 5)': async (t, options) => {
    const app = express()
    app.use(jwtMiddleware({ realm: 'api', ...options } as JwtRequestOptions<ExpressRequest>))
    app.get('/me', (req: ExpressRequest & { user?: unknown }, res) => {
      res.json({ user: req.user ?? null })
    })
    app.use((err: unknown, _req: ExpressRequest, res: ExpressResponse, _next: NextFunction) => {
      if (!isJwtError(err)) {
        res.status(599).json({ error: 'not a JwtError' })
        return
      }
      // A token's failure is an UnauthorizedError; a server misconfiguration (500) stays a plain JwtError.
      assert.equal(err.name, err.status === 401 ? 'UnauthorizedError' : 'JwtError')
      const { status, headers, body } = describeError(err, { realm: 'api' })
      res.status(status).set(headers).json(body)
    })
    return serve(t, app as unknown as RequestListener)
  },
  'authenticateRequest (Fetch Request)': async (t, options) => {
    const auth = { realm: 'api', ...options } as JwtRequestOptions<Request>
    return serve(t, (req, res) => {
      const headers = new Headers()
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string)
      }
      authenticateRequest(new Request(`http://127.0.0.1${req.url}`, { headers }), auth).then(
        (user) => send(res, 200, {}, { user: user ?? null }),
        async (error: unknown) => {
          const response = errorResponse(error, auth)
          const out: Record<string, string> = {}
          response.headers.forEach((value, key) => {
            out[key] = value
          })
          send(res, response.status, out, await response.json())
        },
      )
    })
  },
}

interface Outcome {
  status: number
  body: unknown
  challenge: string | null
}

async function get(url: string, value: string): Promise<Outcome> {
  const res = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${value}` } })
  return { status: res.status, body: await res.json(), challenge: res.headers.get('www-authenticate') }
}

async function accepted(url: string, value: string, sub = 'u1'): Promise<void> {
  const { status, body } = await get(url, value)
  assert.equal(status, 200, JSON.stringify(body))
  assert.equal((body as { user: { sub?: unknown } }).user.sub, sub)
}

/** A 401 invalid_token whose description is the one of `code`; the body and challenge never show the token. */
async function refused(url: string, value: string, code: keyof typeof DESCRIPTION): Promise<void> {
  const { status, body, challenge } = await get(url, value)
  const description = DESCRIPTION[code] as string
  assert.deepEqual({ status, body }, { status: 401, body: { error: 'invalid_token', error_description: description } })
  assert.equal(challenge, `Bearer realm="api", error="invalid_token", error_description="${description}"`)
  assert.equal(JSON.stringify(body).includes(value.slice(-20)), false)
}

for (const [name, start] of Object.entries(ADAPTERS)) {
  describe(name, () => {
    test('a static RSA public PEM: RS256 tokens pass; forged, tampered, foreign and other-alg tokens are 401', async (t) => {
      const url = await start(t, { secret: rsaPem })
      await accepted(url, token(rsa.privateKey))
      await accepted(url, token(rsa.privateKey, { keyId: 'any' }))
      // A real peer's token.
      await accepted(url, jsonwebtoken.sign({ sub: 'peer' }, pkcs8Pem(rsa.privateKey), { algorithm: 'RS256' }), 'peer')
      await refused(url, hmacForgery(rsaPem), 'ERR_JWT_ALGORITHM')
      await refused(url, hmacForgery(rsaPem.trimEnd()), 'ERR_JWT_ALGORITHM')
      await refused(url, token(attacker.privateKey), 'ERR_JWT_SIGNATURE')
      await refused(url, withSignature(token(rsa.privateKey), Buffer.alloc(256, 7)), 'ERR_JWT_SIGNATURE')
      await refused(url, token(rsa.privateKey, { algorithm: 'PS256' }), 'ERR_JWT_ALGORITHM')
      await refused(url, token(ec.privateKey), 'ERR_JWT_ALGORITHM')
      // The attacker's key embedded in the header changes nothing.
      const embedded = forgeSigned(
        { alg: 'RS256', jwk: jwkOf(attacker.publicKey) },
        { sub: 'admin' },
        attacker.privateKey,
      )
      await refused(url, embedded, 'ERR_JWT_SIGNATURE')
    })

    test('a static EC public PEM (ES256), and an RSA public key for RS256 and PS256', async (t) => {
      const url = await start(t, { secret: ecPem })
      await accepted(url, token(ec.privateKey))
      await accepted(url, jsonwebtoken.sign({ sub: 'peer' }, pkcs8Pem(ec.privateKey), { algorithm: 'ES256' }), 'peer')
      await refused(url, hmacForgery(ecPem), 'ERR_JWT_ALGORITHM')
      await refused(url, token(rsa.privateKey), 'ERR_JWT_ALGORITHM')
      const der = forgeSigned({ alg: 'ES256' }, { sub: 'u1' }, ec.privateKey, { dsaEncoding: 'der' })
      await refused(url, der, 'ERR_JWT_SIGNATURE')
      const both = await start(t, { secret: rsa.publicKey, algorithms: ['RS256', 'PS256'] })
      await accepted(both, token(rsa.privateKey, { algorithm: 'RS256' }))
      await accepted(both, token(rsa.privateKey, { algorithm: 'PS256' }))
      await refused(both, token(rsa.privateKey, { algorithm: 'RS512' }), 'ERR_JWT_ALGORITHM')
      await refused(both, hmacForgery(rsaPem), 'ERR_JWT_ALGORITHM')
    })

    test('a kid resolver returning PEM strings and JWK objects; unknown kid 401 ERR_JWT_HEADER', async (t) => {
      const keys = new Map<string, unknown>([
        ['rsa-pem', rsaPem],
        ['rsa-jwk', jwkOf(rsa.publicKey)],
        ['ec-pem', ecPem],
        ['ec-jwk', jwkOf(ec.publicKey)],
        ['ec-jwk-alg', jwkOf(ec.publicKey, { alg: 'ES256', use: 'sig' })],
        ['rsa-jwk-rs384', jwkOf(rsa.publicKey, { alg: 'RS384' })],
        ['rsa-jwk-enc', jwkOf(rsa.publicKey, { use: 'enc' })],
      ])
      const seen: unknown[] = []
      const url = await start(t, {
        secret: (({ header }: { header: { kid?: unknown } }) => {
          seen.push(header.kid)
          return typeof header.kid === 'string' ? keys.get(header.kid) : undefined
        }) as never,
      })
      await accepted(url, token(rsa.privateKey, { keyId: 'rsa-pem' }))
      await accepted(url, token(rsa.privateKey, { keyId: 'rsa-jwk' }))
      await accepted(url, token(ec.privateKey, { keyId: 'ec-pem' }))
      await accepted(url, token(ec.privateKey, { keyId: 'ec-jwk' }))
      await accepted(url, token(ec.privateKey, { keyId: 'ec-jwk-alg' }))
      await accepted(
        url,
        jsonwebtoken.sign({ sub: 'peer' }, pkcs8Pem(rsa.privateKey), { algorithm: 'RS256', keyid: 'rsa-jwk' }),
        'peer',
      )
      // Unknown kid, no kid, and kids that name inherited properties of a plain object: the token's problem.
      for (const keyId of ['rsa-3', 'constructor', '__proto__', 'toString']) {
        await refused(url, token(rsa.privateKey, { keyId }), 'ERR_JWT_HEADER')
      }
      await refused(url, token(rsa.privateKey), 'ERR_JWT_HEADER')
      // The right kid, the wrong key.
      await refused(url, token(attacker.privateKey, { keyId: 'rsa-pem' }), 'ERR_JWT_SIGNATURE')
      await refused(url, token(attacker.privateKey, { keyId: 'rsa-jwk' }), 'ERR_JWT_SIGNATURE')
      // A kid naming a key of another family: the token's alg does not fit that key.
      await refused(url, token(rsa.privateKey, { keyId: 'ec-pem' }), 'ERR_JWT_ALGORITHM')
      await refused(url, token(ec.privateKey, { keyId: 'rsa-jwk' }), 'ERR_JWT_ALGORITHM')
      // The JWK's own alg decides: an RS256 token is not one of RS384's.
      await accepted(url, token(rsa.privateKey, { keyId: 'rsa-jwk-rs384', algorithm: 'RS384' }))
      await refused(url, token(rsa.privateKey, { keyId: 'rsa-jwk-rs384' }), 'ERR_JWT_ALGORITHM')
      // CVE-2015-9235 through the resolver: an HS256 token MACed with the PEM the kid names.
      await refused(url, hmacForgery(rsaPem, { kid: 'rsa-pem' }), 'ERR_JWT_ALGORITHM')
      await refused(url, hmacForgery(ecPem, { kid: 'ec-pem' }), 'ERR_JWT_ALGORITHM')
      await refused(url, hmacForgery(JSON.stringify(jwkOf(rsa.publicKey)), { kid: 'rsa-jwk' }), 'ERR_JWT_ALGORITHM')
      // A resolver handing out an encryption key is the server's mistake: 500, never a pass.
      const misconfigured = await get(url, token(rsa.privateKey, { keyId: 'rsa-jwk-enc' }))
      assert.deepEqual(misconfigured.status, 500)
      assert.ok(seen.includes('rsa-pem') && seen.includes('ec-jwk'), 'the resolver was asked')
    })

    test('HS256 with a public key: refused when the adapter is made, or a 500 from a resolver, never a pass', async (t) => {
      const forged = hmacForgery(rsaPem)
      for (const secret of [rsaPem, Buffer.from(rsaPem), rsa.publicKey, jwkOf(rsa.publicKey)]) {
        const made = start(t, { secret: secret as never, algorithms: ['HS256'] })
        if (name.startsWith('authenticateRequest')) {
          // authenticateRequest checks its options per call: the request is a 500, not a 200.
          const url = await made
          const { status, body } = await get(url, forged)
          assert.deepEqual(
            { status, body },
            {
              status: 500,
              body: { error: 'server_error', error_description: 'the server is not configured correctly' },
            },
          )
        } else {
          await assert.rejects(made, { name: 'JwtError', code: 'ERR_JWT_INVALID_OPTION' })
        }
      }
      const url = await start(t, { secret: (() => rsaPem) as never, algorithms: ['HS256'] })
      const { status, body } = await get(url, forged)
      assert.deepEqual(
        { status, body },
        {
          status: 500,
          body: { error: 'server_error', error_description: 'the server is not configured correctly' },
        },
      )
    })
  })
}
