/**
 * The `jwt` command line: sign, verify, decode, make secrets and key pairs from a terminal. It uses only the package's
 * public functions. `main` takes its streams, environment and clock as arguments and returns the exit status,
 * so it runs the same from `bin.ts` and from a test.
 */
import { readFileSync } from 'node:fs'
import { decodeCommand } from './cli/commands/decode.js'
import { jwkCommand } from './cli/commands/jwk.js'
import { keygenCommand } from './cli/commands/keygen.js'
import { secretCommand } from './cli/commands/secret.js'
import { signCommand } from './cli/commands/sign.js'
import { verifyCommand } from './cli/commands/verify.js'
import { COMMAND_NAMES, type CommandName, HELP, MAIN_HELP, USAGE } from './cli/help.js'
import { type CliIo, oneLine, paintFor, safeLine, UsageError } from './cli/io.js'
import { errorLine, errorRecord } from './cli/report.js'

export type { CliInput, CliIo, CliOutput } from './cli/io.js'

const COMMANDS: Readonly<Record<CommandName, (args: readonly string[], io: CliIo) => Promise<number>>> = {
  sign: signCommand,
  verify: verifyCommand,
  decode: decodeCommand,
  secret: secretCommand,
  keygen: keygenCommand,
  jwk: jwkCommand,
}

/** "sign, verify, ... and jwk" (`joiner` "or" for a choice). */
function commandList(joiner: string): string {
  return `${COMMAND_NAMES.slice(0, -1).join(', ')} ${joiner} ${COMMAND_NAMES.at(-1)}`
}

function isCommand(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(COMMANDS, name)
}

function version(): string {
  // ../package.json is the package root both from src/ (tsx) and from dist/ (the build).
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8')
  const { version: v } = JSON.parse(text) as { version?: unknown }
  return typeof v === 'string' ? v : 'unknown'
}

/**
 * Runs the `jwt` command line.
 *
 * @param argv - the arguments after the program name, such as `['verify', '--iss', 'auth.example.com']`
 * @param io - streams, environment and clock; each defaults to the process's own
 * @returns the exit status: 0 success, 1 failure (an invalid token, a bad secret), 2 bad arguments
 * @throws never: every failure is reported on the streams and in the exit status
 * @example
 * ```ts
 * import { main } from './cli.js'
 * process.exitCode = await main(process.argv.slice(2))
 * ```
 */
export async function main(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  // Only what was not given is taken from the process: touching process.stdin would open it.
  const full: CliIo = {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    stdin: io.stdin ?? process.stdin,
    env: io.env ?? process.env,
    now: io.now ?? Date.now,
  }
  const [first, ...rest] = argv

  if (first === undefined) {
    full.stderr.write(MAIN_HELP)
    return 2
  }
  if (first === '--help' || first === '-h') {
    full.stdout.write(MAIN_HELP)
    return 0
  }
  if (first === '--version' || first === '-v') {
    full.stdout.write(`${version()}\n`)
    return 0
  }
  if (first === 'help') {
    const topic = rest[0]
    if (topic === undefined) {
      full.stdout.write(MAIN_HELP)
      return 0
    }
    if (isCommand(topic) && rest.length === 1) {
      full.stdout.write(HELP[topic])
      return 0
    }
    return usageFailure(full, undefined, new UsageError(`jwt help takes one command name: ${commandList('or')}`))
  }
  if (!isCommand(first)) {
    // The word is echoed only when it looks like a mistyped command: a pasted token must not reach the screen.
    const shown = /^[a-z][a-z-]{0,19}$/i.test(first) ? ` "${first}"` : ''
    return usageFailure(
      full,
      undefined,
      new UsageError(`unknown command${shown}; the commands are ${commandList('and')}`),
    )
  }

  try {
    return await COMMANDS[first](rest, full)
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(full, first, error)
    const record = errorRecord(error)
    if (rest.includes('--json')) {
      full.stdout.write(oneLine(first === 'verify' ? { valid: false, error: record } : { error: record }))
    } else {
      const paint = paintFor(full.stderr, full.env)
      full.stderr.write(`${paint.red(`jwt ${first}:`)} ${safeLine(errorLine(record, full.now()))}\n`)
    }
    return 1
  }
}

function usageFailure(io: CliIo, command: CommandName | undefined, error: UsageError): number {
  const paint = paintFor(io.stderr, io.env)
  const prefix = command === undefined ? 'jwt:' : `jwt ${command}:`
  const usage =
    command === undefined
      ? "Run 'jwt --help' for the commands."
      : `usage: ${USAGE[command]}\nRun 'jwt ${command} --help' for the options.`
  io.stderr.write(`${paint.red(prefix)} ${safeLine(error.message)}\n${usage}\n`)
  return 2
}
