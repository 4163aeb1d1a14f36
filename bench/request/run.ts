/**
 * `npm run bench:request`: the request-path benchmark. Every stack of `bench/request/stacks.ts` runs as a real
 * server in its own child process on 127.0.0.1 port 0; one more child, the load generator, keeps 20 keep-alive
 * requests in flight until N have been answered, all carrying the same HS256 token. The figure is the server's own
 * CPU time per request (`process.cpuUsage()` inside the server, around the load window, sent back over IPC), for
 * each bare server and each JWT check on it, in rounds that visit every stack, framework by framework (the bare
 * server measured before and after its checks), so all figures come from one run. The auth overhead is a stack's
 * time minus its bare server's, per round, and its median over rounds; its ratio is to `createVerifier`'s own cost
 * per call, measured in another child in the same rounds.
 *
 *   npm run bench:request                       15 rounds of 2,000 requests per stack: writes results.json, README
 *   npm run bench:request -- --quick            4 rounds of 1,000: writes results.local.json
 *   npm run bench:request -- --filter=express   only matching stacks (and their bare server); prints only
 *   npm run bench:request -- --profile=withJwt  also CPU-profile each load window of matching servers (--prof-dir)
 *   npm run bench:request -- --before=DIR       also jwt-codec's adapters from DIR/src (an earlier tree), same run
 *   --rounds=N --requests=N --concurrency=N     override the defaults
 */
import { type ChildProcess, fork } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { machine } from '../machine.js'
import { median } from '../timing.js'
import type { LoadJob, LoadResult } from './client.js'
import { makeToken, PATH } from './fixtures.js'
import { BUSY_WAIT, NO_OP, STACKS, type StackInfo } from './stacks.js'

const here = fileURLToPath(new URL('.', import.meta.url))
const argv = process.argv.slice(2)
const flag = (name: string): string | undefined => {
  const hit = argv.find((a) => a.startsWith(`--${name}=`))
  return hit === undefined ? undefined : hit.slice(name.length + 3)
}
const quick = argv.includes('--quick')
const filter = flag('filter') === undefined ? undefined : new RegExp(flag('filter') as string, 'i')
const profile = flag('profile') === undefined ? undefined : new RegExp(flag('profile') as string, 'i')
const before = flag('before')
const profDir = flag('prof-dir') ?? join(tmpdir(), 'jwt-codec-request-profiles')
const ROUNDS = Number(flag('rounds') ?? (quick ? 4 : 15))
const REQUESTS = Number(flag('requests') ?? (quick ? 1000 : 2000))
const CONCURRENCY = Number(flag('concurrency') ?? 20)
const WARMUP = Number(flag('warmup') ?? (quick ? 2000 : 4000))
const MICRO_CALLS = 20_000
const LOAD_TIMEOUT_MS = 120_000
const full = !quick && filter === undefined && flag('rounds') === undefined && flag('requests') === undefined

/** The next IPC message of the given type from a child (the children answer one request at a time). */
function next<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type?: string }): void => {
      if (message.type !== type) return
      cleanup()
      resolve(message as T)
    }
    const onExit = (code: number | null): void => {
      cleanup()
      reject(new Error(`a child exited (${code}) while ${type} was awaited`))
    }
    const cleanup = (): void => {
      child.off('message', onMessage)
      child.off('exit', onExit)
    }
    child.on('message', onMessage)
    child.on('exit', onExit)
  })
}

/** Every child this run started: ended when it exits, however it exits, so that no server outlives it. */
const children: ChildProcess[] = []
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill()
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130))

