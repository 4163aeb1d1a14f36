/**
 * `npm run bench:codec -- <git-ref>`: this working tree's base64url decoder against that of an
 * earlier commit, side by side in one process, with Buffer's (lenient, native) decoder as a third row for scale.
 * Decodes the payload segment of each bench token to its JSON text (what a verify does) and the bench's texts to
 * bytes and to a string. The ref is checked out into a temporary git worktree (removed afterwards), as
 * `npm run bench:compare` does.
 *
 * Options: `--rounds=N` (default 7), `--filter=REGEX` (scenario names).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import * as current from '../src/index.js'
import { payloadOfSize, SECRET, SIZES, TEXT_LENGTHS, textOf } from './fixtures.js'
import { runScenarios, type Scenario } from './timing.js'

type Codec = (typeof current)['base64url']

const args = process.argv.slice(2)
const ref = args.find((a) => !a.startsWith('--'))
if (ref === undefined) {
  console.error('usage: npm run bench:codec -- <git-ref> [--rounds=N] [--filter=REGEX]')
  process.exit(2)
}
const roundsArg = args.find((a) => a.startsWith('--rounds='))
const rounds = roundsArg === undefined ? 7 : Number(roundsArg.slice('--rounds='.length))
const filterArg = args.find((a) => a.startsWith('--filter='))
const filter = filterArg === undefined ? undefined : new RegExp(filterArg.slice('--filter='.length), 'i')

const root = resolve(import.meta.dirname, '..')
const dir = mkdtempSync(join(tmpdir(), 'jwt-codec-codec-'))
const git = (...a: string[]): string => execFileSync('git', ['-C', root, ...a], { encoding: 'utf8' }).trim()

/** Keeps results observable so the JIT cannot drop the call. */
let sink: unknown

/** A flat copy, as text read from a request is (a slice or a concatenation reads slower). */
const flat = (s: string): string => Buffer.from(s, 'latin1').toString('latin1')

async function main(): Promise<void> {
  const commit = git('rev-parse', '--short', `${ref}^{commit}`)
  git('worktree', 'add', '--detach', '--quiet', dir, commit)
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir')
  const base = ((await import(pathToFileURL(join(dir, 'src/index.ts')).href)) as typeof current).base64url
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

try {
  await main()
} finally {
  try {
    git('worktree', 'remove', '--force', dir)
  } catch {
    rmSync(dir, { recursive: true, force: true })
    git('worktree', 'prune')
  }
}
