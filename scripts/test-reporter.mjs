// A node:test reporter (`--test-reporter=./scripts/test-reporter.mjs`) that keeps `npm test` readable: one line per
// test file as it finishes, then the skipped and todo tests with their reasons, then every failure with its file,
// line, full test name and assertion message, then the counts and the duration. The very last line is plain
// `N passed, N failed, N skipped`, which CI log parsers read (as they read node's own `# pass N` / `# fail N`).
//
// Events arrive through the reporter API (https://nodejs.org/api/test.html#custom-reporters). With one process per
// test file, node reports the files one after another, in the order given, and each file's tests in the order they
// are defined: so a stack of the names seen in `test:start` gives every test its full `suite › test` name, and a
// file is finished when the next one's first test is reported. (Node's `line` for a test is that of the code tsx
// produced, not of the .ts source; a failure's place is taken from its source-mapped stack instead.)

import { relative } from 'node:path'

const color = process.stdout.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb'
const paint = (code) => (text) => (color ? `\u001b[${code}m${text}\u001b[39m` : text)
const red = paint(31)
const green = paint(32)
const yellow = paint(33)
const dim = (text) => (color ? `\u001b[2m${text}\u001b[22m` : text)

/** At most this many lines of an assertion message, and of a failing file's own output, are printed. */
const MESSAGE_LINES = 40
/** The skip reason node gives a test that --test-name-pattern left out. */
const FILTERED = 'test name does not match pattern'
const OUTPUT_LINES = 60

