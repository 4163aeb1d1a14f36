// One of the APIs of the "one issuer, many APIs" example: it holds no secret at all. It finds the issuer's public
// keys through OpenID Connect discovery, keeps them cached, follows the issuer's key rotation by itself, and asks
// the shared Redis denylist whether a token was logged out. Run several, each with its own PORT and API_NAME:
//   ISSUER=http://127.0.0.1:4000 REDIS_URL=redis://127.0.0.1:6379 node --import tsx examples/jwks/api.ts
//
//   GET /me       the verified claims' sub, and which API answered
//   GET /health   no token needed
//
// Settings from the environment: ISSUER (required: the issuer's URL, exactly as its tokens' `iss`), PORT (default
// 0: any free port; the bound URL is printed as a JSON line), API_NAME, REDIS_URL, and the key set's freshness:
// CACHE_MAX_AGE (default 10m), COOLDOWN (30s), STALE_IF_ERROR (1h); seconds or durations such as 30s.
import { createServer } from 'node:http'
import { createClient } from 'redis'
import { discoverKeySet, withJwt } from '../../src/index.js'
import { closeServer, listen, log, port, required, revokedKey, seconds, stopOnSignals } from './common.js'

const ISSUER = required('ISSUER')
const NAME = process.env.API_NAME ?? 'api'
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

async function main(): Promise<void> {
  // Within cacheMaxAge a verify never waits on the network; a token with a kid the set does not have yet (a key
  // rotated in) fetches at most once per cooldown; while the issuer is down, cached keys serve for staleIfError
  // past cacheMaxAge, then requests get 503 (ERR_JWKS_UNAVAILABLE), not 401: the token is not at fault.
  const keys = discoverKeySet(ISSUER, {
    cacheMaxAge: seconds('CACHE_MAX_AGE', 600),
    cooldown: seconds('COOLDOWN', 30),
    staleIfError: seconds('STALE_IF_ERROR', 3600),
  })

  // No offline queue: while Redis is unreachable, a lookup fails at once and the request gets a 500 (fail closed),
  // rather than waiting, or passing a token that may have been logged out.
  const redis = createClient({ url: REDIS_URL, disableOfflineQueue: true })
  redis.on('error', () => log('redis-error', { api: NAME }))
  await redis.connect()

  const server = createServer(
    withJwt(
      {
        secret: keys,
        issuer: ISSUER,
        // Every token of this issuer has a jti; one without cannot be logged out, so it is refused.
        requiredClaims: ['jti'],
        isRevoked: async ({ claims }) => (await redis.exists(revokedKey(String(claims.jti)))) === 1,
        realm: NAME,
        unless: { path: ['/health'] },
      },
      (req, res) => {
        res.setHeader('content-type', 'application/json; charset=utf-8')
        const path = new URL(req.url ?? '/', 'http://localhost').pathname
        if (path === '/health') return void res.end(JSON.stringify({ ok: true }))
        if (path !== '/me') {
          res.statusCode = 404
          return void res.end(JSON.stringify({ error: 'not_found' }))
        }
        res.end(JSON.stringify({ api: NAME, sub: req.user?.sub }))
      },
    ),
  )
  const bound = await listen(server, port('PORT'))
  // Fetch the keys now, so the first request does not wait; an issuer not up yet is not fatal (the first
  // request fetches again).
  keys.refresh().catch(() => log('keys-unavailable', { api: NAME }))
  log('listening', { service: NAME, url: bound.url, port: bound.port })
  stopOnSignals(async () => {
    await closeServer(server)
    await redis.close()
  })
}

main().catch((error: unknown) => {
  console.error(`${NAME}: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
