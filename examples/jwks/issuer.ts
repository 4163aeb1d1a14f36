// The issuer of the "one issuer, many APIs" example: it alone holds private keys and signs tokens; the APIs
// (examples/jwks/api.ts) verify them with the public keys it publishes. Run it through `npm run example:jwks`, or
// alone: REDIS_URL=redis://127.0.0.1:6379 node --import tsx examples/jwks/issuer.ts
//
//   POST /login                                  {"username","password"} -> { access_token, token_type, expires_in }
//   POST /logout                                 the bearer token's jti goes on the shared denylist until its exp
//   GET  /.well-known/openid-configuration      { issuer, jwks_uri } (OpenID Connect Discovery 1.0 §3)
//   GET  /.well-known/jwks.json                  the public keys: the next one, the signing one, the retiring ones
//
// Settings from the environment: PORT (default 0: any free port; the bound URL is printed as a JSON line),
// ISSUER (the public URL, default this server's own), ALG (ES256, or EdDSA), ROTATE_EVERY (default 1h), TOKEN_TTL
// (default 15m), CLOCK_TOLERANCE (the APIs' clock tolerance, default 0), REDIS_URL (default redis://127.0.0.1:6379).
//
// Key life: a key is made and published one period before it signs anything (so APIs that refresh at least once
// a period know it before its first token arrives), signs for one period, and stays published after that until
// the last token it signed has expired (TOKEN_TTL + CLOCK_TOLERANCE), then is withdrawn. Private keys live in
// memory only: a restart makes new ones, and tokens signed before it stop verifying once the APIs refresh.
import { type KeyObject, randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createClient } from 'redis'
import {
  type Algorithm,
  createSigner,
  generateKeyPair,
  type JsonWebKey,
  type JwtPayload,
  jwkThumbprint,
  toPublicJwk,
  withJwt,
} from '../../src/index.js'
import { closeServer, listen, log, port, revokedKey, seconds, stopOnSignals } from './common.js'

const ALG = (process.env.ALG ?? 'ES256') as Algorithm
if (ALG !== 'ES256' && ALG !== 'EdDSA') throw new Error('ALG must be ES256 or EdDSA')
const ROTATE_EVERY = seconds('ROTATE_EVERY', 3600)
const TOKEN_TTL = seconds('TOKEN_TTL', 900)
const CLOCK_TOLERANCE = seconds('CLOCK_TOLERANCE', 0, { zero: true })
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

interface SigningKey {
  readonly kid: string
  readonly jwk: JsonWebKey
  readonly publicKey: KeyObject
  readonly sign: (payload: object) => string
}

/** The keys the issuer knows, newest first: the next key, the signing key, then the retiring ones. */
class KeyRing {
  next: SigningKey
  current: SigningKey
  readonly retiring = new Map<string, SigningKey>()
  readonly #issuer: string

  constructor(issuer: string) {
    this.#issuer = issuer
    this.current = this.#make()
    this.next = this.#make()
  }

