/**
 * `jwt verify --jwks URL` and `jwt verify --issuer-discovery ISSUER`: remote key sets fetched from a real node:http
 * server on 127.0.0.1, in process (runMain, so coverage counts) and once through the real executable.
 */
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { HELP, USAGE } from '../../src/cli/help.js'
import { sign } from '../../src/index.js'
import { jwt, runMain, SECRET_ENV, tempDir } from './run.js'

const NOW = 1_800_000_000
const NOW_MS = NOW * 1000

function usageError(message: string): string {
  return `jwt verify: ${message}\nusage: ${USAGE.verify}\nRun 'jwt verify --help' for the options.\n`
}

const es = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const es2 = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const rs = generateKeyPairSync('rsa', { modulusLength: 2048 })
const JWKS = {
  keys: [
    { ...es.publicKey.export({ format: 'jwk' }), kid: 'es-1', alg: 'ES256', use: 'sig' },
    { ...es2.publicKey.export({ format: 'jwk' }), kid: 'es-2', alg: 'ES256', use: 'sig' },
    { ...rs.publicKey.export({ format: 'jwk' }), kid: 'rs-1' },
  ],
}

/** What the server was asked for, in order: the paths only (a token must never be among them). */
const requests: string[] = []
let base = ''
/** Responses left hanging, ended when the tests are done. */
const hanging: ServerResponse[] = []

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const path = req.url ?? ''
  requests.push(`${req.method} ${path} ${String(req.headers.authorization)}`)
  if (path === '/jwks.json') return json(res, 200, JWKS)
  if (path === '/.well-known/openid-configuration')
    return json(res, 200, { issuer: base, jwks_uri: `${base}/jwks.json` })
  if (path === '/tenant/.well-known/openid-configuration') {
    return json(res, 200, { issuer: `${base}/tenant/`, jwks_uri: `${base}/jwks.json` })
  }
  if (path === '/impostor/.well-known/openid-configuration') {
    // the document of another issuer: its keys must not be taken for this one
    return json(res, 200, { issuer: `${base}/someone-else`, jwks_uri: `${base}/jwks.json` })
  }
  if (path === '/hang.json') {
    hanging.push(res)
    return
  }
  return json(res, 404, { error: 'not found' })
})

/** A port that was just listened on and closed: nothing answers there. */
let downUrl = ''

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const down = createServer()
  await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve))
  downUrl = `http://127.0.0.1:${(down.address() as AddressInfo).port}/jwks.json`
  await new Promise<void>((resolve) => down.close(() => resolve()))
})

const tmp = tempDir()
after(async () => {
  for (const res of hanging) res.destroy()
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  tmp.cleanup()
})

const CLAIMS = { sub: '42', role: 'admin' }

function esToken(claims: Record<string, unknown> = {}, kid = 'es-1'): string {
  return sign({ ...CLAIMS, ...claims }, es.privateKey, { keyId: kid, expiresIn: '1h', now: NOW })
}

