/**
 * `npx jwt-codec ...` from a packed install: build, `npm pack`, install the tarball into a fresh project with no
 * network (the package has no dependencies), then run both bin names there. Slow (a build and two npm runs), so
 * it has a generous timeout; every temporary directory is removed whatever happens.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { promisify } from 'node:util'
import { base64url } from '../../src/index.js'
import { ROOT } from './run.js'

const run = promisify(execFile)
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx'

/**
 * The parent `npm test` exports npm_* variables (its own prefix, lifecycle event, config); an npm started from
 * here must not inherit them, nor a JWT_SECRET from the shell. The cache is private so nothing is shared with,
 * or left in, the user's cache.
 */
function childEnv(cache: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(name) && name !== 'JWT_SECRET' && name !== 'NO_COLOR' && name !== 'INIT_CWD') env[name] = value
  }
  return { ...env, npm_config_cache: cache, npm_config_update_notifier: 'false', npm_config_fund: 'false', ...extra }
}

interface Out {
  code: number
  stdout: string
  stderr: string
}

async function sh(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Out> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, env, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string }
    if (typeof e.code !== 'number') throw error
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}

test('npx jwt-codec works from a packed, offline install', { timeout: 600_000 }, async () => {
  const work = mkdtempSync(join(tmpdir(), 'jwt-codec-pack-'))
  try {
    const cache = join(work, 'npm-cache')
    const env = childEnv(cache)

    const build = await sh(NPM, ['run', 'build'], ROOT, env)
    assert.equal(build.code, 0, build.stderr)

    const pack = await sh(NPM, ['pack', '--json', '--pack-destination', work], ROOT, env)
    assert.equal(pack.code, 0, pack.stderr)
    const [info] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>
    assert.ok(info !== undefined)
    const files = info.files.map((f) => f.path)
    for (const path of ['dist/bin.js', 'dist/cli.js', 'dist/index.js', 'package.json']) assert.ok(files.includes(path), path)
    assert.ok(!files.some((f) => f.startsWith('src/') || f.startsWith('test/')), 'only the build is packed')

    const project = join(work, 'project')
    mkdirSync(project)
    writeFileSync(join(project, 'package.json'), '{ "name": "jwt-codec-pack-check", "version": "1.0.0", "private": true }\n')
    const install = await sh(NPM, ['install', '--no-audit', '--no-fund', '--offline', join(work, info.filename)], project, env)
    assert.equal(install.code, 0, install.stderr)

    // --no: never fetch from the registry; the local bin must be found, or the test fails rather than hangs.
    const npx = (args: string[], extra: Record<string, string> = {}) => sh(NPX, ['--no', ...args], project, childEnv(cache, extra))

    const secret = await npx(['jwt-codec', 'secret', '--alg', 'HS384'])
    assert.equal(secret.code, 0, secret.stderr)
    assert.match(secret.stdout, /^[A-Za-z0-9_-]{64}\n$/)
    const key = secret.stdout.trim()
    assert.equal(base64url.decode(key).length, 48)

    const keyEnv = { JWT_SECRET: key }
    const signed = await npx(['jwt-codec', 'sign', '{"sub":"42"}', '--alg', 'HS384', '--exp', '1h', '--secret-encoding', 'base64url'], keyEnv)
    assert.equal(signed.code, 0, signed.stderr)
    const token = signed.stdout.trim()

    const verified = await npx(['jwt-codec', 'verify', token, '--alg', 'HS384', '--secret-encoding', 'base64url', '--json'], keyEnv)
    assert.equal(verified.code, 0, verified.stderr)
    const out = JSON.parse(verified.stdout) as { valid: boolean; header: { alg: string }; payload: { sub: string } }
    assert.equal(out.valid, true)
    assert.equal(out.header.alg, 'HS384')
    assert.equal(out.payload.sub, '42')

    // the exit status survives npx, and the short name `jwt` is installed too
    const forged = `${token.slice(0, -1)}${token.endsWith('A') ? 'E' : 'A'}`
    const tampered = await npx(['jwt', 'verify', forged, '--alg', 'HS384', '--secret-encoding', 'base64url'], keyEnv)
    assert.equal(tampered.code, 1)
    assert.match(tampered.stderr, /jwt verify: invalid token: ERR_JWT_SIGNATURE: the signature does not match\n$/)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
})
