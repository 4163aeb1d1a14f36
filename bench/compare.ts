/**
 * `npm run bench:compare -- <git-ref>`: this working tree's sign and verify against those of an earlier commit,
 * side by side in one process, so that a change on a hot path is judged by figures from the same run on the same
 * machine. The ref is checked out into a temporary git worktree (removed afterwards) and its `src/index.ts` is
 * imported next to ours; both copies sign the same payloads with the same secret and verify the same tokens.
 *
 * The asymmetric algorithms (RS256, ES256, EdDSA; 100 B payload) are compared too when both trees have them:
 * createVerifier and createSigner with a KeyObject, the one-shot verify with the PEM text.
 *
 * Options: `--rounds=N` (default 7), `--filter=REGEX` (scenario names).
 */
import * as current from '../src/index.js'
import { baselineArgs, withBaseline } from './baseline.js'
import { ASYM_ALGS, asymKeys, payloadOfSize, SECRET, SIZES } from './fixtures.js'
import { runScenarios, type Scenario } from './timing.js'

type Api = Pick<typeof current, 'sign' | 'verify' | 'createSigner' | 'createVerifier'>

const { ref, rounds, filter } = baselineArgs('npm run bench:compare')

/** Keeps results observable so the JIT cannot drop the call. */
let sink: unknown

async function main(commit: string, base: Api): Promise<void> {
  const now = Math.floor(Date.now() / 1000)
  const sides: ReadonlyArray<readonly [string, Api]> = [
    ['this tree', current],
    [commit, base],
  ]

  const scenarios: Scenario[] = []
  /** One scenario (unless `--filter` leaves it out): each tree's contender made by `make` from its API. */
  const addScenario = (group: string, name: string, make: (api: Api) => () => unknown): void => {
    if (filter !== undefined && !filter.test(name)) return
    scenarios.push({
      group,
      name,
      ref: 'this tree',
      contenders: sides.map(([side, api]) => ({ name: side, fn: make(api) })),
    })
  }
  for (const size of SIZES) {
    const payload = payloadOfSize(size.bytes, now)
    // A flat copy, as a token read from a request is.
    const token = Buffer.from(current.sign(payload, SECRET), 'latin1').toString('latin1')
    // The options `npm run bench` gives our verifiers (bench/contenders.ts); sign runs without options, as there.
    const vo = { algorithms: ['HS256' as const], maxTokenLength: 1 << 20 }
    for (const [name, api] of sides) {
      const claims = api.verify(token, SECRET, vo)
      if (JSON.stringify(claims) !== JSON.stringify(payload)) throw new Error(`${name} verifies to other claims`)
    }
    const add = (what: string, make: (api: Api) => () => unknown): void =>
      addScenario(what, `${what}, ${size.label} payload`, make)
    add('createVerifier', (api) => {
      const v = api.createVerifier(SECRET, vo)
      return () => {
        sink = v(token)
      }
    })
    add('one-shot verify', (api) => () => {
      sink = api.verify(token, SECRET, vo)
    })
    add('createSigner', (api) => {
      const s = api.createSigner(SECRET)
      return () => {
        sink = s(payload)
      }
    })
    add('one-shot sign', (api) => () => {
      sink = api.sign(payload, SECRET)
    })
  }

  const asymPayload = payloadOfSize(100, now)
  for (const alg of ASYM_ALGS) {
    const keys = asymKeys(alg)
    const vo = { algorithms: [alg] }
    const token = Buffer.from(current.sign(asymPayload, keys.privateKey, { algorithm: alg }), 'latin1').toString(
      'latin1',
    )
    let both = true
    for (const [name, api] of sides) {
      let claims: unknown
      try {
        claims = api.verify(token, keys.publicKey, vo)
      } catch {
        console.log(`${name} cannot verify ${alg}: its scenarios are left out`)
        both = false
        break
      }
      if (JSON.stringify(claims) !== JSON.stringify(asymPayload)) throw new Error(`${name} verifies to other claims`)
    }
    if (!both) continue
    const add = (what: string, make: (api: Api) => () => unknown): void =>
      addScenario(what, `${alg} ${what}, 100 B payload`, make)
    add('createVerifier', (api) => {
      const v = api.createVerifier(keys.publicKey, vo)
      return () => {
        sink = v(token)
      }
    })
    add('one-shot verify (PEM)', (api) => () => {
      sink = api.verify(token, keys.publicPem, vo)
    })
    add('createSigner', (api) => {
      const s = api.createSigner(keys.privateKey, { algorithm: alg })
      return () => {
        sink = s(asymPayload)
      }
    })
  }

  console.log(`comparing this tree with ${commit} (${ref}), ${rounds} rounds, Node ${process.version}`)
  const results = await runScenarios(scenarios, { rounds, cpuTimeNs: 60e6 }, (r) =>
    process.stderr.write(`round ${r}\r`),
  )
  process.stderr.write('\n')
  console.log(`${'scenario'.padEnd(44)} ${'this tree'.padStart(12)} ${commit.padStart(12)} ${'ratio'.padStart(7)}`)
  for (const r of results) {
    const [ours, theirs] = r.rows
    if (ours === undefined || theirs === undefined) continue
    const us = (ns: number): string => `${(ns / 1000).toFixed(3)} µs`
    // The ratio is the median of per-round ratios: this tree / the base, so below 1 is faster.
    const ratio = 1 / (theirs.ratio as number)
    console.log(
      `${r.name.padEnd(44)} ${us(ours.medianNs).padStart(12)} ${us(theirs.medianNs).padStart(12)} ${ratio.toFixed(3).padStart(7)}`,
    )
  }
  if (typeof sink === 'symbol') console.log(sink)
}

await withBaseline<Api>(ref, main)