  #make(): SigningKey {
    const { privateKey, publicKey } = generateKeyPair(ALG)
    // The RFC 7638 thumbprint as kid: stable, unique per key, and nothing to keep in sync.
    const kid = jwkThumbprint(publicKey)
    const jwk: JsonWebKey = { ...toPublicJwk(publicKey), kid, alg: ALG, use: 'sig' }
    const sign = createSigner(privateKey, { algorithm: ALG, keyId: kid, issuer: this.#issuer, expiresIn: TOKEN_TTL })
    return { kid, jwk, publicKey, sign }
  }

  /** The next key starts signing, the signing key retires, a new next key is published. */
  rotate(): void {
    const retired = this.current
    this.retiring.set(retired.kid, retired)
    this.current = this.next
    this.next = this.#make()
    log('rotated', { signing: this.current.kid, next: this.next.kid, retiring: retired.kid })
    // Withdrawn once every token it signed has expired: exp <= now + TOKEN_TTL, as seen by the APIs' clocks.
    setTimeout(
      () => {
        this.retiring.delete(retired.kid)
        log('withdrawn', { kid: retired.kid })
      },
      (TOKEN_TTL + CLOCK_TOLERANCE) * 1000,
    ).unref()
  }

  /** The published JWK Set: public members, kid, alg and use only. */
  jwks(): { keys: JsonWebKey[] } {
    return { keys: [this.next.jwk, this.current.jwk, ...[...this.retiring.values()].map((k) => k.jwk)] }
  }

  /** The public key for a kid of a token this issuer may have signed (for /logout), or undefined. */
  verificationKey(kid: unknown): KeyObject | undefined {
    if (typeof kid !== 'string') return undefined
    if (kid === this.current.kid) return this.current.publicKey
    return this.retiring.get(kid)?.publicKey
  }
}

/** Demo users; only their scrypt hashes are kept, compared in constant time (unknown names cost the same). */
const USERS = new Map(
  [
    ['ada', 'lovelace'],
    ['alan', 'turing'],
  ].map(([name, password]) => {
    const salt = randomBytes(16)
    return [name as string, { salt, hash: scryptSync(password as string, salt, 32) }]
  }),
)

function checkPassword(username: string, password: string): boolean {
  const user = USERS.get(username)
  const hash = scryptSync(password, user?.salt ?? Buffer.alloc(16), 32)
  return timingSafeEqual(hash, user?.hash ?? Buffer.alloc(32)) && user !== undefined
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
  res.end(JSON.stringify(body))
}

async function main(): Promise<void> {
  const redis = createClient({ url: REDIS_URL, disableOfflineQueue: true })
  redis.on('error', () => log('redis-error'))
  await redis.connect()

  const server = createServer()
  const bound = await listen(server, port('PORT'))
  const issuer = process.env.ISSUER ?? bound.url
  const ring = new KeyRing(issuer)
  const rotation = setInterval(() => ring.rotate(), ROTATE_EVERY * 1000)

  const PUBLIC = ['/login', '/.well-known/openid-configuration', '/.well-known/jwks.json', '/health']
  server.on(
    'request',
    withJwt(
      {
        // Only /logout needs a token: one this issuer signed with a key it still has.
        secret: ({ header }) => ring.verificationKey(header.kid),
        algorithms: [ALG],
        issuer,
        requiredClaims: ['jti'],
        isRevoked: async ({ claims }) => (await redis.exists(revokedKey(String(claims.jti)))) === 1,
        realm: 'issuer',
        readBody: { limit: 4096 },
        unless: { path: PUBLIC },
      },
      async (req: IncomingMessage & { body?: unknown; user?: JwtPayload }, res) => {
        const path = new URL(req.url ?? '/', 'http://localhost').pathname
        if (req.method === 'GET' && path === '/.well-known/openid-configuration') {
          // A full OpenID Provider publishes more (endpoints, supported values); discovery needs these two.
          return json(res, 200, { issuer, jwks_uri: `${issuer}/.well-known/jwks.json` })
        }
        if (req.method === 'GET' && path === '/.well-known/jwks.json') return json(res, 200, ring.jwks())
        if (req.method === 'GET' && path === '/health') return json(res, 200, { ok: true })
        if (req.method === 'POST' && path === '/login') {
          const { username, password } = (req.body ?? {}) as { username?: unknown; password?: unknown }
          if (typeof username !== 'string' || typeof password !== 'string') {
            return json(res, 400, { error: 'invalid_request', error_description: 'send {"username","password"}' })
          }
          if (!checkPassword(username, password)) {
            return json(res, 401, { error: 'invalid_grant', error_description: 'wrong user name or password' })
          }
          const accessToken = ring.current.sign({ sub: username, jti: randomUUID() })
          return json(
            res,
            200,
            { access_token: accessToken, token_type: 'Bearer', expires_in: TOKEN_TTL },
            { 'cache-control': 'no-store' },
          )
        }
        if (req.method === 'POST' && path === '/logout') {
          // Verified by withJwt: jti is this issuer's own, exp a finite number in the future.
          const { jti, exp } = req.user as { jti: string; exp: number }
          // The entry lives as long as the token could still be accepted somewhere, then Redis drops it by itself.
          await redis.set(revokedKey(jti), '1', {
            expiration: { type: 'EXAT', value: Math.ceil(exp + CLOCK_TOLERANCE) },
          })
          log('logout')
          res.writeHead(204).end()
          return
        }
        json(res, 404, { error: 'not_found' })
      },
    ),
  )

  log('listening', { service: 'issuer', url: bound.url, port: bound.port, issuer, alg: ALG })
  stopOnSignals(async () => {
    clearInterval(rotation)
    await closeServer(server)
    await redis.close()
  })
}

main().catch((error: unknown) => {
  console.error(`issuer: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
