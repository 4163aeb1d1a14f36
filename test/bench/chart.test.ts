// The bench's own SVG writer (bench/chart.ts), the tables and links of the README figures (bench/report.ts),
// and the progress line (bench/progress.ts).
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { pathToFileURL } from 'node:url'
import { escapeXml, groupedBarChart, scaleFor, wrap } from '../../bench/chart.js'
import { createProgress, describe } from '../../bench/progress.js'
import { markdownOf, placeOf, tablesOf, writeFigures } from '../../bench/report.js'
import type { ScenarioResult } from '../../bench/timing.js'

interface Element {
  readonly name: string
  readonly attributes: Record<string, string>
  readonly children: Element[]
  text: string
}

/**
 * A strict little XML reader, enough to prove the output well-formed: every tag closed in order, attributes
 * quoted and unique, no raw '<' or stray '&' in text or attribute values, one root element.
 */
function parseXml(xml: string): Element {
  let i = 0
  const declaration = /^<\?xml [^?]*\?>\n?/.exec(xml)
  if (declaration) i = declaration[0].length
  const root: Element = { name: '#document', attributes: {}, children: [], text: '' }
  const stack: Element[] = [root]
  const checkText = (text: string): string => {
    assert.doesNotMatch(text, /</, 'raw < in text')
    assert.doesNotMatch(text, /&(?!(amp|lt|gt|quot|apos|#\d+);)/, 'an & that starts no entity')
    return text
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&')
  }
  while (i < xml.length) {
    const lt = xml.indexOf('<', i)
    const text = lt === -1 ? xml.slice(i) : xml.slice(i, lt)
    if (text.length > 0) {
      const parent = stack.at(-1) as Element
      if (parent === root) assert.match(text, /^\s*$/, 'text outside the root element')
      parent.text += checkText(text)
    }
    if (lt === -1) break
    const gt = xml.indexOf('>', lt)
    assert.ok(gt > lt, 'an unclosed tag')
    const tag = xml.slice(lt + 1, gt)
    i = gt + 1
    if (tag.startsWith('/')) {
      const open = stack.pop() as Element
      assert.equal(tag.slice(1), open.name, 'a closing tag that does not match the open one')
      continue
    }
    const selfClosing = tag.endsWith('/')
    const body = selfClosing ? tag.slice(0, -1) : tag
    const m = /^([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"]*")*)\s*$/.exec(body)
    assert.ok(m, `a malformed tag: <${tag.slice(0, 60)}>`)
    const attributes: Record<string, string> = {}
    for (const a of (m[2] as string).matchAll(/([\w:-]+)="([^"]*)"/g)) {
      const key = a[1] as string
      assert.equal(Object.hasOwn(attributes, key), false, `attribute ${key} twice`)
      attributes[key] = checkText(a[2] as string)
    }
    const element: Element = { name: m[1] as string, attributes, children: [], text: '' }
    ;(stack.at(-1) as Element).children.push(element)
    if (!selfClosing) stack.push(element)
  }
  assert.equal(stack.length, 1, 'unclosed elements at the end')
  assert.equal(root.children.length, 1, 'exactly one root element')
  return root.children[0] as Element
}

function all(e: Element, name: string): Element[] {
  const out: Element[] = []
  const walk = (x: Element): void => {
    if (x.name === name) out.push(x)
    for (const c of x.children) walk(c)
  }
  walk(e)
  return out
}

/** The bars: rect elements that carry a value. */
function bars(svg: Element): Array<{ series: number; group: number; value: number; y: number; height: number }> {
  return all(svg, 'rect')
    .filter((r) => r.attributes['data-value'] !== undefined)
    .map((r) => ({
      series: Number(r.attributes['data-series']),
      group: Number(r.attributes['data-group']),
      value: Number(r.attributes['data-value']),
      y: Number(r.attributes.y),
      height: Number(r.attributes.height),
    }))
}

const fmt = (v: number): string => `${v} ns`

test('the chart is a well-formed SVG document with a title, one bar per value and a legend entry per row', () => {
  const xml = groupedBarChart({
    title: 'HS256 verify',
    subtitle: 'median CPU time per operation',
    groups: ['100 B', '1 KB', '6 KB (8 KB token)'],
    series: [
      { name: 'jwt-codec createVerifier', highlight: true, values: [40, 80, 200] },
      { name: 'fast-jwt (cache off)', highlight: false, values: [90, 150, 370] },
      { name: 'jose', highlight: false, values: [60, undefined, 260] },
    ],
    format: fmt,
  })
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg '))
  const svg = parseXml(xml)
  assert.equal(svg.name, 'svg')
  assert.equal(svg.attributes.xmlns, 'http://www.w3.org/2000/svg')
  assert.match(svg.attributes.viewBox as string, /^0 0 \d+ \d+$/)
  assert.equal(svg.children.find((c) => c.name === 'title')?.text, 'HS256 verify')
  // 8 values, one left out (undefined): 8 bars, each with a tooltip naming the row, the group and the value.
  const b = bars(svg)
  assert.equal(b.length, 8)
  const tips = all(svg, 'rect')
    .filter((r) => r.attributes['data-value'] !== undefined)
    .map((r) => r.children[0]?.text)
  assert.ok(tips.includes('fast-jwt (cache off), 1 KB: 150 ns'))
  assert.equal(
    b.some((x) => x.series === 2 && x.group === 1),
    false,
  )
  const texts = all(svg, 'text').map((t) => t.text)
  for (const name of ['jwt-codec createVerifier', 'fast-jwt (cache off)', 'jose', '100 B', '1 KB'])
    assert.ok(texts.includes(name), name)
  // A long group label is wrapped before its parenthesis, each line a text element.
  assert.ok(texts.includes('6 KB') && texts.includes('(8 KB token)'), texts.join('|'))
  // jwt-codec's rows are highlighted: outlined bars and a bold legend entry; the others are not.
  const ours = all(svg, 'rect').filter((r) => r.attributes['data-series'] === '0')
  assert.ok(ours.every((r) => r.attributes.stroke !== undefined))
  const theirs = all(svg, 'rect').filter((r) => r.attributes['data-series'] === '1')
  assert.ok(theirs.every((r) => r.attributes.stroke === undefined))
  const bold = all(svg, 'text').filter((t) => t.attributes['font-weight'] === 'bold')
  assert.deepEqual(
    bold.map((t) => t.text),
    ['HS256 verify', 'jwt-codec createVerifier'],
  )
  // Distinct colours per row.
  const fills = new Set(
    [0, 1, 2].map((k) => all(svg, 'rect').find((r) => r.attributes['data-series'] === String(k))?.attributes.fill),
  )
  assert.equal(fills.size, 3)
})

test('a row keeps its colour from chart to chart; jwt-codec rows take the blues in their order', () => {
  const fillOf = (xml: string, series: number): string | undefined =>
    all(parseXml(xml), 'rect').find((r) => r.attributes['data-series'] === String(series))?.attributes.fill
  const one = groupedBarChart({
    title: 'one',
    groups: ['a'],
    series: [
      { name: 'ours', highlight: true, values: [1] },
      { name: 'peer A', highlight: false, values: [2] },
      { name: 'peer B', highlight: false, values: [3] },
    ],
    format: fmt,
  })
  const two = groupedBarChart({
    title: 'two',
    groups: ['a'],
    series: [
      { name: 'ours too', highlight: true, values: [1] },
      { name: 'peer B', highlight: false, values: [3] },
    ],
    format: fmt,
  })
  assert.equal(fillOf(one, 2), fillOf(two, 1))
  assert.equal(fillOf(one, 0), fillOf(two, 0))
  assert.notEqual(fillOf(one, 1), fillOf(one, 2))
  // However many names the run has seen, the rows of one chart never share a colour.
  for (let k = 0; k < 30; k++) {
    const xml = groupedBarChart({
      title: `many ${k}`,
      groups: ['a'],
      series: Array.from({ length: 9 }, (_, i) => ({
        name: `peer ${k}-${i % 5}-${i}`,
        highlight: false,
        values: [i + 1],
      })),
      format: fmt,
    })
    const fills = Array.from({ length: 9 }, (_, i) => fillOf(xml, i))
    assert.equal(new Set(fills).size, 9, fills.join(' '))
  }
})

test('on a linear axis the bar heights are proportional to the values, from a common baseline', () => {
  const values = [10, 20, 35, 40]
  const svg = parseXml(
    groupedBarChart({
      title: 'linear',
      groups: ['a', 'b'],
      series: [
        { name: 'x', highlight: true, values: [values[0], values[1]] },
        { name: 'y', highlight: false, values: [values[2], values[3]] },
      ],
      format: fmt,
    }),
  )
  assert.equal(
    all(svg, 'text').some((t) => t.text === 'logarithmic scale'),
    false,
  )
  const b = bars(svg)
  assert.equal(b.length, 4)
  const bottoms = new Set(b.map((x) => Math.round((x.y + x.height) * 10) / 10))
  assert.equal(bottoms.size, 1, 'one baseline')
  const unit = (b[0] as (typeof b)[number]).height / (b[0] as (typeof b)[number]).value
  for (const x of b) assert.ok(Math.abs(x.height - x.value * unit) < 0.02, `${x.value}: ${x.height}`)
  // The axis starts at 0: the scale's ticks too.
  const s = scaleFor(values)
  assert.equal(s.log, false)
  assert.equal(s.ticks[0], 0)
  assert.ok((s.ticks.at(-1) as number) >= 40)
  assert.equal(s.fraction(s.max), 1)
})

test('a range wider than logAbove gets a log axis: equal ratios are equal steps, ticks at 1-2-5 or decades', () => {
  const svg = parseXml(
    groupedBarChart({
      title: 'log',
      groups: ['100 B', '10 KB', '100 KB', '1 MB'],
      series: [{ name: 'x', highlight: false, values: [3_000, 30_000, 300_000, 3_000_000] }],
      format: fmt,
    }),
  )
  assert.ok(all(svg, 'text').some((t) => t.text === 'logarithmic scale'))
  const h = bars(svg).map((x) => x.height)
  const steps = [
    (h[1] as number) - (h[0] as number),
    (h[2] as number) - (h[1] as number),
    (h[3] as number) - (h[2] as number),
  ]
  for (const step of steps) assert.ok(Math.abs(step - (steps[0] as number)) < 0.05, steps.join(' '))
  assert.ok((steps[0] as number) > 10)

  const s = scaleFor([3_000, 3_000_000])
  assert.equal(s.log, true)
  assert.equal(s.min, 1_000)
  assert.equal(s.max, 10_000_000)
  assert.deepEqual(s.ticks, [1e3, 1e4, 1e5, 1e6, 1e7])
  assert.equal(s.fraction(1e5), 0.5)
  const few = scaleFor([150, 4_000])
  assert.equal(few.log, true)
  assert.deepEqual(few.ticks, [100, 200, 500, 1000, 2000, 5000, 10000])
  // The threshold is the caller's: the same values stay linear with a higher one.
  assert.equal(scaleFor([150, 4_000], 100).log, false)
})

test('names and labels are escaped, so any contender name keeps the document well-formed', () => {
  assert.equal(escapeXml('a & <b> "c"'), 'a &amp; &lt;b&gt; &quot;c&quot;')
  const xml = groupedBarChart({
    title: 'T & <U>',
    groups: ['"g" & h'],
    series: [{ name: '<script>alert(1)</script> & co', highlight: false, values: [5] }],
    format: fmt,
  })
  assert.doesNotMatch(xml, /<script>/)
  const svg = parseXml(xml)
  assert.ok(all(svg, 'text').some((t) => t.text === '<script>alert(1)</script> & co'))
  assert.equal(svg.children.find((c) => c.name === 'title')?.text, 'T & <U>')
})

test('wrap cuts at spaces only, within the width where the words allow it', () => {
  assert.deepEqual(wrap('10000 chars non-ASCII', 60, 13), ['10000', 'chars', 'non-ASCII'])
  assert.deepEqual(wrap('100 B', 60, 13), ['100 B'])
  assert.deepEqual(wrap('6 KB (8 KB token)', 100, 13), ['6 KB', '(8 KB token)'])
  assert.deepEqual(wrap('6 KB (8 KB token)', 200, 13), ['6 KB (8 KB token)'])
})

function result(
  group: string,
  name: string,
  rows: Array<[string, number, number]>,
  place?: { table: string; column: string },
): ScenarioResult {
  return {
    group,
    name,
    ...(place ?? {}),
    ref: rows[0]?.[0] as string,
    rows: rows.map(([n, ns, ratio]) => ({ name: n, medianNs: ns, ratio, roundsNs: [ns] })),
  }
}

const RESULTS: ScenarioResult[] = [
  result('verify', 'HS256 verify, 100 B payload', [
    ['jwt-codec createVerifier', 3_900, 1],
    ['jose', 6_000, 1.6],
  ]),
  result('verify', 'HS256 verify, 1 KB payload', [
    ['jwt-codec createVerifier', 7_000, 1],
    ['jose', 7_700, 1.1],
  ]),
  result(
    'base64url',
    'encode 40 chars ASCII',
    [
      ['jwt-codec base64url', 200, 1],
      ['Buffer', 280, 1.4],
    ],
    { table: 'base64url encode', column: '40 chars ASCII' },
  ),
]

test('scenarios become one table per kind: a column per size, a row per contender, each chart above its table', () => {
  assert.deepEqual(placeOf(RESULTS[0] as ScenarioResult), { table: 'HS256 verify', column: '100 B' })
  assert.deepEqual(placeOf(RESULTS[2] as ScenarioResult), { table: 'base64url encode', column: '40 chars ASCII' })
  assert.deepEqual(placeOf(result('x', 'no comma here', [['a', 1, 1]])), { table: 'x', column: 'no comma here' })
  // A group of many operations at one size is one table of that size, a column per operation.
  const asym = ['RS256 verify (RSA 2048)', 'ES256 verify (P-256)'].map((op) =>
    result('verify (asymmetric)', `${op}, 100 B payload`, [['jwt-codec createVerifier', 30_000, 1]]),
  )
  assert.deepEqual(
    asym.map((r) => placeOf(r, asym)),
    [
      { table: 'verify (asymmetric), 100 B', column: 'RS256 verify (RSA 2048)' },
      { table: 'verify (asymmetric), 100 B', column: 'ES256 verify (P-256)' },
    ],
  )
  assert.deepEqual(
    tablesOf([...RESULTS, ...asym]).map((t) => t.slug),
    ['hs256-verify', 'base64url-encode', 'verify-asymmetric-100-b'],
  )
  const tables = tablesOf(RESULTS)
  assert.deepEqual(
    tables.map((t) => [t.slug, t.title, t.columns]),
    [
      ['hs256-verify', 'HS256 verify', ['100 B', '1 KB']],
      ['base64url-encode', 'base64url encode', ['40 chars ASCII']],
    ],
  )
  const md = markdownOf(tables[0] as (typeof tables)[number], './chart-hs256-verify.svg').split('\n')
  const image = md.findIndex((l) => l.startsWith('!['))
  const header = md.findIndex((l) => l.startsWith('| contender |'))
  assert.ok(image >= 0 && image < header)
  assert.equal(md[image], '![HS256 verify: median time per operation of each contender](./chart-hs256-verify.svg)')
  assert.equal(md[header], '| contender | 100 B | 1 KB |')
  assert.equal(md[header + 2], '| **jwt-codec createVerifier** | 3.90 µs · 1.00x | 7.00 µs · 1.00x |')
  assert.equal(md[header + 3], '| jose | 6.00 µs · 1.60x | 7.70 µs · 1.10x |')
})

test('writeFigures writes every chart it links, beside the README, and links them by relative path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jwt-codec-figures-'))
  try {
    const heap = [
      { size: '100 B', name: 'jwt-codec createVerifier', bytes: 489 },
      { size: '100 B', name: 'jose', bytes: 8640 },
      { size: '10 KB', name: 'jwt-codec createVerifier', bytes: 21466 },
    ]
    const md = writeFigures(RESULTS, heap, pathToFileURL(`${dir}/`))
    const links = [...md.matchAll(/!\[[^\]]*\]\(\.\/([^)]+)\)/g)].map((m) => m[1] as string)
    assert.deepEqual(links, ['chart-hs256-verify.svg', 'chart-base64url-encode.svg', 'chart-heap-per-verify.svg'])
    for (const file of links) {
      assert.ok(existsSync(join(dir, file)), file)
      parseXml(readFileSync(join(dir, file), 'utf8'))
    }
    assert.ok(md.indexOf('### verify') < md.indexOf('### base64url'))
    assert.match(md, /\| \*\*jwt-codec createVerifier\*\* \| 489 \| 21466 \|/)
    assert.match(md, /\| jose \| 8640 \| {2}\|/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('the progress line: rewritten in place on a terminal, cut to its width; plain lines elsewhere', () => {
  const written: string[] = []
  const tty = createProgress({ isTTY: true, columns: 30, write: (t) => written.push(t) })
  tty.update('round 1/7 · scenario 1/36: HS256 verify, 100 B payload')
  tty.update('short')
  tty.note('  round 1/7 done (20 s)')
  tty.update('again')
  tty.end()
  assert.deepEqual(written, [
    `\r\x1b[K${'round 1/7 · scenario 1/36: HS256 verify, 100 B payload'.slice(0, 28)}…`,
    '\r\x1b[Kshort',
    '\r\x1b[K  round 1/7 done (20 s)\n',
    '\r\x1b[Kagain',
    '\r\x1b[K',
  ])
  assert.ok((written[0] as string).length - 4 <= 29)

  const lines: string[] = []
  const pipe = createProgress({ write: (t) => lines.push(t) })
  pipe.update('warm-up · scenario 1/2: a')
  pipe.note('  round 1/7 done (20 s)')
  pipe.end()
  assert.deepEqual(lines, ['warm-up · scenario 1/2: a\n', '  round 1/7 done (20 s)\n'])
})

test('the progress text names the phase, the scenario and, after the warm-up, the time left', () => {
  const p = { rounds: 7, scenarios: 4, scenario: 'HS256 verify, 1 KB payload' }
  assert.equal(describe({ ...p, round: 0, index: 0 }, 0), 'warm-up · scenario 1/4: HS256 verify, 1 KB payload · 0:00')
  // Halfway through round 1 after 30 s: 0.75 of 7.25 rounds done, so 30 / 0.75 × 6.5 = 260 s left.
  assert.equal(
    describe({ ...p, round: 1, index: 2 }, 30),
    'round 1/7 · scenario 3/4: HS256 verify, 1 KB payload · 0:30 · about 4:20 left',
  )
})
