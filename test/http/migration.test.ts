/**
 * The README's "Migrating from express-jwt" apps, side by side: the before app (jsonwebtoken + express-jwt 8 in
 * Express 5) and the after app (jwt-codec), each over 127.0.0.1, sent the same requests and expected to give the
 * same statuses and the same error-handler answers (the before handler reads `err.code` and `err.inner.name`, the
 * after one `err.code` and `err.inner.code`).
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { describe, test } from 'node:test'
import express, { type NextFunction, type Request, type Response } from 'express'
import { type Request as ExpressJwtRequest, expressjwt } from 'express-jwt'
import jsonwebtoken from 'jsonwebtoken'
import { type JwtPayload, jwtMiddleware, sign, type UnauthorizedError } from '../../src/index.js'
import { serve } from '../helpers/server.js'

/** 32+ bytes, so the HS256 secret rules hold for the after app. */
const SECRET = 'migration-test-secret-0123456789-abcdefghij'
const PASSWORD = 'correct horse'

/** The before app, as in the README (secret and password passed in rather than read from the environment). */
function beforeApp(secret: string, password: string): express.Express {
  const revoked = new Set<string>()
  const app = express()
  app.use(express.json())
  app.post('/login', (req, res) => {
    if (req.body?.password !== password) return res.status(401).json({ error: 'bad_login' })
    const token = jsonwebtoken.sign({ sub: req.body.username }, secret, { expiresIn: '24h', jwtid: randomUUID() })
    res.json({ token })
  })
  app.use(
    expressjwt({
      secret,
      algorithms: ['HS256'],
      isRevoked: async (_req, token) => revoked.has((token?.payload as jsonwebtoken.JwtPayload | undefined)?.jti ?? ''),
    }).unless({ path: ['/login'] }),
  )
  app.get('/me', (req: ExpressJwtRequest, res) => {
    res.json({ sub: req.auth?.sub })
  })
  app.post('/logout', (req: ExpressJwtRequest, res) => {
    revoked.add(req.auth?.jti ?? '')
    res.json({ ok: true })
  })
  app.use(
    (
      err: Error & { code?: string; status?: number; inner?: Error },
      _req: Request,
      res: Response,
      next: NextFunction,
    ) => {
      if (err.name !== 'UnauthorizedError') return next(err)
      if (err.code === 'credentials_required') return res.status(401).json({ error: 'login_required' })
      if (err.code === 'revoked_token') return res.status(401).json({ error: 'revoked' })
      if (err.inner?.name === 'TokenExpiredError') return res.status(401).json({ error: 'expired' })
      res.status(err.status ?? 401).json({ error: 'invalid_token' })
    },
  )
  return app
}

/** The after app, as in the README. */
function afterApp(secret: string, password: string): express.Express {
  const revoked = new Set<string>()
  const app = express()
  app.use(express.json())
  app.post('/login', (req, res) => {
    if (req.body?.password !== password) return res.status(401).json({ error: 'bad_login' })
    const token = sign({ sub: req.body.username }, secret, { expiresIn: '24h', jwtId: randomUUID() })
    res.json({ token })
  })
  app.use(
    jwtMiddleware({
      secret,
      algorithms: ['HS256'],
      requestProperty: 'auth',
      isRevoked: ({ claims }) => revoked.has(claims.jti ?? ''),
    }).unless({ path: ['/login'] }),
  )
  app.get('/me', (req: Request & { auth?: JwtPayload }, res) => {
    res.json({ sub: req.auth?.sub })
  })
  app.post('/logout', (req: Request & { auth?: JwtPayload }, res) => {
    revoked.add(req.auth?.jti ?? '')
    res.json({ ok: true })
  })
  app.use((err: Error, _req: Request, res: Response, next: NextFunction) => {
    if (err.name !== 'UnauthorizedError') return next(err)
    const { code, inner, status } = err as UnauthorizedError
    if (code === 'ERR_JWT_MISSING') return res.status(401).json({ error: 'login_required' })
    if (code === 'ERR_JWT_REVOKED') return res.status(401).json({ error: 'revoked' })
    if (inner.code === 'ERR_JWT_EXPIRED') return res.status(401).json({ error: 'expired' })
    res.status(status).json({ error: 'invalid_token' })
  })
  return app
}

