/**
 * `createVerifier`'s own cost, in a child process of `bench/request/run.ts` like the servers, on the same token:
 * the reference the adapters' overhead in a real server is compared with. On each `measure` message it verifies
 * the token `calls` times in a loop, several batches, and reports the median CPU µs per call (`process.cpuUsage`).
 */
import { createVerifier } from '../../src/index.js'
import { SECRET } from './fixtures.js'

const verifier = createVerifier(SECRET)
let sink: unknown

function batch(token: string, calls: number): number {
  const from = process.cpuUsage()
  for (let i = 0; i < calls; i++) sink = verifier(token)
  const cpu = process.cpuUsage(from)
  return (cpu.user + cpu.system) / calls
}

process.on('message', (message: { type: 'measure'; token: string; calls: number } | { type: 'close' }) => {
  if (message.type === 'close') process.exit(0)
  const token = Buffer.from(message.token, 'latin1').toString('latin1')
  const samples: number[] = []
  for (let i = 0; i < 5; i++) samples.push(batch(token, message.calls))
  samples.sort((a, b) => a - b)
  if (typeof sink !== 'object') throw new Error('the verifier returned no claims')
  process.send?.({ type: 'measured', usPerCall: samples[2] })
})
process.send?.({ type: 'ready' })
