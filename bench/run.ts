/**
 * `npm run bench` (full) and `npm run bench -- --quick` (under a minute).
 * HS256 verify and sign against fast-jwt, jsonwebtoken, jose and jwt-simple and two node:crypto floors, at four
 * payload sizes; RS256, ES256 and EdDSA verify and sign against the peers and a node:crypto floor; base64url against Buffer; JS heap bytes per verify. Prints a table, writes bench/results.json
 * (full) or bench/results.local.json (quick), and, after a full run, the figures block of bench/README.md.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { base64url } from '../src/index.js'
import { asymScenarios, asymTargets } from './asym.js'
import { makeSigners, makeVerifiers } from './contenders.js'
import { crossCheck } from './crosscheck.js'
import { payloadOfSize, SIZES, TEXT_LENGTHS, textOf } from './fixtures.js'
import { heapBytesPerCall } from './heap.js'
import { machine } from './machine.js'
import { createProgress, describe } from './progress.js'
import { writeFigures } from './report.js'
import { pairRatio, runScenarios, type Scenario, type ScenarioResult } from './timing.js'

const quick = process.argv.includes('--quick')
/** `--filter=REGEX` times only the scenarios whose name matches (for working on one path; writes nothing). */
const filterArg = process.argv.find((a) => a.startsWith('--filter='))
const filter = filterArg === undefined ? undefined : new RegExp(filterArg.slice('--filter='.length), 'i')
const OURS_V = 'jwt-codec createVerifier'
const OURS_S = 'jwt-codec createSigner'
const OURS_B = 'jwt-codec base64url'

/**
 * Keeps results observable so the JIT cannot drop the call. It hands the value back, so that an async
 * contender's promise reaches the timer, which then awaits every call (it decides by the first call's result).
 */
let sink: unknown
function keep(v: unknown): unknown {
  sink = v
  return v
}

