/**
 * In-process figures, in a child process of `bench/request/run.ts` like the servers, on the same token:
 * `createVerifier`'s own cost (the reference the adapters' overhead in a real server is compared with), and the
 * adapters called on a synthetic request (a real `IncomingMessage` with the token's `Authorization` header and a
 * response whose methods do nothing; a `Request` made once), which shows an adapter's own work without the noise
 * of a server. On each `measure` message it runs each `calls` times, in several batches, and reports the median
 * CPU µs per call (`process.cpuUsage`); and `createVerifier` once more with other memory traffic between calls
 * (see `evictedCalls`). With `REQUEST_BENCH_CODEC` it measures another tree's jwt-codec.
 */
import { IncomingMessage, type ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import { pathToFileURL } from 'node:url'
import { median } from '../timing.js'
import { PATH, SECRET } from './fixtures.js'

type Codec = typeof import('../../src/index.js')
const other = process.env.REQUEST_BENCH_CODEC
const codec: Codec = await (other === undefined
  ? import('../../src/index.js')
  : (import(pathToFileURL(other).href) as Promise<Codec>))

let sink: unknown
const { default: express } = await import('express')
const expressApp = express()

async function batch(fn: () => unknown, calls: number, awaited: boolean): Promise<number> {
  const from = process.cpuUsage()
  if (awaited) for (let i = 0; i < calls; i++) sink = await fn()
  else for (let i = 0; i < calls; i++) sink = fn()
  const cpu = process.cpuUsage(from)
  return (cpu.user + cpu.system) / calls
}

const SOCKET = new Socket()

/**
 * A request as Node's HTTP parser leaves it: the header lines handed over through `_addHeaderLines` (what the
 * parser calls), so `req.headers` is built on first access, as in a server; the fields a curl-like client sends.
 */
function nodeRequest(token: string): IncomingMessage {
  const req = new IncomingMessage(SOCKET)
  req.method = 'GET'
  req.url = PATH
  const lines = ['Host', '127.0.0.1:3000', 'User-Agent', 'bench', 'Accept', '*/*', 'Authorization', `Bearer ${token}`]
  ;(req as unknown as { _addHeaderLines(lines: string[], n: number): void })._addHeaderLines(lines, lines.length)
  return req
}

/**
 * The same request as Express 5 hands it to a middleware: its prototype swapped for the app's request (Express does
 * that to every request, in `app.handle`) and the properties Express and its router set on it.
 */
function expressRequest(token: string): IncomingMessage {
  const req = nodeRequest(token) as IncomingMessage & Record<string, unknown>
  req.res = response
  Object.setPrototypeOf(req, expressApp.request)
  req.app = expressApp
  req.originalUrl = PATH
  req.baseUrl = ''
  req.params = {}
  return req
}

/** CPU µs per call of `fn` on `calls` fresh requests, made before the clock starts (one per call, as a server has). */
async function freshBatch(
  make: () => IncomingMessage,
  fn: (req: IncomingMessage) => unknown,
  calls: number,
  awaited: boolean,
): Promise<number> {
  const requests = Array.from({ length: calls }, make)
  let i = 0
  return batch(() => fn(requests[i++] as IncomingMessage), calls, awaited)
}

/**
 * `createVerifier` as a busy server meets it: before each call, 2 MiB of other memory is read and written (more
 * than this machine's L2 cache), as a server's own work between two requests does, and only the call is timed
 * (`performance.now()` around it). This is why a verify inside a server costs more than in a loop.
 */
const OTHER_WORK = new Int32Array((2 * 1024 * 1024) / 4)
function evictedCalls(fn: () => unknown, calls: number): number {
  let ms = 0
  for (let i = 0; i < calls; i++) {
    for (let j = 0; j < OTHER_WORK.length; j += 16) OTHER_WORK[j] = (OTHER_WORK[j] as number) + 1
    const from = performance.now()
    sink = fn()
    ms += performance.now() - from
  }
  return (1000 * ms) / calls
}

const response = {
  headersSent: false,
  setHeader() {},
  writeHead() {
    return this
  },
  end() {},
} as unknown as ServerResponse

process.on('message', async (message: { type: 'measure'; token: string; calls: number } | { type: 'close' }) => {
  if (message.type === 'close') process.exit(0)
  const token = Buffer.from(message.token, 'latin1').toString('latin1')
  const verifier = codec.createVerifier(SECRET)
  let handled = 0
  const listener = codec.withJwt({ secret: SECRET }, () => {
    handled++
  })
  const req = nodeRequest(token)
  const options = { secret: SECRET }
  const request = new Request(`http://127.0.0.1${PATH}`, { headers: { authorization: `Bearer ${token}` } })
  const cases: Array<[string, () => unknown, boolean]> = [
    ['createVerifier', () => verifier(token), false],
    ['withJwt', () => listener(req, response), true],
    ['authenticateRequest', () => codec.authenticateRequest(request, options), true],
  ]
  // The same on a fresh request per call: the by-hand reference (the header Node parsed, sliced, one verify) and
  // the adapter, so their difference is the adapter's own work on requests shaped as a server's.
  const middleware = codec.jwtMiddleware({ secret: SECRET })
  const next = (error?: unknown): void => {
    if (error === undefined) handled++
  }
  const plain = (): IncomingMessage => nodeRequest(token)
  const fromExpress = (): IncomingMessage => expressRequest(token)
  const fresh: Array<[string, () => IncomingMessage, (req: IncomingMessage) => unknown, boolean]> = [
    ['byHandFresh', plain, (r) => verifier((r.headers.authorization as string).slice(7)), false],
    ['withJwtFresh', plain, (r) => listener(r, response), true],
    ['jwtMiddlewareExpress', fromExpress, (r) => middleware(r, response, next), false],
  ]
  const result: Record<string, number> = {}
  for (const [name, fn, awaited] of cases) {
    const samples: number[] = []
    for (let i = 0; i < 5; i++) samples.push(await batch(fn, message.calls, awaited))
    result[name] = median(samples)
  }
  for (const [name, make, fn, awaited] of fresh) {
    const samples: number[] = []
    for (let i = 0; i < 5; i++) samples.push(await freshBatch(make, fn, message.calls / 4, awaited))
    result[name] = median(samples)
  }
  const evicted: number[] = []
  for (let i = 0; i < 5; i++) evicted.push(evictedCalls(() => verifier(token), Math.ceil(message.calls / 20)))
  result.createVerifierEvicted = median(evicted)
  if (typeof sink !== 'object' && handled === 0) throw new Error('nothing was verified')
  process.send?.({ type: 'measured', usPerCall: result.createVerifier, micro: result })
})
process.send?.({ type: 'ready' })
