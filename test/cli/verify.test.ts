import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { USAGE } from '../../src/cli/help.js'
import { base64url, sign } from '../../src/index.js'
import { jwt, nowSeconds, SECRET, SECRET_ENV } from './run.js'

const DAY = 86400
const ISO = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.000Z'

function usageError(message: string): string {
  return `jwt verify: ${message}\nusage: ${USAGE.verify}\nRun 'jwt verify --help' for the options.\n`
}

/** Runs verify and checks the one-line failure: exit 1, nothing on stdout, the code, and never the token. */
async function invalid(token: string, args: string[], pattern: RegExp, env = SECRET_ENV): Promise<void> {
  const r = await jwt(['verify', token, ...args], { env })
  assert.equal(r.code, 1, r.stderr)
  assert.equal(r.stdout, '')
  assert.match(r.stderr, pattern)
  assert.equal(r.stderr.split('\n').length, 2, 'one line')
  assert.ok(!r.stderr.includes(token), 'the token is not echoed')
  assert.ok(!r.stderr.includes(SECRET), 'the secret is not echoed')
}

describe('jwt verify', { concurrency: 3 }, () => {
  const payload = { sub: '42', iss: 'auth.example.com', aud: 'api', role: 'admin', iat: nowSeconds() }
  const token = sign(payload, SECRET, { expiresIn: '1h' })
  const claims = { ...payload, exp: payload.iat + 3600 }

  it('prints the claims and exits 0 for a valid token', async () => {
    assert.deepEqual(await jwt(['verify', token], { env: SECRET_ENV }), {
      code: 0,
      stdout: `${JSON.stringify(claims, null, 2)}\n`,
      stderr: '',
    })
  })

  it('reads the token from standard input (trailing newline and all) or from "-"', async () => {
    const expected = { code: 0, stdout: `${JSON.stringify(claims, null, 2)}\n`, stderr: '' }
    assert.deepEqual(await jwt(['verify'], { env: SECRET_ENV, input: `${token}\n` }), expected)
    assert.deepEqual(await jwt(['verify', '-'], { env: SECRET_ENV, input: `  ${token}\r\n` }), expected)
  })

  it('--json prints {"valid": true, header, payload}', async () => {
    const r = await jwt(['verify', token, '--json'], { env: SECRET_ENV })
    assert.deepEqual(r, {
      code: 0,
      stdout: `${JSON.stringify({ valid: true, header: { alg: 'HS256', typ: 'JWT' }, payload: claims })}\n`,
      stderr: '',
    })
  })

  it('checks the issuer and audience against any of the repeated values', async () => {
    const ok = await jwt(
      ['verify', token, '--iss', 'other', '--iss', 'auth.example.com', '--aud', 'web', '--aud', 'api', '--sub', '42'],
      {
        env: SECRET_ENV,
      },
    )
    assert.equal(ok.code, 0, ok.stderr)
    await invalid(
      token,
      ['--iss', 'other'],
      /^jwt verify: invalid token: ERR_JWT_CLAIM: unexpected "iss" claim value\n$/,
    )
    await invalid(token, ['--aud', 'web'], /^jwt verify: invalid token: ERR_JWT_CLAIM: unexpected "aud" claim value\n$/)
    await invalid(token, ['--sub', '43'], /^jwt verify: invalid token: ERR_JWT_CLAIM: unexpected "sub" claim value\n$/)
    await invalid(token, ['--jti', 'x'], /^jwt verify: invalid token: ERR_JWT_CLAIM: the token has no "jti" claim\n$/)
    await invalid(
      token,
      ['--require', 'tenant'],
      /^jwt verify: invalid token: ERR_JWT_CLAIM: the token has no "tenant" claim\n$/,
    )
  })

  it('an expired token exits 1 with ERR_JWT_EXPIRED, when and how long ago', async () => {
    const expired = sign({ sub: '42' }, SECRET, { now: nowSeconds() - 3 * DAY, expiresIn: '1d' })
    await invalid(
      expired,
      [],
      new RegExp(
        `^jwt verify: invalid token: ERR_JWT_EXPIRED: the token has expired \\(expired 2 days ago, at ${ISO}\\)\\n$`,
      ),
    )
  })

  it('--leeway accepts a token that expired within it', async () => {
    const justExpired = sign({ sub: '42' }, SECRET, { now: nowSeconds() - 60, expiresIn: '30s' })
    await invalid(justExpired, [], /ERR_JWT_EXPIRED: the token has expired \(expired \d+s ago, at /)
    const r = await jwt(['verify', justExpired, '--leeway', '5m'], { env: SECRET_ENV })
    assert.equal(r.code, 0, r.stderr)
  })

  it('a token used before nbf exits 1 with ERR_JWT_NOT_BEFORE', async () => {
    const early = sign({ sub: '42' }, SECRET, { notBefore: '1h' })
    await invalid(
      early,
      [],
      new RegExp(
        `^jwt verify: invalid token: ERR_JWT_NOT_BEFORE: the token is not valid yet \\(valid from ${ISO}, in 59m \\d+s\\)\\n$`,
      ),
    )
  })

  it('--max-age refuses an old token (claim iat)', async () => {
    const old = sign({ sub: '42' }, SECRET, { now: nowSeconds() - 7200 })
    await invalid(
      old,
      ['--max-age', '1h'],
      /^jwt verify: invalid token: ERR_JWT_CLAIM: the token is older than maxAge\n$/,
    )
    const json = await jwt(['verify', old, '--max-age', '1h', '--json'], { env: SECRET_ENV })
    assert.deepEqual(json, {
      code: 1,
      stdout:
        '{"valid":false,"error":{"code":"ERR_JWT_CLAIM","message":"the token is older than maxAge","claim":"iat"}}\n',
      stderr: '',
    })
  })

  it('a wrong secret exits 1 with ERR_JWT_SIGNATURE', async () => {
    await invalid(token, [], /^jwt verify: invalid token: ERR_JWT_SIGNATURE: the signature does not match\n$/, {
      JWT_SECRET: 'another-secret-of-enough-length-0123456789',
    })
  })

  it('only the --alg allowlist is accepted, and "none" never', async () => {
    const secret = 'z'.repeat(64)
    const hs512 = sign({ sub: '42' }, secret, { algorithm: 'HS512' })
    const env = { JWT_SECRET: secret }
    await invalid(
      hs512,
      [],
      /^jwt verify: invalid token: ERR_JWT_ALGORITHM: the token "alg" is not one of the allowed algorithms\n$/,
      env,
    )
    const ok = await jwt(['verify', hs512, '--alg', 'HS256', '--alg', 'HS512'], { env })
    assert.equal(ok.code, 0, ok.stderr)
    const none = `${base64url.encode('{"alg":"none","typ":"JWT"}')}.${base64url.encode('{"sub":"42"}')}.`
    await invalid(none, [], /^jwt verify: invalid token: ERR_JWT_ALGORITHM: /)
  })

  it('a malformed token exits 1 with ERR_JWT_MALFORMED and is not echoed', async () => {
    await invalid(
      `${token}.extra`,
      [],
      /^jwt verify: invalid token: ERR_JWT_MALFORMED: the token must have three dot-separated segments\n$/,
    )
    await invalid(`${token}=`, [], /^jwt verify: invalid token: ERR_JWT_MALFORMED: /)
    const r = await jwt(['verify', '--json'], { env: SECRET_ENV, input: 'not a token' })
    assert.deepEqual(r, {
      code: 1,
      stdout:
        '{"valid":false,"error":{"code":"ERR_JWT_MALFORMED","message":"the token must have three dot-separated segments"}}\n',
      stderr: '',
    })
  })

  it('a secret too short for the algorithms is not called an invalid token', async () => {
    const r = await jwt(['verify', token, '--alg', 'HS384'], { env: SECRET_ENV })
    assert.equal(r.code, 1)
    assert.match(r.stderr, /^jwt verify: ERR_JWT_INVALID_OPTION: the secret is 36 bytes; HS384 needs at least 48 /)
    const json = await jwt(['verify', token, '--alg', 'HS384', '--json'], { env: SECRET_ENV })
    assert.equal(json.code, 1)
    assert.equal(json.stderr, '')
    assert.equal(
      (JSON.parse(json.stdout) as { valid: boolean; error: { code: string } }).error.code,
      'ERR_JWT_INVALID_OPTION',
    )
    assert.equal((JSON.parse(json.stdout) as { valid: boolean }).valid, false)
  })

  it('usage errors exit 2 and never echo a token', async () => {
    const cases: Array<[string[], string, Record<string, string>?]> = [
      [[], 'no token: pass it as the argument or on standard input'],
      [['   '], 'no token: pass it as the argument or on standard input'],
      [
        [token],
        'no key: pass --key-file PATH (a PEM or JWK file), or for an HMAC secret --secret-file PATH or the JWT_SECRET environment variable',
        {},
      ],
      [[token, token], 'expected at most one token argument, got 2'],
      [[token, '--leeway', 'lots'], '--leeway must be a duration with a unit, such as 30s, 15m, 24h or 7d'],
      [[token, '--max-age', '-1h'], "Option '--max-age' argument is ambiguous"],
      [[token, '--max-age=-1h'], '--max-age must be a duration with a unit, such as 30s, 15m, 24h or 7d'],
      [[token, '--alg', 'RS256'], 'RS256 signs with a key pair: pass the key with --key-file PATH (a PEM or JWK file)'],
      [
        [token, '--alg', 'none'],
        '--alg must be HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA or Ed25519',
      ],
      [[token, `--secret=${SECRET}`], 'process list'],
    ]
    for (const [args, message, env] of cases) {
      const r = await jwt(['verify', ...args], { env: env ?? SECRET_ENV })
      assert.equal(r.code, 2, args.join(' '))
      assert.equal(r.stdout, '')
      if (message === 'process list') assert.match(r.stderr, /process list/)
      else assert.equal(r.stderr, usageError(message))
      assert.ok(!r.stderr.includes(token))
      assert.ok(!r.stderr.includes(SECRET))
    }
  })
})
