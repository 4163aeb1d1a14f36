/**
 * A grouped bar chart as a standalone SVG document, for the figures of bench/README.md: one group of bars per
 * column of a table (a payload size, a text length), one bar per row (a contender) in each group. Written here,
 * with no plotting dependency: the output is plain SVG 1.1 text (rectangles, lines and text), which GitHub and
 * every browser show as an image.
 *
 * The value axis is linear from 0 when the values span a small range, and logarithmic (decades, with 2 and 5
 * between them when there are few) when the largest value is more than `logAbove` times the smallest, as a
 * 100 B and a 100 KB verify are: on a linear axis the small ones would be invisible.
 */

export interface ChartSeries {
  /** the row's name, shown in the legend */
  readonly name: string
  /** one value per group; `undefined` leaves a gap (a contender not measured at that size) */
  readonly values: ReadonlyArray<number | undefined>
  /** drawn in strong colours with a dark outline, and bold in the legend (jwt-codec's rows) */
  readonly highlight: boolean
}

export interface ChartInput {
  readonly title: string
  /** a second line under the title (what the bars are) */
  readonly subtitle?: string
  /** the group labels, under the groups */
  readonly groups: readonly string[]
  readonly series: readonly ChartSeries[]
  /** formats an axis tick or a bar's value (`3.86 µs`, `489 B`) */
  readonly format: (value: number) => string
  /** a logarithmic axis when max / min exceeds this; 20 unless given */
  readonly logAbove?: number
}

/** Where values sit on the axis: `fraction(v)` is 0 at the bottom of the plot and 1 at its top. */
export interface Scale {
  readonly log: boolean
  readonly min: number
  readonly max: number
  readonly ticks: readonly number[]
  fraction(value: number): number
}

/** 1, 2, 5 × a power of ten: the smallest such step that gives at most `count` intervals up to `max`. */
function niceStep(max: number, count: number): number {
  const raw = max / count
  const power = 10 ** Math.floor(Math.log10(raw))
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power
  return 10 * power
}

/**
 * The scale for a set of positive values: linear from 0 to a round maximum with 4 to 6 ticks, or logarithmic
 * from the decade at or below the smallest value to the decade at or above the largest.
 */
export function scaleFor(values: readonly number[], logAbove = 20): Scale {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0)
  if (positive.length === 0) return { log: false, min: 0, max: 1, ticks: [0, 1], fraction: () => 0 }
  const lo = Math.min(...positive)
  const hi = Math.max(...positive)
  if (hi / lo > logAbove) {
    const a = Math.floor(Math.log10(lo))
    let b = Math.ceil(Math.log10(hi))
    if (b === a) b = a + 1
    const ticks: number[] = []
    // With up to 3 decades, 2 and 5 between them as well: labels every decade alone would be too sparse.
    const steps = b - a <= 3 ? [1, 2, 5] : [1]
    for (let e = a; e <= b; e++) {
      for (const m of steps) {
        const t = m * 10 ** e
        if (t <= 10 ** b * 1.0000001) ticks.push(t)
      }
    }
    const min = 10 ** a
    const max = 10 ** b
    const span = Math.log10(max) - Math.log10(min)
    return { log: true, min, max, ticks, fraction: (v) => (Math.log10(v) - Math.log10(min)) / span }
  }
  const step = niceStep(hi, 5)
  const max = Math.ceil(hi / step - 1e-9) * step
  const ticks: number[] = []
  for (let t = 0; t <= max + step / 2; t += step) ticks.push(Number(t.toPrecision(12)))
  return { log: false, min: 0, max, ticks, fraction: (v) => v / max }
}

/** Text and attribute values with `&`, `<`, `>` and `"` escaped (the only characters XML needs escaped here). */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** jwt-codec's rows: strong blues. */
const HIGHLIGHT_COLOURS = ['#1d4ed8', '#60a5fa', '#1e3a8a', '#93c5fd']
/** Everyone else: muted, distinguishable tones. */
const OTHER_COLOURS = [
  '#a3a3a3',
  '#d6a35c',
  '#86b37a',
  '#d98c8c',
  '#a594d1',
  '#7fb8bf',
  '#c7a3c9',
  '#b5b08a',
  '#e0b84f',
  '#8fa3b8',
  '#c98f6b',
  '#9dc29a',
]

