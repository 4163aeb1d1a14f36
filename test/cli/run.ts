/**
 * Runs the real `jwt` command (`node --import tsx src/bin.ts ...`) in a child process and collects what it
 * printed. Not a test file itself: the CLI tests import it.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
}

export interface RunOptions {
  /** Written to standard input, which is then closed; without it standard input is closed at once (empty). */
  input?: string
  /** Added to a minimal environment: no JWT_SECRET or NO_COLOR leaks in from the shell running the tests. */
  env?: Record<string, string>
}

/** A minimal environment for the child: enough for node and tsx, nothing that changes the command's behaviour. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'SYSTEMROOT', 'TEMP', 'TMP']) {
    const value = process.env[name]
    if (value !== undefined) env[name] = value
  }
  return env
}

export function jwt(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/bin.ts', ...args], {
      cwd: ROOT,
      env: { ...baseEnv(), ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d
    })
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
    child.stdin.on('error', () => {
      // The command may exit before reading standard input (a usage error); that is not a test failure.
    })
    child.stdin.end(options.input ?? '')
  })
}

/** A 32-byte HS256 secret used across the CLI tests, and the environment that carries it. */
export const SECRET = 'cli-test-secret-0123456789abcdefghij'
export const SECRET_ENV = { JWT_SECRET: SECRET }

/** A temporary directory for secret files, removed by the returned cleanup function. */
export function tempDir(): { dir: string; file(name: string, content: string | Uint8Array): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'jwt-cli-test-'))
  return {
    dir,
    file(name, content) {
      const path = join(dir, name)
      writeFileSync(path, content, { mode: 0o600 })
      return path
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Seconds since the epoch, as the library counts. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000)
}

/**
 * Runs `main` in this process with captured streams: what the spawned runs cannot give, coverage of the sources
 * (the child's environment is minimal, so it records none) and a test's own clock. Standard input is `input`,
 * or empty and not a terminal.
 */
export async function runMain(
  args: readonly string[],
  options: RunOptions & { now?: number } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import('../../src/cli.js')
  let stdout = ''
  let stderr = ''
  const input = options.input ?? ''
  const code = await main(args, {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    stdin: {
      isTTY: false,
      async *[Symbol.asyncIterator]() {
        if (input !== '') yield input
      },
    },
    env: options.env ?? {},
    now: () => options.now ?? Date.now(),
  })
  return { code, stdout, stderr }
}