const pretty = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`

describe('jwt verify with a remote key set', { concurrency: 1 }, () => {
  it('--jwks URL: a token whose kid is in the set is valid (exit 0, the claims; --json the header too)', async () => {
    const token = esToken()
    const payload = { ...CLAIMS, iat: NOW, exp: NOW + 3600 }
    assert.deepEqual(await runMain(['verify', token, '--jwks', `${base}/jwks.json`], { now: NOW_MS }), {
      code: 0,
      stdout: pretty(payload),
      stderr: '',
    })
    assert.deepEqual(await runMain(['verify', token, '--jwks', `${base}/jwks.json`, '--json'], { now: NOW_MS }), {
      code: 0,
      stdout: `${JSON.stringify({ valid: true, header: { alg: 'ES256', typ: 'JWT', kid: 'es-1' }, payload })}\n`,
      stderr: '',
    })
    // the RSA key of the set, by its kid, from standard input
    const rsToken = sign(CLAIMS, rs.privateKey, { keyId: 'rs-1', noTimestamp: true })
    assert.deepEqual(await runMain(['verify', '--jwks', `${base}/jwks.json`], { input: `${rsToken}\n` }), {
      code: 0,
      stdout: pretty(CLAIMS),
      stderr: '',
    })
    // only the set's URL was fetched, once per run, with no credentials; the token never went to the server
    assert.deepEqual(requests.splice(0), [
      'GET /jwks.json undefined',
      'GET /jwks.json undefined',
      'GET /jwks.json undefined',
    ])
  })

  it('an explicit --jwks wins over JWT_SECRET from the environment, as --key-file does', async () => {
    const r = await runMain(['verify', esToken(), '--jwks', `${base}/jwks.json`], { env: SECRET_ENV, now: NOW_MS })
    assert.equal(r.code, 0, r.stderr)
    requests.splice(0)
  })

  it('a kid the set does not have is an invalid token: exit 1 and ERR_JWKS_NO_MATCH', async () => {
    const token = esToken({}, 'unknown-kid')
    const r = await runMain(['verify', token, '--jwks', `${base}/jwks.json`], { now: NOW_MS })
    assert.deepEqual(r, {
      code: 1,
      stdout: '',
      stderr: 'jwt verify: invalid token: ERR_JWKS_NO_MATCH: no key of the set has the token "kid"\n',
    })
    const j = await runMain(['verify', token, '--jwks', `${base}/jwks.json`, '--json'], { now: NOW_MS })
    assert.deepEqual(j, {
      code: 1,
      stdout: `${JSON.stringify({ valid: false, error: { code: 'ERR_JWKS_NO_MATCH', message: 'no key of the set has the token "kid"' } })}\n`,
      stderr: '',
    })
  })

  it('without a kid, the one key that fits the alg verifies; two that fit are ERR_JWKS_MULTIPLE_MATCHES', async () => {
    const rsToken = sign(CLAIMS, rs.privateKey, { algorithm: 'RS256', noTimestamp: true })
    assert.deepEqual(await runMain(['verify', rsToken, '--jwks', `${base}/jwks.json`]), {
      code: 0,
      stdout: pretty(CLAIMS),
      stderr: '',
    })
    const esToken = sign(CLAIMS, es2.privateKey, { noTimestamp: true })
    const r = await runMain(['verify', esToken, '--jwks', `${base}/jwks.json`])
    assert.equal(r.code, 1)
    assert.equal(r.stdout, '')
    assert.match(r.stderr, /^jwt verify: invalid token: ERR_JWKS_MULTIPLE_MATCHES: [^\n]+\n$/)
    requests.splice(0)
  })

  it('--alg narrows what the keys of the set may verify', async () => {
    const r = await runMain(['verify', esToken(), '--jwks', `${base}/jwks.json`, '--alg', 'RS256'], { now: NOW_MS })
    assert.equal(r.code, 1)
    assert.match(r.stderr, /^jwt verify: invalid token: ERR_JWT_ALGORITHM: [^\n]+\n$/)
    const ok = await runMain(['verify', esToken(), '--jwks', `${base}/jwks.json`, '--alg', 'ES256', '--alg', 'RS256'], {
      now: NOW_MS,
    })
    assert.equal(ok.code, 0, ok.stderr)
    requests.splice(0)
  })

  it('a key set that cannot be had is ERR_JWKS_UNAVAILABLE (exit 1), and the token is not called invalid', async () => {
    assert.deepEqual(await runMain(['verify', esToken(), '--jwks', downUrl], { now: NOW_MS }), {
      code: 1,
      stdout: '',
      stderr: 'jwt verify: cannot verify: ERR_JWKS_UNAVAILABLE: the key set cannot be reached\n',
    })
    assert.deepEqual(await runMain(['verify', esToken(), '--jwks', downUrl, '--json'], { now: NOW_MS }), {
      code: 1,
      stdout: `${JSON.stringify({ valid: false, error: { code: 'ERR_JWKS_UNAVAILABLE', message: 'the key set cannot be reached' } })}\n`,
      stderr: '',
    })
    assert.deepEqual(await runMain(['verify', esToken(), '--jwks', `${base}/missing.json`], { now: NOW_MS }), {
      code: 1,
      stdout: '',
      stderr: 'jwt verify: cannot verify: ERR_JWKS_UNAVAILABLE: the key set answered with status 404, not 200\n',
    })
    requests.splice(0)
  })

  it('--jwks-timeout bounds each fetch; a bad value, or one without a remote set, is a usage error', async () => {
    const r = await runMain(['verify', esToken(), '--jwks', `${base}/hang.json`, '--jwks-timeout', '0.2s'], {
      now: NOW_MS,
    })
    assert.deepEqual(r, {
      code: 1,
      stdout: '',
      stderr: 'jwt verify: cannot verify: ERR_JWKS_UNAVAILABLE: the key set did not answer in time\n',
    })
    const bad = usageError('--jwks-timeout must be a duration above zero with a unit, such as 2s or 0.5s')
    for (const value of ['5', '0s', '-1s', 'soon', '']) {
      assert.deepEqual(await runMain(['verify', 'x.y.z', '--jwks', `${base}/jwks.json`, `--jwks-timeout=${value}`]), {
        code: 2,
        stdout: '',
        stderr: bad,
      })
    }
    assert.deepEqual(await runMain(['verify', 'x.y.z', '--jwks-timeout', '2s'], { env: SECRET_ENV }), {
      code: 2,
      stdout: '',
      stderr: usageError('--jwks-timeout is for --jwks URL and --issuer-discovery ISSUER'),
    })
    requests.splice(0)
  })

  it('plain http: off loopback, credentials or a relative URL are refused as usage errors, before any input', async () => {
    const https = 'must be https: (plain http: only on localhost, 127.0.0.0/8 or [::1])'
    const cases: Array<[string[], string]> = [
      [['--jwks', 'http://login.example.com/jwks.json'], `--jwks: the key set URL ${https}`],
      [['--jwks', 'http://10.0.0.1/jwks.json'], `--jwks: the key set URL ${https}`],
      [['--jwks', 'https://user:pw@login.example.com/jwks.json'], '--jwks: the key set URL must not carry credentials'],
      [['--jwks', 'jwks.json'], '--jwks: the key set URL must be an absolute URL'],
      [['--issuer-discovery', 'http://login.example.com'], `--issuer-discovery: the issuer ${https}`],
      [
        ['--issuer-discovery', 'https://login.example.com/?tenant=1'],
        '--issuer-discovery: the issuer must not have a query or a fragment (OpenID Connect Discovery §2)',
      ],
    ]
    for (const [args, message] of cases) {
      // standard input holds a token but is never read: the mistake is reported first
      assert.deepEqual(await runMain(['verify', ...args], { input: esToken() }), {
        code: 2,
        stdout: '',
        stderr: usageError(message),
      })
    }
    assert.deepEqual(requests, [])
  })

  it('a remote set is the one key source: --key-file, --secret-file, --secret-encoding and the other remote flag are refused', async () => {
    const keyFile = tmp.file('es.pub', es.publicKey.export({ type: 'spki', format: 'pem' }))
    const cases: Array<[string[], string]> = [
      [['--jwks', `${base}/jwks.json`, '--key-file', keyFile], '--jwks and --key-file cannot be combined'],
      [['--jwks', `${base}/jwks.json`, '--secret-file', keyFile], '--jwks and --secret-file cannot be combined'],
      [
        ['--issuer-discovery', base, '--secret-encoding', 'hex'],
        '--issuer-discovery and --secret-encoding cannot be combined',
      ],
      [
        ['--jwks', `${base}/jwks.json`, '--issuer-discovery', base],
        '--jwks and --issuer-discovery cannot be combined: discovery finds the jwks_uri itself',
      ],
    ]
    for (const [args, message] of cases) {
      assert.deepEqual(await runMain(['verify', 'x.y.z', ...args]), {
        code: 2,
        stdout: '',
        stderr: usageError(message),
      })
    }
    assert.deepEqual(requests, [])
  })

  it('--issuer-discovery ISSUER: the jwks_uri of the issuer document, and "iss" must be ISSUER', async () => {
    const good = esToken({ iss: base })
    assert.deepEqual(await runMain(['verify', good, '--issuer-discovery', base], { now: NOW_MS }), {
      code: 0,
      stdout: pretty({ ...CLAIMS, iss: base, iat: NOW, exp: NOW + 3600 }),
      stderr: '',
    })
    assert.deepEqual(requests.splice(0), [
      'GET /.well-known/openid-configuration undefined',
      'GET /jwks.json undefined',
    ])

    // an issuer with a path and a trailing slash: the document is under the path, and "iss" is the issuer as given
    const tenant = `${base}/tenant/`
    const r = await runMain(['verify', esToken({ iss: tenant }), '--issuer-discovery', tenant], { now: NOW_MS })
    assert.equal(r.code, 0, r.stderr)
    assert.deepEqual(requests.splice(0), [
      'GET /tenant/.well-known/openid-configuration undefined',
      'GET /jwks.json undefined',
    ])

    // a token of another issuer, signed by a key of this one's set, is refused on its "iss"
    for (const iss of [`${base}/`, 'https://login.example.com', undefined]) {
      const other = await runMain(['verify', esToken({ iss }), '--issuer-discovery', base, '--json'], { now: NOW_MS })
      assert.equal(other.code, 1)
      const { error } = JSON.parse(other.stdout) as { error: { code: string; claim: string } }
      assert.deepEqual([error.code, error.claim], ['ERR_JWT_CLAIM', 'iss'])
    }
    // --iss replaces the implied check
    const other = esToken({ iss: 'https://login.example.com' })
    const allowed = await runMain(['verify', other, '--issuer-discovery', base, '--iss', 'https://login.example.com'], {
      now: NOW_MS,
    })
    assert.equal(allowed.code, 0, allowed.stderr)
    requests.splice(0)
  })

  it('a discovery document that names another issuer, or none at all, gives no keys: ERR_JWKS_UNAVAILABLE', async () => {
    const impostor = `${base}/impostor`
    assert.deepEqual(
      await runMain(['verify', esToken({ iss: impostor }), '--issuer-discovery', impostor], { now: NOW_MS }),
      {
        code: 1,
        stdout: '',
        stderr: 'jwt verify: cannot verify: ERR_JWKS_UNAVAILABLE: the discovery document names another issuer\n',
      },
    )
    // its jwks_uri was never fetched
    assert.deepEqual(requests.splice(0), ['GET /impostor/.well-known/openid-configuration undefined'])
    const nowhere = `${base}/nowhere`
    const r = await runMain(['verify', esToken({ iss: nowhere }), '--issuer-discovery', nowhere], { now: NOW_MS })
    assert.deepEqual(r, {
      code: 1,
      stdout: '',
      stderr:
        'jwt verify: cannot verify: ERR_JWKS_UNAVAILABLE: the discovery document answered with status 404, not 200\n',
    })
    requests.splice(0)
  })

  it('the real executable fetches the set and exits (no open connection keeps it alive)', async () => {
    const token = sign(CLAIMS, es.privateKey, { keyId: 'es-1', expiresIn: '1h' })
    const r = await jwt(['verify', token, '--jwks', `${base}/jwks.json`, '--json'])
    assert.equal(r.code, 0, r.stderr)
    assert.deepEqual((JSON.parse(r.stdout) as { payload: unknown; valid: boolean }).valid, true)
    assert.equal(r.stderr, '')
    requests.splice(0)
  })

  it('the help names the remote key set options', () => {
    for (const text of ['--jwks URL', '--issuer-discovery ISSUER', '--jwks-timeout DURATION']) {
      assert.ok(HELP.verify.includes(text), text)
    }
  })
})
