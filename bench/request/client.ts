/**
 * The load generator of the request benchmark, in its own child process: autocannon, with `concurrency` keep-alive
 * connections (one request in flight on each) until `count` requests have been answered, and every answer checked
 * (its status, and its body where one is expected), so a stack that failed a request cannot look fast. Bounded: a
 * run stops after `count` requests or `timeoutMs`, whichever comes first, and only ever targets 127.0.0.1.
 */
import autocannon from 'autocannon'

export interface LoadJob {
  type: 'load'
  id: number
  port: number
  path: string
  headers: Record<string, string>
  count: number
  concurrency: number
  expectStatus: number
  expectBody: string | undefined
  timeoutMs: number
}

export interface LoadResult {
  type: 'loaded'
  id: number
  done: number
  failed: number
  firstFailure: string | undefined
  wallMs: number
}

/** A request that gets no answer within this long counts as failed. */
const REQUEST_TIMEOUT_S = 10

/**
 * Its results are read every `sampleInt` ms and a run ends at the first reading after the last answer: 20 ms
 * rather than the default 1 s keeps a window from idling after its last request.
 */
const SAMPLE_MS = 20

function run(job: LoadJob): Promise<LoadResult> {
  const t0 = performance.now()
  return new Promise((resolve) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${job.port}${job.path}`,
        method: 'GET',
        headers: job.headers,
        connections: job.concurrency,
        pipelining: 1,
        amount: job.count,
        timeout: REQUEST_TIMEOUT_S,
        sampleInt: SAMPLE_MS,
        ...(job.expectBody === undefined ? {} : { expectBody: job.expectBody }),
      },
      (error, result) => {
        clearTimeout(guard)
        const wallMs = performance.now() - t0
        if (error !== null && error !== undefined) {
          resolve({ type: 'loaded', id: job.id, done: 0, failed: job.count, firstFailure: String(error), wallMs })
          return
        }
        const failures: string[] = []
        // Answers per status code, as autocannon counts them.
        const statuses = Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [Number(code), s.count ?? 0])
        let answered = 0
        let right = 0
        for (const [status, count] of statuses as Array<[number, number]>) {
          answered += count
          if (status === job.expectStatus) right += count
          else failures.push(`${count} answered ${status}`)
        }
        if (result.mismatches > 0) failures.push(`${result.mismatches} bodies other than expected`)
        if (result.errors > 0) failures.push(`${result.errors} connection errors`)
        if (result.timeouts > 0) failures.push(`${result.timeouts} timeouts`)
        const failed = answered - right + result.mismatches + result.errors + result.timeouts
        resolve({ type: 'loaded', id: job.id, done: answered, failed, firstFailure: failures[0], wallMs })
      },
    )
    const guard = setTimeout(() => instance.stop(), job.timeoutMs)
  })
}

if (process.send !== undefined) {
  process.on('message', (job: LoadJob | { type: 'close' }) => {
    if (job.type === 'close') process.exit(0)
    run(job).then((result) => process.send?.(result))
  })
  process.send({ type: 'ready' })
}
