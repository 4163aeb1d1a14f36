/**
 * Where a verify's time goes when the CPU caches are cold, as inside a busy server: `createVerifier` and its three
 * largest parts (the two SHA-256 calls of the MAC, the payload decode, `JSON.parse` of the payload), each timed warm
 * (called again and again) and cold (2 MiB of other memory traffic before each call, only the call timed), on the
 * request benchmark's token. Medians of 5 batches, ns per call.
 *
 *   node --import tsx bench/request/cold.ts
 */
import { hash } from 'node:crypto'
import { createVerifier } from '../../src/index.js'
import { decodeRangeToString } from '../../src/lib/base64url.js'
import { makeToken, SECRET } from './fixtures.js'

const token = makeToken()
const verifier = createVerifier(SECRET)
const first = token.indexOf('.')
const last = token.lastIndexOf('.')
const payloadText = decodeRangeToString(token, first + 1, last)
const signingInput = token.slice(0, last)

const OTHER_WORK = new Int32Array((2 * 1024 * 1024) / 4)
let sink: unknown

function timed(fn: () => unknown, calls: number, cold: boolean): number {
  let ms = 0
  for (let i = 0; i < calls; i++) {
    if (cold) for (let j = 0; j < OTHER_WORK.length; j += 16) OTHER_WORK[j] = (OTHER_WORK[j] as number) + 1
    const from = performance.now()
    sink = fn()
    ms += performance.now() - from
  }
  return (1e6 * ms) / calls
}

function median(values: number[]): number {
  values.sort((a, b) => a - b)
  return values[values.length >> 1] as number
}

const parts: Array<[string, () => unknown]> = [
  ['createVerifier, the whole verify', () => verifier(token)],
  // Two one-shot digests, as the MAC takes (inner over the pad and the signing input, outer over the inner hash).
  ['two SHA-256 digests', () => hash('sha256', hash('sha256', signingInput, 'buffer'), 'buffer')],
  ['payload decode (base64url to text)', () => decodeRangeToString(token, first + 1, last)],
  ['JSON.parse of the payload', () => JSON.parse(payloadText)],
  ['two clock reads, nothing timed', () => 0],
]

for (const [, fn] of parts) {
  timed(fn, 20_000, false)
  timed(fn, 200, true)
}
console.log('| part | warm ns | cold ns |\n| --- | ---: | ---: |')
for (const [name, fn] of parts) {
  const warm: number[] = []
  const cold: number[] = []
  for (let i = 0; i < 5; i++) {
    warm.push(timed(fn, 20_000, false))
    cold.push(timed(fn, 1_000, true))
  }
  console.log(`| ${name} | ${median(warm).toFixed(0)} | ${median(cold).toFixed(0)} |`)
}
if (sink === Symbol.for('never')) console.log(sink)