type Exchange = [status: number, body: unknown]

async function send(url: string, path: string, init: RequestInit = {}): Promise<Exchange> {
  const res = await fetch(`${url}${path}`, init)
  const text = await res.text()
  return [res.status, text === '' ? null : (JSON.parse(text) as unknown)]
}

const bearer = (value: string): RequestInit => ({ headers: { authorization: `Bearer ${value}` } })
const login = (body: object): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

/** One run of the scenario against an app: every answer, the login token replaced by its type. */
async function scenario(url: string): Promise<Record<string, Exchange>> {
  const [loginStatus, loginBody] = await send(url, '/login', login({ username: 'ada', password: PASSWORD }))
  const issued = (loginBody as { token: string }).token
  const claims = jsonwebtoken.decode(issued) as jsonwebtoken.JwtPayload
  const now = Math.floor(Date.now() / 1000)
  // Both libraries read each other's HS256 tokens: one expired token serves both apps.
  const expired = sign({ sub: 'ada' }, SECRET, { now: now - 90_000, expiresIn: '24h' })
  const forged = sign({ sub: 'ada' }, 'some-other-secret-that-is-long-enough!!', { expiresIn: '24h' })
  const answers: Record<string, Exchange> = {
    login: [loginStatus, { token: typeof issued, sub: claims.sub, lifetime: (claims.exp ?? 0) - (claims.iat ?? 0) }],
    'bad login': await send(url, '/login', login({ username: 'ada', password: 'wrong' })),
    'good token': await send(url, '/me', bearer(issued)),
    'no token': await send(url, '/me'),
    'bad signature': await send(url, '/me', bearer(forged)),
    'not a token': await send(url, '/me', bearer('not-a-jwt')),
    expired: await send(url, '/me', bearer(expired)),
    logout: await send(url, '/logout', { method: 'POST', ...bearer(issued) }),
    revoked: await send(url, '/me', bearer(issued)),
    'another scheme (status only)': [(await send(url, '/me', { headers: { authorization: 'Basic YTpi' } }))[0], null],
  }
  return answers
}

const EXPECTED: Record<string, Exchange> = {
  login: [200, { token: 'string', sub: 'ada', lifetime: 86_400 }],
  'bad login': [401, { error: 'bad_login' }],
  'good token': [200, { sub: 'ada' }],
  'no token': [401, { error: 'login_required' }],
  'bad signature': [401, { error: 'invalid_token' }],
  'not a token': [401, { error: 'invalid_token' }],
  expired: [401, { error: 'expired' }],
  logout: [200, { ok: true }],
  revoked: [401, { error: 'revoked' }],
  'another scheme (status only)': [401, null],
}

describe('migrating from express-jwt', () => {
  test('the after app (jwt-codec) gives the same statuses and the same handler answers', async (t) => {
    const before = await scenario(await serve(t, beforeApp(SECRET, PASSWORD)))
    const after = await scenario(await serve(t, afterApp(SECRET, PASSWORD)))
    assert.deepStrictEqual(before, EXPECTED)
    assert.deepStrictEqual(after, before)
  })

  test('a token from either app is accepted by the other (same secret, HS256)', async (t) => {
    const beforeUrl = await serve(t, beforeApp(SECRET, PASSWORD))
    const afterUrl = await serve(t, afterApp(SECRET, PASSWORD))
    const fromBefore = (await send(beforeUrl, '/login', login({ username: 'bo', password: PASSWORD })))[1] as {
      token: string
    }
    const fromAfter = (await send(afterUrl, '/login', login({ username: 'cy', password: PASSWORD })))[1] as {
      token: string
    }
    assert.deepStrictEqual(await send(afterUrl, '/me', bearer(fromBefore.token)), [200, { sub: 'bo' }])
    assert.deepStrictEqual(await send(beforeUrl, '/me', bearer(fromAfter.token)), [200, { sub: 'cy' }])
  })
})
