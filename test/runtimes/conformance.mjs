// The conformance suite: what the built package (dist/, after `npm run build`) must do on every runtime it claims.
// Plain JavaScript, so that Node, Bun and Deno each run it as it is, without a loader:
//
//   node test/runtimes/conformance.mjs
//   bun test/runtimes/conformance.mjs
//   deno run --allow-all test/runtimes/conformance.mjs
//
// `npm run test:runtimes` (scripts/runtimes.mjs) installs the pinned runtimes and runs it on each. It prints the
// runtime first, one line per check, and closes with `N passed, N failed`; it exits non-zero on any failure.
// Expected MACs come from node:crypto's createHmac, independently of the package's own HMAC over `crypto.hash`.

import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { constants, createHmac, verify as cryptoVerify, generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esm from '../../dist/index.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const cjs = createRequire(import.meta.url)('../../dist/cjs/index.js')

const { Bun, Deno } = globalThis
const RUNTIME = Deno ? `deno ${Deno.version.deno}` : Bun ? `bun ${Bun.version}` : `node ${process.versions.node}`

/** Every algorithm the package has, with the secret length its hash needs (RFC 7518 §3.2): one line each. */
const ALGORITHMS = [
  ['HS256', 'sha256', 32],
  ['HS384', 'sha384', 48],
  ['HS512', 'sha512', 64],
]
/**
 * Every key-pair algorithm, with the key it needs and node:crypto's own options for checking its signatures
 * independently of the package: one line each.
 */
const RSA = generateKeyPairSync('rsa', { modulusLength: 2048 })
const P256 = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const P384 = generateKeyPairSync('ec', { namedCurve: 'P-384' })
const P521 = generateKeyPairSync('ec', { namedCurve: 'P-521' })
const ED25519 = generateKeyPairSync('ed25519')
const PSS = (saltLength) => ({ padding: constants.RSA_PKCS1_PSS_PADDING, saltLength })
const RAW = { dsaEncoding: 'ieee-p1363' }
const KEY_PAIR_ALGORITHMS = [
  ['RS256', RSA, 'sha256', {}],
  ['RS384', RSA, 'sha384', {}],
  ['RS512', RSA, 'sha512', {}],
  ['PS256', RSA, 'sha256', PSS(32)],
  ['PS384', RSA, 'sha384', PSS(48)],
  ['PS512', RSA, 'sha512', PSS(64)],
  ['ES256', P256, 'sha256', RAW],
  ['ES384', P384, 'sha384', RAW],
  ['ES512', P521, 'sha512', RAW],
  ['EdDSA', ED25519, null, {}],
  ['Ed25519', ED25519, null, {}],
]
const SECRET = 'conformance-secret-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ'
const OTHER = 'another-conformance-secret-9876543210-zyxwvutsrqponmlkjihgfedcba-ZY'
const NOW = 1_700_000_000
const REALM = 'conformance'

const b64 = (text) => Buffer.from(text).toString('base64url')
/** A token made without the package: header and payload JSON, MAC by createHmac. */
function forge(header, payload, secret = SECRET, hash = 'sha256') {
  const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}`
  return `${input}.${createHmac(hash, secret).update(input).digest('base64url')}`
}
/** Changes a signature char other than the last, so the segment stays canonical and only the MAC is wrong. */
function tampered(token) {
  const i = token.length - 5
  return token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1)
}
/** The last signature char with a non-zero trailing bit: the same bytes spelt another way (RFC 4648 §3.5). */
function nonCanonical(token) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  return token.slice(0, -1) + alphabet[alphabet.indexOf(token.at(-1)) | 1]
}

/** Runs fn and returns the JwtError it threw (or the rejection), asserting its class, code and status. */
async function refusal(lib, fn, code, status) {
  try {
    await fn()
  } catch (error) {
    assert.ok(error instanceof lib.JwtError, `a JwtError, not ${error?.name}`)
    assert.equal(lib.isJwtError(error), true)
    assert.deepEqual([error.code, error.status], [code, status])
    return error
  }
  assert.fail(`expected ${code}, nothing was thrown`)
}

const checks = []
const check = (name, fn) => checks.push([name, fn])

for (const [kind, lib] of [
  ['esm', esm],
  ['cjs', cjs],
]) {
  for (const [alg, hash, bytes] of ALGORITHMS) {
    check(`${kind} ${alg}: sign is byte-for-byte an independent HMAC, verify returns the claims`, () => {
      const claims = { sub: 'u1', role: 'admin', iat: NOW, exp: NOW + 3600 }
      const expected = forge({ alg, typ: 'JWT' }, claims, SECRET, hash)
      const token = lib.sign({ sub: 'u1', role: 'admin' }, SECRET, { algorithm: alg, now: NOW, expiresIn: '1h' })
      assert.equal(token, expected)
      assert.deepStrictEqual(lib.verify(token, SECRET, { algorithms: [alg], now: NOW + 1 }), claims)
      const verifier = lib.createVerifier(SECRET, { algorithms: [alg], now: NOW + 1 })
      assert.deepStrictEqual(
        verifier(lib.createSigner(SECRET, { algorithm: alg, now: NOW, expiresIn: 3600 })({ sub: 'u1', role: 'admin' })),
        claims,
      )
    })
    check(`${kind} ${alg}: a secret shorter than the hash is ERR_JWT_INVALID_OPTION (500)`, async () => {
      await refusal(
        lib,
        () => lib.createSigner('x'.repeat(bytes - 1), { algorithm: alg }),
        'ERR_JWT_INVALID_OPTION',
        500,
      )
    })
  }

  for (const [alg, pair, hash, cryptoOptions] of KEY_PAIR_ALGORITHMS) {
    check(`${kind} ${alg}: signs what node:crypto verifies; verifies with PEM, JWK and KeyObject keys`, async () => {
      const claims = { sub: 'u1', iat: NOW }
      const token = lib.sign({ sub: 'u1' }, pair.privateKey, { algorithm: alg, now: NOW })
      const [head, body, signature] = token.split('.')
      assert.deepStrictEqual(JSON.parse(Buffer.from(head, 'base64url').toString()), { alg, typ: 'JWT' })
      const input = Buffer.from(`${head}.${body}`)
      const key = { key: pair.publicKey, ...cryptoOptions }
      assert.equal(cryptoVerify(hash, input, key, Buffer.from(signature, 'base64url')), true)
      const pem = pair.publicKey.export({ type: 'spki', format: 'pem' })
      const jwk = pair.publicKey.export({ format: 'jwk' })
      for (const publicKey of [pem, jwk, pair.publicKey]) {
        assert.deepStrictEqual(lib.verify(token, publicKey, { algorithms: [alg], now: NOW }), claims)
      }
      await refusal(
        lib,
        () => lib.verify(tampered(token), pem, { algorithms: [alg], now: NOW }),
        'ERR_JWT_SIGNATURE',
        401,
      )
      // One key, one family: an HMAC algorithm can never be configured with the public key.
      await refusal(lib, () => lib.createVerifier(pem, { algorithms: ['HS256'] }), 'ERR_JWT_INVALID_OPTION', 500)
      await refusal(lib, () => lib.createSigner(pair.publicKey, { algorithm: alg }), 'ERR_JWT_INVALID_OPTION', 500)
    })
  }

  check(`${kind}: strict decoding refuses each bad token with its code (401)`, async () => {
    const good = lib.sign({ sub: 'u1' }, SECRET, { now: NOW })
    const v = (token) => () => lib.verify(token, SECRET, { now: NOW })
    await refusal(lib, v(tampered(good)), 'ERR_JWT_SIGNATURE', 401)
    await refusal(lib, v(lib.sign({ sub: 'u1' }, OTHER, { now: NOW })), 'ERR_JWT_SIGNATURE', 401)
    await refusal(lib, v(nonCanonical(good)), 'ERR_JWT_MALFORMED', 401)
    await refusal(lib, v(`${good}=`), 'ERR_JWT_MALFORMED', 401)
    await refusal(lib, v('abc.def'), 'ERR_JWT_MALFORMED', 401)
    await refusal(lib, v(`${b64('{"alg":"none"}')}.${b64('{"sub":"admin"}')}.`), 'ERR_JWT_ALGORITHM', 401)
    await refusal(lib, v(`${b64('{"alg":"NoNe"}')}.${b64('{"sub":"admin"}')}.`), 'ERR_JWT_ALGORITHM', 401)
    await refusal(lib, v(forge({ alg: 'HS512' }, { sub: 'u1' }, SECRET, 'sha512')), 'ERR_JWT_ALGORITHM', 401)
    await refusal(lib, v(`\u00ef\u00bb\u00bf${good}`), 'ERR_JWT_MALFORMED', 401)
  })

  check(`${kind}: claim errors carry their codes, statuses and details`, async () => {
    const token = lib.sign({ sub: 'u1', iss: 'a' }, SECRET, { now: NOW, expiresIn: 60, notBefore: 10 })
    const expired = await refusal(lib, () => lib.verify(token, SECRET, { now: NOW + 60 }), 'ERR_JWT_EXPIRED', 401)
    assert.deepStrictEqual(expired.expiredAt, new Date((NOW + 60) * 1000))
    const early = await refusal(lib, () => lib.verify(token, SECRET, { now: NOW }), 'ERR_JWT_NOT_BEFORE', 401)
    assert.deepStrictEqual(early.date, new Date((NOW + 10) * 1000))
    const claim = await refusal(
      lib,
      () => lib.verify(token, SECRET, { now: NOW + 20, issuer: 'b' }),
      'ERR_JWT_CLAIM',
      401,
    )
    assert.equal(claim.claim, 'iss')
    await refusal(lib, () => lib.verify(token, SECRET, { audiance: 'x' }), 'ERR_JWT_INVALID_OPTION', 500)
  })

  check(`${kind}: decodeUnverified and base64url`, () => {
    const token = forge({ alg: 'HS256', kid: 'k1' }, { sub: 'u1', n: [1, { a: null }] })
    const { header, payload } = lib.decodeUnverified(token)
    assert.deepStrictEqual(
      [header, payload],
      [
        { alg: 'HS256', kid: 'k1' },
        { sub: 'u1', n: [1, { a: null }] },
      ],
    )
    assert.equal(lib.base64url.encode('\u00ff\u00fe hi'), b64('\u00ff\u00fe hi'))
    assert.deepStrictEqual([...lib.base64url.decode('AP_-')], [0, 255, 254])
    assert.equal(lib.base64url.decodeToString('aMOp'), 'h\u00e9')
    assert.throws(() => lib.base64url.decode('AP_-='), { code: 'ERR_JWT_MALFORMED' })
    assert.throws(() => lib.base64url.decode('AB'), { code: 'ERR_JWT_MALFORMED' })
  })
}

// The CLI as installed: dist/bin.js run by this very runtime.
function runtimeCommand(file, args) {
  if (Deno) return [Deno.execPath(), ['run', '--allow-all', '--no-prompt', file, ...args]]
  return [process.execPath, [file, ...args]]
}
function run(file, args, env) {
  const [cmd, argv] = runtimeCommand(file, args)
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'pipe' })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
    child.stdin.end()
  })
}

check('cli: jwt sign and jwt verify (secret in JWT_SECRET) print and exit as documented', async () => {
  const env = { JWT_SECRET: SECRET }
  const signed = await run('dist/bin.js', ['sign', '{"sub":"42","role":"admin"}', '--no-iat'], env)
  const expected = forge({ alg: 'HS256', typ: 'JWT' }, { sub: '42', role: 'admin' })
  assert.deepStrictEqual(signed, { code: 0, stdout: `${expected}\n`, stderr: '' })
  const verified = await run('dist/bin.js', ['verify', expected], env)
  assert.deepStrictEqual(verified, {
    code: 0,
    stdout: `${JSON.stringify({ sub: '42', role: 'admin' }, null, 2)}\n`,
    stderr: '',
  })
  assert.deepStrictEqual(await run('dist/bin.js', ['verify', tampered(expected)], env), {
    code: 1,
    stdout: '',
    stderr: 'jwt verify: invalid token: ERR_JWT_SIGNATURE: the signature does not match\n',
  })
  const noSecret = await run('dist/bin.js', ['verify', expected], {})
  assert.deepStrictEqual([noSecret.code, noSecret.stdout], [2, ''])
  assert.match(
    noSecret.stderr,
    /^jwt verify: no key: pass --key-file PATH \(a PEM or JWK file\), or for an HMAC secret --secret-file PATH or the JWT_SECRET environment variable\n/,
  )
})

check(
  'cli: jwt keygen writes a 0600 private key and never replaces it; sign and verify use the key files',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwt-codec-conformance-'))
    try {
      for (const alg of ['ES256', 'RS256', 'EdDSA']) {
        const out = join(dir, alg)
        const made = await run('dist/bin.js', ['keygen', '--alg', alg, '--out', out, '--json'], {})
        assert.equal(made.code, 0, made.stderr)
        const { kid } = JSON.parse(made.stdout)
        assert.equal(kid, esm.jwkThumbprint(readFileSync(`${out}.pub`, 'utf8')))
        if (process.platform !== 'win32') assert.equal(statSync(`${out}.key`).mode & 0o777, 0o600)
        const again = await run('dist/bin.js', ['keygen', '--alg', alg, '--out', out], {})
        assert.deepStrictEqual(again, {
          code: 1,
          stdout: '',
          stderr: `jwt keygen: ERR_CLI_OUTPUT: ${out}.key already exists; keygen never replaces a file\n`,
        })
        const signed = await run('dist/bin.js', ['sign', '{"sub":"42"}', '--no-iat', '--key-file', `${out}.key`], {})
        assert.equal(signed.code, 0, signed.stderr)
        const token = signed.stdout.trim()
        assert.deepStrictEqual(esm.decodeUnverified(token).header, { alg, typ: 'JWT' })
        assert.deepStrictEqual(await run('dist/bin.js', ['verify', token, '--key-file', `${out}.pub`], {}), {
          code: 0,
          stdout: `${JSON.stringify({ sub: '42' }, null, 2)}\n`,
          stderr: '',
        })
        assert.deepStrictEqual(esm.verify(token, readFileSync(`${out}.pub`, 'utf8')), { sub: '42' })
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  },
)

/** The answers every server must give (the same as the node:http and Fetch tests expect). */
async function exchanges(url, realm, secret) {
  const good = esm.sign({ sub: 'u1' }, secret, { expiresIn: '1h' })
  const ok = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${good}` } })
  assert.equal(ok.status, 200)
  assert.deepStrictEqual(await ok.json(), { sub: 'u1' })

  const none = await fetch(`${url}/me`)
  assert.equal(none.status, 401)
  assert.equal(none.headers.get('www-authenticate'), `Bearer realm="${realm}"`)
  assert.deepStrictEqual(await none.json(), { error: 'unauthorized', error_description: 'a bearer token is required' })

  const bad = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${tampered(good)}` } })
  assert.equal(bad.status, 401)
  assert.equal(
    bad.headers.get('www-authenticate'),
    `Bearer realm="${realm}", error="invalid_token", error_description="the token signature is invalid"`,
  )
  await bad.arrayBuffer()

  const other = esm.sign({ sub: 'u2' }, secret, { expiresIn: '1h' })
  const two = await fetch(`${url}/me?access_token=${other}`, { headers: { authorization: `Bearer ${good}` } })
  assert.equal(two.status, 400)
  assert.match(two.headers.get('www-authenticate') ?? '', /error="invalid_request"/)
  await two.arrayBuffer()
}

/** A Fetch handler over the built package: what Bun.serve and Deno.serve are given. */
const auth = { secret: SECRET, realm: REALM }
async function handle(request) {
  try {
    const claims = await esm.authenticateRequest(request, auth)
    return Response.json({ sub: claims?.sub ?? null })
  } catch (error) {
    return esm.errorResponse(error, auth)
  }
}

check('node:http server with withJwt on 127.0.0.1, port 0', async () => {
  const server = createServer(
    esm.withJwt(auth, (req, res) => {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ sub: req.user?.sub ?? null }))
    }),
  )
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    await exchanges(`http://127.0.0.1:${server.address().port}`, REALM, SECRET)
  } finally {
    // Drops fetch's keep-alive connections so close() returns at once (optional: not every runtime's node:http has it).
    server.closeAllConnections?.()
    await new Promise((resolve) => server.close(resolve))
  }
})