const where = (file) => (file === undefined ? '(no file)' : relative(process.cwd(), file) || file)
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`
const indent = (text, pad) =>
  text
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n')

function clip(lines, max) {
  if (lines.length <= max) return lines
  return [...lines.slice(0, max), `… ${lines.length - max} more lines`]
}

/** The error a test threw: node wraps it in an ERR_TEST_FAILURE whose `cause` is the original. */
function original(error) {
  if (error !== null && typeof error === 'object' && error.code === 'ERR_TEST_FAILURE' && error.cause != null) {
    return error.cause
  }
  return error
}

/**
 * Where it failed: the first three stack frames inside the project (outside node_modules), so an assertion made in
 * a helper also names the test line that called it.
 */
function frames(error) {
  const stack = typeof error?.stack === 'string' ? error.stack : ''
  const out = []
  for (const line of stack.split('\n')) {
    const m = /\(?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?\s*$/.exec(line.trim())
    if (m === null) continue
    const path = m[1].replace(/^file:\/\//, '')
    if (path.includes('/node_modules/') || !path.startsWith(process.cwd())) continue
    out.push(`${relative(process.cwd(), path)}:${m[2]}:${m[3]}`)
    if (out.length === 3) break
  }
  return out
}

function describeError(error) {
  const e = original(error)
  if (e === null || typeof e !== 'object') return String(e)
  const name = typeof e.name === 'string' && e.name !== 'Error' ? `${e.name}: ` : ''
  const message = typeof e.message === 'string' && e.message !== '' ? e.message : String(e)
  const lines = clip(`${name}${message}`.split('\n'), MESSAGE_LINES)
  for (const at of frames(e)) lines.push(dim(`at ${at}`))
  return lines.join('\n')
}

export default async function* reporter(source) {
  const started = Date.now()
  const totals = { pass: 0, fail: 0, skip: 0, todo: 0 }
  /** Per file: the names on the path to the current test, its counts, its output and its notes. */
  const files = new Map()
  const failures = []
  const skipped = []
  const todos = []
  let duration

  const fileState = (file) => {
    let state = files.get(file)
    if (state === undefined) {
      state = { names: [], pass: 0, fail: 0, skip: 0, todo: 0, output: [], notes: [] }
      files.set(file, state)
    }
    return state
  }
  const fullName = (state, data) => [...state.names.slice(0, data.nesting), data.name].join(' › ')
  /** Each file's run time, from its `test:complete` (which may arrive before or after its tests are reported). */
  const durations = new Map()
  let current
  function* finished(file) {
    if (file === undefined) return
    const s = files.get(file)
    const counts = [`${s.pass} passed`]
    if (s.fail > 0) counts.push(red(`${s.fail} failed`))
    if (s.skip > 0) counts.push(yellow(`${s.skip} skipped`))
    if (s.todo > 0) counts.push(`${s.todo} todo`)
    const ms = durations.get(file)
    const time = ms === undefined ? '' : `  ${dim(`(${seconds(ms)})`)}`
    yield `${s.fail > 0 ? red('✖') : green('✔')} ${where(file)}  ${counts.join(', ')}${time}\n`
  }

  for await (const { type, data } of source) {
    switch (type) {
      case 'test:start': {
        if (data.file !== current) {
          yield* finished(current)
          current = data.file
        }
        const state = fileState(data.file)
        state.names.length = data.nesting
        state.names[data.nesting] = data.name
        break
      }
      case 'test:pass':
      case 'test:fail': {
        if (data.file !== current) {
          yield* finished(current)
          current = data.file
        }
        const state = fileState(data.file)
        const error = data.details?.error
        // A suite is not a test: its own failure is "1 subtest failed", already reported by that subtest. A suite
        // that failed by itself (a hook, or a throw in its body) is reported.
        if (data.details?.type === 'suite' && (type === 'test:pass' || error?.failureType === 'subtestsFailed')) break
        // The file itself: it only fails without a failing test when it could not load, or its process died.
        const isFile = data.nesting === 0 && data.name === data.file
        const name = isFile ? '(the test file itself: it did not load or its process failed)' : fullName(state, data)
        const entry = { file: data.file, name }
        if (data.skip !== undefined && data.skip !== false) {
          totals.skip++
          state.skip++
          skipped.push({ ...entry, reason: typeof data.skip === 'string' ? data.skip : '' })
        } else if (data.todo !== undefined && data.todo !== false) {
          totals.todo++
          state.todo++
          todos.push({ ...entry, reason: typeof data.todo === 'string' ? data.todo : '' })
        } else if (type === 'test:pass') {
          totals.pass++
          state.pass++
        } else {
          totals.fail++
          state.fail++
          failures.push({ ...entry, error, isFile })
          yield `${red('✖')} ${where(data.file)} › ${name}\n`
        }
        break
      }
      case 'test:stdout':
      case 'test:stderr':
        if (data.file !== undefined) fileState(data.file).output.push(data.message)
        break
      case 'test:diagnostic':
        // node's own closing summary (`tests N`, `pass N`, ...) has no file; per-file notes (such as asynchronous
        // activity after a test ended) do, and are printed with that file.
        if (data.file !== undefined) fileState(data.file).notes.push(data.message)
        else if (data.message.startsWith('duration_ms ')) duration = Number(data.message.slice('duration_ms '.length))
        break
      case 'test:complete':
        if (data.nesting === 0 && data.name === data.file && typeof data.details?.duration_ms === 'number') {
          durations.set(data.file, data.details.duration_ms)
        }
        break
      default:
        break
    }
  }

  yield* finished(current)

  let out = '\n'
  // Tests left out by --test-name-pattern are skips too (node counts them so), but are not worth a line each.
  const listed = skipped.filter((s) => s.reason !== FILTERED)
  if (listed.length > 0) {
    out += `${yellow(`Skipped (${listed.length})`)}\n`
    for (const s of listed) out += `  - ${where(s.file)} › ${s.name}${s.reason ? ` — ${s.reason}` : ''}\n`
    out += '\n'
  }
  const filtered = skipped.length - listed.length
  if (filtered > 0) out += `${dim(`${filtered} skipped because their names do not match --test-name-pattern`)}\n\n`
  if (todos.length > 0) {
    out += `Todo (${todos.length})\n`
    for (const t of todos) out += `  - ${where(t.file)} › ${t.name}${t.reason ? ` — ${t.reason}` : ''}\n`
    out += '\n'
  }
  const notes = [...files].filter(([, s]) => s.notes.length > 0)
  if (notes.length > 0) {
    out += 'Notes from node:test\n'
    for (const [file, s] of notes) for (const note of s.notes) out += `  - ${where(file)}: ${note}\n`
    out += '\n'
  }
  if (failures.length > 0) {
    out += `${red(`Failures (${failures.length})`)}\n\n`
    failures.forEach((f, i) => {
      out += `${i + 1}) ${where(f.file)} › ${f.name}\n`
      out += `${indent(describeError(f.error), '   ')}\n`
      out += '\n'
    })
    // What a failing file printed (a load error's stack, a server's complaint) helps to read its failures.
    for (const file of new Set(failures.map((f) => f.file))) {
      const output = files.get(file)?.output.join('') ?? ''
      if (output.trim() === '') continue
      out += `${dim(`Output of ${where(file)}:`)}\n`
      out += `${indent(clip(output.trimEnd().split('\n'), OUTPUT_LINES).join('\n'), '   ')}\n\n`
    }
  }
  const total = totals.pass + totals.fail + totals.skip + totals.todo
  const elapsed = duration ?? Date.now() - started
  const parts = [
    totals.fail > 0 ? red(`${totals.fail} failed`) : `${totals.fail} failed`,
    green(`${totals.pass} passed`),
    `${totals.skip} skipped`,
    `${totals.todo} todo`,
  ]
  out += `${total} test${total === 1 ? '' : 's'} in ${files.size} file${files.size === 1 ? '' : 's'}: ${parts.join(', ')} — ${seconds(elapsed)}\n`
  out += `${totals.pass} passed, ${totals.fail} failed, ${totals.skip} skipped\n`
  yield out
}
