// `npm run example:jwks`: starts the whole "one issuer, many APIs" example on loopback: a Redis (Debian's
// redis-server, unless REDIS_URL names one already running), the issuer (examples/jwks/issuer.ts) and two APIs
// (examples/jwks/api.ts), then prints curl lines to log in, call both APIs and log out. Ctrl+C stops everything.
// ALG, ROTATE_EVERY and TOKEN_TTL (default ES256, 30s, 90s) go to the issuer; ISSUER_PORT (default 4000).
// The same functions start the processes of test/examples/jwks.test.ts.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** Where Debian's package puts the server; REDIS_SERVER overrides it. */
export const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server'

/** A started process: its URL, every JSON line it printed so far, and how to stop it. */
export interface Service {
  readonly url: string
  readonly child: ChildProcess
  readonly events: Record<string, unknown>[]
  /** Resolves with the first event (already printed or to come) that `match` accepts. */
  waitFor(match: (event: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>
  stop(): Promise<void>
}

/** A port nothing listens on right now: bound on 127.0.0.1 by the system, then released. */
export async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  await once(server, 'close')
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  await exited
}

/**
 * Starts redis-server on a free loopback port, without persistence (`--save ''`, `--appendonly no`): it cannot pick
 * a port itself (`--port 0` means "no TCP"), so one is found first, and tried again if another process took it.
 */
export async function startRedis(): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  if (!existsSync(REDIS_SERVER)) {
    throw new Error(`${REDIS_SERVER} not found: install Debian's redis-server (apt-get install redis-server)`)
  }
  let output = ''
  for (let attempt = 0; attempt < 3; attempt++) {
    const portNumber = await freePort()
    const child = spawn(
      REDIS_SERVER,
      ['--port', String(portNumber), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    output = ''
    const ready = await new Promise<boolean>((resolve) => {
      const read = (chunk: Buffer): void => {
        output += chunk.toString()
        if (output.includes('Ready to accept connections')) resolve(true)
      }
      child.stdout?.on('data', read)
      child.stderr?.on('data', read)
      child.once('exit', () => resolve(false))
    })
    if (ready) return { url: `redis://127.0.0.1:${portNumber}`, child, stop: () => stopChild(child) }
  }
  throw new Error(`redis-server did not start: ${output.slice(-500)}`)
}

/** Starts `examples/jwks/<name>.ts` with these settings; resolves once it printed its `listening` line. */
export async function startService(name: 'issuer' | 'api', env: Record<string, string>): Promise<Service> {
  const child = spawn(process.execPath, ['--import', 'tsx', `examples/jwks/${name}.ts`], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const events: Record<string, unknown>[] = []
  const waiters = new Set<{ match: (event: Record<string, unknown>) => boolean; resolve: (e: object) => void }>()
  let output = ''
  let pending = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString()
    let end = pending.indexOf('\n')
    while (end !== -1) {
      const line = pending.slice(0, end)
      pending = pending.slice(end + 1)
      end = pending.indexOf('\n')
      let event: unknown
      try {
        event = JSON.parse(line)
      } catch {
        output += `${line}\n`
        continue
      }
      if (event === null || typeof event !== 'object') continue
      const record = event as Record<string, unknown>
      events.push(record)
      for (const waiter of waiters) {
        if (waiter.match(record)) {
          waiters.delete(waiter)
          waiter.resolve(record)
        }
      }
    }
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) =>
      reject(new Error(`examples/jwks/${name}.ts exited (${code ?? signal}): ${output.slice(-2000)}`)),
    )
  })
  exited.catch(() => {})
  const waitFor = (match: (event: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> => {
    const seen = events.find(match)
    if (seen !== undefined) return Promise.resolve(seen)
    return Promise.race([
      new Promise<Record<string, unknown>>((resolve) => {
        waiters.add({ match, resolve: resolve as (e: object) => void })
      }),
      exited,
    ])
  }
  const listening = await waitFor((event) => event.event === 'listening')
  return { url: String(listening.url), child, events, waitFor, stop: () => stopChild(child) }
}

async function main(): Promise<void> {
  const started: { stop(): Promise<void> }[] = []
  const stopAll = async (): Promise<void> => {
    for (const service of started.reverse()) await service.stop()
  }
  process.on('SIGINT', () => void stopAll().then(() => process.exit(0)))
  process.on('SIGTERM', () => void stopAll().then(() => process.exit(0)))
  try {
    let redisUrl = process.env.REDIS_URL
    if (redisUrl === undefined) {
      const redis = await startRedis()
      started.push(redis)
      redisUrl = redis.url
    }
    const settings = {
      ALG: process.env.ALG ?? 'ES256',
      ROTATE_EVERY: process.env.ROTATE_EVERY ?? '30s',
      TOKEN_TTL: process.env.TOKEN_TTL ?? '90s',
    }
    const issuer = await startService('issuer', {
      ...settings,
      PORT: process.env.ISSUER_PORT ?? '4000',
      REDIS_URL: redisUrl,
    })
    started.push(issuer)
    const freshness = { CACHE_MAX_AGE: '10s', COOLDOWN: '2s', STALE_IF_ERROR: '60s' }
    const apis: Service[] = []
    for (const [name, portNumber] of [
      ['orders', '4001'],
      ['billing', '4002'],
    ] as const) {
      const api = await startService('api', {
        ...freshness,
        PORT: portNumber,
        API_NAME: name,
        ISSUER: issuer.url,
        REDIS_URL: redisUrl,
      })
      started.push(api)
      apis.push(api)
    }
    for (const service of [issuer, ...apis]) {
      service.child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(chunk))
    }
    const [orders, billing] = apis as [Service, Service]
    console.log(`
issuer ${issuer.url} (a new ${settings.ALG} key every ${settings.ROTATE_EVERY}, tokens live ${settings.TOKEN_TTL}), APIs ${orders.url} and ${billing.url}, Redis ${redisUrl}

TOKEN=$(curl -s -X POST ${issuer.url}/login -H 'content-type: application/json' \\
  -d '{"username":"ada","password":"lovelace"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')
curl -s ${issuer.url}/.well-known/jwks.json
curl -i ${orders.url}/me -H "Authorization: Bearer $TOKEN"
curl -i ${billing.url}/me -H "Authorization: Bearer $TOKEN"
curl -i -X POST ${issuer.url}/logout -H "Authorization: Bearer $TOKEN"    # then both APIs answer 401
Ctrl+C stops everything.
`)
  } catch (error) {
    await stopAll()
    console.error(error instanceof Error ? error.message : String(error))
    process.exit(1)
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) void main()
