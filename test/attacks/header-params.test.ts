/**
 * Header parameter attacks (RFC 7515 §4.1): `crit` must be understood or the token refused (§4.1.11); `b64: false`
 * (RFC 7797) is not supported; `jwk`, `jku`, `x5u`, `x5c` and `kid` are data to us, never a source of keys: nothing
 * is fetched, nothing is read from disk, an embedded key is never used (RFC 8725 §3.10).
 */
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { verify } from '../../src/index.js'
import { b64, forge, NOW, OTHER_SECRET, SECRET, throwsCode } from '../helpers/forge.js'

const at = { now: NOW }
const P = { sub: '42' }
const h = (extra: object) => ({ alg: 'HS256', ...extra })

describe('crit', () => {
  test('an extension the caller does not understand', () => {
    throwsCode(() => verify(forge(h({ crit: ['exp'], exp: NOW }), P), SECRET, at), 'ERR_JWT_HEADER')
    throwsCode(
      () => verify(forge(h({ crit: ['http://example.com/x'], 'http://example.com/x': 1 }), P), SECRET, at),
      'ERR_JWT_HEADER',
    )
  })
  test('understood: the same token verifies when the caller lists the extension', () => {
    assert.deepEqual(verify(forge(h({ crit: ['exp'], exp: NOW }), P), SECRET, { ...at, crit: ['exp'] }), P)
  })
  test('one understood and one not', () => {
    const token = forge(h({ crit: ['a', 'b'], a: 1, b: 2 }), P)
    throwsCode(() => verify(token, SECRET, { ...at, crit: ['a'] }), 'ERR_JWT_HEADER')
  })
  const malformed: Record<string, object> = {
    'an empty array': { crit: [] },
    'a string instead of an array': { crit: 'a', a: 1 },
    null: { crit: null },
    'an object': { crit: { a: true }, a: 1 },
    'a number in the list': { crit: [1] },
    'a duplicate name': { crit: ['a', 'a'], a: 1 },
    'a name that is not in the header': { crit: ['a'] },
    'a registered name (alg)': { crit: ['alg'] },
    'a registered name (kid)': { crit: ['kid'], kid: 'k' },
    'a registered name (crit itself)': { crit: ['crit'] },
  }
  for (const [name, extra] of Object.entries(malformed)) {
    test(`malformed: ${name}`, () => {
      // Even a caller that "understands" everything named here must refuse it.
      throwsCode(
        () => verify(forge(h(extra), P), SECRET, { ...at, crit: ['a', 'alg', 'kid', 'crit'] }),
        'ERR_JWT_HEADER',
      )
    })
  }
  test('crit is checked before the MAC: a bad crit with a wrong MAC is a header error', () => {
    throwsCode(() => verify(forge(h({ crit: ['zz'], zz: 1 }), P, { key: OTHER_SECRET }), SECRET, at), 'ERR_JWT_HEADER')
  })
})

describe('b64 (RFC 7797 unencoded payload)', () => {
  test('b64: false', () => {
    throwsCode(() => verify(forge(h({ b64: false }), P), SECRET, at), 'ERR_JWT_HEADER')
  })
  test('b64: false with crit ["b64"], understood by the caller', () => {
    throwsCode(
      () => verify(forge(h({ b64: false, crit: ['b64'] }), P), SECRET, { ...at, crit: ['b64'] }),
      'ERR_JWT_HEADER',
    )
  })
  test('b64 as a string or a number', () => {
    for (const b of ['false', 0, null]) throwsCode(() => verify(forge(h({ b64: b }), P), SECRET, at), 'ERR_JWT_HEADER')
  })
  test('b64: true is the default and verifies', () => {
    assert.deepEqual(verify(forge(h({ b64: true }), P), SECRET, at), P)
  })
  test('an unencoded payload body (JWS with a "." in the payload) is refused at the split', () => {
    const input = `${b64(JSON.stringify(h({ b64: false, crit: ['b64'] })))}.$.02`
    throwsCode(() => verify(`${input}.x`, SECRET, { ...at, crit: ['b64'] }), 'ERR_JWT_MALFORMED')
  })
})

