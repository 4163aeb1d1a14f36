import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { describe, test } from 'node:test'
import { sign } from '../../src/index.js'

const SECRET = 'example-test-secret-long-enough-for-hs256-0123'

/** Starts `node --import tsx examples/<name>.ts` on a free port and resolves to its URL once it listens. */
async function start(name: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', `examples/${name}.ts`], {
    env: { ...process.env, PORT: '0', JWT_SECRET: SECRET },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (found?.[1] !== undefined) resolve(found[1])
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.once('exit', (code) => reject(new Error(`examples/${name}.ts exited with ${code}: ${output}`)))
  })
  return { url, child }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  await exited
}

describe('the examples run and protect their routes', () => {
  for (const name of ['node-http', 'express', 'fetch']) {
    test(`examples/${name}.ts`, async (t) => {
      const { url, child } = await start(name)
      t.after(() => stop(child))
      const value = sign({ sub: 'ada' }, SECRET, { expiresIn: '5m' })
      const ok = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${value}` } })
      assert.equal(ok.status, 200)
      assert.deepEqual(await ok.json(), { hello: 'ada' })
      const refused = await fetch(`${url}/me`)
      assert.equal(refused.status, 401)
      assert.equal(refused.headers.get('www-authenticate'), 'Bearer realm="example"')
      const bad = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${value}x` } })
      assert.equal(bad.status, 401)
      assert.match(bad.headers.get('www-authenticate') ?? '', /error="invalid_token"/)
    })
  }
})
