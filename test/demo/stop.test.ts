/**
 * The demo as `npm start` runs it (`node --import tsx examples/server.ts`), in a process of its own: it prints its
 * URL and pid, says how to stop it, serves, and on SIGTERM or SIGINT closes the server and exits with status 0.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { type TestContext, test } from 'node:test'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

interface Started {
  child: ChildProcess
  url: string
  pid: number
  lines: string[]
}

/**
 * Starts the demo on a free port and resolves once it has printed the line with its URL and pid (rejects after
 * 20 s without it). The process is killed when the test ends, whatever happened.
 */
function startDemoProcess(t: TestContext): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0' }
  delete env.JWT_SECRET
  const child = spawn(process.execPath, ['--import', 'tsx', join('examples', 'server.ts')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    const timer = setTimeout(
      () => reject(new Error(`no "listening on URL (pid N)" line in 20 s: ${out}${err}`)),
      20_000,
    )
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString()
    })
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /^jwt-codec demo listening on (http:\/\/127\.0\.0\.1:\d+) \(pid (\d+)\)$/m.exec(out)
      if (match !== null && out.includes('Stop it with')) {
        clearTimeout(timer)
        resolve({ child, url: match[1] as string, pid: Number(match[2]), lines: out.split('\n') })
      }
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`the demo exited (${code}, ${signal}) early: ${out}${err}`))
    })
  })
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode })
      return
    }
    child.once('exit', (code, signal) => resolve({ code, signal }))
  })
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`the demo prints its URL and pid, serves, and exits 0 on ${signal}`, { timeout: 60_000 }, async (t) => {
    const { child, url, pid, lines } = await startDemoProcess(t)
    assert.equal(pid, child.pid)
    assert.ok(lines.includes(`Stop it with Ctrl+C, or: kill ${pid}`), lines.join('\n'))
    // A keep-alive connection stays open in fetch's pool: closing must not wait for it.
    const res = await fetch(`${url}/api/public`)
    assert.equal(res.status, 200)
    assert.deepStrictEqual(await res.json(), {
      message: 'Anyone can read this: the route is exempt through `unless`.',
    })
    const done = exited(child)
    child.kill(signal)
    assert.deepStrictEqual(await done, { code: 0, signal: null })
    await assert.rejects(fetch(`${url}/api/public`))
  })
}
