/**
 * The figures of bench/README.md: the timed scenarios gathered into tables (one per kind of operation, a column
 * per payload size or text, a row per contender), each shown as a chart (bench/chart.ts) above its table. The
 * charts are SVG files beside bench/results.json, linked from the README by relative paths.
 */
import { writeFileSync } from 'node:fs'
import { groupedBarChart } from './chart.js'
import type { ScenarioResult } from './timing.js'

export interface Cell {
  readonly ns: number
  readonly ratio: number
}

export interface FigureTable {
  /** the chart's file name, from the title: `hs256-verify.svg` */
  readonly slug: string
  readonly title: string
  /** the row the ratios are relative to */
  readonly ref: string
  readonly columns: string[]
  readonly rows: Array<{ readonly name: string; readonly cells: Array<Cell | undefined> }>
}

/** A scenario's name split at its first comma: `HS256 verify` and `1 KB payload`; no comma, no split. */
function splitName(name: string): [string, string] | undefined {
  const comma = name.indexOf(', ')
  return comma > 0 ? [name.slice(0, comma), name.slice(comma + 2)] : undefined
}

/**
 * Which table and column each scenario belongs to: its own `table` and `column` when it names them. Otherwise its
 * name split at the first comma, the side that varies less within the scenario's group naming the table:
 * `HS256 verify, 1 KB payload` is column `1 KB` of table `HS256 verify` when the group has one operation at many
 * sizes, and `RS256 verify, 100 B payload` is column `RS256 verify` of table `verify (asymmetric), 100 B` when the
 * group has many algorithms at one size. A name without a comma is a column of its group's table.
 */
export function placesOf(results: readonly ScenarioResult[]): Map<ScenarioResult, { table: string; column: string }> {
  const prefixes = new Map<string, Set<string>>()
  const suffixes = new Map<string, Set<string>>()
  for (const r of results) {
    const parts = splitName(r.name)
    if (parts === undefined || (r.table !== undefined && r.column !== undefined)) continue
    if (!prefixes.has(r.group)) prefixes.set(r.group, new Set())
    if (!suffixes.has(r.group)) suffixes.set(r.group, new Set())
    prefixes.get(r.group)?.add(parts[0])
    suffixes.get(r.group)?.add(parts[1])
  }
  const places = new Map<ScenarioResult, { table: string; column: string }>()
  for (const r of results) {
    const parts = splitName(r.name)
    if (r.table !== undefined && r.column !== undefined) places.set(r, { table: r.table, column: r.column })
    else if (parts === undefined) places.set(r, { table: r.group, column: r.name })
    else {
      const [prefix, suffix] = parts
      const size = suffix.replace(/ payload$/, '')
      const bySize = (prefixes.get(r.group)?.size ?? 0) <= (suffixes.get(r.group)?.size ?? 0)
      places.set(r, bySize ? { table: prefix, column: size } : { table: `${r.group}, ${size}`, column: prefix })
    }
  }
  return places
}

/** {@link placesOf} for one scenario among `results` (itself by default). */
export function placeOf(
  r: ScenarioResult,
  results: readonly ScenarioResult[] = [r],
): { table: string; column: string } {
  return placesOf(results).get(r) as { table: string; column: string }
}

export function slugOf(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}

/** The tables, in the order their first scenario was timed; rows in the order contenders first appear. */
export function tablesOf(results: readonly ScenarioResult[]): FigureTable[] {
  const tables = new Map<string, { ref: string; columns: string[]; cells: Map<string, Map<string, Cell>> }>()
  const places = placesOf(results)
  for (const r of results) {
    const { table, column } = places.get(r) as { table: string; column: string }
    let t = tables.get(table)
    if (t === undefined) {
      t = { ref: r.ref, columns: [], cells: new Map() }
      tables.set(table, t)
    }
    if (!t.columns.includes(column)) t.columns.push(column)
    for (const row of r.rows) {
      let byColumn = t.cells.get(row.name)
      if (byColumn === undefined) {
        byColumn = new Map()
        t.cells.set(row.name, byColumn)
      }
      byColumn.set(column, { ns: row.medianNs, ratio: row.ratio })
    }
  }
  return [...tables].map(([title, t]) => ({
    slug: slugOf(title),
    title,
    ref: t.ref,
    columns: t.columns,
    rows: [...t.cells].map(([name, byColumn]) => ({ name, cells: t.columns.map((c) => byColumn.get(c)) })),
  }))
}

export function fmtNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`
  if (ns >= 1e4) return `${(ns / 1e3).toFixed(1)} µs`
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`
  return `${ns.toFixed(0)} ns`
}

/** Axis ticks: `500 ns`, `2 µs`, `100 µs`, `1 ms` (round values, so no decimals unless needed). */
function fmtTick(ns: number): string {
  const units: Array<[number, string]> = [
    [1e6, 'ms'],
    [1e3, 'µs'],
    [1, 'ns'],
  ]
  for (const [size, unit] of units) if (ns >= size) return `${Number((ns / size).toPrecision(3))} ${unit}`
  return `${Number(ns.toPrecision(3))} ns`
}