async function main(): Promise<void> {
  if (typeof (globalThis as { gc?: unknown }).gc !== 'function') {
    console.warn('note: run with --expose-gc (npm run bench does) for exact heap figures and steady GC between runs')
  }
  const now = Math.floor(Date.now() / 1000)
  const signers = await makeSigners()
  const scenarios: Scenario[] = []
  const heapTargets: Array<{ size: string; name: string; fn: () => unknown }> = []

  let checks = 0
  for (const size of SIZES) {
    const payload = payloadOfSize(size.bytes, now)
    const ours = signers[0] as (typeof signers)[number]
    // A flat copy, as a token read from an HTTP header is (a freshly built token is a concatenation that V8
    // flattens behind an indirection on first read, which makes every later char read slower).
    const token = Buffer.from((await ours.sign(payload)) as string, 'latin1').toString('latin1')
    const verifiers = await makeVerifiers(token.slice(0, token.indexOf('.')))
    checks += await crossCheck(signers, verifiers, payload)
    scenarios.push({
      group: 'verify',
      name: `HS256 verify, ${size.label} payload`,
      ref: OURS_V,
      contenders: verifiers.map((v) => ({ name: v.name, fn: () => v.verify(token) })),
    })
    if (size.bytes <= 1024) {
      for (const v of verifiers) heapTargets.push({ size: size.label, name: v.name, fn: () => v.verify(token) })
    } else {
      const v = verifiers[0] as (typeof verifiers)[number]
      heapTargets.push({ size: size.label, name: v.name, fn: () => v.verify(token) })
    }
    scenarios.push({
      group: 'sign',
      name: `HS256 sign, ${size.label} payload`,
      ref: OURS_S,
      contenders: signers.map((s) => ({ name: s.name, fn: () => s.sign(payload) })),
    })
  }
  const asym = await asymScenarios(now)
  scenarios.push(...asym.scenarios)
  checks += asym.checks
  console.log(`cross-check: ${checks} checks passed (every token verifies everywhere; tampered ones are refused)`)

  for (const length of TEXT_LENGTHS) {
    for (const ascii of [true, false]) {
      const text = textOf(length, ascii)
      const encoded = base64url.encode(text)
      if (encoded !== Buffer.from(text, 'utf8').toString('base64url')) throw new Error('base64url encode mismatch')
      if (base64url.decodeToString(encoded) !== text) throw new Error('base64url decode mismatch')
      const kind = ascii ? 'ASCII' : 'non-ASCII'
      scenarios.push({
        group: 'base64url',
        name: `encode ${length} chars ${kind}`,
        table: 'base64url encode',
        column: `${length} chars ${kind}`,
        ref: OURS_B,
        contenders: [
          { name: OURS_B, fn: () => base64url.encode(text) },
          { name: 'Buffer', fn: () => Buffer.from(text, 'utf8').toString('base64url') },
        ],
      })
      scenarios.push({
        group: 'base64url',
        name: `decode ${length} chars ${kind} (to bytes)`,
        table: 'base64url decode to bytes',
        column: `${length} chars ${kind}`,
        ref: OURS_B,
        contenders: [
          { name: OURS_B, fn: () => base64url.decode(encoded) },
          { name: 'Buffer', fn: () => Buffer.from(encoded, 'base64url') },
        ],
      })
      scenarios.push({
        group: 'base64url',
        name: `decode ${length} chars ${kind} (to string)`,
        table: 'base64url decode to string',
        column: `${length} chars ${kind}`,
        ref: OURS_B,
        contenders: [
          { name: OURS_B, fn: () => base64url.decodeToString(encoded) },
          { name: 'Buffer', fn: () => Buffer.from(encoded, 'base64url').toString('utf8') },
        ],
      })
    }
  }

  if (filter !== undefined) {
    const kept = scenarios.filter((sc) => filter.test(sc.name))
    scenarios.length = 0
    scenarios.push(...kept)
  }
  const rounds = quick ? 3 : 7
  const cpuTimeNs = quick ? 25e6 : 120e6
  const started = Date.now()
  console.log(`timing ${scenarios.length} scenarios, ${rounds} rounds${quick ? ' (quick)' : ''}...`)
  const progress = createProgress()
  const results = await runScenarios(
    scenarios.map((sc) => ({
      ...sc,
      contenders: sc.contenders.map((c) => ({ name: c.name, fn: () => keep(c.fn()) })),
    })),
    { rounds, cpuTimeNs },
    (r) => progress.note(`  round ${r}/${rounds} done (${((Date.now() - started) / 1000).toFixed(0)} s)`),
    (position) => progress.update(describe(position, (Date.now() - started) / 1000)),
  )
  progress.end()

  if (filter !== undefined) {
    for (const r of results) {
      console.log(`\n${r.name}`)
      for (const row of r.rows)
        console.log(`  ${row.name.padEnd(36)} ${fmtNs(row.medianNs).padStart(10)}/op  ${row.ratio.toFixed(2)}x`)
    }
    return
  }
  const heap: Array<{ size: string; name: string; bytes: number }> = []
  for (const h of heapTargets)
    heap.push({ size: h.size, name: h.name, bytes: await heapBytesPerCall(h.fn, quick ? 5_000 : 20_000) })

  const targets = computeTargets(results, heap)
  const report = {
    date: new Date().toISOString(),
    command: quick ? 'npm run bench -- --quick' : 'npm run bench',
    machine: machine(),
    rounds,
    measuredNsPerContenderPerRound: cpuTimeNs,
    crossChecks: checks,
    scenarios: results,
    heapBytesPerVerify: heap,
    targets,
  }
  keep(sink)
  const text = renderText(report.machine, results, heap, targets)
  console.log(`\n${text}`)
  const url = new URL(quick ? './results.local.json' : './results.json', import.meta.url)
  writeFileSync(url, `${JSON.stringify(report, null, 2)}\n`)
  console.log(`wrote ${url.pathname}`)
  if (!quick) updateReadme(report.date, report.command, report.machine, renderMarkdown(results, heap, targets))
}

interface Target {
  readonly what: string
  readonly value: number
  readonly limit: number
  readonly unit: 'x' | 'B'
  readonly met: boolean
}