/**
 * Each other row keeps the colour it was first given, in every chart of the run (jose is the same colour in the
 * verify and the sign chart), unless another row of the same chart already has it: a new name gets the first
 * palette colour that no row of its chart has. jwt-codec's rows take the blues in their order within each chart.
 */
const assigned = new Map<string, string>()
function colourOf(name: string, used: ReadonlySet<string>): string {
  const kept = assigned.get(name)
  if (kept !== undefined && !used.has(kept)) return kept
  const start = assigned.size
  let c = OTHER_COLOURS[start % OTHER_COLOURS.length] as string
  for (let i = 0; i < OTHER_COLOURS.length && used.has(c); i++) {
    c = OTHER_COLOURS[(start + i + 1) % OTHER_COLOURS.length] as string
  }
  if (kept === undefined) assigned.set(name, c)
  return c
}

/** Width in pixels of `text` at `size` px, roughly (for layout: no font metrics are at hand). */
function textWidth(text: string, size: number): number {
  return text.length * size * 0.56
}

/**
 * `text` cut at spaces into lines of at most `width` pixels (a word wider than that gets a line of its own); a
 * text that does not fit on one line is cut before a parenthesis first: `6 KB` / `(8 KB token)`.
 */
export function wrap(text: string, width: number, size: number): string[] {
  if (textWidth(text, size) <= width) return [text]
  const lines: string[] = []
  for (const part of text.split(/ (?=\()/)) {
    let line = ''
    for (const word of part.split(' ')) {
      const candidate = line === '' ? word : `${line} ${word}`
      if (line !== '' && textWidth(candidate, size) > width) {
        lines.push(line)
        line = word
      } else {
        line = candidate
      }
    }
    lines.push(line)
  }
  return lines
}

/** Two decimals at most, trailing zeros dropped: coordinates stay short and exact enough. */
function n(value: number): string {
  return String(Math.round(value * 100) / 100)
}

/** The chart as an SVG document (UTF-8 text, with the XML declaration). */
export function groupedBarChart(input: ChartInput): string {
  const { groups, series, format } = input
  const all: number[] = []
  for (const s of series) for (const v of s.values) if (v !== undefined) all.push(v)
  const scale = scaleFor(all, input.logAbove)

  const font = 13
  const perGroup = Math.max(1, series.length)
  const barWidth = perGroup <= 3 ? 22 : perGroup <= 6 ? 14 : 11
  const groupGap = 28
  // Wide enough for the longest word of any group label (labels are wrapped at spaces, never within a word).
  const longestWord = Math.max(0, ...groups.flatMap((g) => g.split(' ').map((w) => textWidth(w, font))))
  const groupWidth = Math.max(perGroup * barWidth + groupGap, Math.ceil(longestWord) + 12)
  const tickLabels = scale.ticks.map((t) => format(t))
  const left = 16 + Math.max(...tickLabels.map((t) => textWidth(t, font - 1))) + 10
  const plotWidth = Math.max(groups.length * groupWidth, 480)
  const width = Math.ceil(left + plotWidth + 24)
  const top = input.subtitle === undefined ? 44 : 64
  const plotHeight = 280
  const groupLines = groups.map((g) => wrap(g, groupWidth - 6, font))
  const labelLines = Math.max(1, ...groupLines.map((l) => l.length))
  const axisBottom = top + plotHeight
  // Legend: as many columns as fit, each as wide as the longest name.
  const swatch = 12
  const legendItemWidth = Math.max(...series.map((s) => textWidth(s.name, font))) + swatch + 24
  const legendColumns = Math.max(1, Math.floor((width - 32) / legendItemWidth))
  const legendRows = Math.ceil(series.length / legendColumns)
  const legendTop = axisBottom + 14 + labelLines * (font + 4) + 16
  const height = Math.ceil(legendTop + legendRows * (font + 9) + 12)

  let highlighted = 0
  const used = new Set<string>()
  const colour = series.map((s) => {
    const c = s.highlight
      ? (HIGHLIGHT_COLOURS[highlighted++ % HIGHLIGHT_COLOURS.length] as string)
      : colourOf(s.name, used)
    used.add(c)
    return c
  })

  const y = (v: number): number => axisBottom - Math.min(1, Math.max(0, scale.fraction(v))) * plotHeight
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" font-size="${font}">`,
    `<title>${escapeXml(input.title)}</title>`,
    // An opaque background, so that the chart reads the same on a dark page.
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${n(left)}" y="24" font-size="15" font-weight="bold" fill="#111827">${escapeXml(input.title)}</text>`,
  ]
  if (input.subtitle !== undefined) {
    out.push(`<text x="${n(left)}" y="44" fill="#4b5563">${escapeXml(input.subtitle)}</text>`)
  }
  for (const [i, t] of scale.ticks.entries()) {
    const ty = y(t)
    const major = !scale.log || Math.abs(Math.log10(t) - Math.round(Math.log10(t))) < 1e-9
    out.push(
      `<line x1="${n(left)}" y1="${n(ty)}" x2="${n(left + plotWidth)}" y2="${n(ty)}" stroke="${major ? '#d1d5db' : '#eef0f3'}" stroke-width="1"/>`,
      `<text x="${n(left - 8)}" y="${n(ty + 4)}" text-anchor="end" font-size="${font - 1}" fill="#374151">${escapeXml(tickLabels[i] as string)}</text>`,
    )
  }
  out.push(
    `<line x1="${n(left)}" y1="${n(top)}" x2="${n(left)}" y2="${n(axisBottom)}" stroke="#6b7280" stroke-width="1"/>`,
    `<line x1="${n(left)}" y1="${n(axisBottom)}" x2="${n(left + plotWidth)}" y2="${n(axisBottom)}" stroke="#6b7280" stroke-width="1"/>`,
  )
  if (scale.log) {
    out.push(
      `<text x="${n(left + plotWidth)}" y="${n(top - 6)}" text-anchor="end" font-size="${font - 2}" fill="#6b7280">logarithmic scale</text>`,
    )
  }
  const slack = (plotWidth - groups.length * groupWidth) / 2
  for (const [g, label] of groups.entries()) {
    const gx = left + slack + g * groupWidth + groupGap / 2
    for (const [k, s] of series.entries()) {
      const v = s.values[g]
      if (v === undefined || !(v > 0)) continue
      const x = gx + k * barWidth
      const top = y(v)
      const stroke = s.highlight ? ' stroke="#0b1f4d" stroke-width="1"' : ''
      out.push(
        `<rect x="${n(x + 1)}" y="${n(top)}" width="${n(barWidth - 2)}" height="${n(axisBottom - top)}" fill="${colour[k]}"${stroke} data-series="${k}" data-group="${g}" data-value="${v}"><title>${escapeXml(`${s.name}, ${label}: ${format(v)}`)}</title></rect>`,
      )
    }
    const cx = gx + (perGroup * barWidth) / 2
    for (const [line, text] of (groupLines[g] as string[]).entries()) {
      out.push(
        `<text x="${n(cx)}" y="${n(axisBottom + 18 + line * (font + 4))}" text-anchor="middle" fill="#111827">${escapeXml(text)}</text>`,
      )
    }
  }
  for (const [k, s] of series.entries()) {
    const lx = 16 + (k % legendColumns) * legendItemWidth
    const ly = legendTop + Math.floor(k / legendColumns) * (font + 9)
    const stroke = s.highlight ? ' stroke="#0b1f4d" stroke-width="1"' : ''
    out.push(
      `<rect x="${n(lx)}" y="${n(ly - swatch + 2)}" width="${swatch}" height="${swatch}" fill="${colour[k]}"${stroke}/>`,
      `<text x="${n(lx + swatch + 6)}" y="${n(ly + 1)}"${s.highlight ? ' font-weight="bold"' : ''} fill="#111827">${escapeXml(s.name)}</text>`,
    )
  }
  out.push('</svg>', '')
  return out.join('\n')
}
