/**
 * main(argv, io) in process, where a test can give it a terminal, a fixed clock and chunked input; the
 * spawned tests cover the real executable.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { CliInput, CliIo } from '../../src/cli/io.js'
import { main } from '../../src/cli.js'
import { base64url, sign } from '../../src/index.js'

const SECRET = 'in-process-secret-0123456789abcdef'
const NOW = 1_800_000_000 // 2027-01-15T08:00:00Z

class Capture {
  text = ''
  constructor(readonly isTTY: boolean) {}
  write(chunk: string): boolean {
    this.text += chunk
    return true
  }
}

function input(chunks: string[], isTTY = false): CliInput {
  return {
    isTTY,
    async *[Symbol.asyncIterator]() {
      for (const c of chunks) yield c
    },
  }
}

/** A terminal on which nothing may be read: a bare command at a prompt must not wait for input. */
const TERMINAL: CliInput = {
  isTTY: true,
  [Symbol.asyncIterator]() {
    throw new Error('standard input was read')
  },
}

async function run(argv: string[], options: { tty?: boolean; env?: Record<string, string>; stdin?: CliInput } = {}) {
  const stdout = new Capture(options.tty ?? false)
  const stderr = new Capture(options.tty ?? false)
  const io: CliIo = {
    stdout,
    stderr,
    stdin: options.stdin ?? input([]),
    env: options.env ?? {},
    now: () => NOW * 1000 + 250,
  }
  const code = await main(argv, io)
  return { code, stdout: stdout.text, stderr: stderr.text }
}

const TOKEN = sign({ sub: '42' }, SECRET, { now: NOW - 60, expiresIn: '1d', notBefore: '30s' })

