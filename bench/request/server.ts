/**
 * One stack's server, in a child process of `bench/request/run.ts` (`fork(server.ts, [stack name])`). It reports
 * `{ type: 'ready', port }`, then measures its own CPU time (`process.cpuUsage()`: every thread of this process,
 * user and system) between a `start` and a `stop` message, while the load generator (another process) sends the
 * requests, and reports it back over IPC. `close` shuts the server and the process down.
 */
import { startStack } from './stacks.js'

type Message = { type: 'start' } | { type: 'stop' } | { type: 'close' }

const name = process.argv[2]
if (name === undefined || process.send === undefined)
  throw new Error('server.ts runs as a forked child: fork(server.ts, [stack])')
const send = (message: unknown): void => {
  process.send?.(message)
}

const started = await startStack(name)
let from: NodeJS.CpuUsage | undefined
let wallFrom = 0
send({ type: 'ready', port: started.port, pid: process.pid })

process.on('message', (message: Message) => {
  switch (message.type) {
    case 'start':
      wallFrom = performance.now()
      from = process.cpuUsage()
      send({ type: 'started' })
      break
    case 'stop': {
      const cpu = process.cpuUsage(from)
      send({ type: 'stopped', user: cpu.user, system: cpu.system, wallMs: performance.now() - wallFrom })
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
