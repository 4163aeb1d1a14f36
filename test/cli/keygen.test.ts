/**
 * `jwt keygen`: key pairs written to new files (the private one 0600 from its creation, nothing replaced), or the
 * private key on standard output only when asked. Thumbprints are checked against jose, a real peer.
 */
import assert from 'node:assert/strict'
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import * as jose from 'jose'
import { USAGE } from '../../src/cli/help.js'
import type { JsonWebKey } from '../../src/index.js'
import { jwt, runMain, tempDir } from './run.js'

const tmp = tempDir()
after(() => tmp.cleanup())

let counter = 0
/** A fresh path prefix in the temporary directory. */
function prefix(name = 'k'): string {
  counter += 1
  return join(tmp.dir, `${name}-${counter}`)
}

const POSIX = process.platform !== 'win32'

function mode(path: string): number {
  return statSync(path).mode & 0o777
}

function usageError(message: string): string {
  return `jwt keygen: ${message}\nusage: ${USAGE.keygen}\nRun 'jwt keygen --help' for the options.\n`
}

async function thumbprint(key: KeyObject): Promise<string> {
  return jose.calculateJwkThumbprint((await jose.exportJWK(key)) as jose.JWK, 'sha256')
}

describe('jwt keygen', { concurrency: 3 }, () => {
  it('--out writes PREFIX.key (PKCS#8, mode 0600) and PREFIX.pub (SPKI) and prints the kid', async () => {
    const out = prefix()
    const r = await runMain(['keygen', '--alg', 'ES256', '--out', out])
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stderr, '')
    const privatePem = readFileSync(`${out}.key`, 'utf8')
    const publicPem = readFileSync(`${out}.pub`, 'utf8')
    assert.match(privatePem, /^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n$/)
    assert.match(publicPem, /^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n$/)
    const privateKey = createPrivateKey(privatePem)
    assert.equal(privateKey.asymmetricKeyType, 'ec')
    assert.equal(privateKey.asymmetricKeyDetails?.namedCurve, 'prime256v1')
    // the two files are the two halves of one pair
    assert.equal(
      createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }),
      createPublicKey(publicPem).export({ type: 'spki', format: 'pem' }),
    )
    const kid = await thumbprint(createPublicKey(publicPem))
    assert.equal(
      r.stdout,
      `private key: ${out}.key (ES256, PKCS#8 PEM, mode 0600: keep it secret)\n` +
        `public key:  ${out}.pub (SPKI PEM: give it to verifiers)\n` +
        `kid:         ${kid} (RFC 7638 thumbprint)\n`,
    )
    if (POSIX) {
      assert.equal(mode(`${out}.key`), 0o600)
      // the public file is created 0644; the umask may take bits away, never add any
      assert.equal(mode(`${out}.pub`) & ~0o644, 0)
      assert.equal(mode(`${out}.pub`) & 0o600, 0o600)
    }
  })

  it('a PEM pair whose algorithm is not the key default says to pass --alg; a JWK carries it', async () => {
    const out = prefix()
    const r = await runMain(['keygen', '--alg', 'PS256', '--out', out])
    assert.equal(r.code, 0, r.stderr)
    const kid = await thumbprint(createPublicKey(readFileSync(`${out}.pub`)))
    assert.equal(
      r.stdout,
      `private key: ${out}.key (PS256, PKCS#8 PEM, mode 0600: keep it secret)\n` +
        `public key:  ${out}.pub (SPKI PEM: give it to verifiers)\n` +
        `kid:         ${kid} (RFC 7638 thumbprint)\n` +
        'note:        a PEM key does not record its algorithm: pass --alg PS256 to jwt sign and jwt verify\n',
    )
    const jwk = prefix()
    const j = await runMain(['keygen', '--alg', 'Ed25519', '--jwk', '--out', jwk])
    assert.equal(j.code, 0, j.stderr)
    assert.ok(!j.stdout.includes('note:'))
    assert.match(
      j.stdout,
      /^private key: .*\.key\.json \(Ed25519, JWK, mode 0600: keep it secret\)\npublic key: {2}.*\.pub\.json \(JWK: give it to verifiers\)\n/,
    )
  })

  it('with umask 000 the private key is still 0600 and the public key 0644', { skip: !POSIX }, async () => {
    const out = prefix()
    const previous = process.umask(0)
    let r: Awaited<ReturnType<typeof runMain>>
    try {
      r = await runMain(['keygen', '--alg', 'EdDSA', '--out', out, '--json'])
    } finally {
      process.umask(previous)
    }
    assert.equal(r.code, 0, r.stderr)
    assert.equal(mode(`${out}.key`), 0o600)
    assert.equal(mode(`${out}.pub`), 0o644)
  })

  it('--jwk --out writes JWKs with kid, use and alg; the private one 0600, the public one without "d"', async () => {
    const out = prefix()
    const r = await runMain(['keygen', '--alg', 'ES384', '--jwk', '--out', out, '--json'])
    assert.equal(r.code, 0, r.stderr)
    const privateJwk = JSON.parse(readFileSync(`${out}.key.json`, 'utf8')) as JsonWebKey
    const publicJwk = JSON.parse(readFileSync(`${out}.pub.json`, 'utf8')) as JsonWebKey
    // kty, kid, use and alg come first, then the key's own members
    assert.deepEqual(Object.keys(privateJwk).slice(0, 4), ['kty', 'kid', 'use', 'alg'])
    assert.deepEqual(Object.keys(privateJwk).sort(), ['alg', 'crv', 'd', 'kid', 'kty', 'use', 'x', 'y'])
    assert.deepEqual(Object.keys(publicJwk).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y'])
    assert.equal(privateJwk.crv, 'P-384')
    assert.equal(privateJwk.alg, 'ES384')
    assert.equal(privateJwk.use, 'sig')
    const { d: _d, ...publicPart } = privateJwk
    assert.deepEqual(publicJwk, publicPart)
    const kid = await jose.calculateJwkThumbprint(publicJwk as jose.JWK, 'sha256')
    assert.equal(privateJwk.kid, kid)
    assert.equal(
      r.stdout,
      `${JSON.stringify({ alg: 'ES384', kid, format: 'jwk', privateKeyFile: `${out}.key.json`, publicKeyFile: `${out}.pub.json` })}\n`,
    )
    // jose imports both as the ES384 keys they claim to be
    assert.equal((await jose.importJWK(privateJwk as jose.JWK, 'ES384')).constructor.name, 'CryptoKey')
    if (POSIX) assert.equal(mode(`${out}.key.json`), 0o600)
    assert.ok(readFileSync(`${out}.key.json`, 'utf8').endsWith('}\n'))
  })

  it('--out --json prints where the PEM files are, and the kid', async () => {
    const out = prefix()
    const r = await runMain(['keygen', '--alg', 'EdDSA', '--out', out, '--json'])
    assert.equal(r.code, 0, r.stderr)
    const kid = await thumbprint(createPublicKey(readFileSync(`${out}.pub`)))
    assert.deepEqual(r, {
      code: 0,
      stdout: `${JSON.stringify({ alg: 'EdDSA', kid, format: 'pem', privateKeyFile: `${out}.key`, publicKeyFile: `${out}.pub` })}\n`,
      stderr: '',
    })
  })

  it('never replaces a file: an existing PREFIX.key or PREFIX.pub fails with ERR_CLI_OUTPUT and nothing is left', async () => {
    const existingPub = prefix()
    writeFileSync(`${existingPub}.pub`, 'keep me\n')
    const r1 = await runMain(['keygen', '--alg', 'ES256', '--out', existingPub])
    assert.deepEqual(r1, {
      code: 1,
      stdout: '',
      stderr: `jwt keygen: ERR_CLI_OUTPUT: ${existingPub}.pub already exists; keygen never replaces a file\n`,
    })
    assert.equal(readFileSync(`${existingPub}.pub`, 'utf8'), 'keep me\n')
    assert.equal(existsSync(`${existingPub}.key`), false, 'the private file made before the failure is removed')

    const existingKey = prefix()
    writeFileSync(`${existingKey}.key`, 'old key\n', { mode: 0o600 })
    const r2 = await runMain(['keygen', '--alg', 'ES256', '--out', existingKey, '--json'])
    assert.deepEqual(r2, {
      code: 1,
      stdout: `${JSON.stringify({ error: { code: 'ERR_CLI_OUTPUT', message: `${existingKey}.key already exists; keygen never replaces a file` } })}\n`,
      stderr: '',
    })
    assert.equal(readFileSync(`${existingKey}.key`, 'utf8'), 'old key\n')
    assert.equal(existsSync(`${existingKey}.pub`), false)

    // the second run of the same command fails the same way and leaves the first pair as it was
    const twice = prefix()
    assert.equal((await runMain(['keygen', '--alg', 'EdDSA', '--out', twice])).code, 0)
    const first = readFileSync(`${twice}.key`, 'utf8')
    assert.equal((await runMain(['keygen', '--alg', 'EdDSA', '--out', twice])).code, 1)
    assert.equal(readFileSync(`${twice}.key`, 'utf8'), first)
  })

  it('never follows a symbolic link planted at the private key path', { skip: !POSIX }, async () => {
    const out = prefix()
    const target = join(tmp.dir, `target-${counter}`)
    writeFileSync(target, 'not yours\n')
    symlinkSync(target, `${out}.key`)
    const r = await runMain(['keygen', '--alg', 'ES256', '--out', out])
    assert.equal(r.code, 1)
    assert.equal(r.stderr, `jwt keygen: ERR_CLI_OUTPUT: ${out}.key already exists; keygen never replaces a file\n`)
    assert.equal(readFileSync(target, 'utf8'), 'not yours\n')
    // a dangling link too: O_EXCL refuses any existing name
    const dangling = prefix()
    symlinkSync(join(tmp.dir, 'nowhere'), `${dangling}.key`)
    assert.equal((await runMain(['keygen', '--alg', 'ES256', '--out', dangling])).code, 1)
    assert.equal(existsSync(join(tmp.dir, 'nowhere')), false)
  })

  it('a directory that does not exist fails with ERR_CLI_OUTPUT and the reason code', async () => {
    const out = join(tmp.dir, 'missing-dir', 'k')
    assert.deepEqual(await runMain(['keygen', '--alg', 'ES256', '--out', out]), {
      code: 1,
      stdout: '',
      stderr: `jwt keygen: ERR_CLI_OUTPUT: cannot create ${out}.key (ENOENT)\n`,
    })
    const dir = join(tmp.dir, 'made-dir')
    mkdirSync(dir)
    assert.equal((await runMain(['keygen', '--alg', 'ES256', '--out', join(dir, 'k')])).code, 0)
  })

  it('--stdout prints the private key alone, as PKCS#8 PEM or with --jwk as a JWK', async () => {
    const pem = await runMain(['keygen', '--alg', 'EdDSA', '--stdout'])
    assert.equal(pem.code, 0)
    assert.equal(pem.stderr, '')
    assert.match(pem.stdout, /^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n$/)
    assert.equal(createPrivateKey(pem.stdout).asymmetricKeyType, 'ed25519')

    const jwk = await runMain(['keygen', '--alg', 'EdDSA', '--stdout', '--jwk'])
    assert.equal(jwk.code, 0)
    const key = JSON.parse(jwk.stdout) as JsonWebKey
    assert.deepEqual(Object.keys(key).sort(), ['alg', 'crv', 'd', 'kid', 'kty', 'use', 'x'])
    assert.deepEqual([key.kty, key.crv, key.use, key.alg], ['OKP', 'Ed25519', 'sig', 'EdDSA'])
    assert.equal(typeof key.d, 'string')
    assert.equal(key.kid, await jose.calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: key.x } as jose.JWK))
    assert.equal(jwk.stdout, `${JSON.stringify(key, null, 2)}\n`)
  })

  it('--stdout --json prints both halves and the kid on one line', async () => {
    const r = await runMain(['keygen', '--alg', 'ES512', '--stdout', '--json'])
    assert.equal(r.code, 0)
    assert.equal(r.stdout.split('\n').length, 2)
    const out = JSON.parse(r.stdout) as {
      alg: string
      kid: string
      format: string
      privateKey: string
      publicKey: string
    }
    assert.deepEqual(Object.keys(out), ['alg', 'kid', 'format', 'privateKey', 'publicKey'])
    assert.deepEqual([out.alg, out.format], ['ES512', 'pem'])
    const publicKey = createPublicKey(out.publicKey)
    assert.equal(publicKey.asymmetricKeyDetails?.namedCurve, 'secp521r1')
    assert.equal(
      createPublicKey(createPrivateKey(out.privateKey)).export({ type: 'spki', format: 'pem' }),
      out.publicKey,
    )
    assert.equal(out.kid, await thumbprint(publicKey))

    const jwk = JSON.parse((await runMain(['keygen', '--alg', 'Ed25519', '--stdout', '--json', '--jwk'])).stdout) as {
      privateKey: JsonWebKey
      publicKey: JsonWebKey
    }
    assert.equal(jwk.privateKey.alg, 'Ed25519')
    assert.equal(jwk.publicKey.d, undefined)
  })

  it('RSA keys are 2048 bits; every key-pair algorithm makes a key of its family', async () => {
    const expected: Array<[string, string, Record<string, unknown>]> = [
      ['RS256', 'rsa', { modulusLength: 2048 }],
      ['PS384', 'rsa', { modulusLength: 2048 }],
      ['ES256', 'ec', { namedCurve: 'prime256v1' }],
      ['ES384', 'ec', { namedCurve: 'secp384r1' }],
      ['EdDSA', 'ed25519', {}],
      ['Ed25519', 'ed25519', {}],
    ]
    for (const [alg, type, details] of expected) {
      const r = await runMain(['keygen', '--alg', alg, '--stdout'])
      assert.equal(r.code, 0, `${alg}: ${r.stderr}`)
      const key = createPrivateKey(r.stdout)
      // an RSA-PSS pair may be an "rsa-pss" key: either way an RSA key of 2048 bits
      assert.equal(key.asymmetricKeyType?.replace('rsa-pss', 'rsa'), type, alg)
      for (const [name, value] of Object.entries(details)) {
        assert.equal((key.asymmetricKeyDetails as Record<string, unknown>)[name], value, `${alg} ${name}`)
      }
    }
  })

  it('usage mistakes exit 2 with the usage line, before any key is made', async () => {
    const cases: Array<[string[], string]> = [
      [
        ['--out', 'x'],
        '--alg is required: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA or Ed25519',
      ],
      [
        ['--alg', 'HS256', '--out', 'x'],
        'HS256 signs with a shared secret, not a key pair: run jwt secret --alg HS256',
      ],
      [
        ['--alg', 'none', '--out', 'x'],
        '--alg must be RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA or Ed25519',
      ],
      [
        ['--alg', 'es256', '--out', 'x'],
        '--alg must be RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA or Ed25519',
      ],
      [
        ['--alg', 'ES256'],
        'say where the private key goes: --out PREFIX writes PREFIX.key (mode 0600) and PREFIX.pub, --stdout prints the private key',
      ],
      [
        ['--alg', 'ES256', '--jwk'],
        'say where the private key goes: --out PREFIX writes PREFIX.key (mode 0600) and PREFIX.pub, --stdout prints the private key',
      ],
      [['--alg', 'ES256', '--out', 'x', '--stdout'], '--out and --stdout cannot be combined'],
      [
        ['--alg', 'ES256', '--out='],
        '--out takes a path prefix such as keys/signing (for keys/signing.key and keys/signing.pub)',
      ],
      [
        ['--alg', 'ES256', '--out', 'keys/'],
        '--out takes a path prefix such as keys/signing (for keys/signing.key and keys/signing.pub)',
      ],
      [['--alg', 'ES256', 'k'], 'jwt keygen takes no arguments; name the files with --out PREFIX'],
      [['--alg', 'ES256', '--out', 'x', '--bits', '4096'], "Unknown option '--bits'"],
    ]
    for (const [args, message] of cases) {
      assert.deepEqual(
        await runMain(['keygen', ...args]),
        { code: 2, stdout: '', stderr: usageError(message) },
        args.join(' '),
      )
    }
    assert.equal(existsSync('x.key'), false)
  })

  it('the real command: exit status 0, and 2 for a usage mistake', async () => {
    const out = prefix()
    const ok = await jwt(['keygen', '--alg', 'ES256', '--out', out])
    assert.equal(ok.code, 0, ok.stderr)
    assert.match(ok.stdout, /^private key: .*\.key \(ES256, PKCS#8 PEM, mode 0600: keep it secret\)\n/)
    const refused = await jwt(['keygen', '--alg', 'HS512', '--stdout'])
    assert.deepEqual(refused, {
      code: 2,
      stdout: '',
      stderr: usageError('HS512 signs with a shared secret, not a key pair: run jwt secret --alg HS512'),
    })
  })
})