describe('main(argv, io)', () => {
  it('decode prints exactly this for a fixed clock', async () => {
    const r = await run(['decode', TOKEN])
    assert.equal(r.code, 0)
    assert.equal(
      r.stdout,
      [
        'NOT VERIFIED: decoded without checking the signature or the claims; do not trust it.',
        '',
        'Header',
        '{',
        '  "alg": "HS256",',
        '  "typ": "JWT"',
        '}',
        '',
        'Payload',
        '{',
        '  "sub": "42",',
        `  "iat": ${NOW - 60},`,
        `  "exp": ${NOW - 60 + 86400},`,
        `  "nbf": ${NOW - 30}`,
        '}',
        '',
        'Times (now is 2027-01-15T08:00:00.250Z)',
        '  iat  2027-01-15T07:59:00.000Z  issued 1m ago',
        '  nbf  2027-01-15T07:59:30.000Z  valid since 30s ago',
        '  exp  2027-01-16T07:59:00.000Z  expires in 23h 58m',
        '',
      ].join('\n'),
    )
  })

  it('colours only a terminal, and never with NO_COLOR or TERM=dumb', async () => {
    const esc = '\u001b['
    const tty = await run(['decode', TOKEN], { tty: true })
    assert.ok(tty.stdout.startsWith(`${esc}1m${esc}33mNOT VERIFIED`))
    assert.ok(tty.stdout.includes(`${esc}32mexpires in 23h 58m${esc}39m`))
    assert.ok(
      (await run(['decode', TOKEN], { tty: true, env: { NO_COLOR: '' } })).stdout.includes(esc),
      'empty NO_COLOR',
    )
    assert.ok(!(await run(['decode', TOKEN], { tty: true, env: { NO_COLOR: '1' } })).stdout.includes(esc))
    assert.ok(!(await run(['decode', TOKEN], { tty: true, env: { TERM: 'dumb' } })).stdout.includes(esc))
    assert.ok(!(await run(['decode', TOKEN])).stdout.includes(esc))
    assert.ok(!(await run(['decode', '--json', TOKEN], { tty: true })).stdout.includes(esc), '--json is never coloured')

    const bad = await run(['verify', TOKEN], { tty: true, env: { JWT_SECRET: 'x'.repeat(32) } })
    assert.equal(bad.code, 1)
    assert.equal(
      bad.stderr,
      `${esc}31mjwt verify: invalid token:${esc}39m ERR_JWT_SIGNATURE: the signature does not match\n`,
    )
    const plain = await run(['verify', TOKEN], { tty: true, env: { JWT_SECRET: 'x'.repeat(32), NO_COLOR: 'yes' } })
    assert.equal(plain.stderr, 'jwt verify: invalid token: ERR_JWT_SIGNATURE: the signature does not match\n')
  })

  it('reads input split across chunks', async () => {
    const half = Math.floor(TOKEN.length / 2)
    const r = await run(['verify', '--json'], {
      stdin: input([TOKEN.slice(0, half), `${TOKEN.slice(half)}\n`]),
      env: { JWT_SECRET: SECRET },
    })
    assert.equal(r.code, 0, r.stderr)
    assert.equal((JSON.parse(r.stdout) as { valid: boolean }).valid, true)
    const claims = await run(['sign', '--no-iat'], { stdin: input(['{"sub":', '"42"}']), env: { JWT_SECRET: SECRET } })
    assert.equal(claims.stdout, `${sign({ sub: '42' }, SECRET, { noTimestamp: true })}\n`)
  })

  it('does not wait for a terminal without "-": verify and decode need a token, sign signs no claims', async () => {
    const v = await run(['verify'], { stdin: TERMINAL, env: { JWT_SECRET: SECRET } })
    assert.equal(v.code, 2)
    assert.match(v.stderr, /^jwt verify: no token/)
    const d = await run(['decode'], { stdin: TERMINAL })
    assert.equal(d.code, 2)
    const s = await run(['sign', '--sub', '7'], { stdin: TERMINAL, env: { JWT_SECRET: SECRET } })
    assert.equal(s.code, 0)
    assert.equal(s.stdout, `${sign({}, SECRET, { now: NOW, subject: '7' })}\n`)
  })

  it('escapes terminal control and bidi characters from the token, keeping the JSON the same', async () => {
    const payload = { name: 'a\u009b31mb', note: 'abc\u202edcba', nl: 'x\ny', esc: '\u001b[2J' }
    const token = `${base64url.encode('{"alg":"HS256"}')}.${base64url.encode(JSON.stringify(payload))}.c2ln`
    const text = await run(['decode', token])
    assert.equal(text.code, 0)
    assert.ok(text.stdout.includes('"name": "a\\u009b31mb"'))
    assert.ok(text.stdout.includes('"note": "abc\\u202edcba"'))
    assert.ok(text.stdout.includes('"esc": "\\u001b[2J"'))
    const unsafe = [...text.stdout].filter((c) => {
      const n = c.codePointAt(0) ?? 0
      return (n < 0x20 && n !== 0x0a) || (n >= 0x7f && n <= 0x9f) || n === 0x202e
    })
    assert.deepEqual(unsafe, [])
    const json = await run(['decode', '--json', token])
    assert.deepEqual((JSON.parse(json.stdout) as { payload: unknown }).payload, payload)
    assert.ok(!/[\u0080-\u009f\u202e]/.test(json.stdout))
  })

  it('refuses standard input over 1 MiB', async () => {
    const r = await run(['decode'], { stdin: input(['x'.repeat(700_000), 'y'.repeat(400_000)]) })
    assert.equal(r.code, 2)
    assert.match(r.stderr, /^jwt decode: standard input is larger than 1 MiB\n/)
  })

  it('reports an unexpected error by its class only', async () => {
    const stdin: CliInput = {
      async *[Symbol.asyncIterator]() {
        yield* []
        throw new TypeError(`boom ${TOKEN}`)
      },
    }
    const r = await run(['decode'], { stdin })
    assert.equal(r.code, 1)
    assert.equal(r.stderr, 'jwt decode: ERR_CLI_INTERNAL: unexpected TypeError\n')
  })

  it('the error line never carries a token, even inside a message', async () => {
    const { safeLine } = await import('../../src/cli/io.js')
    assert.equal(safeLine(`bad ${TOKEN} here\nand more`), 'bad <token> here and more')
    assert.equal(safeLine('cannot open ./my.secret.key'), 'cannot open ./my.secret.key')
    const unsignedLike = `${base64url.encode('{"alg":"HS256"}')}.e30.`
    assert.equal(safeLine(unsignedLike), '<token>')
  })
})
