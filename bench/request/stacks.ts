/**
 * The servers of the request benchmark, one per stack. Each is started in its own child process
 * (`bench/request/server.ts`), listens on 127.0.0.1 port 0 and answers `GET /api/me` with the text `ok`: the bare
 * stacks at once, the authenticated ones after their JWT check, whose claims the handler reads (`sub`) so that no
 * stack can skip attaching them. Every stack is set up the way its documentation shows, with HS256 only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pathToFileURL } from 'node:url'
import { SECRET, SUBJECT } from './fixtures.js'

type Codec = typeof import('../../src/index.js')

/**
 * jwt-codec as this tree has it, or, with `REQUEST_BENCH_CODEC` set to another tree's `src/index.ts`, as that one
 * has it: how `--before=DIR` runs an earlier version's adapters in the same run as this one's.
 */
function codec(): Promise<Codec> {
  const other = process.env.REQUEST_BENCH_CODEC
  return other === undefined ? import('../../src/index.js') : (import(pathToFileURL(other).href) as Promise<Codec>)
}

/** What a stack is, for the table: its framework, and which JWT check (none for the bare server). */
export interface StackInfo {
  readonly name: string
  readonly framework: string
  /** `undefined` for the bare server of the framework. */
  readonly auth: string | undefined
  /** True for jwt-codec's own adapters (the rows the targets are about). */
  readonly ours: boolean
}

/** A listening server and how to close it. */
export interface Started {
  readonly port: number
  close(): Promise<void>
}

type Starter = () => Promise<Started>

/**
 * The auth step's own time in this server, for the rows that time it (jwt-codec's adapters and the by-hand
 * reference): `performance.now()` just before the step and again where it hands over (the handler, `next`, the
 * Promise it returned), summed over the load window. Unlike the CPU figures, no bare server is subtracted, so it is
 * the step's cost as a busy server sees it (caches shared with everything else the server does), to the tens of ns
 * two clock reads cost.
 */
export const authTiming = {
  ms: 0,
  count: 0,
  add(from: number): void {
    this.ms += performance.now() - from
    this.count++
  },
  reset(): void {
    this.ms = 0
    this.count = 0
  },
}

const BODY = 'ok'

function listening(server: Server): Promise<Started> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections()
            server.close(() => done())
          }),
      })
    })
  })
}

function subjectOf(claims: unknown): unknown {
  return typeof claims === 'object' && claims !== null ? (claims as { sub?: unknown }).sub : undefined
}

/** The one handler body for every authenticated stack: `ok` when the claims arrived, 500 otherwise. */
function answerFor(claims: unknown): { status: number; body: string } {
  return subjectOf(claims) === SUBJECT ? { status: 200, body: BODY } : { status: 500, body: 'no claims' }
}

function nodeAnswer(res: ServerResponse, claims: unknown): void {
  const { status, body } = answerFor(claims)
  res.writeHead(status, { 'content-type': 'text/plain' }).end(body)
}

