/**
 * `npm run bench:codec -- <git-ref>`: this working tree's base64url decoder against that of an
 * earlier commit, side by side in one process, with Buffer's (lenient, native) decoder as a third row for scale.
 * Decodes the payload segment of each bench token to its JSON text (what a verify does) and the bench's texts to
 * bytes and to a string. The ref is checked out into a temporary git worktree (removed afterwards), as
 * `npm run bench:compare` does.
 *
 * Options: `--rounds=N` (default 7), `--filter=REGEX` (scenario names).
 */
import * as current from '../src/index.js'
import { baselineArgs, withBaseline } from './baseline.js'
import { payloadOfSize, SECRET, SIZES, TEXT_LENGTHS, textOf } from './fixtures.js'
import { runScenarios, type Scenario } from './timing.js'

type Codec = (typeof current)['base64url']

const { ref, rounds, filter } = baselineArgs('npm run bench:codec')

/** Keeps results observable so the JIT cannot drop the call. */
let sink: unknown

/** A flat copy, as text read from a request is (a slice or a concatenation reads slower). */
const flat = (s: string): string => Buffer.from(s, 'latin1').toString('latin1')

async function main(commit: string, baseline: typeof current): Promise<void> {
  const base = baseline.base64url
  const sides: ReadonlyArray<readonly [string, Codec]> = [
    ['this tree', current.base64url],
    [commit, base],
  ]
  const scenarios: Scenario[] = []
  /** `expected` is Buffer's result, which both trees must match (as bytes, or as the same string). */
  const add = (name: string, run: (codec: Codec) => unknown, buffer: () => Buffer | string): void => {
    if (filter !== undefined && !filter.test(name)) return
    const expected = buffer()
    for (const [side, codec] of sides) {
      const got = run(codec)
      const same =
        typeof expected === 'string' ? got === expected : Buffer.from(got as Uint8Array).equals(expected as Buffer)
      if (!same) throw new Error(`${side} decodes ${name} wrongly`)
    }
    scenarios.push({
      group: 'codec',
      name,
      ref: 'this tree',
      contenders: [
        ...sides.map(([side, codec]) => ({
          name: side,
          fn: () => {
            sink = run(codec)
          },
        })),
        {
          name: 'Buffer',
          fn: () => {
            sink = buffer()
          },
        },
      ],
    })
  }
  const now = Math.floor(Date.now() / 1000)
  for (const size of SIZES) {
    const token = current.sign(payloadOfSize(size.bytes, now), SECRET)
    const segment = flat(token.split('.')[1] as string)
    add(
      `payload ${size.label} (${segment.length} chars) to string`,
      (c) => c.decodeToString(segment),
      () => Buffer.from(segment, 'base64url').toString('latin1'),
    )
  }
  for (const length of TEXT_LENGTHS) {
    for (const ascii of [true, false]) {
      const text = textOf(length, ascii)
      const encoded = flat(Buffer.from(text, 'utf8').toString('base64url'))
      const kind = ascii ? 'ASCII' : 'non-ASCII'
      add(
        `${length} chars ${kind} to bytes`,
        (c) => c.decode(encoded),
        () => Buffer.from(encoded, 'base64url'),
      )
      add(
        `${length} chars ${kind} to string`,
        (c) => c.decodeToString(encoded),
        () => Buffer.from(encoded, 'base64url').toString('utf8'),
      )
    }
  }
  console.log(`comparing base64url of this tree with ${commit} (${ref}), ${rounds} rounds, Node ${process.version}`)
  const results = await runScenarios(scenarios, { rounds, cpuTimeNs: 40e6 }, (r) =>
    process.stderr.write(`round ${r}/${rounds}\r`),
  )
  process.stderr.write('\n')
  const us = (ns: number): string => (ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(0)} ns`)
  console.log(
    `${'scenario'.padEnd(44)} ${'this tree'.padStart(10)} ${commit.padStart(10)} ${'ratio'.padStart(6)} ${'Buffer'.padStart(10)} ${'ratio'.padStart(6)}`,
  )
  console.log(
    `${''.padEnd(44)} ${''.padStart(10)} ${''.padStart(10)} ${'(this/ref)'.padStart(6)} ${''.padStart(10)} ${'(this/Buffer)'.padStart(6)}`,
  )
  for (const r of results) {
    const [ours, theirs, buffer] = r.rows
    if (ours === undefined || theirs === undefined || buffer === undefined) continue
    // Ratios are medians of per-round ratios, this tree / the other: below 1, this tree is faster.
    console.log(
      `${r.name.padEnd(44)} ${us(ours.medianNs).padStart(10)} ${us(theirs.medianNs).padStart(10)} ${(1 / theirs.ratio).toFixed(2).padStart(6)} ${us(buffer.medianNs).padStart(10)} ${(1 / buffer.ratio).toFixed(2).padStart(6)}`,
    )
  }
  if (typeof sink === 'symbol') console.log(sink)
}

await withBaseline<typeof current>(ref, main)
