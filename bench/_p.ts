import { measure } from 'mitata'
import { encodeString, decode, decodeToString } from '../src/lib/base64url.js'
import { textOf } from './fixtures.js'
const t = textOf(200, true)
const flat = 'The quick brown fox jumps over the lazy dog 0123456789. '.repeat(4).slice(0, 200)
const e = encodeString(t)
let sink: unknown
const cases: Record<string, () => unknown> = {
  ours: () => (sink = encodeString(t)),
  oursFlat: () => (sink = encodeString(flat)),
  buf: () => (sink = Buffer.from(t).toString('base64url')),
  dec: () => (sink = decode(e)),
  decBuf: () => (sink = Buffer.from(e, 'base64url')),
  decS: () => (sink = decodeToString(e)),
}
for (let r = 0; r < 3; r++) for (const [k, f] of Object.entries(cases)) { const s = await measure(f, { min_cpu_time: 50e6, batch_samples: 256 }); console.log(k.padEnd(20), s.p50.toFixed(0)) }