function fmtBytes(bytes: number): string {
  if (bytes >= 1e6) return `${Number((bytes / 1e6).toPrecision(3))} MB`
  if (bytes >= 1e3) return `${Number((bytes / 1e3).toPrecision(3))} kB`
  return `${Math.round(bytes)} B`
}

const isOurs = (name: string): boolean => name.startsWith('jwt-codec')

/** The chart of a timing table: median time per operation. */
export function chartOf(t: FigureTable): string {
  return groupedBarChart({
    title: t.title,
    subtitle: 'median CPU time per operation (lower is faster)',
    groups: t.columns,
    series: t.rows.map((r) => ({ name: r.name, highlight: isOurs(r.name), values: r.cells.map((c) => c?.ns) })),
    format: fmtTick,
  })
}

/** A timing table in Markdown, with its chart above it: each cell the median per op and the ratio to `ref`. */
export function markdownOf(t: FigureTable, chartPath: string): string {
  const out = [
    `**${t.title}** (median per op, and the ratio to ${t.ref}: the median of per-round ratios)`,
    '',
    `![${t.title}: median time per operation of each contender](${chartPath})`,
    '',
    `| contender | ${t.columns.join(' | ')} |`,
    `|---|${t.columns.map(() => '---:').join('|')}|`,
  ]
  for (const r of t.rows) {
    const name = isOurs(r.name) ? `**${r.name}**` : r.name
    const cells = r.cells.map((c) => (c === undefined ? '' : `${fmtNs(c.ns)} · ${c.ratio.toFixed(2)}x`))
    out.push(`| ${name} | ${cells.join(' | ')} |`)
  }
  return out.join('\n')
}

export interface HeapFigure {
  readonly size: string
  readonly name: string
  readonly bytes: number
}

/** The heap table: a column per payload size, a row per contender measured at any size. */
export function heapTable(heap: readonly HeapFigure[]): {
  columns: string[]
  rows: Array<{ name: string; cells: Array<number | undefined> }>
} {
  const columns: string[] = []
  const byName = new Map<string, Map<string, number>>()
  for (const h of heap) {
    if (!columns.includes(h.size)) columns.push(h.size)
    let m = byName.get(h.name)
    if (m === undefined) {
      m = new Map()
      byName.set(h.name, m)
    }
    m.set(h.size, h.bytes)
  }
  return { columns, rows: [...byName].map(([name, m]) => ({ name, cells: columns.map((c) => m.get(c)) })) }
}

export function heapChart(heap: readonly HeapFigure[]): string {
  const t = heapTable(heap)
  return groupedBarChart({
    title: 'JS heap bytes allocated per verify',
    subtitle: 'bytes per call, from v8.GCProfiler over 20,000 calls (lower is better)',
    groups: t.columns,
    series: t.rows.map((r) => ({ name: r.name, highlight: isOurs(r.name), values: r.cells })),
    format: fmtBytes,
  })
}

export function heapMarkdown(heap: readonly HeapFigure[], chartPath: string): string {
  const t = heapTable(heap)
  const out = [
    '**JS heap bytes allocated per verify** (all contenders up to 1 KB, ours alone beyond)',
    '',
    `![JS heap bytes allocated per verify, by payload size](${chartPath})`,
    '',
    `| contender | ${t.columns.join(' | ')} |`,
    `|---|${t.columns.map(() => '---:').join('|')}|`,
  ]
  for (const r of t.rows) {
    const name = isOurs(r.name) ? `**${r.name}**` : r.name
    out.push(`| ${name} | ${r.cells.map((b) => (b === undefined ? '' : b.toFixed(0))).join(' | ')} |`)
  }
  return out.join('\n')
}

/**
 * Writes one chart per table into `dir` (a URL ending in '/', the folder of results.json) and returns the
 * Markdown of the tables, grouped under the scenario groups (`### verify` ...), each chart linked above its
 * table by a path relative to bench/README.md.
 */
export function writeFigures(results: readonly ScenarioResult[], heap: readonly HeapFigure[], dir: URL): string {
  const out: string[] = []
  const groups: string[] = []
  for (const r of results) if (!groups.includes(r.group)) groups.push(r.group)
  const tables = tablesOf(results)
  const places = placesOf(results)
  for (const group of groups) {
    out.push('', `### ${group}`, '')
    for (const t of tables) {
      const first = results.find((r) => places.get(r)?.table === t.title)
      if (first?.group !== group) continue
      const file = `chart-${t.slug}.svg`
      writeFileSync(new URL(file, dir), chartOf(t))
      out.push(markdownOf(t, `./${file}`), '')
    }
  }
  if (heap.length > 0) {
    const file = 'chart-heap-per-verify.svg'
    writeFileSync(new URL(file, dir), heapChart(heap))
    out.push('### JS heap bytes allocated per verify', '', heapMarkdown(heap, `./${file}`))
  }
  return out.join('\n')
}
