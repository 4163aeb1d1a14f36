/**
 * The one-shot verify's cache of imported public keys (src/lib/keys.ts): bounded at PUBLIC_KEY_CACHE_SIZE, and
 * holding public keys only, never a private key handed to verify, nor anything handed to sign. The tests run in
 * order in a process of their own, so the cache starts empty.
 */
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { test } from 'node:test'
import { sign, verify } from '../../src/index.js'
import { PUBLIC_KEY_CACHE_SIZE, publicKeyCacheSize } from '../../src/lib/keys.js'

const pairs = Array.from({ length: PUBLIC_KEY_CACHE_SIZE + 8 }, () => generateKeyPairSync('ed25519'))
const spki = (i: number) => pairs[i]?.publicKey.export({ type: 'spki', format: 'pem' }) as string
const pkcs8 = (i: number) => pairs[i]?.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string

test('a private PEM handed to verify, and any PEM handed to sign, is not cached', () => {
  assert.equal(publicKeyCacheSize(), 0)
  for (let i = 0; i < 3; i++) {
    const token = sign({ i }, pkcs8(i), { noTimestamp: true })
    // Verifying with the private key uses its public half, and must not keep the private key.
    assert.deepEqual(verify(token, pkcs8(i)), { i })
    assert.deepEqual(verify(token, new TextEncoder().encode(pkcs8(i))), { i })
  }
  assert.equal(publicKeyCacheSize(), 0)
})

test('the same PEM public key is one entry however often it verifies; its bytes are an entry of their own', () => {
  for (let n = 0; n < 5; n++) {
    assert.deepEqual(verify(sign({ n }, pkcs8(0), { noTimestamp: true }), spki(0)), { n })
  }
  assert.equal(publicKeyCacheSize(), 1)
  // PEM bytes are keyed apart from PEM strings (no string can pose as bytes): one more entry, and only one.
  for (let n = 0; n < 3; n++) {
    const token = sign({ n }, pkcs8(0), { noTimestamp: true })
    assert.deepEqual(verify(token, new TextEncoder().encode(spki(0))), { n })
  }
  assert.equal(publicKeyCacheSize(), 2)
})

test('more distinct PEM public keys than the cache holds keep it at its bound', () => {
  for (let i = 0; i < pairs.length; i++) {
    const token = sign({ i }, pkcs8(i), { noTimestamp: true })
    assert.deepEqual(verify(token, spki(i)), { i })
    // The PEM strings' map is bounded on its own; the one bytes entry from the test above stays.
    assert.equal(publicKeyCacheSize(), Math.min(i + 1, PUBLIC_KEY_CACHE_SIZE) + 1)
  }
})
