/**
 * Two reference floors for HS256 verify, written here with node:crypto only, to say how close a library is to
 * what the platform allows. Neither is strict (they use Buffer's lenient base64url decoder); they are the least
 * work a verify can do: split, check `alg`, MAC, compare, decode and parse the payload, check `exp`.
 * And the same least work for the asymmetric algorithms over `crypto.verify`/`crypto.sign` with a KeyObject.
 */
import {
  createHmac,
  sign as cryptoSign,
  verify as cryptoVerify,
  hash,
  type KeyObject,
  timingSafeEqual,
} from 'node:crypto'
import type { AsymKeys } from './fixtures.js'

function fail(): never {
  throw new Error('invalid token')
}

/** The plain node:crypto floor: createHmac(...).digest(), timingSafeEqual, Buffer base64url, JSON.parse. */
export function createPlainFloor(key: Buffer): (token: string) => Record<string, unknown> {
  return (token) => {
    const d1 = token.indexOf('.')
    const d2 = token.indexOf('.', d1 + 1)
    if (d1 < 0 || d2 < 0 || token.indexOf('.', d2 + 1) !== -1) fail()
    const header = JSON.parse(Buffer.from(token.slice(0, d1), 'base64url').toString('utf8'))
    if (header.alg !== 'HS256') fail()
    const expected = createHmac('sha256', key).update(token.slice(0, d2), 'latin1').digest()
    const actual = Buffer.from(token.slice(d2 + 1), 'base64url')
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) fail()
    const payload = JSON.parse(Buffer.from(token.slice(d1 + 1, d2), 'base64url').toString('utf8'))
    if (typeof payload.exp === 'number' && Date.now() / 1000 >= payload.exp) fail()
    return payload
  }
}

/**
 * The fastest HS256 verify we could write over node:crypto: RFC 2104 by hand over the one-shot `crypto.hash`
 * with the ipad/opad blocks precomputed (no Hmac object per call), the header segment compared with the one
 * expected before falling back to parsing it, and the MAC compared as base64url text in constant time.
 */
export function createHandFloor(
  key: Buffer,
  expectedHeaderSegment: string,
): (token: string) => Record<string, unknown> {
  const block = 64
  const k = Buffer.alloc(block)
  if (key.length > block) hash('sha256', key, 'buffer').copy(k)
  else key.copy(k)
  let inner = Buffer.alloc(block + 1024)
  for (let i = 0; i < block; i++) inner[i] = (k[i] as number) ^ 0x36
  const outer = Buffer.alloc(block + 32)
  for (let i = 0; i < block; i++) outer[i] = (k[i] as number) ^ 0x5c
  const headerLength = expectedHeaderSegment.length

  return (token) => {
    const d1 = token.indexOf('.')
    const d2 = token.indexOf('.', d1 + 1)
    if (d1 < 0 || d2 < 0 || token.indexOf('.', d2 + 1) !== -1) fail()
    if (d1 !== headerLength || !token.startsWith(expectedHeaderSegment)) {
      const header = JSON.parse(Buffer.from(token.slice(0, d1), 'base64url').toString('utf8'))
      if (header.alg !== 'HS256') fail()
    }
    if (inner.length < block + d2) {
      const bigger = Buffer.alloc(block + d2)
      inner.copy(bigger, 0, 0, block)
      inner = bigger
    }
    inner.write(token, block, d2, 'latin1')
    outer.write(hash('sha256', inner.subarray(0, block + d2), 'binary'), block, 'latin1')
    const mac = hash('sha256', outer, 'base64url')
    if (token.length - d2 - 1 !== mac.length) fail()
    let diff = 0
    for (let i = 0; i < mac.length; i++) diff |= mac.charCodeAt(i) ^ token.charCodeAt(d2 + 1 + i)
    if (diff !== 0) fail()
    const payload = JSON.parse(Buffer.from(token.slice(d1 + 1, d2), 'base64url').toString('utf8'))
    if (typeof payload.exp === 'number' && Date.now() / 1000 >= payload.exp) fail()
    return payload
  }
}

/** What `crypto.sign`/`crypto.verify` take as the key: the KeyObject, or it with the JWS signature encoding. */
function keyArgument(keys: AsymKeys, key: KeyObject): KeyObject | { key: KeyObject; dsaEncoding: 'ieee-p1363' } {
  return keys.dsaEncoding === undefined ? key : { key, dsaEncoding: keys.dsaEncoding }
}

/**
 * The asymmetric verify floor: the plain floor's steps with `crypto.verify(hash, signingInput, publicKey, sig)`
 * in place of the MAC and its compare, over the token's text up to the second dot as bytes.
 */
export function createAsymVerifyFloor(keys: AsymKeys): (token: string) => Record<string, unknown> {
  const { alg, hash: digest } = keys
  const key = keyArgument(keys, keys.publicKey)
  return (token) => {
    const d1 = token.indexOf('.')
    const d2 = token.indexOf('.', d1 + 1)
    if (d1 < 0 || d2 < 0 || token.indexOf('.', d2 + 1) !== -1) fail()
    const header = JSON.parse(Buffer.from(token.slice(0, d1), 'base64url').toString('utf8'))
    if (header.alg !== alg) fail()
    const signature = Buffer.from(token.slice(d2 + 1), 'base64url')
    if (!cryptoVerify(digest, Buffer.from(token.slice(0, d2), 'latin1'), key, signature)) fail()
    const payload = JSON.parse(Buffer.from(token.slice(d1 + 1, d2), 'base64url').toString('utf8'))
    if (typeof payload.exp === 'number' && Date.now() / 1000 >= payload.exp) fail()
    return payload
  }
}

/**
 * The asymmetric sign floor: the header segment `{"alg":...,"typ":"JWT"}` encoded once, then per call the
 * payload's JSON as base64url (Buffer) and `crypto.sign` over the signing input.
 */
export function createAsymSignFloor(keys: AsymKeys): (payload: Record<string, unknown>) => string {
  const { hash: digest } = keys
  const key = keyArgument(keys, keys.privateKey)
  const head = `${Buffer.from(JSON.stringify({ alg: keys.alg, typ: 'JWT' }), 'utf8').toString('base64url')}.`
  return (payload) => {
    const input = head + Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url')
    return `${input}.${cryptoSign(digest, Buffer.from(input, 'latin1'), key).toString('base64url')}`
  }
}

/**
 * The public-key operation alone, on inputs prepared once (the signing input and signature as bytes): no
 * parsing and no encoding. Not a verifier (it checks one fixed token), so not cross-checked; it shows how much
 * of a verify is the cryptography.
 */
export function createBareVerify(keys: AsymKeys, token: string): () => boolean {
  const d2 = token.lastIndexOf('.')
  const input = Buffer.from(token.slice(0, d2), 'latin1')
  const signature = Buffer.from(token.slice(d2 + 1), 'base64url')
  const key = keyArgument(keys, keys.publicKey)
  const digest = keys.hash
  return () => {
    if (!cryptoVerify(digest, input, key, signature)) fail()
    return true
  }
}

/** The private-key operation alone over a signing input prepared once as bytes. */
export function createBareSign(keys: AsymKeys, token: string): () => Buffer {
  const input = Buffer.from(token.slice(0, token.lastIndexOf('.')), 'latin1')
  const key = keyArgument(keys, keys.privateKey)
  const digest = keys.hash
  return () => cryptoSign(digest, input, key)
}
