/**
 * `npm run build` is reproducible: it starts from an empty dist/, and two builds in a row give the same files with
 * the same bytes (so a published tarball can be rebuilt and compared from the sources).
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { test } from 'node:test'
import { build, childEnv, ROOT, withBuildLock } from '../helpers/pack.js'

function digest(dir: string): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name)
      if (statSync(p).isDirectory()) walk(p)
      else out.set(relative(dir, p), createHash('sha256').update(readFileSync(p)).digest('hex'))
    }
  }
  walk(dir)
  return out
}

test('two builds give identical bytes, and a stale file in dist/ does not survive', { timeout: 600_000 }, async () => {
  const cache = mkdtempSync(join(tmpdir(), 'jwt-codec-build-'))
  try {
    const env = childEnv(cache)
    const dist = join(ROOT, 'dist')
    await withBuildLock(async () => {
      await build(env)
      const first = digest(dist)
      assert.ok(first.has('index.js') && first.has('cjs/index.js') && first.has('cjs/package.json'))
      writeFileSync(join(dist, 'stale.js'), 'export {}\n')
      await build(env)
      const second = digest(dist)
      assert.deepEqual([...second.entries()], [...first.entries()])
    })
  } finally {
    rmSync(cache, { recursive: true, force: true })
  }
})
