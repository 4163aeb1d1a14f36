/** The machine a bench ran on, as `results.json` records it: CPU model, core count, Node version, platform. */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'

export function machine(): Record<string, string | number> {
  let cpu = 'unknown'
  try {
    const m = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))
    if (m) cpu = m[1] as string
  } catch {}
  let nproc = availableParallelism()
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim())
  } catch {}
  return { nproc, node: process.version, cpu, platform: `${process.platform} ${process.arch}` }
}
