/**
 * Side-by-side timing: every contender of a scenario is measured in each round, in an order rotated from round
 * to round, so that drift on a shared machine (other processes, CPU frequency) hits all of them alike. mitata's
 * `measure` does the statistics of one measurement (batching, sample trimming); we keep its median ns/op.
 */
import { measure } from 'mitata'

export interface Scenario {
  readonly group: string
  readonly name: string
  /** The reference row ratios are computed against (normally ours). */
  readonly ref: string
  readonly contenders: ReadonlyArray<{ readonly name: string; readonly fn: () => unknown }>
}

export interface Row {
  readonly name: string
  /** median over rounds of the per-round median ns/op */
  readonly medianNs: number
  /** median over rounds of (this / ref) measured in the same round */
  readonly ratio: number
  readonly roundsNs: number[]
}

export interface ScenarioResult {
  readonly group: string
  readonly name: string
  readonly ref: string
  readonly rows: Row[]
}

export interface TimingOptions {
  readonly rounds: number
  /** nanoseconds of measured time per contender per round */
  readonly cpuTimeNs: number
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

async function once(fn: () => unknown, cpuTimeNs: number): Promise<number> {
  const stats = await measure(fn, { min_cpu_time: cpuTimeNs, min_samples: 8, batch_samples: 256, batch_threshold: 5_000 })
  return stats.p50
}

/** Runs all scenarios round by round; `onRound` is told after each round (for progress output). */
export async function runScenarios(
  scenarios: readonly Scenario[],
  options: TimingOptions,
  onRound: (round: number) => void,
): Promise<ScenarioResult[]> {
  // Warm-up: every contender runs briefly so the JIT has compiled all code paths before round 1.
  for (const sc of scenarios) for (const c of sc.contenders) await once(c.fn, options.cpuTimeNs / 4)

  const samples = scenarios.map((sc) => sc.contenders.map(() => [] as number[]))
  for (let round = 0; round < options.rounds; round++) {
    for (let s = 0; s < scenarios.length; s++) {
      const sc = scenarios[s] as Scenario
      const n = sc.contenders.length
      for (let k = 0; k < n; k++) {
        const i = (k + round) % n
        const c = sc.contenders[i] as Scenario['contenders'][number]
        ;(samples[s]?.[i] as number[]).push(await once(c.fn, options.cpuTimeNs))
      }
    }
    onRound(round + 1)
  }

  return scenarios.map((sc, s) => {
    const perContender = samples[s] as number[][]
    const refIndex = sc.contenders.findIndex((c) => c.name === sc.ref)
    const refRounds = perContender[refIndex] as number[]
    return {
      group: sc.group,
      name: sc.name,
      ref: sc.ref,
      rows: sc.contenders.map((c, i) => {
        const rounds = perContender[i] as number[]
        return {
          name: c.name,
          medianNs: median(rounds),
          ratio: median(rounds.map((ns, r) => ns / (refRounds[r] as number))),
          roundsNs: rounds,
        }
      }),
    }
  })
}

/** Median over rounds of a / b, both rows from the same scenario result. */
export function pairRatio(result: ScenarioResult, a: string, b: string): number {
  const ra = result.rows.find((r) => r.name === a)
  const rb = result.rows.find((r) => r.name === b)
  if (ra === undefined || rb === undefined) throw new Error(`no rows ${a} / ${b} in ${result.name}`)
  return median(ra.roundsNs.map((ns, i) => ns / (rb.roundsNs[i] as number)))
}
