/**
 * The README's jsonwebtoken migration recipe, end to end over loopback: tokens signed before the switch (with a
 * short secret, by jsonwebtoken itself) keep working through a `kid`-less fallback, new tokens are signed with a
 * strong secret and a `kid`, and neither secret verifies the other's tokens.
 */
import assert from 'node:assert/strict'
import type { ServerResponse } from 'node:http'
import { test } from 'node:test'
import jsonwebtoken from 'jsonwebtoken'
import { type AuthenticatedRequest, createSigner, type SecretResolver, withJwt } from '../../src/index.js'
import { serve } from '../helpers/server.js'

const WEAK = 'shhhhh'
const STRONG = 'a-strong-random-secret-of-at-least-32-bytes-0123456789'
const KID = '2025-06'

/** The recipe: a token with a `kid` is checked with that key only; a token without one is an old token. */
const keys = new Map([[KID, STRONG]])
const secret: SecretResolver = ({ header }) => (header.kid === undefined ? WEAK : keys.get(header.kid))

function echo(req: AuthenticatedRequest, res: ServerResponse): void {
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify(req.user ?? null))
}

async function get(url: string, token: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${token}` } })
  return { status: res.status, body: await res.json() }
}

const badSignature = { error: 'invalid_token', error_description: 'the token signature is invalid' }

test('migration: old kid-less tokens verify with the weak secret, new ones with the strong secret by kid', async (t) => {
  const url = await serve(t, withJwt({ secret, insecureShortSecret: true, issuer: 'auth' }, echo))
  const now = Math.floor(Date.now() / 1000)

  const old = jsonwebtoken.sign({ sub: 'old-user', iat: now }, WEAK, { issuer: 'auth', expiresIn: '1h' })
  assert.deepStrictEqual(await get(url, old), {
    status: 200,
    body: { sub: 'old-user', iss: 'auth', iat: now, exp: now + 3600 },
  })

  const signNew = createSigner(STRONG, { keyId: KID, issuer: 'auth', expiresIn: '15m', now })
  assert.deepStrictEqual(await get(url, signNew({ sub: 'new-user' })), {
    status: 200,
    body: { sub: 'new-user', iat: now, exp: now + 900, iss: 'auth' },
  })

  // The weak secret cannot pass for the strong one: naming the new kid needs the new key.
  const forgedWithKid = jsonwebtoken.sign({ sub: 'admin' }, WEAK, { issuer: 'auth', keyid: KID })
  assert.deepStrictEqual(await get(url, forgedWithKid), { status: 401, body: badSignature })
  // A strong-secret token without its kid is checked with the weak secret, and fails.
  const strongWithoutKid = createSigner(STRONG, { issuer: 'auth' })({ sub: 'new-user' })
  assert.deepStrictEqual(await get(url, strongWithoutKid), { status: 401, body: badSignature })
  // An unknown kid is the token's problem: 401, never a 500.
  const unknownKid = createSigner(STRONG, { keyId: 'retired', issuer: 'auth' })({ sub: 'new-user' })
  assert.deepStrictEqual(await get(url, unknownKid), {
    status: 401,
    body: { error: 'invalid_token', error_description: 'the token header is not accepted' },
  })
  // The other verify options still apply to the old tokens.
  const otherIssuer = jsonwebtoken.sign({ sub: 'old-user' }, WEAK, { issuer: 'elsewhere' })
  assert.equal((await get(url, otherIssuer)).status, 401)
})

test('migration: without insecureShortSecret the weak fallback is a server error (500), not an open door', async (t) => {
  const url = await serve(t, withJwt({ secret }, echo))
  const old = jsonwebtoken.sign({ sub: 'old-user' }, WEAK, { expiresIn: '1h' })
  assert.deepStrictEqual(await get(url, old), {
    status: 500,
    body: { error: 'server_error', error_description: 'the server is not configured correctly' },
  })
})
