/**
 * `npm run build` is reproducible: it starts from an empty dist/, and two builds in a row give the same files with
 * the same bytes (so a published tarball can be rebuilt and compared from the sources).
 *
 * The builds run in a copy of what the build reads (src/, scripts/, package.json, the tsconfigs; node_modules
 * linked), so they need not hold the checkout's build lock: the packed-install tests can build and pack meanwhile,
 * and the checkout's dist/ is left alone.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { test } from 'node:test'
import { build, childEnv, ROOT } from '../helpers/pack.js'

/** What `npm run build` reads. */
const BUILD_INPUTS = ['src', 'scripts', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'tsconfig.cjs.json']

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
  const work = mkdtempSync(join(tmpdir(), 'jwt-codec-build-'))
  try {
    const env = childEnv(join(work, 'npm-cache'))
    const copy = join(work, 'checkout')
    for (const path of BUILD_INPUTS) cpSync(join(ROOT, path), join(copy, path), { recursive: true })
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir')
    const dist = join(copy, 'dist')
    await build(env, copy)
    const first = digest(dist)
    assert.ok(first.has('index.js') && first.has('cjs/index.js') && first.has('cjs/package.json'))
    writeFileSync(join(dist, 'stale.js'), 'export {}\n')
    await build(env, copy)
    const second = digest(dist)
    assert.deepEqual([...second.entries()], [...first.entries()])
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
})
