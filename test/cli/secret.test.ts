import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { HELP, USAGE } from '../../src/cli/help.js'
import { base64url } from '../../src/index.js'
import { jwt } from './run.js'

describe('jwt secret', { concurrency: 3 }, () => {
  it('prints 32 random bytes in base64url for HS256 by default, different each time', async () => {
    const [a, b] = await Promise.all([jwt(['secret']), jwt(['secret'])])
    for (const r of [a, b]) {
      assert.equal(r.code, 0)
      assert.equal(r.stderr, '')
      assert.match(r.stdout, /^[A-Za-z0-9_-]{43}\n$/)
      assert.equal(base64url.decode(r.stdout.trim()).length, 32)
    }
    assert.notEqual(a.stdout, b.stdout)
  })

  it('matches the hash length of --alg HS384 and HS512 (RFC 7518 §3.2)', async () => {
    const r384 = await jwt(['secret', '--alg', 'HS384'])
    assert.equal(r384.code, 0)
    assert.equal(base64url.decode(r384.stdout.trim()).length, 48)
    const r512 = await jwt(['secret', '--alg=HS512'])
    assert.equal(r512.code, 0)
    assert.equal(base64url.decode(r512.stdout.trim()).length, 64)
  })

  it('--json prints one object with the algorithm, length and encoding', async () => {
    const r = await jwt(['secret', '--alg', 'HS512', '--json'])
    assert.equal(r.code, 0)
    assert.equal(r.stderr, '')
    assert.equal(r.stdout.split('\n').length, 2)
    const out = JSON.parse(r.stdout) as { alg: string; bytes: number; encoding: string; secret: string }
    assert.deepEqual(Object.keys(out), ['alg', 'bytes', 'encoding', 'secret'])
    assert.equal(out.alg, 'HS512')
    assert.equal(out.bytes, 64)
    assert.equal(out.encoding, 'base64url')
    assert.equal(base64url.decode(out.secret).length, 64)
  })

  it('--help explains how to pair the secret with --secret-encoding', async () => {
    const r = await jwt(['secret', '--help'])
    assert.deepEqual(r, { code: 0, stdout: HELP.secret, stderr: '' })
    assert.match(r.stdout, /--secret-encoding base64url/)
  })

  it('refuses an unknown algorithm with exit status 2 and the usage line', async () => {
    const r = await jwt(['secret', '--alg', 'none'])
    assert.equal(r.code, 2)
    assert.equal(r.stdout, '')
    assert.equal(
      r.stderr,
      `jwt secret: --alg must be HS256, HS384 or HS512\nusage: ${USAGE.secret}\nRun 'jwt secret --help' for the options.\n`,
    )
  })

  it('sends a key-pair algorithm to jwt keygen', async () => {
    assert.deepEqual(await jwt(['secret', '--alg', 'ES256']), {
      code: 2,
      stdout: '',
      stderr: `jwt secret: ES256 signs with a key pair, not a shared secret: run jwt keygen --alg ES256\nusage: ${USAGE.secret}\nRun 'jwt secret --help' for the options.\n`,
    })
  })

  it('refuses arguments and unknown options with exit status 2', async () => {
    const extra = await jwt(['secret', '64'])
    assert.equal(extra.code, 2)
    assert.match(extra.stderr, /^jwt secret: jwt secret takes no arguments\n/)
    const unknown = await jwt(['secret', '--bytes', '64'])
    assert.equal(unknown.code, 2)
    assert.match(unknown.stderr, /^jwt secret: Unknown option '--bytes'\nusage: /)
  })
})
