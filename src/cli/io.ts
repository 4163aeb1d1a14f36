/**
 * What the command line reads and writes, passed in rather than taken from `process`, so that `main` can be
 * called from a test with plain objects and a fixed clock.
 */

/** A place to write text: `process.stdout`, `process.stderr`, or anything with `write`. */
export interface CliOutput {
  write(chunk: string): unknown
  /** Colour is used only when this is true. */
  isTTY?: boolean
}

/** Where claims and tokens come from when no argument gives them: `process.stdin` or any async iterable. */
export interface CliInput extends AsyncIterable<string | Uint8Array> {
  /** When true (a terminal), standard input is read only if the argument is `-`. */
  isTTY?: boolean
}

/** The streams, environment and clock the command line uses. */
export interface CliIo {
  stdout: CliOutput
  stderr: CliOutput
  stdin: CliInput
  /** Read for `JWT_SECRET`, `NO_COLOR` and `TERM`. */
  env: Readonly<Record<string, string | undefined>>
  /** Milliseconds since the epoch, like `Date.now`. */
  now: () => number
}

/** A mistake in how the command was called: exit status 2, with the usage line. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/**
 * A failure that is not the library's and not a usage mistake, such as an unreadable secret file: exit status 1,
 * reported with `code` like a JwtError.
 */
export class CliFailure extends Error {
  override readonly name = 'CliFailure'
  readonly code: string
  constructor(code: string, message: string) {
    super(message)
    this.code = code
  }
}

/** NO_COLOR (https://no-color.org): any non-empty value turns colour off; so does a dumb terminal or a pipe. */
export function colourEnabled(stream: CliOutput, env: CliIo['env']): boolean {
  if (stream.isTTY !== true) return false
  const noColor = env.NO_COLOR
  if (noColor !== undefined && noColor !== '') return false
  return env.TERM !== 'dumb'
}

/** ANSI styles that collapse to the plain text when colour is off. */
export interface Paint {
  bold(text: string): string
  dim(text: string): string
  red(text: string): string
  green(text: string): string
  yellow(text: string): string
}

function sgr(open: number, close: number): (text: string) => string {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`
}

const COLOURS: Paint = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  red: sgr(31, 39),
  green: sgr(32, 39),
  yellow: sgr(33, 39),
}

const PLAIN: Paint = { bold: String, dim: String, red: String, green: String, yellow: String }

export function paintFor(stream: CliOutput, env: CliIo['env']): Paint {
  return colourEnabled(stream, env) ? COLOURS : PLAIN
}

/**
 * Anything shaped like a compact JWS. Every JSON-object header starts with `ey` in base64url ('{' then a quote
 * or whitespace), so this catches real tokens without touching file names such as `my.secret.key`.
 */
const TOKEN_SHAPE = /ey[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g

/**
 * Makes an error line safe to print: a token never appears in an error line (terminals are logged and shared),
 * and one reason stays on one line.
 */
export function safeLine(text: string): string {
  return text.replace(TOKEN_SHAPE, '<token>').replace(/\s*[\r\n]+\s*/g, ' ')
}

/**
 * Characters JSON.stringify leaves as they are but a terminal may act on: C1 controls (U+009B is CSI on some
 * terminals) and the bidirectional overrides that make displayed text differ from its content. A decoded token
 * is attacker-controlled text, so these are written as \u escapes, which is still the same JSON.
 */
const TERMINAL_UNSAFE = /[\u0080-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

function escapeUnsafe(text: string): string {
  return text.replace(TERMINAL_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** Indented JSON for people reading a terminal. */
export function pretty(value: unknown): string {
  return `${escapeUnsafe(JSON.stringify(value, null, 2))}\n`
}

/** `--json` output: one object on one line, so scripts can read it line by line or pipe it to jq. */
export function oneLine(value: unknown): string {
  return `${escapeUnsafe(JSON.stringify(value))}\n`
}
