import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { NOT_VERIFIED } from '../../src/cli/commands/decode.js'
import { USAGE } from '../../src/cli/help.js'
import { base64url, sign } from '../../src/index.js'
import { jwt, nowSeconds, SECRET } from './run.js'

const DAY = 86400
const ISO = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.000Z'

function unsigned(header: object, payload: object): string {
  // decode never checks the MAC, so any canonical base64url signature segment will do
  return `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}.c2ln`
}

describe('jwt decode', { concurrency: 3 }, () => {
  it('prints the header, the payload and the times, marked NOT VERIFIED, without a secret', async () => {
    const now = nowSeconds()
    const token = sign({ sub: '42', name: 'Ada' }, SECRET, { now, expiresIn: '24h', keyId: 'k1' })
    const r = await jwt(['decode', token])
    assert.equal(r.code, 0)
    assert.equal(r.stderr, '')
    const header = JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'k1' }, null, 2)
    const payload = JSON.stringify({ sub: '42', name: 'Ada', iat: now, exp: now + DAY }, null, 2)
    const expected = new RegExp(
      `^${NOT_VERIFIED.replace(/[.;]/g, '\\$&')}\\n\\nHeader\\n${esc(header)}\\n\\nPayload\\n${esc(payload)}\\n\\n` +
        `Times \\(now is ${ISO.replace('000', '\\d{3}')}\\)\\n` +
        `  iat  ${esc(new Date(now * 1000).toISOString())}  issued (just now|\\d+s ago)\\n` +
        `  exp  ${esc(new Date((now + DAY) * 1000).toISOString())}  expires in 23h 59m\\n$`,
    )
    assert.match(r.stdout, expected)
  })

  it('shows an expired token, a future nbf and an unusable time value', async () => {
    const now = nowSeconds()
    const token = unsigned({ alg: 'HS256' }, { exp: now - 2 * DAY, nbf: now + 3600, iat: 'yesterday' })
    const r = await jwt(['decode', token])
    assert.equal(r.code, 0)
    assert.match(r.stdout, /\n {2}iat {2}"yesterday" {15}not a valid NumericDate\n/)
    assert.match(r.stdout, new RegExp(`\\n  nbf  ${ISO}  not valid yet \\(valid in 59m \\d+s\\)\\n`))
    assert.match(r.stdout, new RegExp(`\\n  exp  ${ISO}  expired 2 days ago\\n$`))
  })

  it('omits the times section when the token has none', async () => {
    const token = unsigned({ alg: 'HS256' }, { sub: '42' })
    const r = await jwt(['decode', token])
    assert.equal(r.code, 0)
    assert.ok(!r.stdout.includes('Times'))
    assert.ok(r.stdout.endsWith('Payload\n{\n  "sub": "42"\n}\n'))
  })

  it('reads the token from standard input', async () => {
    const token = unsigned({ alg: 'HS256' }, { sub: '42' })
    const fromArg = await jwt(['decode', token])
    assert.deepEqual(await jwt(['decode'], { input: `${token}\n` }), fromArg)
    assert.deepEqual(await jwt(['decode', '-'], { input: token }), fromArg)
  })

  it('--json says verified: false and describes the times', async () => {
    const now = nowSeconds()
    const token = unsigned({ alg: 'HS256', typ: 'JWT' }, { sub: '42', exp: now - 2 * DAY })
    const r = await jwt(['decode', '--json', token])
    assert.equal(r.code, 0)
    assert.equal(r.stderr, '')
    const out = JSON.parse(r.stdout) as Record<string, unknown>
    assert.deepEqual(out, {
      verified: false,
      header: { alg: 'HS256', typ: 'JWT' },
      payload: { sub: '42', exp: now - 2 * DAY },
      signature: 'c2ln',
      times: {
        exp: {
          value: now - 2 * DAY,
          date: new Date((now - 2 * DAY) * 1000).toISOString(),
          relative: 'expired 2 days ago',
        },
      },
    })
  })

  it('a malformed token exits 1 with ERR_JWT_MALFORMED and is not echoed', async () => {
    const token = sign({ sub: '42' }, SECRET)
    for (const bad of [`${token}.x`, `${token.slice(0, 10)}!${token.slice(11)}`]) {
      const r = await jwt(['decode', bad])
      assert.equal(r.code, 1)
      assert.equal(r.stdout, '')
      assert.match(r.stderr, /^jwt decode: ERR_JWT_MALFORMED: [^\n]+\n$/)
      assert.ok(!r.stderr.includes(bad))
    }
    const arr = await jwt(['decode', '--json'], { input: `${base64url.encode('[]')}.${base64url.encode('{}')}.` })
    assert.deepEqual(arr, {
      code: 1,
      stdout: '{"error":{"code":"ERR_JWT_MALFORMED","message":"the header must be a JSON object"}}\n',
      stderr: '',
    })
  })

  it('usage errors exit 2', async () => {
    const usage = `usage: ${USAGE.decode}\nRun 'jwt decode --help' for the options.\n`
    assert.deepEqual(await jwt(['decode']), {
      code: 2,
      stdout: '',
      stderr: `jwt decode: no token: pass it as the argument or on standard input\n${usage}`,
    })
    assert.deepEqual(await jwt(['decode', 'a.b.c', 'd.e.f']), {
      code: 2,
      stdout: '',
      stderr: `jwt decode: expected at most one token argument, got 2\n${usage}`,
    })
    assert.deepEqual(await jwt(['decode', '--alg', 'HS256', 'a.b.c']), {
      code: 2,
      stdout: '',
      stderr: `jwt decode: Unknown option '--alg'\n${usage}`,
    })
  })
})

function esc(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
