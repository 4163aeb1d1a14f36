/**
 * `jwt jwk KEY-FILE`: the public JWK of a PEM or JWK file with "kid" = its RFC 7638 thumbprint, compared with what
 * jose (a real peer) exports and computes for the same key.
 */
import assert from 'node:assert/strict'
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { after, describe, it } from 'node:test'
import * as jose from 'jose'
import { USAGE } from '../../src/cli/help.js'
import { jwt, runMain, tempDir } from './run.js'

const tmp = tempDir()
after(() => tmp.cleanup())

function usageError(message: string): string {
  return `jwt jwk: ${message}\nusage: ${USAGE.jwk}\nRun 'jwt jwk --help' for the options.\n`
}

/** What jose says the public JWK and its thumbprint are. */
async function expected(publicKey: KeyObject): Promise<{ jwk: Record<string, unknown>; thumbprint: string }> {
  const exported = (await jose.exportJWK(publicKey)) as jose.JWK
  const thumbprint = await jose.calculateJwkThumbprint(exported, 'sha256')
  return { jwk: { ...exported, kid: thumbprint }, thumbprint }
}

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const ed = generateKeyPairSync('ed25519')

const files = {
  ecPublic: tmp.file('ec.pub', ec.publicKey.export({ type: 'spki', format: 'pem' })),
  ecPrivate: tmp.file('ec.key', ec.privateKey.export({ type: 'pkcs8', format: 'pem' })),
  ecSec1: tmp.file('ec-sec1.key', ec.privateKey.export({ type: 'sec1', format: 'pem' })),
  rsaPkcs1: tmp.file('rsa-pkcs1.pub', rsa.publicKey.export({ type: 'pkcs1', format: 'pem' })),
  edPrivateJwk: tmp.file('ed.key.json', JSON.stringify(ed.privateKey.export({ format: 'jwk' }))),
}

/** Standard output as the sorted members, since the order of a JWK's members means nothing. */
function members(stdout: string): Record<string, unknown> {
  const parsed = JSON.parse(stdout) as Record<string, unknown>
  return Object.fromEntries(Object.entries(parsed).sort(([a], [b]) => a.localeCompare(b)))
}