function computeTargets(
  results: ScenarioResult[],
  heap: Array<{ size: string; name: string; bytes: number }>,
): Target[] {
  const t: Target[] = []
  const add = (what: string, value: number, limit: number, unit: 'x' | 'B' = 'x') =>
    t.push({ what, value, limit, unit, met: value <= limit })
  const find = (name: string) => {
    const r = results.find((x) => x.name === name)
    if (r === undefined) throw new Error(`no scenario ${name}`)
    return r
  }
  const v100 = find('HS256 verify, 100 B payload')
  const v100k = find('HS256 verify, 100 KB payload')
  const s100 = find('HS256 sign, 100 B payload')
  add('createVerifier / fast-jwt (cache off), 100 B', pairRatio(v100, OURS_V, 'fast-jwt (cache off)'), 0.5)
  add('createVerifier / hand floor, 100 B', pairRatio(v100, OURS_V, 'floor: hand HMAC over crypto.hash'), 1.25)
  add('createVerifier / hand floor, 100 KB', pairRatio(v100k, OURS_V, 'floor: hand HMAC over crypto.hash'), 1.1)
  // Against the fastest other library at each real token size (a cache hit and the floors are not verifies by a
  // library): ahead of all of them up to 2 KB, within 1.2x at the largest token the default maxTokenLength allows.
  for (const [label, limit] of [
    ['100 B', 1],
    ['1 KB', 1],
    ['2 KB', 1],
    ['6 KB (8 KB token)', 1.2],
  ] as const) {
    const r = find(`HS256 verify, ${label} payload`)
    const peers = r.rows.filter((x) => !/^jwt-codec|^floor:|cache ON/.test(x.name))
    const worst = peers
      .map((p) => ({ name: p.name, ratio: pairRatio(r, OURS_V, p.name) }))
      .reduce((a, b) => (b.ratio > a.ratio ? b : a))
    add(`createVerifier / fastest peer (${worst.name}), ${label}`, worst.ratio, limit)
  }
  add('createSigner / fast-jwt, 100 B', pairRatio(s100, OURS_S, 'fast-jwt'), 0.5)
  add('verify one-shot / createVerifier, 100 B', pairRatio(v100, 'jwt-codec verify (one-shot)', OURS_V), 1.5)
  add('sign one-shot / createSigner, 100 B', pairRatio(s100, 'jwt-codec sign (one-shot)', OURS_S), 1.5)
  asymTargets(find, add)
  for (const length of [40, 200, 1000]) {
    for (const kind of ['ASCII', 'non-ASCII']) {
      add(
        `base64url decode / Buffer, ${length} ${kind}`,
        pairRatio(find(`decode ${length} chars ${kind} (to bytes)`), OURS_B, 'Buffer'),
        1.0,
      )
      add(
        `base64url encode / Buffer, ${length} ${kind}`,
        pairRatio(find(`encode ${length} chars ${kind}`), OURS_B, 'Buffer'),
        1.1,
      )
    }
  }
  const h = heap.find((x) => x.size === '100 B' && x.name === OURS_V)
  if (h) add('JS heap bytes per createVerifier verify, 100 B', h.bytes, 700, 'B')
  return t
}

function fmtNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`
  if (ns >= 1e4) return `${(ns / 1e3).toFixed(1)} µs`
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`
  return `${ns.toFixed(0)} ns`
}

function fmtTarget(x: Target): string {
  const v = x.unit === 'B' ? `${x.value.toFixed(0)} B` : `${x.value.toFixed(2)}x`
  const l = x.unit === 'B' ? `${x.limit} B` : `${x.limit}x`
  return `${x.what}: ${v} (target <= ${l}) ${x.met ? 'met' : 'MISSED'}`
}

function renderText(
  m: Record<string, string | number>,
  results: ScenarioResult[],
  heap: Array<{ size: string; name: string; bytes: number }>,
  targets: Target[],
): string {
  const lines: string[] = [`machine: ${m.cpu}, ${m.nproc} cores, node ${m.node}`]
  for (const r of results) {
    lines.push('', `${r.name}  (ratio = median of per-round ratios to ${r.ref})`)
    for (const row of r.rows) {
      lines.push(
        `  ${row.name.padEnd(36)} ${fmtNs(row.medianNs).padStart(10)}/op  ${row.ratio.toFixed(2).padStart(7)}x`,
      )
    }
  }
  lines.push('', 'JS heap bytes allocated per verify')
  for (const h of heap) lines.push(`  ${h.size.padEnd(7)} ${h.name.padEnd(36)} ${h.bytes.toFixed(0).padStart(8)} B`)
  lines.push('', 'targets (bench/README.md)')
  for (const t of targets) lines.push(`  ${fmtTarget(t)}`)
  return lines.join('\n')
}

function renderMarkdown(
  results: ScenarioResult[],
  heap: Array<{ size: string; name: string; bytes: number }>,
  targets: Target[],
): string {
  const out: string[] = ['### Targets', '', '| target | measured | limit | |', '|---|---:|---:|---|']
  for (const t of targets) {
    const v = t.unit === 'B' ? `${t.value.toFixed(0)} B` : `${t.value.toFixed(2)}x`
    out.push(
      `| ${t.what} | ${v} | ${t.unit === 'B' ? `${t.limit} B` : `${t.limit}x`} | ${t.met ? 'met' : '**missed**'} |`,
    )
  }
  // One table per kind of operation, each with its chart (an SVG file beside results.json) above it.
  out.push(writeFigures(results, heap, new URL('./', import.meta.url)))
  return out.join('\n')
}

function updateReadme(date: string, command: string, m: Record<string, string | number>, body: string): void {
  const url = new URL('./README.md', import.meta.url)
  const start = '<!-- results:start -->'
  const end = '<!-- results:end -->'
  let readme: string
  try {
    readme = readFileSync(url, 'utf8')
  } catch {
    return
  }
  const a = readme.indexOf(start)
  const b = readme.indexOf(end)
  if (a === -1 || b === -1) return
  const block = [
    start,
    `Latest full run: ${date}, \`${command}\`, on ${m.cpu} (\`nproc\` = ${m.nproc}), Node ${m.node}, ${m.platform}.`,
    '',
    body,
    end,
  ].join('\n')
  writeFileSync(url, readme.slice(0, a) + block + readme.slice(b + end.length))
  console.log(`updated ${url.pathname}`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