const starters: Record<string, Starter> = {
  'node:http': () =>
    listening(
      createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(BODY)
      }),
    ),

  // The least a server can do: the Bearer value sliced out of the header Node parsed, one createVerifier call.
  'node:http + createVerifier (by hand)': async () => {
    const { createVerifier } = await codec()
    const verifier = createVerifier(SECRET)
    return listening(
      createServer((req, res) => {
        const from = performance.now()
        const value = req.headers.authorization
        let claims: unknown
        try {
          claims = value?.startsWith('Bearer ') ? verifier(value.slice(7)) : undefined
        } catch {
          claims = undefined
        }
        authTiming.add(from)
        if (claims === undefined) {
          res.writeHead(401).end()
          return
        }
        nodeAnswer(res, claims)
      }),
    )
  },

  // The measuring method's own check: no JWT at all, but a busy wait of exactly createVerifier's cost per call in a
  // loop (measured by run.ts before the servers start, passed in REQUEST_BENCH_SPIN_NS). Whatever overhead the
  // table shows for it is what the bare-server subtraction reports for that much CPU work added to a request.
  'node:http + busy wait (createVerifier cost)': () => {
    const ns = BigInt(Math.round(Number(process.env.REQUEST_BENCH_SPIN_NS ?? 0)))
    return listening(
      createServer((_req, res) => {
        const end = process.hrtime.bigint() + ns
        while (process.hrtime.bigint() < end);
        res.writeHead(200, { 'content-type': 'text/plain' }).end(BODY)
      }),
    )
  },

  'node:http + withJwt': async () => {
    const { withJwt } = await codec()
    // The handler runs in the listener's own tick on this path, so `from` is still this request's.
    let from = 0
    const listener = withJwt({ secret: SECRET }, (req, res) => {
      authTiming.add(from)
      nodeAnswer(res, req.user)
    })
    return listening(
      createServer((req, res) => {
        from = performance.now()
        void listener(req, res)
      }),
    )
  },

  express: async () => {
    const { default: express } = await import('express')
    const app = express()
    app.get('/api/me', (_req, res) => {
      res.type('text/plain').send(BODY)
    })
    return listening(createServer(app))
  },

  'express + jwtMiddleware': async () => {
    const { default: express } = await import('express')
    const { jwtMiddleware } = await codec()
    const app = express()
    const middleware = jwtMiddleware({ secret: SECRET })
    app.use((req, res, next) => {
      const from = performance.now()
      middleware(req, res, (error?: unknown) => {
        authTiming.add(from)
        next(error)
      })
    })
    app.get('/api/me', (req, res) => {
      const { status, body } = answerFor((req as IncomingMessage & { user?: unknown }).user)
      res.status(status).type('text/plain').send(body)
    })
    app.use(expressErrors)
    return listening(createServer(app))
  },

  // What any middleware costs in Express, JWT or not: the figure the JWT checks' overhead includes.
  'express + no-op middleware': async () => {
    const { default: express } = await import('express')
    const app = express()
    app.use((_req, _res, next) => next())
    app.get('/api/me', (_req, res) => {
      res.type('text/plain').send(BODY)
    })
    return listening(createServer(app))
  },

  'express + express-jwt': async () => {
    const { default: express } = await import('express')
    const { expressjwt } = await import('express-jwt')
    const app = express()
    app.use(expressjwt({ secret: SECRET, algorithms: ['HS256'] }))
    app.get('/api/me', (req, res) => {
      const { status, body } = answerFor((req as IncomingMessage & { auth?: unknown }).auth)
      res.status(status).type('text/plain').send(body)
    })
    app.use(expressErrors)
    return listening(createServer(app))
  },

  hono: async () => {
    const { Hono } = await import('hono')
    const app = new Hono()
    app.get('/api/me', (c) => c.text(BODY))
    return honoListening(app.fetch)
  },

  'hono + authenticateRequest': async () => {
    const { Hono } = await import('hono')
    const { authenticateRequest, errorResponse } = await codec()
    const options = { secret: SECRET }
    const app = new Hono<{ Variables: { user: unknown } }>()
    app.use('/api/*', async (c, next) => {
      try {
        const from = performance.now()
        const pending = authenticateRequest(c.req.raw, options)
        authTiming.add(from)
        c.set('user', await pending)
      } catch (error) {
        return errorResponse(error)
      }
      await next()
    })
    app.get('/api/me', (c) => {
      const { status, body } = answerFor(c.get('user'))
      return c.text(body, status as 200)
    })
    return honoListening(app.fetch)
  },

  'hono + no-op middleware': async () => {
    const { Hono } = await import('hono')
    const app = new Hono()
    app.use('/api/*', async (_c, next) => {
      await next()
    })
    app.get('/api/me', (c) => c.text(BODY))
    return honoListening(app.fetch)
  },

  'hono + hono/jwt': async () => {
    const { Hono } = await import('hono')
    const { jwt } = await import('hono/jwt')
    const app = new Hono()
    app.use('/api/*', jwt({ secret: SECRET, alg: 'HS256' }))
    app.get('/api/me', (c) => {
      const { status, body } = answerFor(c.get('jwtPayload'))
      return c.text(body, status as 200)
    })
    return honoListening(app.fetch)
  },

  fastify: async () => {
    const { default: Fastify } = await import('fastify')
    const app = Fastify()
    app.get('/api/me', (_req, reply) => {
      reply.type('text/plain').send(BODY)
    })
    return fastifyListening(app)
  },

  'fastify + @fastify/jwt': async () => {
    const { default: Fastify } = await import('fastify')
    const { default: fastifyJwt } = await import('@fastify/jwt')
    const app = Fastify()
    await app.register(fastifyJwt, { secret: SECRET, verify: { algorithms: ['HS256'] } })
    app.addHook('onRequest', async (request) => {
      await request.jwtVerify()
    })
    app.get('/api/me', (request, reply) => {
      const { status, body } = answerFor(request.user)
      reply.code(status).type('text/plain').send(body)
    })
    return fastifyListening(app)
  },
}