describe('jwt jwk', { concurrency: 3 }, () => {
  it('prints the public JWK with kid = thumbprint, and the thumbprint on standard error', async () => {
    const want = await expected(ec.publicKey)
    const r = await runMain(['jwk', files.ecPublic])
    assert.equal(r.code, 0, r.stderr)
    assert.deepEqual(members(r.stdout), members(JSON.stringify(want.jwk)))
    assert.equal(r.stdout, `${JSON.stringify(JSON.parse(r.stdout), null, 2)}\n`)
    assert.equal(r.stderr, `thumbprint (RFC 7638, SHA-256): ${want.thumbprint}\n`)
  })

  it('a private key (PKCS#8, SEC1 or a JWK) gives the same public JWK, never "d"', async () => {
    const public_ = await runMain(['jwk', files.ecPublic])
    for (const path of [files.ecPrivate, files.ecSec1]) {
      const r = await runMain(['jwk', path])
      assert.deepEqual(r, public_, path)
      assert.ok(!r.stdout.includes('"d"'))
    }
    const edWant = await expected(ed.publicKey)
    const edOut = await runMain(['jwk', files.edPrivateJwk, '--json'])
    assert.equal(edOut.code, 0, edOut.stderr)
    const parsed = JSON.parse(edOut.stdout) as { jwk: unknown; thumbprint: string }
    assert.deepEqual(members(JSON.stringify(parsed.jwk)), members(JSON.stringify(edWant.jwk)))
    assert.equal(parsed.thumbprint, edWant.thumbprint)
  })

  it('--json prints {"jwk", "thumbprint"}; an RSA PKCS#1 public key works too', async () => {
    const want = await expected(rsa.publicKey)
    const r = await runMain(['jwk', files.rsaPkcs1, '--json'])
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stderr, '')
    const out = JSON.parse(r.stdout) as { jwk: Record<string, unknown>; thumbprint: string }
    assert.deepEqual(Object.keys(out), ['jwk', 'thumbprint'])
    assert.deepEqual(members(JSON.stringify(out.jwk)), members(JSON.stringify(want.jwk)))
    assert.equal(out.thumbprint, want.thumbprint)
  })

  it('files that hold no usable asymmetric key exit 1 with ERR_CLI_KEY, or the library code for a bad PEM', async () => {
    const cases: Array<[string, string | Uint8Array, string]> = [
      [
        'secret.txt',
        'just-an-hmac-secret-0123456789abcdef\n',
        'the key file holds neither a PEM block nor a JWK; an HMAC secret is passed with --secret-file PATH',
      ],
      [
        'oct.json',
        '{"kty":"oct","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"}',
        'the key file holds an HMAC secret (a JWK of kty "oct"), which has no public key',
      ],
      ['set.json', '{"keys":[]}', 'the key file holds a JWK Set; save the one key to use in a file of its own'],
      ['bad.json', '{"kty":"EC",', 'the key file is not valid JSON'],
      ['number-kty.json', '{"kty":1}', 'the key file holds JSON that is not a JWK (it has no "kty")'],
      [
        'binary.der',
        Uint8Array.from([0x30, 0x82, 0xff, 0xfe, 0x00]),
        'the key file is not text: jwt reads PEM or JWK (JSON) key files',
      ],
    ]
    for (const [name, content, message] of cases) {
      const path = tmp.file(name, content)
      assert.deepEqual(
        await runMain(['jwk', path]),
        { code: 1, stdout: '', stderr: `jwt jwk: ERR_CLI_KEY: ${message}\n` },
        name,
      )
    }
    const missing = await runMain(['jwk', `${tmp.dir}/none.pem`])
    assert.deepEqual(missing, {
      code: 1,
      stdout: '',
      stderr: 'jwt jwk: ERR_CLI_KEY: cannot open the key file (ENOENT)\n',
    })
    const big = tmp.file('big.pem', `-----BEGIN PUBLIC KEY-----\n${'A'.repeat(70_000)}\n-----END PUBLIC KEY-----\n`)
    assert.deepEqual(await runMain(['jwk', big]), {
      code: 1,
      stdout: '',
      stderr: 'jwt jwk: ERR_CLI_KEY: the key file is larger than 64 KiB\n',
    })
    const garbage = tmp.file('garbage.pem', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n')
    const r = await runMain(['jwk', garbage])
    assert.equal(r.code, 1)
    assert.match(r.stderr, /^jwt jwk: ERR_JWT_INVALID_OPTION: /)
  })

  it('usage mistakes exit 2: no file, two files, a key pasted in place of the path', async () => {
    const pem = ec.publicKey.export({ type: 'spki', format: 'pem' }).toString()
    const cases: Array<[string[], string]> = [
      [[], 'pass the key file: jwt jwk PATH (a PEM or JWK file)'],
      [[files.ecPublic, files.ecPrivate], 'expected at most one key file argument, got 2'],
      [
        [pem],
        'a key (PEM or JWK) as an argument is refused: it is visible to other users in the process list and stays in your shell history; save the key in a file and pass its path (--key-file PATH for sign and verify)',
      ],
      [
        [JSON.stringify(ed.publicKey.export({ format: 'jwk' }))],
        'a key (PEM or JWK) as an argument is refused: it is visible to other users in the process list and stays in your shell history; save the key in a file and pass its path (--key-file PATH for sign and verify)',
      ],
    ]
    for (const [args, message] of cases) {
      const r = await runMain(['jwk', ...args])
      assert.deepEqual(r, { code: 2, stdout: '', stderr: usageError(message) }, message)
    }
  })

  it('the real command prints the same JWK', async () => {
    const want = await expected(ed.publicKey)
    const r = await jwt(['jwk', files.edPrivateJwk])
    assert.equal(r.code, 0, r.stderr)
    assert.deepEqual(members(r.stdout), members(JSON.stringify(want.jwk)))
    assert.equal(r.stderr, `thumbprint (RFC 7638, SHA-256): ${want.thumbprint}\n`)
  })
})
