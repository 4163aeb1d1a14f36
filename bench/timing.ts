/**
 * Side-by-side timing: every contender of a scenario is measured in each round, in an order rotated from round
 * to round, so that drift on a shared machine (other processes, CPU frequency) hits all of them alike. mitata's
 * `measure` does the statistics of one measurement (batching, sample trimming); we keep its median ns/op.
 */
import { measure } from 'mitata'

export interface Scenario {
  readonly group: string
  readonly name: string
  /**
   * The README table and column it is shown in (bench/report.ts); by default the name split at its first comma,
   * `HS256 verify, 1 KB payload` being column `1 KB` of table `HS256 verify`.
   */
  readonly table?: string
  readonly column?: string
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
  readonly table?: string
  readonly column?: string
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

/**
 * The clock: CPU time of this process (user + system), in ns. On a machine shared with other jobs, wall time
 * also counts the time we spend descheduled, which swamps sub-microsecond differences; CPU time does not.
 */
function cpuNow(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) * 1000
}

/** Calls per sample, a multiple of 4 (mitata unrolls by 4), so that one sample lasts about 1 ms. */
async function batchSize(fn: () => unknown): Promise<number> {
  const t0 = performance.now()
  let calls = 0
  while (performance.now() - t0 < 5 || calls < 4) {
    const r = fn()
    if (r instanceof Promise) await r
    calls++
  }
  const perCallNs = ((performance.now() - t0) * 1e6) / calls
  return Math.min(4096, Math.max(4, Math.round(1e6 / perCallNs / 4) * 4))
}

async function once(fn: () => unknown, cpuTimeNs: number, batch: number): Promise<number> {
  const stats = await measure(fn, {
    now: cpuNow,
    // No forced full GC before each measurement: that is not a steady state (it throws away optimized code that
    // embeds collected objects, so the first thousands of calls after it run unoptimized); scavenges still run.
    gc: false,
    min_cpu_time: cpuTimeNs,
    min_samples: 8,
    batch_samples: batch,
    batch_unroll: 4,
    // Always batch: the CPU clock has microsecond resolution, so a sample must hold many calls.
    batch_threshold: Number.POSITIVE_INFINITY,
  })
  return stats.p50
}

/** Where a run is, as {@link runScenarios} reports it before each scenario of the warm-up and of every round. */
export interface Position {
  /** 0 for the warm-up, then 1..rounds */
  readonly round: number
  readonly rounds: number
  /** index of the scenario within the round, from 0 */
  readonly index: number
  readonly scenarios: number
  readonly scenario: string
}

/**
 * Runs all scenarios round by round; `onRound` is told after each round, `onScenario` (if given) before each
 * scenario of the warm-up and of each round (for progress output).
 */
export async function runScenarios(
  scenarios: readonly Scenario[],
  options: TimingOptions,
  onRound: (round: number) => void,
  onScenario?: (position: Position) => void,
): Promise<ScenarioResult[]> {
  const at = (round: number, index: number): void =>
    onScenario?.({
      round,
      rounds: options.rounds,
      index,
      scenarios: scenarios.length,
      scenario: (scenarios[index] as Scenario).name,
    })
  // Warm-up: every contender runs briefly so the JIT has compiled all code paths before round 1; the batch
  // size of each is fixed here, from its speed.
  const batches = new Map<() => unknown, number>()
  for (const [index, sc] of scenarios.entries()) {
    at(0, index)
    for (const c of sc.contenders) {
      const batch = await batchSize(c.fn)
      batches.set(c.fn, batch)
      await once(c.fn, options.cpuTimeNs / 4, batch)
    }
  }

  const samples = scenarios.map((sc) => sc.contenders.map(() => [] as number[]))
  for (let round = 0; round < options.rounds; round++) {
    for (let s = 0; s < scenarios.length; s++) {
      at(round + 1, s)
      const sc = scenarios[s] as Scenario
      const n = sc.contenders.length
      for (let k = 0; k < n; k++) {
        const i = (k + round) % n
        const c = sc.contenders[i] as Scenario['contenders'][number]
        ;((samples[s] as number[][])[i] as number[]).push(await once(c.fn, options.cpuTimeNs, batches.get(c.fn) ?? 4))
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
      ...(sc.table === undefined ? {} : { table: sc.table }),
      ...(sc.column === undefined ? {} : { column: sc.column }),
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