function child(script: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  const proc = fork(join(here, script), args, {
    execArgv: process.execArgv,
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  children.push(proc)
  return proc
}

/** A stack as this run starts it: `name` is the row, `stack` the server; `codec` another tree's jwt-codec. */
type RunStack = StackInfo & { readonly stack: string; readonly codec?: string }

interface Server {
  readonly info: RunStack
  readonly process: ChildProcess
  readonly port: number
}

async function startServer(info: RunStack, spinNs: number): Promise<Server> {
  const args = profile?.test(info.name) ? [info.stack, profDir] : [info.stack]
  const env: Record<string, string> = { REQUEST_BENCH_SPIN_NS: String(spinNs) }
  if (info.codec !== undefined) env.REQUEST_BENCH_CODEC = info.codec
  const proc = child('server.ts', args, env)
  const { port } = await next<{ port: number }>(proc, 'ready')
  return { info, process: proc, port }
}

let jobId = 0
async function load(
  client: ChildProcess,
  port: number,
  count: number,
  headers: Record<string, string>,
  expectStatus = 200,
  expectBody: string | null = 'ok',
): Promise<LoadResult> {
  const job: LoadJob = {
    type: 'load',
    id: ++jobId,
    port,
    path: PATH,
    headers,
    count,
    concurrency: CONCURRENCY,
    expectStatus,
    expectBody: expectBody ?? undefined,
    timeoutMs: LOAD_TIMEOUT_MS,
  }
  const answer = next<LoadResult>(client, 'loaded')
  client.send(job)
  const result = await answer
  if (result.failed > 0 || result.done !== count) {
    throw new Error(`port ${port}: ${result.failed} of ${result.done}/${count} failed, first: ${result.firstFailure}`)
  }
  return result
}

/** The auth step's own µs per request in each load window of the rows that time it (`authTiming`). */
const authSteps = new Map<string, number[]>()

/** The server's CPU µs per request over one load window. */
async function measure(server: Server, client: ChildProcess, headers: Record<string, string>): Promise<number> {
  const started = next(server.process, 'started')
  server.process.send({ type: 'start' })
  await started
  const result = await load(client, server.port, REQUESTS, headers)
  const stopped = next<{ user: number; system: number; authUs?: number }>(server.process, 'stopped')
  server.process.send({ type: 'stop' })
  const cpu = await stopped
  if (cpu.authUs !== undefined)
    authSteps.set(server.info.name, [...(authSteps.get(server.info.name) ?? []), cpu.authUs])
  return (cpu.user + cpu.system) / result.done
}

function versionOf(pkg: string): string {
  try {
    const text = readFileSync(join(here, '..', '..', 'node_modules', pkg, 'package.json'), 'utf8')
    return (JSON.parse(text) as { version: string }).version
  } catch {
    return 'unknown'
  }
}

interface Row {
  stack: string
  framework: string
  auth: string | null
  ours: boolean
  usPerRequest: number
  overheadUs: number | null
  overheadPerVerifier: number | null
  /** Every measurement of the stack, µs per request. */
  rounds: number[]
  /** Every overhead measurement (the stack minus the mean of its bare server's just before and after), µs. */
  overheads: number[]
  /** The auth step timed inside the server (median over load windows), µs per request, where the row times it. */
  authStepUs: number | null
  /** That time over the round's createVerifier cost per call (median of per-round ratios). */
  authStepPerVerifier: number | null
  authSteps: number[]
}

const fmt = (n: number | null, digits = 1): string => (n === null ? '' : n.toFixed(digits))

function table(rows: readonly Row[], verifierUs: number): string {
  const lines = [
    '| stack | server CPU µs/request | auth overhead µs | overhead / createVerifier | auth step in the server, µs | step / createVerifier |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ]
  const x = (n: number | null): string => (n === null ? '' : `${fmt(n, 2)}x`)
  for (const r of rows) {
    const name = r.ours ? `**${r.stack}**` : r.stack
    lines.push(
      `| ${name} | ${fmt(r.usPerRequest)} | ${fmt(r.overheadUs)} | ${x(r.overheadPerVerifier)} | ${fmt(r.authStepUs, 2)} | ${x(r.authStepPerVerifier)} |`,
    )
  }
  lines.push(`| createVerifier alone (same token, same run) | ${fmt(verifierUs, 2)} per call | | 1.00x | | 1.00x |`)
  return lines.join('\n')
}

/** One round of the in-process figures; returns createVerifier's µs per call. */
async function measureMicro(
  proc: ChildProcess,
  token: string,
  suffix: string,
  into: Record<string, number[]>,
): Promise<number> {
  const measured = next<{ usPerCall: number; micro: Record<string, number> }>(proc, 'measured')
  proc.send({ type: 'measure', token, calls: MICRO_CALLS })
  const { usPerCall, micro } = await measured
  for (const [name, us] of Object.entries(micro)) {
    const key = `${name}${suffix}`
    into[key] = [...(into[key] ?? []), us]
  }
  return usPerCall
}

const SYNTHETIC: Record<string, string> = {
  createVerifier: '`createVerifier` (the same token, again and again)',
  withJwt: '`withJwt` listener, synthetic `IncomingMessage`, handler does nothing',
  authenticateRequest: '`authenticateRequest`, one `Request` made beforehand',
  byHandFresh: '`createVerifier` by hand (`req.headers.authorization` sliced), a fresh `IncomingMessage` per call',
  withJwtFresh: '`withJwt` listener, a fresh `IncomingMessage` per call, handler does nothing',
  jwtMiddlewareExpress: '`jwtMiddleware` on a fresh Express 5 request per call (prototype swapped as Express does)',
  createVerifierEvicted: '`createVerifier` with 2 MiB of other memory traffic before each call (only the call timed)',
}

function syntheticTable(us: Record<string, number>): string {
  const lines = ['| call | µs per call |', '| --- | ---: |']
  for (const [name, value] of Object.entries(us)) {
    const base = name.replace(' (before)', '')
    lines.push(`| ${SYNTHETIC[base] ?? base}${name === base ? '' : ' (before)'} | ${fmt(value, 2)} |`)
  }
  return lines.join('\n')
}

async function main(): Promise<void> {
  const picked = STACKS.filter(
    (s) =>
      filter === undefined ||
      filter.test(s.name) ||
      STACKS.some((t) => t.framework === s.framework && filter.test(t.name) && s.auth === undefined),
  )
  const chosen: RunStack[] = picked.map((s) => ({ ...s, stack: s.name }))
  if (before !== undefined) {
    // jwt-codec's own rows once more, from the other tree, right after this tree's: before and after, one run.
    const codecFile = join(before, 'src', 'index.ts')
    for (const s of picked.filter((p) => p.ours).reverse()) {
      const at = chosen.findIndex((c) => c.name === s.name)
      chosen.splice(at + 1, 0, { ...s, name: `${s.name} (before)`, stack: s.name, codec: codecFile, ours: false })
    }
  }
  if (profile !== undefined) mkdirSync(profDir, { recursive: true })
  const token = makeToken()
  const auth = { authorization: `Bearer ${token}` }
  console.log(
    `request bench: ${chosen.length} stacks, ${ROUNDS} rounds x ${REQUESTS} requests, ${CONCURRENCY} in flight`,
  )

  const micro = child('micro.ts', [])
  await next(micro, 'ready')
  // createVerifier's cost per call, once before the servers start: how long the control row's busy wait lasts.
  const spinNs = Math.round(1000 * (await measureMicro(micro, token, '', {})))
  const servers: Server[] = []
  for (const info of chosen) servers.push(await startServer(info, spinNs))
  const client = child('client.ts', [])
  await next(client, 'ready')
  const microBefore =
    before === undefined ? undefined : child('micro.ts', [], { REQUEST_BENCH_CODEC: join(before, 'src', 'index.ts') })
  if (microBefore !== undefined) await next(microBefore, 'ready')
  const synthetic: Record<string, number[]> = {}

  try {
    // Every JWT check refuses a request without a token and one with a changed signature before anything is timed.
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`
    for (const s of servers) {
      await load(client, s.port, CONCURRENCY, auth)
      if (s.info.auth === undefined || s.info.auth === NO_OP || s.info.auth === BUSY_WAIT) continue
      await load(client, s.port, CONCURRENCY, {}, 401, null)
      await load(client, s.port, CONCURRENCY, { authorization: `Bearer ${tampered}` }, 401, null)
    }
    for (let w = 0; w < 2; w++) for (const s of servers) await load(client, s.port, WARMUP, auth)
    console.log('checked (401 without a token and with a changed signature) and warmed up')

    const perStack = new Map<string, number[]>(servers.map((s) => [s.info.name, []]))
    /** Per JWT check, per measurement: its time minus the mean of its bare server's just before and just after. */
    const overheads = new Map<string, number[]>(servers.map((s) => [s.info.name, []]))
    /** Per JWT check, per measurement: that overhead over the round's createVerifier cost. */
    const ratios = new Map<string, number[]>(servers.map((s) => [s.info.name, []]))
    const verifier: number[] = []
    /** Per row that times its auth step, per round: the step's median time over that round's createVerifier. */
    const stepRatios = new Map<string, number[]>()
    const groups = [...new Set(servers.map((s) => s.info.framework))]
    for (let round = 0; round < ROUNDS; round++) {
      const verifierUs = await measureMicro(micro, token, '', synthetic)
      if (microBefore !== undefined) await measureMicro(microBefore, token, ' (before)', synthetic)
      verifier.push(verifierUs)
      // Framework by framework, each JWT check between two measurements of its bare server (bare, A, bare, B,
      // bare, ...), so that an overhead is a difference of figures taken a second apart and a steady drift of the
      // machine's load cancels; the checks in an order rotated from round to round.
      for (let g = 0; g < groups.length; g++) {
        const group = servers.filter((s) => s.info.framework === groups[(g + round) % groups.length])
        const bare = group.find((s) => s.info.auth === undefined)
        const checks = group.filter((s) => s !== bare)
        let before = bare === undefined ? 0 : await measure(bare, client, auth)
        if (bare !== undefined) perStack.get(bare.info.name)?.push(before)
        for (let i = 0; i < checks.length; i++) {
          const s = checks[(i + round) % checks.length] as Server
          const us = await measure(s, client, auth)
          perStack.get(s.info.name)?.push(us)
          if (bare === undefined) continue
          const after = await measure(bare, client, auth)
          perStack.get(bare.info.name)?.push(after)
          const overhead = us - (before + after) / 2
          overheads.get(s.info.name)?.push(overhead)
          ratios.get(s.info.name)?.push(overhead / verifierUs)
          before = after
        }
      }
      for (const s of servers) {
        const steps = authSteps.get(s.info.name)
        // A row that times its step is a JWT check, measured once a round: its last window is this round's.
        if (steps === undefined) continue
        stepRatios.set(s.info.name, [...(stepRatios.get(s.info.name) ?? []), (steps.at(-1) as number) / verifierUs])
      }
      console.log(
        `round ${round + 1}/${ROUNDS}: createVerifier ${fmt(verifierUs, 2)}; ${servers.map((s) => `${s.info.name} ${fmt(median(perStack.get(s.info.name)?.slice(-1) ?? [0]))}`).join(', ')}`,
      )
    }

    const rows: Row[] = servers.map((s) => {
      const rounds = perStack.get(s.info.name) ?? []
      const diffs = s.info.auth === undefined ? [] : (overheads.get(s.info.name) ?? [])
      return {
        stack: s.info.name,
        framework: s.info.framework,
        auth: s.info.auth ?? null,
        ours: s.info.ours,
        usPerRequest: median(rounds),
        overheadUs: diffs.length === 0 ? null : median(diffs),
        overheadPerVerifier: diffs.length === 0 ? null : median(ratios.get(s.info.name) ?? []),
        rounds,
        overheads: diffs,
        authStepUs: authSteps.has(s.info.name) ? median(authSteps.get(s.info.name) ?? []) : null,
        authStepPerVerifier: stepRatios.has(s.info.name) ? median(stepRatios.get(s.info.name) ?? []) : null,
        authSteps: authSteps.get(s.info.name) ?? [],
      }
    })
    const verifierUs = median(verifier)
    const syntheticUs = Object.fromEntries(Object.entries(synthetic).map(([k, v]) => [k, median(v)]))
    const text = `${table(rows, verifierUs)}\n\nIn one process, no server (\`bench/request/micro.ts\`), CPU µs per call:\n\n${syntheticTable(syntheticUs)}`
    console.log(`\n${text}\n`)

    const results = {
      date: new Date().toISOString(),
      command: `npm run bench:request${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`,
      machine: machine(),
      settings: { rounds: ROUNDS, requests: REQUESTS, concurrency: CONCURRENCY, warmup: WARMUP },
      versions: Object.fromEntries(
        ['express', 'express-jwt', 'hono', '@hono/node-server', 'fastify', '@fastify/jwt'].map((p) => [
          p,
          versionOf(p),
        ]),
      ),
      createVerifierUs: verifierUs,
      createVerifierRounds: verifier,
      synthetic: syntheticUs,
      syntheticRounds: synthetic,
      rows,
    }
    if (filter === undefined) {
      const file = join(here, full ? 'results.json' : 'results.local.json')
      writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`)
      console.log(`wrote ${file}`)
    }
    if (full) {
      const readme = join(here, 'README.md')
      const old = readFileSync(readme, 'utf8')
      const block = `<!-- figures:start -->\n${results.date.slice(0, 10)}, \`${results.command}\`, Node ${process.version}, ${results.machine.nproc} cores (shared):\n\n${text}\n<!-- figures:end -->`
      writeFileSync(readme, old.replace(/<!-- figures:start -->[\s\S]*<!-- figures:end -->/, block))
      console.log(`updated ${readme}`)
    }
  } finally {
    for (const s of servers) {
      const exited = new Promise((resolve) => s.process.once('exit', resolve))
      s.process.send({ type: 'close' })
      await exited
    }
    client.send({ type: 'close' })
    micro.send({ type: 'close' })
    microBefore?.send({ type: 'close' })
  }
  if (profile !== undefined) console.log(`profiles in ${profDir}`)
}

await main()
