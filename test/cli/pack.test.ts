/**
 * `npx jwt-codec ...` from a packed install: build, `npm pack`, install the tarball into a fresh project with no
 * network (test/helpers/pack.ts), then run both bin names there. Slow (a build and two npm runs), so it has a
 * generous timeout; every temporary directory is removed whatever happens.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { base64url } from '../../src/index.js'
import { childEnv, NPX, type PackedInstall, packAndInstall, removePacked, sh } from '../helpers/pack.js'

test('npx jwt-codec works from a packed, offline install', { timeout: 600_000 }, async () => {
  let packed: PackedInstall | undefined
  try {
    packed = await packAndInstall('jwt-codec-pack-')
    const { files, project, cache } = packed
    for (const path of ['dist/bin.js', 'dist/cli.js', 'dist/index.js', 'package.json'])
      assert.ok(files.includes(path), path)
    assert.ok(!files.some((f) => f.startsWith('src/') || f.startsWith('test/')), 'only the build is packed')

    // --no: never fetch from the registry; the local bin must be found, or the test fails rather than hangs.
    const npx = (args: string[], extra: Record<string, string> = {}) =>
      sh(NPX, ['--no', ...args], project, childEnv(cache, extra))

    const secret = await npx(['jwt-codec', 'secret', '--alg', 'HS384'])
    assert.equal(secret.code, 0, secret.stderr)
    assert.match(secret.stdout, /^[A-Za-z0-9_-]{64}\n$/)
    const key = secret.stdout.trim()
    assert.equal(base64url.decode(key).length, 48)

    const keyEnv = { JWT_SECRET: key }
    const signed = await npx(
      ['jwt-codec', 'sign', '{"sub":"42"}', '--alg', 'HS384', '--exp', '1h', '--secret-encoding', 'base64url'],
      keyEnv,
    )
    assert.equal(signed.code, 0, signed.stderr)
    const token = signed.stdout.trim()

    const verified = await npx(
      ['jwt-codec', 'verify', token, '--alg', 'HS384', '--secret-encoding', 'base64url', '--json'],
      keyEnv,
    )
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
    removePacked(packed)
  }
})
