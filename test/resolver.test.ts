/**
 * `verify` and `createVerifier` with a key resolver (src/lib/resolve.ts): the resolver sees the unverified header
 * and payload, is never asked about a token whose `alg` is not allowed, and may return a key in any form, a local
 * set or a remote set; anything else is "no key".
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  createKeySet,
  createRemoteKeySet,
  createVerifier,
  type KeyResolver,
  type KeyResolverInput,
  verify,
} from '../src/index.js'
import { SECRET } from './helpers/forge.js'
import { ecPair, jwksServer, PAYLOAD, publicJwk, rejectsCode, rsaPair, signToken } from './helpers/jwks.js'

const rsa = rsaPair()
const p256 = ecPair('P-256')
const rsaToken = signToken({ alg: 'RS256', kid: 'rsa-1' }, PAYLOAD, rsa.privateKey)
const ecToken = signToken({ alg: 'ES256', kid: 'ec-1' }, PAYLOAD, p256.privateKey)
const hsToken = signToken({ alg: 'HS256', kid: 'hs' }, PAYLOAD, SECRET)
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')

describe('verify with a resolver', () => {
  test('the resolver sees the unverified header and payload, and its key verifies the token', async () => {
    const seen: KeyResolverInput[] = []
    const resolver: KeyResolver = (input) => {
      seen.push(input)
      return rsa.publicKey
    }
    const result = verify(rsaToken, resolver)
    assert.equal(result instanceof Promise, true)
    assert.deepStrictEqual(await result, PAYLOAD)
    assert.deepStrictEqual(seen, [{ header: { alg: 'RS256', kid: 'rsa-1' }, payload: PAYLOAD }])
  })

  test('every key form a resolver may return: PEM text, PEM bytes, KeyObject, JWK, a secret', async () => {
    const pem = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string
    for (const key of [pem, Buffer.from(pem), rsa.publicKey, publicJwk(rsa)]) {
      assert.deepStrictEqual(await verify(rsaToken, () => key), PAYLOAD)
    }
    assert.deepStrictEqual(await verify(hsToken, async () => SECRET), PAYLOAD)
  })

  test('a verifier keeps one verifier per key: the same key content twice, fresh objects each time', async () => {
    let calls = 0
    const v = createVerifier(() => {
      calls++
      return publicJwk(p256)
    })
    for (let i = 0; i < 3; i++) assert.deepStrictEqual(await v(ecToken), PAYLOAD)
    assert.equal(calls, 3)
  })

  test('a resolver may return a local set or a remote set, which then pick the key by kid', async (t) => {
    const local = createKeySet({ keys: [publicJwk(rsa, { kid: 'rsa-1' }), publicJwk(p256, { kid: 'ec-1' })] })
    assert.deepStrictEqual(await verify(ecToken, () => local), PAYLOAD)
    assert.deepStrictEqual(await verify(rsaToken, async () => local), PAYLOAD)
    const server = await jwksServer(t, [publicJwk(p256, { kid: 'ec-1' })])
    const remote = createRemoteKeySet(server.jwksUrl)
    assert.deepStrictEqual(await verify(ecToken, () => remote), PAYLOAD)
    await rejectsCode(() => verify(rsaToken, () => remote), 'ERR_JWKS_NO_MATCH', 401)
  })

  test('anything that is not a key is "no key": ERR_JWT_HEADER (401), never a 500', async () => {
    for (const answer of [undefined, null, 42, {}, [], () => rsa.publicKey, Object.prototype]) {
      await rejectsCode(() => verify(rsaToken, () => answer as never), 'ERR_JWT_HEADER', 401)
    }
  })

  test('the resolver is never asked about none, an unknown algorithm, or one outside "algorithms"', async () => {
    let calls = 0
    const resolver: KeyResolver = () => {
      calls++
      return rsa.publicKey
    }
    for (const alg of ['none', 'NONE', 'rs256', 'HS1']) {
      await rejectsCode(() => verify(`${b64({ alg })}.${b64(PAYLOAD)}.`, resolver), 'ERR_JWT_ALGORITHM', 401)
    }
    await rejectsCode(() => verify(rsaToken, resolver, { algorithms: ['ES256'] }), 'ERR_JWT_ALGORITHM', 401)
    const longKid = signToken({ alg: 'RS256', kid: 'k'.repeat(257) }, PAYLOAD, rsa.privateKey)
    await rejectsCode(() => verify(longKid, resolver), 'ERR_JWT_HEADER', 401)
    await rejectsCode(() => verify('not-a-token', resolver), 'ERR_JWT_MALFORMED', 401)
    assert.equal(calls, 0)
  })

  test('the chosen key still decides: a wrong key, another family, and claims after the signature', async () => {
    await rejectsCode(() => verify(rsaToken, () => rsaPair().publicKey), 'ERR_JWT_SIGNATURE', 401)
    await rejectsCode(() => verify(hsToken, () => rsa.publicKey), 'ERR_JWT_ALGORITHM', 401)
    await rejectsCode(() => verify(rsaToken, () => rsa.publicKey, { issuer: 'someone' }), 'ERR_JWT_CLAIM', 401)
    const full = await verify(rsaToken, () => rsa.publicKey, { complete: true })
    assert.deepStrictEqual(full.header, { alg: 'RS256', kid: 'rsa-1' })
  })

  test('a resolver that throws rejects with what it threw; bad options fail when the verifier is made', async () => {
    const boom = new Error('resolver failed')
    await assert.rejects(
      verify(rsaToken, () => {
        throw boom
      }),
      boom,
    )
    assert.throws(() => createVerifier(() => rsa.publicKey, { algorithms: ['none' as never] }), {
      code: 'ERR_JWT_INVALID_OPTION',
    })
  })
})