describe('typ', () => {
  test('a different typ than the one required', () => {
    throwsCode(() => verify(forge(h({ typ: 'at+jwt' }), P), SECRET, { ...at, typ: 'JWT' }), 'ERR_JWT_HEADER')
  })
  test('missing or not a string when one is required', () => {
    throwsCode(() => verify(forge(h({}), P), SECRET, { ...at, typ: 'JWT' }), 'ERR_JWT_HEADER')
    throwsCode(() => verify(forge(h({ typ: ['JWT'] }), P), SECRET, { ...at, typ: 'JWT' }), 'ERR_JWT_HEADER')
  })
  test('case and the application/ prefix do not matter (RFC 7515 §4.1.9)', () => {
    for (const typ of ['jwt', 'JWT', 'application/jwt', 'Application/JWT']) {
      assert.deepEqual(verify(forge(h({ typ }), P), SECRET, { ...at, typ: 'JWT' }), P)
    }
    assert.deepEqual(verify(forge(h({ typ: 'at+jwt' }), P), SECRET, { ...at, typ: 'application/at+JWT' }), P)
  })
})

describe('jwk, jku, x5u, x5c, kid: never a source of keys', () => {
  const attackerKey = 'attacker-secret-attacker-secret-attacker-secret-attacker-secret!!'
  const attackerJwk = { kty: 'oct', k: b64(attackerKey) }
  let server: Server
  let url: string
  let hits = 0

  before(async () => {
    server = createServer((_req, res) => {
      hits++
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ keys: [attackerJwk] }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`
  })
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  /** Lets any request a verifier might have started reach the server, then reads the counter. */
  async function hitsAfterSettling(): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, 100))
    return hits
  }

  test('an embedded jwk with the attacker key, MACed with that key', () => {
    throwsCode(() => verify(forge(h({ jwk: attackerJwk }), P, { key: attackerKey }), SECRET, at), 'ERR_JWT_SIGNATURE')
  })
  test('an embedded jwk is carried as data when the MAC is ours', () => {
    const r = verify(forge(h({ jwk: attackerJwk }), P), SECRET, { ...at, complete: true })
    assert.deepEqual(r.header.jwk, attackerJwk)
  })
  test('jku and x5u pointing at a live server: refused, and the server is never asked', async () => {
    for (const param of ['jku', 'x5u']) {
      throwsCode(() => verify(forge(h({ [param]: url }), P, { key: attackerKey }), SECRET, at), 'ERR_JWT_SIGNATURE')
      assert.deepEqual(verify(forge(h({ [param]: url }), P), SECRET, at), P)
    }
    assert.equal(await hitsAfterSettling(), 0)
    // Self-check: the server does answer when someone does ask.
    assert.equal((await (await fetch(url)).json()).keys[0].kty, 'oct')
    assert.equal(hits, 1)
  })
  test('x5c with a certificate chain: ignored as a key source', () => {
    const x5c = ['MIIBszCCAVmgAwIBAgIU'] // shape only: nothing parses it
    throwsCode(() => verify(forge(h({ x5c }), P, { key: attackerKey }), SECRET, at), 'ERR_JWT_SIGNATURE')
  })
  const kids = [
    '../../../../../../dev/null',
    "' OR '1'='1' --",
    '$(touch /tmp/pwned)',
    '|cat /etc/passwd',
    'http://127.0.0.1:1/',
    '\u0000',
  ]
  for (const kid of kids) {
    test(`kid ${JSON.stringify(kid)}, MACed with an empty key (the contents of /dev/null)`, () => {
      throwsCode(() => verify(forge(h({ kid }), P, { key: '' }), SECRET, at), 'ERR_JWT_SIGNATURE')
    })
    test(`kid ${JSON.stringify(kid)} with our MAC is returned verbatim, uninterpreted`, () => {
      assert.equal(verify(forge(h({ kid }), P), SECRET, { ...at, complete: true }).header.kid, kid)
    })
  }
  test('a non-string kid is data too', () => {
    throwsCode(() => verify(forge(h({ kid: { $ne: null } }), P, { key: '' }), SECRET, at), 'ERR_JWT_SIGNATURE')
  })
})
