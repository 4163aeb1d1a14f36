/**
 * `jwt sign --key-file` and `jwt verify --key-file`: PEM and JWK key files for every algorithm, the algorithm
 * defaulting to the key's, and the whole flow keygen → sign → verify, checked against jose (a real peer).
 */
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import * as jose from 'jose'
import { USAGE } from '../../src/cli/help.js'
import { decodeUnverified, sign } from '../../src/index.js'
import { forge } from '../helpers/forge.js'
import { jwt, runMain, SECRET, SECRET_ENV, tempDir } from './run.js'

const tmp = tempDir()
after(() => tmp.cleanup())

const NOW = 1_800_000_000
const NOW_MS = NOW * 1000

function usageError(command: 'sign' | 'verify', message: string): string {
  return `jwt ${command}: ${message}\nusage: ${USAGE[command]}\nRun 'jwt ${command} --help' for the options.\n`
}

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const ec384 = generateKeyPairSync('ec', { namedCurve: 'P-384' })
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const ed = generateKeyPairSync('ed25519')

const pem = {
  ecPrivate: ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  ecPublic: ec.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  rsaPrivate: rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  rsaPublic: rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
}

const files = {
  ecPrivate: tmp.file('ec.key', pem.ecPrivate),
  ecPublic: tmp.file('ec.pub', pem.ecPublic),
  ec384Private: tmp.file('ec384.key', ec384.privateKey.export({ type: 'sec1', format: 'pem' })),
  rsaPrivate: tmp.file('rsa.key', pem.rsaPrivate),
  rsaPublic: tmp.file('rsa.pub', pem.rsaPublic),
  edPrivateJwk: tmp.file(
    'ed.key.json',
    JSON.stringify({ ...ed.privateKey.export({ format: 'jwk' }), kid: 'ed-1', alg: 'EdDSA', use: 'sig' }),
  ),
  edPublicJwk: tmp.file('ed.pub.json', JSON.stringify({ ...ed.publicKey.export({ format: 'jwk' }), kid: 'ed-1' })),
}

const CLAIMS = '{"sub":"42","role":"admin"}'

/** The certificate test needs the openssl command to make a certificate; it is skipped without it. */
const HAS_OPENSSL = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0

