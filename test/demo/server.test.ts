import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type Demo, startDemo } from '../../examples/server.js'
import { sign } from '../../src/index.js'

let demo: Demo

before(async () => {
  demo = await startDemo({ port: 0 })
})
after(async () => {
  await demo.close()
})

async function login(username: string, password: string): Promise<Response> {
  return fetch(`${demo.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
}

test('the page and its script are served without a token', async () => {
  const page = await fetch(`${demo.url}/`)
  assert.equal(page.status, 200)
  assert.match(page.headers.get('content-type') ?? '', /text\/html/)
  assert.match(await page.text(), /<form id="login-form">/)
  const script = await fetch(`${demo.url}/app.js`)
  assert.equal(script.status, 200)
  assert.match(await script.text(), /x-access-token/)
})

test('a right password gets a 15-minute token that /api/me accepts', async () => {
  const res = await login('ada', 'lovelace')
  assert.equal(res.status, 200)
  const { token, expiresIn } = (await res.json()) as { token: string; expiresIn: number }
  assert.equal(expiresIn, 900)
  const me = await fetch(`${demo.url}/api/me`, { headers: { 'x-access-token': token } })
  assert.equal(me.status, 200)
  const body = (await me.json()) as { user: { name: string }; claims: { exp: number; iat: number; iss: string } }
  assert.equal(body.user.name, 'Ada Lovelace')
  assert.equal(body.claims.exp - body.claims.iat, 900)
  assert.equal(body.claims.iss, 'jwt-codec-demo')
  const bearer = await fetch(`${demo.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })
  assert.equal(bearer.status, 200)
})

test('a wrong password and an unknown user are the same clear 401', async () => {
  for (const [u, p] of [
    ['ada', 'wrong'],
    ['nobody', 'lovelace'],
  ] as const) {
    const res = await login(u, p)
    assert.equal(res.status, 401)
    assert.deepEqual(await res.json(), { error: 'invalid_grant', error_description: 'wrong user name or password' })
  }
})

test('/api/me refuses a missing, tampered or expired token', async () => {
  const none = await fetch(`${demo.url}/api/me`)
  assert.equal(none.status, 401)
  assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="jwt-codec demo"')

  const { token } = (await (await login('alan', 'turing')).json()) as { token: string }
  const [h, , s] = token.split('.')
  const forged = `${h}.${Buffer.from(JSON.stringify({ sub: '1', name: 'Ada Lovelace' })).toString('base64url')}.${s}`
  const tampered = await fetch(`${demo.url}/api/me`, { headers: { 'x-access-token': forged } })
  assert.equal(tampered.status, 401)
  assert.match(tampered.headers.get('www-authenticate') ?? '', /error="invalid_token"/)

  const expired = sign({ sub: '1' }, demo.secret, { issuer: 'jwt-codec-demo', now: 1_000_000, expiresIn: '15m' })
  const old = await fetch(`${demo.url}/api/me`, { headers: { 'x-access-token': expired } })
  assert.equal(old.status, 401)
  assert.equal(((await old.json()) as { error: string }).error, 'invalid_token')
})

test('/api/public needs no token', async () => {
  const res = await fetch(`${demo.url}/api/public`)
  assert.equal(res.status, 200)
})

test('a malformed login body is a 400', async () => {
  const res = await fetch(`${demo.url}/api/login`, { method: 'POST', body: 'not json' })
  assert.equal(res.status, 400)
})