function expressErrors(
  err: { status?: number; name?: string },
  _req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
): void {
  if (err.name !== 'UnauthorizedError') {
    next(err)
    return
  }
  res.writeHead(err.status ?? 401, { 'content-type': 'text/plain' }).end('unauthorized')
}

async function honoListening(fetch: (request: Request) => Response | Promise<Response>): Promise<Started> {
  const { serve } = await import('@hono/node-server')
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server))
  })
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections()
        server.close(() => done())
      }),
  }
}

async function fastifyListening(app: {
  listen(options: { port: number; host: string }): Promise<string>
  close(): Promise<unknown>
  server: Server
}): Promise<Started> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  return {
    port: (app.server.address() as AddressInfo).port,
    close: async () => {
      await app.close()
    },
  }
}

/** The `auth` of a reference row: a middleware that does nothing, to show what a middleware costs at all. */
export const NO_OP = 'no-op middleware'
/** The `auth` of the control row: a busy wait as long as createVerifier's call, and no JWT check. */
export const BUSY_WAIT = 'busy wait'

/** The stacks in table order: each framework's bare server first, then its JWT checks, ours first. */
export const STACKS: readonly StackInfo[] = [
  { name: 'node:http', framework: 'node:http', auth: undefined, ours: false },
  { name: 'node:http + withJwt', framework: 'node:http', auth: 'withJwt', ours: true },
  {
    name: 'node:http + createVerifier (by hand)',
    framework: 'node:http',
    auth: 'createVerifier by hand',
    ours: false,
  },
  { name: 'node:http + busy wait (createVerifier cost)', framework: 'node:http', auth: BUSY_WAIT, ours: false },
  { name: 'express', framework: 'express', auth: undefined, ours: false },
  { name: 'express + jwtMiddleware', framework: 'express', auth: 'jwtMiddleware', ours: true },
  { name: 'express + express-jwt', framework: 'express', auth: 'express-jwt', ours: false },
  { name: 'express + no-op middleware', framework: 'express', auth: NO_OP, ours: false },
  { name: 'hono', framework: 'hono', auth: undefined, ours: false },
  { name: 'hono + authenticateRequest', framework: 'hono', auth: 'authenticateRequest', ours: true },
  { name: 'hono + hono/jwt', framework: 'hono', auth: 'hono/jwt', ours: false },
  { name: 'hono + no-op middleware', framework: 'hono', auth: NO_OP, ours: false },
  { name: 'fastify', framework: 'fastify', auth: undefined, ours: false },
  { name: 'fastify + @fastify/jwt', framework: 'fastify', auth: '@fastify/jwt', ours: false },
]

/** Starts the named stack's server in this process. */
export function startStack(name: string): Promise<Started> {
  const start = starters[name]
  if (start === undefined) throw new Error(`unknown stack: ${name}`)
  return start()
}
