/**
 * One stack's server, in a child process of `bench/request/run.ts` (`fork(server.ts, [stack name])`). It reports
 * `{ type: 'ready', port }`, then measures its own CPU time (`process.cpuUsage()`: every thread of this process,
 * user and system) between a `start` and a `stop` message, while the load generator (another process) sends the
 * requests, and reports it back over IPC, with the auth step's own time per request for the rows that time it
 * (`authTiming` in stacks.ts). `close` shuts the server and the process down.
 */
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { join } from 'node:path'
import { authTiming, startStack } from './stacks.js'

type Message = { type: 'start' } | { type: 'stop' } | { type: 'close' }

const name = process.argv[2]
if (name === undefined || process.send === undefined)
  throw new Error('server.ts runs as a forked child: fork(server.ts, [stack])')
const send = (message: unknown): void => {
  process.send?.(message)
}

/** With a directory as the second argument, each load window is also CPU-profiled (100 µs sampling) into it. */
const profileDir = process.argv[3]
const session = profileDir === undefined ? undefined : new Session()
if (session !== undefined) {
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 100 })
}
let windows = 0

const started = await startStack(name)
let from: NodeJS.CpuUsage | undefined
let wallFrom = 0
send({ type: 'ready', port: started.port, pid: process.pid })

process.on('message', (message: Message) => {
  switch (message.type) {
    case 'start':
      void (session === undefined ? Promise.resolve() : session.post('Profiler.start')).then(() => {
        wallFrom = performance.now()
        authTiming.reset()
        from = process.cpuUsage()
        send({ type: 'started' })
      })
      break
    case 'stop': {
      const cpu = process.cpuUsage(from)
      const wallMs = performance.now() - wallFrom
      const authUs = authTiming.count === 0 ? undefined : (1000 * authTiming.ms) / authTiming.count
      void (session === undefined ? Promise.resolve(undefined) : session.post('Profiler.stop')).then((result) => {
        if (result !== undefined && profileDir !== undefined) {
          const file = `${name.replace(/[^A-Za-z0-9]+/g, '-')}.${++windows}.cpuprofile`
          writeFileSync(join(profileDir, file), JSON.stringify(result.profile))
        }
        send({ type: 'stopped', user: cpu.user, system: cpu.system, wallMs, authUs })
      })
      break
    }
    case 'close':
      started.close().then(
        () => process.exit(0),
        () => process.exit(1),
      )
      break
  }
})