describe('jwt sign and verify with --key-file', { concurrency: 3 }, () => {
  it('the whole flow works for ES256, RS256 and EdDSA: keygen, sign with .key, verify with .pub (and jose)', async () => {
    await Promise.all(
      (['ES256', 'RS256', 'EdDSA'] as const).map(async (alg) => {
        const out = join(tmp.dir, `flow-${alg}`)
        const made = await jwt(['keygen', '--alg', alg, '--out', out])
        assert.equal(made.code, 0, made.stderr)
        // no --alg: the algorithm comes from the key
        const signed = await jwt([
          'sign',
          CLAIMS,
          '--exp',
          '1h',
          '--iss',
          'auth.example.com',
          '--key-file',
          `${out}.key`,
        ])
        assert.equal(signed.code, 0, signed.stderr)
        assert.equal(signed.stderr, '')
        const token = signed.stdout.trim()
        assert.deepEqual(decodeUnverified(token).header, { alg, typ: 'JWT' })

        const verified = await jwt(['verify', token, '--iss', 'auth.example.com', '--key-file', `${out}.pub`, '--json'])
        assert.equal(verified.code, 0, verified.stderr)
        const result = JSON.parse(verified.stdout) as { valid: boolean; payload: Record<string, unknown> }
        assert.equal(result.valid, true)
        assert.equal(result.payload.sub, '42')
        assert.equal(result.payload.role, 'admin')

        // a peer agrees: jose verifies the token with the public file
        const publicKey = await jose.importSPKI(readFileSync(`${out}.pub`, 'utf8'), alg)
        const { payload } = await jose.jwtVerify(token, publicKey, { algorithms: [alg], issuer: 'auth.example.com' })
        assert.equal(payload.sub, '42')

        // and a tampered signature exits 1 with ERR_JWT_SIGNATURE
        const [h, p, s = ''] = token.split('.')
        const forged = `${h}.${p}.${s.startsWith('A') ? 'B' : 'A'}${s.slice(1)}`
        const bad = await jwt(['verify', forged, '--key-file', `${out}.pub`])
        assert.deepEqual(bad, {
          code: 1,
          stdout: '',
          stderr: 'jwt verify: invalid token: ERR_JWT_SIGNATURE: the signature does not match\n',
        })
      }),
    )
  })

  it('the JWK flow: keygen --jwk, the token carries the JWK kid, the public JWK verifies it', async () => {
    const out = join(tmp.dir, 'flow-jwk')
    assert.equal((await runMain(['keygen', '--alg', 'ES384', '--jwk', '--out', out])).code, 0)
    const privateJwk = JSON.parse(readFileSync(`${out}.key.json`, 'utf8')) as { kid: string }
    const signed = await runMain(['sign', CLAIMS, '--no-iat', '--key-file', `${out}.key.json`], { now: NOW_MS })
    assert.equal(signed.code, 0, signed.stderr)
    const token = signed.stdout.trim()
    assert.deepEqual(decodeUnverified(token).header, { alg: 'ES384', typ: 'JWT', kid: privateJwk.kid })
    const verified = await runMain(['verify', token, '--key-file', `${out}.pub.json`], { now: NOW_MS })
    assert.deepEqual(verified, {
      code: 0,
      stdout: `${JSON.stringify({ sub: '42', role: 'admin' }, null, 2)}\n`,
      stderr: '',
    })
    // --kid overrides the JWK's
    const other = await runMain(['sign', CLAIMS, '--kid', 'k2', '--key-file', `${out}.key.json`])
    assert.equal(decodeUnverified(other.stdout.trim()).header.kid, 'k2')
  })

  it('takes PKCS#1, SEC1 and JWK files, and defaults the algorithm to the key: RS256, ES384, the JWK "alg"', async () => {
    const cases: Array<[string, string, string]> = [
      [files.rsaPrivate, files.rsaPublic, 'RS256'],
      [files.ec384Private, files.ec384Private, 'ES384'],
      [files.edPrivateJwk, files.edPublicJwk, 'EdDSA'],
    ]
    for (const [privateFile, verifyFile, alg] of cases) {
      const signed = await runMain(['sign', CLAIMS, '--key-file', privateFile, '--json'], { now: NOW_MS })
      assert.equal(signed.code, 0, signed.stderr)
      const out = JSON.parse(signed.stdout) as { token: string; header: { alg: string } }
      assert.equal(out.header.alg, alg)
      // verifying with a private key uses its public half
      const verified = await runMain(['verify', out.token, '--key-file', verifyFile], { now: NOW_MS })
      assert.equal(verified.code, 0, `${alg}: ${verified.stderr}`)
    }
  })

  it('--alg picks another algorithm of the key family; verify accepts only the key default or its --alg list', async () => {
    const signed = await runMain(['sign', CLAIMS, '--alg', 'PS256', '--key-file', files.rsaPrivate], { now: NOW_MS })
    assert.equal(signed.code, 0, signed.stderr)
    const token = signed.stdout.trim()
    assert.equal(decodeUnverified(token).header.alg, 'PS256')
    // jose checks the PSS signature
    await jose.jwtVerify(token, await jose.importSPKI(pem.rsaPublic, 'PS256'), { currentDate: new Date(NOW_MS) })

    const refused = await runMain(['verify', token, '--key-file', files.rsaPublic], { now: NOW_MS })
    assert.deepEqual(refused, {
      code: 1,
      stdout: '',
      stderr: 'jwt verify: invalid token: ERR_JWT_ALGORITHM: the token "alg" is not one of the allowed algorithms\n',
    })
    const accepted = await runMain(
      ['verify', token, '--alg', 'RS256', '--alg', 'PS256', '--key-file', files.rsaPublic],
      {
        now: NOW_MS,
      },
    )
    assert.equal(accepted.code, 0, accepted.stderr)
  })

  it('verifies tokens that jose signed', async () => {
    const token = await new jose.SignJWT({ sub: '42' })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuedAt(NOW)
      .sign(ec.privateKey)
    const r = await runMain(['verify', token, '--key-file', files.ecPublic], { now: NOW_MS })
    assert.deepEqual(r, { code: 0, stdout: `${JSON.stringify({ sub: '42', iat: NOW }, null, 2)}\n`, stderr: '' })
  })

  it('a key that does not fit is the caller mistake (exit 1, ERR_JWT_INVALID_OPTION), not an invalid token', async () => {
    const cases: string[][] = [
      ['sign', CLAIMS, '--alg', 'ES384', '--key-file', files.ecPrivate], // P-256 key, ES384
      ['sign', CLAIMS, '--key-file', files.ecPublic], // a public key cannot sign
      ['sign', CLAIMS, '--alg', 'HS256', '--key-file', files.rsaPrivate], // HMAC with an RSA key
      ['verify', sign({ sub: '42' }, SECRET), '--alg', 'HS256', '--key-file', files.rsaPublic],
    ]
    for (const args of cases) {
      const r = await runMain(args)
      assert.equal(r.code, 1, args.join(' '))
      assert.equal(r.stdout, '')
      assert.match(r.stderr, new RegExp(`^jwt ${args[0]}: ERR_JWT_INVALID_OPTION: [^\\n]+\\n$`), args.join(' '))
      assert.ok(!r.stderr.includes('BEGIN'), 'no key material in the message')
    }
  })

  it('an HS256 token made with the public key as its secret is refused (algorithm confusion)', async () => {
    // the classic attack MACs with the public PEM text itself, which an attacker can read
    const confused = forge({ alg: 'HS256', typ: 'JWT' }, { sub: 'admin' }, { key: pem.rsaPublic })
    const r = await runMain(['verify', confused, '--key-file', files.rsaPublic])
    assert.deepEqual(r, {
      code: 1,
      stdout: '',
      stderr: 'jwt verify: invalid token: ERR_JWT_ALGORITHM: the token "alg" is not one of the allowed algorithms\n',
    })
  })

  it('--key-file wins over JWT_SECRET; a key-pair --alg without a key file is a usage mistake', async () => {
    const r = await runMain(['sign', CLAIMS, '--key-file', files.ecPrivate], { env: SECRET_ENV })
    assert.equal(r.code, 0, r.stderr)
    assert.equal(decodeUnverified(r.stdout.trim()).header.alg, 'ES256')

    const withSecret = await runMain(['sign', CLAIMS, '--alg', 'ES256'], { env: SECRET_ENV })
    assert.deepEqual(withSecret, {
      code: 2,
      stdout: '',
      stderr: usageError('sign', 'ES256 signs with a key pair: pass the key with --key-file PATH (a PEM or JWK file)'),
    })
    const verifyWithSecret = await runMain(['verify', 'x.y.z', '--alg', 'HS256', '--alg', 'RS256'], { env: SECRET_ENV })
    assert.deepEqual(verifyWithSecret, {
      code: 2,
      stdout: '',
      stderr: usageError(
        'verify',
        'RS256 signs with a key pair: pass the key with --key-file PATH (a PEM or JWK file)',
      ),
    })
  })

  it('usage mistakes exit 2: key file with a secret, an empty path, an unknown algorithm', async () => {
    const cases: Array<[string[], string]> = [
      [
        ['--key-file', files.ecPrivate, '--secret-file', files.ecPrivate],
        '--key-file and --secret-file cannot be combined',
      ],
      [
        ['--key-file', files.ecPrivate, '--secret-encoding', 'hex'],
        '--secret-encoding is for --secret-file and JWT_SECRET; a key file is PEM or JWK',
      ],
      [['--key-file='], '--key-file needs a path'],
      [
        ['--key-file', files.ecPrivate, '--alg', 'ES257'],
        '--alg must be HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA or Ed25519',
      ],
    ]
    for (const command of ['sign', 'verify'] as const) {
      for (const [args, message] of cases) {
        const r = await runMain([command, command === 'sign' ? CLAIMS : 'x.y.z', ...args], { env: SECRET_ENV })
        assert.deepEqual(
          r,
          { code: 2, stdout: '', stderr: usageError(command, message) },
          `${command} ${args.join(' ')}`,
        )
      }
    }
  })

  it('without any key or secret the message names --key-file first', async () => {
    for (const command of ['sign', 'verify'] as const) {
      assert.deepEqual(await runMain([command, command === 'sign' ? CLAIMS : 'x.y.z']), {
        code: 2,
        stdout: '',
        stderr: usageError(
          command,
          'no key: pass --key-file PATH (a PEM or JWK file), or for an HMAC secret --secret-file PATH or the JWT_SECRET environment variable',
        ),
      })
    }
  })

  it('a key on the command line is refused wherever it is, and never echoed', async () => {
    const jwkText = JSON.stringify(ed.privateKey.export({ format: 'jwk' }))
    const refusedValue =
      'a key (PEM or JWK) as an argument is refused: it is visible to other users in the process list and stays in your shell history; save the key in a file and pass its path (--key-file PATH for sign and verify)'
    const cases: Array<[string[], string]> = [
      [['sign', CLAIMS, '--key-file', pem.ecPrivate], refusedValue],
      [['sign', CLAIMS, `--key-file=${pem.ecPrivate}`], refusedValue],
      [['sign', jwkText], refusedValue],
      [['sign', CLAIMS, '--', pem.ecPrivate], refusedValue],
      [['verify', pem.rsaPublic], refusedValue],
      [['verify', 'x.y.z', '--kid', ` ${jwkText}`], refusedValue],
      [['sign', '{"keys":[]}'], refusedValue],
    ]
    for (const name of ['--key', '--private-key', '--public-key', '--pem']) {
      cases.push([
        ['sign', CLAIMS, name, pem.ecPrivate.slice(0, 10)],
        `${name} is refused: a key on the command line is visible to other users in the process list and stays in your shell history; save the key in a file and pass its path (--key-file PATH for sign and verify)`,
      ])
    }
    for (const [args, message] of cases) {
      const command = args[0] as 'sign' | 'verify'
      const r = await runMain(args, { env: SECRET_ENV })
      assert.deepEqual(r, { code: 2, stdout: '', stderr: usageError(command, message) }, args.join(' ').slice(0, 60))
    }
    // claims that only contain a JWK below the top level (RFC 7800 "cnf") are claims
    const cnf = JSON.stringify({ sub: '42', cnf: { jwk: ed.publicKey.export({ format: 'jwk' }) } })
    const ok = await runMain(['sign', cnf, '--no-iat'], { env: SECRET_ENV })
    assert.equal(ok.code, 0, ok.stderr)
  })

  it('verifies with an X.509 certificate file, and jwt jwk reads its key', { skip: !HAS_OPENSSL }, async () => {
    const cert = join(tmp.dir, 'ec.crt')
    execFileSync(
      'openssl',
      ['req', '-x509', '-key', files.ecPrivate, '-subj', '/CN=jwt-codec test', '-days', '1', '-out', cert],
      {
        stdio: 'ignore',
      },
    )
    const token = sign({ sub: '42' }, pem.ecPrivate, { now: NOW })
    const r = await runMain(['verify', token, '--key-file', cert], { now: NOW_MS })
    assert.deepEqual(r, { code: 0, stdout: `${JSON.stringify({ sub: '42', iat: NOW }, null, 2)}\n`, stderr: '' })
    assert.deepEqual(await runMain(['jwk', cert]), await runMain(['jwk', files.ecPublic]))
    // a certificate holds no private key: it cannot sign
    const signed = await runMain(['sign', CLAIMS, '--key-file', cert])
    assert.equal(signed.code, 1)
    assert.match(signed.stderr, /^jwt sign: ERR_JWT_INVALID_OPTION: /)
  })

  it('verify takes a JWK Set file: the token "kid" picks the key; sign refuses a set', async () => {
    const es = join(tmp.dir, 'set-es')
    const ps = join(tmp.dir, 'set-rs')
    assert.equal((await runMain(['keygen', '--alg', 'ES256', '--jwk', '--out', es])).code, 0)
    assert.equal((await runMain(['keygen', '--alg', 'RS256', '--jwk', '--out', ps])).code, 0)
    const publicOf = (prefix: string) => JSON.parse(readFileSync(`${prefix}.pub.json`, 'utf8')) as { kid: string }
    const set = tmp.file('jwks.json', JSON.stringify({ keys: [publicOf(es), publicOf(ps)] }))
    for (const prefix of [es, ps]) {
      const signed = await runMain(['sign', CLAIMS, '--no-iat', '--key-file', `${prefix}.key.json`])
      assert.equal(signed.code, 0, signed.stderr)
      assert.equal(decodeUnverified(signed.stdout.trim()).header.kid, publicOf(prefix).kid)
      assert.deepEqual(await runMain(['verify', signed.stdout.trim(), '--key-file', set]), {
        code: 0,
        stdout: `${JSON.stringify({ sub: '42', role: 'admin' }, null, 2)}\n`,
        stderr: '',
      })
    }
    // a kid the set does not have is an invalid token (exit 1), not a usage mistake
    const stranger = await runMain(['sign', CLAIMS, '--kid', 'nobody', '--key-file', `${es}.key.json`])
    const r = await runMain(['verify', stranger.stdout.trim(), '--key-file', set])
    assert.equal(r.code, 1)
    assert.equal(r.stdout, '')
    assert.match(r.stderr, /^jwt verify: invalid token: ERR_JWKS_NO_MATCH: [^\n]+\n$/)

    assert.deepEqual(await runMain(['sign', CLAIMS, '--key-file', set]), {
      code: 1,
      stdout: '',
      stderr: 'jwt sign: ERR_CLI_KEY: the key file holds a JWK Set; save the one key to use in a file of its own\n',
    })
    const notASet = tmp.file('not-a-set.json', '{"keys":{}}')
    const bad = await runMain(['verify', 'x.y.z', '--key-file', notASet])
    assert.equal(bad.code, 1)
    assert.match(bad.stderr, /^jwt verify: ERR_JWT_INVALID_OPTION: /)
  })

  it('a binary --secret-file is taken byte for byte with utf8, and refused with another encoding', async () => {
    const bytes = Uint8Array.from({ length: 40 }, (_, i) => (i * 37 + 0x80) % 256)
    bytes[39] = 0x0a // a trailing byte that looks like a newline is kept: the file is not text
    const path = tmp.file('binary.secret', bytes)
    const r = await runMain(['sign', CLAIMS, '--no-iat', '--secret-file', path])
    assert.deepEqual(r, {
      code: 0,
      stdout: `${sign({ sub: '42', role: 'admin' }, bytes, { noTimestamp: true })}\n`,
      stderr: '',
    })
    assert.deepEqual(await runMain(['sign', CLAIMS, '--secret-file', path, '--secret-encoding', 'hex']), {
      code: 1,
      stdout: '',
      stderr: 'jwt sign: ERR_CLI_SECRET: the secret file is not hex text\n',
    })
  })

  it('the real command refuses a PEM argument with exit status 2', async () => {
    const r = await jwt(['sign', CLAIMS, '--key-file', pem.ecPrivate])
    assert.equal(r.code, 2)
    assert.equal(r.stdout, '')
    assert.match(r.stderr, /^jwt sign: a key \(PEM or JWK\) as an argument is refused/)
    assert.ok(!r.stderr.includes(pem.ecPrivate.split('\n')[1] ?? 'BEGIN'))
  })
})
