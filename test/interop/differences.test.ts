/**
 * Where a peer accepts what jwt-codec refuses. Each test names one difference, asserts what each peer actually
 * does today and what we do, so a peer that changes behaviour (or a regression of ours) shows up here. The table
 * in README's security section is this file in prose.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createVerifier, verify } from '../../src/index.js'
import { b64, forge, forgeSegments, SECRET, throwsCode } from '../helpers/forge.js'
import { verdicts } from './peers.js'

const now = () => Math.floor(Date.now() / 1000)
const H = b64('{"alg":"HS256","typ":"JWT"}')
const ALL_ACCEPT = { jsonwebtoken: true, jose: true, 'fast-jwt': true, 'jwt-simple': true }

test('a payload segment with non-zero trailing bits (a second spelling of the same bytes)', async () => {
  const canonical = b64('{"sub":"420"}') // ends in a partial quantum
  const respelled = `${canonical.slice(0, -1)}R` // "Q" -> "R": sets an unused low bit
  assert.equal(Buffer.from(respelled, 'base64url').toString(), '{"sub":"420"}')
  const token = forgeSegments(H, respelled)
  assert.deepEqual(await verdicts(token, SECRET), ALL_ACCEPT)
  throwsCode(() => verify(token, SECRET), 'ERR_JWT_MALFORMED')
})

test('a payload segment with "=" padding', async () => {
  const token = forgeSegments(H, Buffer.from('{"sub":"420"}').toString('base64'))
  assert.deepEqual(await verdicts(token, SECRET), {
    jsonwebtoken: false,
    jose: true,
    'fast-jwt': false,
    'jwt-simple': true,
  })
  throwsCode(() => verify(token, SECRET), 'ERR_JWT_MALFORMED')
})

test('a signature segment with "=" padding', async () => {
  const token = `${forge({ alg: 'HS256' }, { sub: '1' })}=`
  assert.deepEqual(await verdicts(token, SECRET), {
    jsonwebtoken: false,
    jose: true,
    'fast-jwt': false,
    'jwt-simple': false,
  })
  throwsCode(() => verify(token, SECRET), 'ERR_JWT_MALFORMED')
})

test('exp: 1e400 (parses to Infinity: "never expires")', async () => {
  const token = forge({ alg: 'HS256' }, '{"sub":"1","exp":1e400}')
  assert.deepEqual(await verdicts(token, SECRET), ALL_ACCEPT)
  assert.equal(throwsCode(() => verify(token, SECRET), 'ERR_JWT_CLAIM').claim, 'exp')
})

test('nbf: -1e400 (parses to -Infinity)', async () => {
  const token = forge({ alg: 'HS256' }, '{"sub":"1","nbf":-1e400}')
  assert.deepEqual(await verdicts(token, SECRET), ALL_ACCEPT)
  assert.equal(throwsCode(() => verify(token, SECRET), 'ERR_JWT_CLAIM').claim, 'nbf')
})

test('exp as a numeric string', async () => {
  const token = forge({ alg: 'HS256' }, { sub: '1', exp: String(now() + 3600) })
  assert.deepEqual(await verdicts(token, SECRET), {
    jsonwebtoken: false,
    jose: false,
    'fast-jwt': false,
    'jwt-simple': true,
  })
  assert.equal(throwsCode(() => verify(token, SECRET), 'ERR_JWT_CLAIM').claim, 'exp')
})

test('an issuer is configured and the token has no iss', async () => {
  const token = forge({ alg: 'HS256' }, { sub: '1' })
  // jwt-simple has no issuer option at all, so nothing checks iss there.
  const v = await verdicts(token, SECRET, { algorithms: ['HS256'], issuer: 'auth.example' })
  assert.deepEqual(v, { jsonwebtoken: false, jose: false, 'fast-jwt': true, 'jwt-simple': true })
  assert.equal(throwsCode(() => verify(token, SECRET, { issuer: 'auth.example' }), 'ERR_JWT_CLAIM').claim, 'iss')
})

test('a crit header naming an extension nobody understands', async () => {
  const token = forge({ alg: 'HS256', crit: ['x-unknown'], 'x-unknown': 1 }, { sub: '1' })
  assert.deepEqual(await verdicts(token, SECRET), {
    jsonwebtoken: true,
    jose: false,
    'fast-jwt': false,
    'jwt-simple': true,
  })
  throwsCode(() => verify(token, SECRET), 'ERR_JWT_HEADER')
})

test('"b64": false without crit (RFC 7797 unencoded payload, silently misread)', async () => {
  const token = forge({ alg: 'HS256', b64: false }, { sub: '1' })
  assert.deepEqual(await verdicts(token, SECRET), ALL_ACCEPT)
  throwsCode(() => verify(token, SECRET), 'ERR_JWT_HEADER')
})

test('a token longer than 8192 characters (no default size limit)', async () => {
  const token = forge({ alg: 'HS256' }, { sub: '1', pad: 'x'.repeat(20_000) })
  assert.deepEqual(await verdicts(token, SECRET), ALL_ACCEPT)
  throwsCode(() => verify(token, SECRET), 'ERR_JWT_MALFORMED')
  assert.equal(verify(token, SECRET, { maxTokenLength: 30_000 }).sub, '1')
})

test('a 5-byte HS256 secret (RFC 7518 §3.2 asks for at least 32)', async () => {
  const token = forge({ alg: 'HS256' }, { sub: '1' }, { key: 'short' })
  assert.deepEqual(await verdicts(token, 'short'), ALL_ACCEPT)
  throwsCode(() => createVerifier('short'), 'ERR_JWT_INVALID_OPTION')
})

test('a byte-order mark before the payload JSON', async () => {
  const token = forge({ alg: 'HS256' }, '\ufeff{"sub":"1"}')
  assert.deepEqual(await verdicts(token, SECRET), {
    jsonwebtoken: true,
    jose: true,
    'fast-jwt': false,
    'jwt-simple': false,
  })
  throwsCode(() => verify(token, SECRET), 'ERR_JWT_MALFORMED')
})

test('invalid UTF-8 in the payload (read as U+FFFD by lenient decoders)', async () => {
  const token = forgeSegments(H, b64(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))) // {"a":"\xff"}
  assert.deepEqual(await verdicts(token, SECRET), {
    jsonwebtoken: true,
    jose: false,
    'fast-jwt': true,
    'jwt-simple': true,
  })
  throwsCode(() => verify(token, SECRET), 'ERR_JWT_MALFORMED')
})

test('an HS512 token checked with no algorithm given (the default allowlist)', async () => {
  const token = forge({ alg: 'HS512' }, { sub: '1' })
  assert.deepEqual(await verdicts(token, SECRET, { algorithms: undefined }), ALL_ACCEPT)
  throwsCode(() => verify(token, SECRET), 'ERR_JWT_ALGORITHM')
})
