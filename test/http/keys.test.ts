import assert from 'node:assert/strict'
import { createSecretKey } from 'node:crypto'
import { test } from 'node:test'
import { authenticateRequest, type JwtRequestOptions, sign } from '../../src/index.js'

const bearer = (value: string) => new Request('http://x/', { headers: { authorization: `Bearer ${value}` } })

test('a resolved Uint8Array changed in place is verified with its new bytes, not a cached verifier', async () => {
  const key = new Uint8Array(32).fill(1)
  const options: JwtRequestOptions<Request> = { secret: () => key }
  const first = sign({ sub: 'a' }, Uint8Array.from(key))
  assert.equal((await authenticateRequest(bearer(first), options))?.sub, 'a')
  key.fill(2)
  await assert.rejects(authenticateRequest(bearer(first), options), { code: 'ERR_JWT_SIGNATURE' })
  const second = sign({ sub: 'b' }, Uint8Array.from(key))
  assert.equal((await authenticateRequest(bearer(second), options))?.sub, 'b')
})

test('KeyObjects and many distinct secrets from one resolver all verify', async () => {
  const keyObject = createSecretKey(Buffer.alloc(32, 7))
  const secrets = Array.from({ length: 150 }, (_, i) => `secret-number-${i}-`.padEnd(40, 'x'))
  const options: JwtRequestOptions<Request> = {
    secret: ({ header }) => (header.kid === 'ko' ? keyObject : secrets[Number(header.kid)]),
  }
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < secrets.length; i += 7) {
      const value = sign({ sub: String(i) }, secrets[i] as string, { keyId: String(i) })
      assert.equal((await authenticateRequest(bearer(value), options))?.sub, String(i))
    }
    const ko = sign({ sub: 'ko' }, keyObject, { keyId: 'ko' })
    assert.equal((await authenticateRequest(bearer(ko), options))?.sub, 'ko')
  }
})

test('a resolver is not asked about a token whose alg is outside the allowlist', async () => {
  let calls = 0
  const options: JwtRequestOptions<Request> = {
    algorithms: ['HS256'],
    secret: () => {
      calls++
      return 'z'.repeat(64)
    },
  }
  const hs512 = sign({ sub: 'a' }, 'z'.repeat(64), { algorithm: 'HS512' })
  await assert.rejects(authenticateRequest(bearer(hs512), options), { code: 'ERR_JWT_ALGORITHM' })
  await assert.rejects(authenticateRequest(bearer('e30.e30.'), options), { code: 'ERR_JWT_ALGORITHM' })
  await assert.rejects(authenticateRequest(bearer('garbage'), options), { code: 'ERR_JWT_MALFORMED' })
  assert.equal(calls, 0)
})

test('without "algorithms", a resolver is asked only for supported algorithms, and the key decides the rest', async () => {
  let calls = 0
  const options: JwtRequestOptions<Request> = {
    secret: () => {
      calls++
      return 'z'.repeat(64)
    },
  }
  for (const alg of ['none', 'NONE', 'hs256', 'ES256K', 'constructor']) {
    const forged = `${Buffer.from(JSON.stringify({ alg })).toString('base64url')}.e30.`
    await assert.rejects(authenticateRequest(bearer(forged), options), { code: 'ERR_JWT_ALGORITHM' })
  }
  assert.equal(calls, 0)
  // HS512 is a supported algorithm, so the resolver is asked; the secret's own default (HS256) then refuses it.
  const hs512 = sign({ sub: 'a' }, 'z'.repeat(64), { algorithm: 'HS512' })
  await assert.rejects(authenticateRequest(bearer(hs512), options), { code: 'ERR_JWT_ALGORITHM' })
  assert.equal(calls, 1)
})

test('a resolver returning a short secret is a server error, not a 401', async () => {
  const options: JwtRequestOptions<Request> = { secret: () => 'short' }
  await assert.rejects(authenticateRequest(bearer(sign({}, 'q'.repeat(32))), options), (error: unknown) => {
    assert.ok(error instanceof Error)
    assert.equal(error.name, 'JwtError')
    assert.equal((error as { code?: string }).code, 'ERR_JWT_INVALID_OPTION')
    return true
  })
})
