/**
 * Argument parsing on `node:util` parseArgs, with the refusals and messages the command line needs:
 * no secret on the command line, no echo of argument values in errors (a value may be a token).
 */
import { parseArgs } from 'node:util'
import type { CliInput } from './io.js'
import { UsageError } from './io.js'

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>

/** Options every command has. */
export const COMMON_OPTIONS: OptionSpec = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
}

/** Options of the commands that need the secret. */
export const SECRET_OPTIONS: OptionSpec = {
  'secret-file': { type: 'string' },
  'secret-encoding': { type: 'string' },
}

/**
 * Options that would carry a secret in the argument list, where every user of the machine can read it (`ps`,
 * /proc/PID/cmdline) and the shell keeps it in its history. They are refused by name, before parsing, so that
 * even `--secret` without a value gets the explanation rather than "argument missing".
 */
const SECRET_BEARING = new Set(['--secret', '--password', '--jwt-secret'])

/** The same for options that would carry a private or public key: the key belongs in a file. */
const KEY_BEARING = new Set(['--key', '--private-key', '--public-key', '--pem'])

const KEY_REASON =
  'visible to other users in the process list and stays in your shell history; save the key in a file and ' +
  'pass its path (--key-file PATH for sign and verify)'

/**
 * Whether an argument holds key material: a PEM block, or a JSON object with "kty" (a JWK) or "keys" (a JWK Set).
 * Only the top level counts, so claims such as {"cnf":{"jwk":{...}}} (RFC 7800) are still claims.
 */
function holdsKey(arg: string): boolean {
  if (arg.includes('-----BEGIN')) return true
  const value = (arg.startsWith('--') && arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : arg).trim()
  if (!value.startsWith('{')) return false
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch {
    return false
  }
  return (
    typeof parsed === 'object' && parsed !== null && (Object.hasOwn(parsed, 'kty') || Object.hasOwn(parsed, 'keys'))
  )
}

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>
  positionals: string[]
}

export function parse(args: readonly string[], options: OptionSpec): Parsed {
  let optionsEnded = false
  for (const arg of args) {
    if (arg === '--') optionsEnded = true
    const name = !optionsEnded && arg.startsWith('--') ? arg.split('=', 1)[0] : undefined
    if (name !== undefined && SECRET_BEARING.has(name)) {
      throw new UsageError(
        `${name} is refused: a secret on the command line is visible to other users in the process list and ` +
          'stays in your shell history; use --secret-file PATH or the JWT_SECRET environment variable',
      )
    }
    if (name !== undefined && KEY_BEARING.has(name))
      throw new UsageError(`${name} is refused: a key on the command line is ${KEY_REASON}`)
    // Every argument, also after "--": a key pasted in place of a path, a token or the claims.
    if (holdsKey(arg)) throw new UsageError(`a key (PEM or JWK) as an argument is refused: it is ${KEY_REASON}`)
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...COMMON_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    })
    return { values: values as Parsed['values'], positionals }
  } catch (error) {
    throw new UsageError(describeParseError(error))
  }
}

/**
 * parseArgs messages name the option (never its value) but run over several lines and suggest `--` tricks that
 * do not apply here; keep the first sentence.
 */
function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : 'bad arguments'
  const first = (message.split('\n')[0] ?? message).split('. To specify')[0] ?? message
  return first.replace(/\.$/, '')
}

export function stringValue(values: Parsed['values'], name: string): string | undefined {
  const v = values[name]
  return typeof v === 'string' ? v : undefined
}

export function listValue(values: Parsed['values'], name: string): string[] {
  const v = values[name]
  return Array.isArray(v) ? v : []
}

export function flag(values: Parsed['values'], name: string): boolean {
  return values[name] === true
}

/** At most one positional; its value is never echoed (it may be a token). */
export function onePositional(positionals: readonly string[], what: string): string | undefined {
  if (positionals.length > 1) {
    throw new UsageError(`expected at most one ${what} argument, got ${positionals.length}`)
  }
  return positionals[0]
}

/** Standard input larger than this is refused: tokens are at most 8 KiB by default, claims are small. */
const STDIN_LIMIT = 1024 * 1024

/**
 * The text of the argument, or of standard input when the argument is `-`, or when it is absent and standard
 * input is not a terminal (so `echo $TOKEN | jwt decode` works and a bare `jwt decode` at a prompt does not hang).
 * Returns undefined when there is neither.
 */
export async function argumentOrStdin(arg: string | undefined, stdin: CliInput): Promise<string | undefined> {
  if (arg !== undefined && arg !== '-') return arg
  if (arg === undefined && stdin.isTTY === true) return undefined
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk)
    size += bytes.length
    if (size > STDIN_LIMIT) throw new UsageError('standard input is larger than 1 MiB')
    chunks.push(bytes)
  }
  return Buffer.concat(chunks).toString('utf8')
}
