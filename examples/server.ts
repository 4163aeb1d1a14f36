/**
 * The jwt-codec demo: `npm start`. A login exchanges a password for a 15-minute token; the page keeps it in
 * localStorage and sends it back in `x-access-token`; `withJwt` verifies it and attaches the claims to the
 * request. Plain node:http, no framework.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pathToFileURL } from 'node:url'
import { createSigner, withJwt } from '../src/index.js'

interface DemoUser {
  id: string
  username: string
  name: string
  role: string
  salt: Buffer
  hash: Buffer
}

const SCRYPT_KEYLEN = 32
const ISSUER = 'jwt-codec-demo'

function hashPassword(password: string, salt: Buffer): Buffer {
  return scryptSync(password, salt, SCRYPT_KEYLEN)
}

/** Demo users. Only scrypt hashes are kept; the plain passwords are shown on the page for the demo. */
function makeUsers(): Map<string, DemoUser> {
  const users = new Map<string, DemoUser>()
  for (const [id, username, name, role, password] of [
    ['1', 'ada', 'Ada Lovelace', 'admin', 'lovelace'],
    ['2', 'alan', 'Alan Turing', 'user', 'turing'],
  ] as const) {
    const salt = randomBytes(16)
    users.set(username, { id, username, name, role, salt, hash: hashPassword(password, salt) })
  }
  return users
}

/** Compares in constant time, and spends the same scrypt work for unknown users (no user enumeration by timing). */
function checkPassword(users: Map<string, DemoUser>, username: string, password: string): DemoUser | undefined {
  const user = users.get(username)
  const salt = user?.salt ?? Buffer.alloc(16)
  const expected = user?.hash ?? Buffer.alloc(SCRYPT_KEYLEN)
  const ok = timingSafeEqual(hashPassword(password, salt), expected)
  return ok && user !== undefined ? user : undefined
}

const PUBLIC_DIR = new URL('./public/', import.meta.url)
const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers })
  res.end(JSON.stringify(body))
}

async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw new Error('body too large')
    chunks.push(chunk as Buffer)
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'))
}

export interface DemoOptions {
  /** Port; default `PORT` or 3000. Use 0 for any free port. */
  port?: number
  /** Interface; default 127.0.0.1. */
  host?: string
  /** The HMAC secret; default `JWT_SECRET`, else 32 random bytes. */
  secret?: string
}

export interface Demo {
  server: Server
  url: string
  secret: string
  close(): Promise<void>
}

/** Starts the demo server and resolves once it listens. */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const secret = options.secret ?? randomBytes(32).toString('base64url')
  const users = makeUsers()
  const byId = new Map([...users.values()].map((u) => [u.id, u]))
  const signToken = createSigner(secret, { expiresIn: '15m', issuer: ISSUER })

  const listener = withJwt<{ sub: string; name: string }>(
    {
      secret,
      issuer: ISSUER,
      realm: 'jwt-codec demo',
      unless: { path: [...Object.keys(STATIC), '/favicon.ico', '/api/login', '/api/public'] },
    },
    async (req, res) => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname
      const asset = STATIC[path]
      if (asset !== undefined && req.method === 'GET') {
        res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-store' })
        res.end(readFileSync(new URL(asset.file, PUBLIC_DIR)))
        return
      }
      if (path === '/api/public' && req.method === 'GET') {
        json(res, 200, { message: 'Anyone can read this: the route is exempt through `unless`.' })
        return
      }
      if (path === '/api/login' && req.method === 'POST') {
        let body: unknown
        try {
          body = await readJson(req, 4096)
        } catch {
          json(res, 400, { error: 'invalid_request', error_description: 'send JSON: {"username","password"}' })
          return
        }
        const { username, password } = (body ?? {}) as { username?: unknown; password?: unknown }
        if (typeof username !== 'string' || typeof password !== 'string') {
          json(res, 400, { error: 'invalid_request', error_description: 'username and password must be strings' })
          return
        }
        const user = checkPassword(users, username, password)
        if (user === undefined) {
          json(res, 401, { error: 'invalid_grant', error_description: 'wrong user name or password' })
          return
        }
        json(res, 200, { token: signToken({ sub: user.id, name: user.name, role: user.role }), expiresIn: 900 })
        return
      }
      if (path === '/api/me' && req.method === 'GET') {
        const user = req.user === undefined ? undefined : byId.get(req.user.sub)
        if (user === undefined) {
          json(res, 404, { error: 'not_found', error_description: 'no such user' })
          return
        }
        json(res, 200, {
          user: { id: user.id, username: user.username, name: user.name, role: user.role },
          claims: req.user,
        })
        return
      }
      json(res, 404, { error: 'not_found', error_description: 'no such route' })
    },
  )

  const server = createServer((req, res) => {
    listener(req, res).catch(() => {
      if (!res.headersSent) json(res, 500, { error: 'server_error' })
      else res.destroy()
    })
  })
  const port = options.port ?? Number(process.env.PORT ?? 3000)
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const address = server.address() as AddressInfo
  return {
    server,
    url: `http://${host}:${address.port}`,
    secret,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

async function main(): Promise<void> {
  const fromEnv = process.env.JWT_SECRET
  if (fromEnv === undefined) {
    console.log('JWT_SECRET is not set: using a random secret for this run (tokens die with the server).')
  }
  const demo = await startDemo(fromEnv === undefined ? {} : { secret: fromEnv })
  console.log(`jwt-codec demo listening on ${demo.url} (pid ${process.pid})`)
  console.log(`Stop it with Ctrl+C, or: kill ${process.pid}`)
  console.log('Try it from a terminal:')
  console.log(
    `  TOKEN=$(curl -s -X POST ${demo.url}/api/login -H 'content-type: application/json' -d '{"username":"ada","password":"lovelace"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')`,
  )
  console.log(`  curl -i ${demo.url}/api/me -H "x-access-token: $TOKEN"`)
  // SIGINT (Ctrl+C) and SIGTERM (kill, a process manager) both close the server, open keep-alive connections
  // included, and exit 0: stopping the demo is not a failure. A second signal while closing changes nothing.
  let stopping = false
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return
    stopping = true
    console.log(`${signal}: closing the server`)
    void demo.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error))
    process.exit(1)
  })
}
