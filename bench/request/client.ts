/**
 * The load generator of the request benchmark, in its own child process: a keep-alive `node:http` client that
 * keeps `concurrency` requests in flight until `count` have been answered, and checks every answer (status and
 * body), so a stack that failed a request cannot look fast. Bounded: a run stops after `count` requests or
 * `timeoutMs`, whichever comes first, and only ever targets 127.0.0.1.
 */
import { Agent, request } from 'node:http'

export interface LoadJob {
  type: 'load'
  id: number
  port: number
  path: string
  headers: Record<string, string>
  count: number
  concurrency: number
  expectStatus: number
  expectBody: string | undefined
  timeoutMs: number
}

export interface LoadResult {
  type: 'loaded'
  id: number
  done: number
  failed: number
  firstFailure: string | undefined
  wallMs: number
}

const agents = new Map<string, Agent>()

function agentFor(port: number, concurrency: number): Agent {
  const key = `${port}/${concurrency}`
  let agent = agents.get(key)
  if (agent === undefined) {
    agent = new Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency })
    agents.set(key, agent)
  }
  return agent
}

function one(job: LoadJob, agent: Agent): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port: job.port, path: job.path, method: 'GET', headers: job.headers, agent },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8')
          if (res.statusCode !== job.expectStatus) resolve(`status ${res.statusCode}: ${body.slice(0, 100)}`)
          else if (job.expectBody !== undefined && body !== job.expectBody) resolve(`body ${body.slice(0, 100)}`)
          else resolve(undefined)
        })
        res.on('error', (e) => resolve(String(e)))
      },
    )
    req.on('error', (e) => resolve(String(e)))
    req.end()
  })
}

async function run(job: LoadJob): Promise<LoadResult> {
  const agent = agentFor(job.port, job.concurrency)
  const t0 = performance.now()
  const deadline = t0 + job.timeoutMs
  let issued = 0
  let done = 0
  let failed = 0
  let firstFailure: string | undefined
  const worker = async (): Promise<void> => {
    while (issued < job.count && performance.now() < deadline) {
      issued++
      const failure = await one(job, agent)
      done++
      if (failure !== undefined) {
        failed++
        firstFailure ??= failure
      }
    }
  }
  await Promise.all(Array.from({ length: job.concurrency }, worker))
  return { type: 'loaded', id: job.id, done, failed, firstFailure, wallMs: performance.now() - t0 }
}

if (process.send !== undefined) {
  process.on('message', (job: LoadJob | { type: 'close' }) => {
    if (job.type === 'close') {
      for (const agent of agents.values()) agent.destroy()
      process.exit(0)
    }
    run(job).then((result) => process.send?.(result))
  })
  process.send({ type: 'ready' })
}
