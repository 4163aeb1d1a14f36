/**
 * In-process figures, in a child process of `bench/request/run.ts` like the servers, on the same token:
 * `createVerifier`'s own cost (the reference the adapters' overhead in a real server is compared with), and the
 * adapters called on a synthetic request (a real `IncomingMessage` with the token's `Authorization` header and a
 * response whose methods do nothing; a `Request` made once), which shows an adapter's own work without the noise
 * of a server. On each `measure` message it runs each `calls` times, in several batches, and reports the median
 * CPU µs per call (`process.cpuUsage`). With `REQUEST_BENCH_CODEC` it measures another tree's jwt-codec.
 */
import { IncomingMessage, type ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import { pathToFileURL } from 'node:url'
import { PATH, SECRET } from './fixtures.js'

type Codec = typeof import('../../src/index.js')
const other = process.env.REQUEST_BENCH_CODEC
const codec: Codec = await (other === undefined
  ? import('../../src/index.js')
  : (import(pathToFileURL(other).href) as Promise<Codec>))

let sink: unknown

function median(values: number[]): number {
  values.sort((a, b) => a - b)
  return values[values.length >> 1] as number
}

async function batch(fn: () => unknown, calls: number, awaited: boolean): Promise<number> {
  const from = process.cpuUsage()
  if (awaited) for (let i = 0; i < calls; i++) sink = await fn()
  else for (let i = 0; i < calls; i++) sink = fn()
  const cpu = process.cpuUsage(from)
  return (cpu.user + cpu.system) / calls
}

function nodeRequest(token: string): IncomingMessage {
  const req = new IncomingMessage(new Socket())
  req.method = 'GET'
  req.url = PATH
  req.rawHeaders = ['Host', '127.0.0.1', 'Authorization', `Bearer ${token}`, 'Connection', 'keep-alive']
  return req
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
  const result: Record<string, number> = {}
  for (const [name, fn, awaited] of cases) {
    const samples: number[] = []
    for (let i = 0; i < 5; i++) samples.push(await batch(fn, message.calls, awaited))
    result[name] = median(samples)
  }
  if (typeof sink !== 'object' && handled === 0) throw new Error('nothing was verified')
  process.send?.({ type: 'measured', usPerCall: result.createVerifier, micro: result })
})
process.send?.({ type: 'ready' })
