import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { USAGE } from '../../src/cli/help.js'
import { base64url, decodeUnverified, sign, verify } from '../../src/index.js'
import { jwt, nowSeconds, SECRET, SECRET_ENV, tempDir } from './run.js'

const tmp = tempDir()
after(() => tmp.cleanup())

/** What the library makes for the same claims without a timestamp: the command line must produce exactly this. */
const EXPECTED = sign({ sub: '42', role: 'admin' }, SECRET, { noTimestamp: true })
const CLAIMS = '{"sub":"42","role":"admin"}'

function usageError(message: string): string {
  return `jwt sign: ${message}\nusage: ${USAGE.sign}\nRun 'jwt sign --help' for the options.\n`
}

describe('jwt sign', { concurrency: 3 }, () => {
  it('signs claims from the argument with JWT_SECRET', async () => {
    assert.deepEqual(await jwt(['sign', CLAIMS, '--no-iat'], { env: SECRET_ENV }), {
      code: 0,
      stdout: `${EXPECTED}\n`,
      stderr: '',
    })
  })

  it('reads the claims from standard input when the argument is left out or is "-"', async () => {
    const expected = { code: 0, stdout: `${EXPECTED}\n`, stderr: '' }
    assert.deepEqual(await jwt(['sign', '--no-iat'], { env: SECRET_ENV, input: `${CLAIMS}\n` }), expected)
    assert.deepEqual(await jwt(['sign', '-', '--no-iat'], { env: SECRET_ENV, input: CLAIMS }), expected)
  })

  it('with empty input signs only "iat" and the claims the options set', async () => {
    const before = nowSeconds()
    const r = await jwt(['sign', '--sub', 'u1'], { env: SECRET_ENV })
    assert.equal(r.code, 0)
    assert.equal(r.stderr, '')
    const claims = verify(r.stdout.trim(), SECRET)
    assert.deepEqual(Object.keys(claims), ['iat', 'sub'])
    assert.equal(claims.sub, 'u1')
    assert.ok(typeof claims.iat === 'number' && claims.iat >= before && claims.iat <= nowSeconds())
  })

  it('sets exp, nbf, iss, sub, aud, jti, kid and the algorithm from options', async () => {
    const secret = 'x'.repeat(48)
    const r = await jwt(
      [
        'sign',
        '{"role":"admin"}',
        '--exp',
        '1h',
        '--nbf=-5m',
        '--iss',
        'auth.example.com',
        '--sub',
        '42',
        '--aud',
        'api',
        '--aud',
        'web',
        '--jti',
        'id-1',
        '--kid',
        'k1',
        '--alg',
        'HS384',
      ],
      { env: { JWT_SECRET: secret } },
    )
    assert.equal(r.code, 0, r.stderr)
    const token = r.stdout.trim()
    const { header, payload } = verify(token, secret, { algorithms: ['HS384'], complete: true })
    assert.deepEqual(header, { alg: 'HS384', typ: 'JWT', kid: 'k1' })
    const iat = payload.iat as number
    assert.deepEqual(payload, {
      role: 'admin',
      iat,
      exp: iat + 3600,
      nbf: iat - 300,
      iss: 'auth.example.com',
      sub: '42',
      aud: ['api', 'web'],
      jti: 'id-1',
    })
  })

  it('--json prints the token with its header and payload on one line', async () => {
    const r = await jwt(['sign', CLAIMS, '--no-iat', '--json'], { env: SECRET_ENV })
    assert.equal(r.code, 0)
    assert.equal(r.stderr, '')
    assert.equal(
      r.stdout,
      `${JSON.stringify({ token: EXPECTED, header: { alg: 'HS256', typ: 'JWT' }, payload: { sub: '42', role: 'admin' } })}\n`,
    )
  })

  it('reads the secret from --secret-file, ignoring one trailing newline, in preference to JWT_SECRET', async () => {
    const path = tmp.file('utf8.key', `${SECRET}\n`)
    const r = await jwt(['sign', CLAIMS, '--no-iat', '--secret-file', path], { env: { JWT_SECRET: 'y'.repeat(40) } })
    assert.deepEqual(r, { code: 0, stdout: `${EXPECTED}\n`, stderr: '' })
  })

  it('decodes a base64url secret file (the output of jwt secret) and a hex JWT_SECRET', async () => {
    const made = await jwt(['secret', '--alg', 'HS512'])
    const path = tmp.file('b64.key', made.stdout)
    const key = base64url.decode(made.stdout.trim())
    const r = await jwt(['sign', CLAIMS, '--alg', 'HS512', '--secret-file', path, '--secret-encoding', 'base64url'])
    assert.equal(r.code, 0, r.stderr)
    assert.deepEqual(verify(r.stdout.trim(), key, { algorithms: ['HS512'] }).sub, '42')

    const hex = Buffer.from(key).toString('hex')
    const h = await jwt(['sign', CLAIMS, '--no-iat', '--alg', 'HS512', '--secret-encoding', 'hex'], {
      env: { JWT_SECRET: hex },
    })
    assert.equal(h.code, 0, h.stderr)
    assert.equal(h.stdout, `${sign({ sub: '42', role: 'admin' }, key, { noTimestamp: true, algorithm: 'HS512' })}\n`)
  })

  it('refuses --secret and its look-alikes without echoing the value', async () => {
    const value = 'hunter2-hunter2-hunter2-hunter2-hunter2'
    for (const args of [['--secret', value], [`--secret=${value}`], ['--password', value], ['--jwt-secret', value]]) {
      const r = await jwt(['sign', CLAIMS, ...args], { env: SECRET_ENV })
      assert.equal(r.code, 2)
      assert.equal(r.stdout, '')
      assert.match(r.stderr, /is refused: a secret on the command line is visible to other users in the process list/)
      assert.match(r.stderr, /use --secret-file PATH or the JWT_SECRET environment variable/)
      assert.ok(!r.stderr.includes(value))
    }
  })

  it('without a key or secret exits 2 and says where one comes from', async () => {
    assert.deepEqual(await jwt(['sign', CLAIMS]), {
      code: 2,
      stdout: '',
      stderr: usageError(
        'no key: pass --key-file PATH (a PEM or JWK file), or for an HMAC secret --secret-file PATH or the JWT_SECRET environment variable',
      ),
    })
  })

  it('a secret shorter than the hash exits 1 with the library code, never printing the secret', async () => {
    const r = await jwt(['sign', CLAIMS], { env: { JWT_SECRET: 'tiny-secret' } })
    assert.equal(r.code, 1)
    assert.equal(r.stdout, '')
    assert.match(r.stderr, /^jwt sign: ERR_JWT_INVALID_OPTION: the secret is 11 bytes; HS256 needs at least 32 .*\n$/)
    assert.ok(!r.stderr.includes('tiny-secret'))
    // HS512 needs 64 bytes: the shared 36-byte test secret is too short
    const r512 = await jwt(['sign', CLAIMS, '--alg', 'HS512'], { env: SECRET_ENV })
    assert.equal(r512.code, 1)
    assert.match(r512.stderr, /HS512 needs at least 64/)
  })

  it('secret-file and encoding failures exit 1 with ERR_CLI_SECRET and never show the secret', async () => {
    const missing = await jwt(['sign', CLAIMS, '--secret-file', `${tmp.dir}/nope.key`])
    assert.deepEqual(missing, {
      code: 1,
      stdout: '',
      stderr: 'jwt sign: ERR_CLI_SECRET: cannot open the secret file (ENOENT)\n',
    })

    const padded = 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA=='
    const b64 = await jwt(['sign', CLAIMS, '--secret-encoding', 'base64url'], { env: { JWT_SECRET: padded } })
    assert.equal(b64.code, 1)
    assert.equal(
      b64.stderr,
      'jwt sign: ERR_CLI_SECRET: the secret is not canonical base64url (A-Z a-z 0-9 - _, no padding)\n',
    )

    const hex = await jwt(['sign', CLAIMS, '--secret-encoding', 'hex'], { env: { JWT_SECRET: 'abc' } })
    assert.equal(hex.code, 1)
    assert.equal(hex.stderr, 'jwt sign: ERR_CLI_SECRET: the secret is not hex (an even number of digits 0-9, a-f)\n')

    const json = await jwt(['sign', CLAIMS, '--json', '--secret-file', `${tmp.dir}/nope.key`])
    assert.deepEqual(json, {
      code: 1,
      stdout: '{"error":{"code":"ERR_CLI_SECRET","message":"cannot open the secret file (ENOENT)"}}\n',
      stderr: '',
    })
  })

  it('bad claims exit 2 without quoting them', async () => {
    const bad = await jwt(['sign', '{"sub": "4', '--no-iat'], { env: SECRET_ENV })
    assert.deepEqual(bad, { code: 2, stdout: '', stderr: usageError('the claims are not valid JSON') })
    const fromStdin = await jwt(['sign'], { env: SECRET_ENV, input: 'password=abc' })
    assert.deepEqual(fromStdin, { code: 2, stdout: '', stderr: usageError('the claims are not valid JSON') })
    for (const claims of ['[1,2]', '"sub"', '42', 'null']) {
      const r = await jwt(['sign', claims], { env: SECRET_ENV })
      assert.deepEqual(r, {
        code: 2,
        stdout: '',
        stderr: usageError('the claims must be a JSON object, such as {"sub":"42"}'),
      })
    }
  })

  it('claims the library refuses exit 1 with its code', async () => {
    const r = await jwt(['sign', '{"exp":1}', '--exp', '1h'], { env: SECRET_ENV })
    assert.deepEqual(r, {
      code: 1,
      stdout: '',
      stderr: 'jwt sign: ERR_JWT_INVALID_OPTION: the payload already has "exp"; do not also set "expiresIn"\n',
    })
    const typed = await jwt(['sign', '{"exp":"tomorrow"}'], { env: SECRET_ENV })
    assert.equal(typed.code, 1)
    assert.match(typed.stderr, /^jwt sign: ERR_JWT_INVALID_OPTION: the payload "exp" must be a finite number/)
  })

  it('bad option values exit 2 naming the flag', async () => {
    const cases: Array<[string[], string]> = [
      [['--exp', '120'], '--exp must be a duration with a unit, such as 30s, 15m, 24h or 7d'],
      [['--nbf', 'soon'], '--nbf must be a duration with a unit, such as 30s, 15m, 24h or 7d'],
      [
        ['--alg', 'none'],
        '--alg must be HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA or Ed25519',
      ],
      [['--secret-encoding', 'base64'], '--secret-encoding must be utf8, base64url or hex'],
      [['--iss'], "Option '--iss <value>' argument missing"],
      [['--bogus'], "Unknown option '--bogus'"],
      [['--no-iat=yes'], "Option '--no-iat' does not take an argument"],
      [['{}', '{}'], 'expected at most one claims argument, got 2'],
    ]
    for (const [args, message] of cases) {
      assert.deepEqual(
        await jwt(['sign', ...args], { env: SECRET_ENV }),
        { code: 2, stdout: '', stderr: usageError(message) },
        args.join(' '),
      )
    }
  })

  it('a signed token decodes to what was asked for', async () => {
    const r = await jwt(['sign', CLAIMS, '--exp', '24h'], { env: SECRET_ENV })
    const { payload } = decodeUnverified(r.stdout.trim())
    assert.equal((payload.exp as number) - (payload.iat as number), 86400)
  })
})