if (Bun) {
  check('Bun.serve with authenticateRequest and errorResponse on 127.0.0.1, port 0', async () => {
    const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: handle })
    try {
      await exchanges(`http://127.0.0.1:${server.port}`, REALM, SECRET)
    } finally {
      await server.stop(true)
    }
  })
}

if (Deno) {
  check('Deno.serve with authenticateRequest and errorResponse on 127.0.0.1, port 0', async () => {
    const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen() {} }, handle)
    try {
      await exchanges(`http://127.0.0.1:${server.addr.port}`, REALM, SECRET)
    } finally {
      await server.shutdown()
    }
  })
}

/** Starts an example with PORT=0 and resolves with its URL once it prints `listening on <url>`. */
function startExample(cmd, argv, env) {
  const child = spawn(cmd, argv, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'pipe' })
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    child.stderr.on('data', (d) => {
      err += d
    })
    child.stdout.on('data', (d) => {
      out += d
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) resolve({ url: m[1], stop: () => new Promise((done) => child.once('close', done).kill()) })
    })
    child.on('close', (code) =>
      reject(new Error(`the example exited (${code}) before listening: ${err.slice(0, 500)}`)),
    )
  })
}

const EXAMPLE = Bun
  ? ['examples/bun.ts', [process.execPath, ['examples/bun.ts']]]
  : Deno
    ? [
        'examples/deno.ts',
        [
          Deno.execPath(),
          ['run', '--allow-net=127.0.0.1', '--allow-env', '--allow-read', '--sloppy-imports', 'examples/deno.ts'],
        ],
      ]
    : undefined
if (EXAMPLE) {
  check(`${EXAMPLE[0]} serves on 127.0.0.1, port 0, and answers alike`, async () => {
    const example = await startExample(...EXAMPLE[1], { JWT_SECRET: SECRET, PORT: '0' })
    try {
      await exchanges(example.url, 'example', SECRET)
    } finally {
      await example.stop()
    }
  })
}

console.log(`runtime: ${RUNTIME}`)
let passed = 0
let failed = 0
for (const [name, fn] of checks) {
  try {
    await fn()
    passed++
    console.log(`ok - ${name}`)
  } catch (error) {
    failed++
    console.log(`FAIL - ${name}`)
    console.log(
      `  ${String(error?.stack ?? error)
        .split('\n')
        .slice(0, 6)
        .join('\n  ')}`,
    )
  }
}
console.log(`${passed} passed, ${failed} failed`)
process.exitCode = failed === 0 ? 0 : 1
