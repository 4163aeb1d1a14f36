/**
 * Reads a `.cpuprofile` (from `npm run bench:request -- --profile=REGEX`) and prints where the time went: the
 * functions with the most self time, and the inclusive time of every function in `src/` (its callees counted).
 *
 *   node --import tsx bench/request/hot.ts PROFILE [--top=40] [--match=src/]
 */
import { readFileSync } from 'node:fs'

interface Node {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: Node[]
  samples: number[]
  timeDeltas: number[]
  startTime: number
  endTime: number
}

const [file, ...rest] = process.argv.slice(2)
if (file === undefined) throw new Error('usage: hot.ts PROFILE [--top=N] [--match=TEXT]')
const top = Number(rest.find((a) => a.startsWith('--top='))?.slice(6) ?? 40)
const match = rest.find((a) => a.startsWith('--match='))?.slice(8) ?? 'src/'
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const parent = new Map<number, number>()
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)

const selfUs = new Map<number, number>()
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i] as number
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0))
}
const label = (n: Node): string => {
  const url = n.callFrame.url.replace(/^.*\/(src|node_modules)\//, '$1/').replace(/^node:/, '')
  return `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber + 1}`
}
let total = 0
const self = new Map<string, number>()
const inclusive = new Map<string, number>()
for (const [id, us] of selfUs) {
  total += us
  const n = byId.get(id) as Node
  self.set(label(n), (self.get(label(n)) ?? 0) + us)
  // Each distinct frame on the stack once (recursion counted once).
  const seen = new Set<string>()
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const frame = byId.get(at) as Node
    const key = label(frame)
    if (seen.has(key)) continue
    seen.add(key)
    inclusive.set(key, (inclusive.get(key) ?? 0) + us)
  }
}
const idle = [...self].filter(([k]) => k.startsWith('(idle)')).reduce((a, [, v]) => a + v, 0)
const busy = total - idle
console.log(
  `samples: ${profile.samples.length}, busy ${(busy / 1000).toFixed(0)} ms of ${(total / 1000).toFixed(0)} ms`,
)
const pct = (us: number): string => `${((100 * us) / busy).toFixed(1).padStart(5)}%`
console.log('\nself time (share of busy time):')
for (const [k, v] of [...self]
  .filter(([k]) => !k.startsWith('(idle)'))
  .sort((a, b) => b[1] - a[1])
  .slice(0, top)) {
  console.log(`${pct(v)}  ${k}`)
}
console.log(`\ninclusive time of frames matching ${match}:`)
for (const [k, v] of [...inclusive]
  .filter(([k]) => k.includes(match))
  .sort((a, b) => b[1] - a[1])
  .slice(0, top)) {
  console.log(`${pct(v)}  ${k}`)
}
