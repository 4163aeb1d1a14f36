/**
 * The contenders for HS256 sign and verify, each set up the way its documentation recommends for speed, with all
 * key and option preparation done here, outside the timed code.
 */
import { createSigner as fastSigner, createVerifier as fastVerifier } from 'fast-jwt'
import { jwtVerify, SignJWT } from 'jose'
import jsonwebtoken from 'jsonwebtoken'
import jwtSimple from 'jwt-simple'
import { createSigner, createVerifier, sign, verify } from '../src/index.js'
import { importCryptoKey, SECRET, SECRET_BYTES, SECRET_KEY_OBJECT } from './fixtures.js'
import { createHandFloor, createPlainFloor } from './floors.js'

export type Op = () => unknown

/** A verifier under test: `make(token)` returns the timed closure for that token. */
export interface VerifyContender {
  readonly name: string
  /** Verifies a token; resolves or returns the payload, throws or rejects on a bad token. */
  readonly verify: (token: string) => unknown
  /** Whether a cross-check should expect this one to refuse tampered tokens (the cache-on row is the same code). */
  readonly async: boolean
  /** The claims from what `verify` gave (jose's result is `{ payload, protectedHeader }`); omitted: the result. */
  readonly claims?: (result: unknown) => unknown
}

export interface SignContender {
  readonly name: string
  readonly sign: (payload: Record<string, unknown>) => string | Promise<string>
  readonly async: boolean
}

/** Options that let ours accept the 100 KB payload (its default maxTokenLength is 8192). */
const OURS_OPTIONS = { algorithms: ['HS256' as const], maxTokenLength: 1 << 20 }

export async function makeVerifiers(headerSegment: string): Promise<VerifyContender[]> {
  const cryptoKey = await importCryptoKey()
  const oursFactory = createVerifier(SECRET, OURS_OPTIONS)
  const fastOff = fastVerifier({ key: SECRET, algorithms: ['HS256'], cache: false })
  const fastOn = fastVerifier({ key: SECRET, algorithms: ['HS256'], cache: true })
  const plain = createPlainFloor(SECRET_BYTES)
  const hand = createHandFloor(SECRET_BYTES, headerSegment)
  return [
    { name: 'jwt-codec createVerifier', verify: (t) => oursFactory(t), async: false },
    { name: 'jwt-codec verify (one-shot)', verify: (t) => verify(t, SECRET, OURS_OPTIONS), async: false },
    { name: 'fast-jwt (cache off)', verify: (t) => fastOff(t), async: false },
    { name: 'fast-jwt (cache ON: a cache hit)', verify: (t) => fastOn(t), async: false },
    {
      name: 'jsonwebtoken (KeyObject)',
      verify: (t) => jsonwebtoken.verify(t, SECRET_KEY_OBJECT, { algorithms: ['HS256'] }),
      async: false,
    },
    {
      name: 'jose (CryptoKey, async, awaited)',
      verify: (t) => jwtVerify(t, cryptoKey, { algorithms: ['HS256'] }),
      claims: (r) => (r as { payload: unknown }).payload,
      async: true,
    },
    { name: 'jwt-simple', verify: (t) => jwtSimple.decode(t, SECRET, false, 'HS256'), async: false },
    { name: 'floor: node:crypto createHmac', verify: (t) => plain(t), async: false },
    { name: 'floor: hand HMAC over crypto.hash', verify: (t) => hand(t), async: false },
  ]
}

export async function makeSigners(): Promise<SignContender[]> {
  const cryptoKey = await importCryptoKey()
  const oursFactory = createSigner(SECRET)
  const fast = fastSigner({ key: SECRET, algorithm: 'HS256' })
  return [
    { name: 'jwt-codec createSigner', sign: (p) => oursFactory(p), async: false },
    { name: 'jwt-codec sign (one-shot)', sign: (p) => sign(p, SECRET), async: false },
    { name: 'fast-jwt', sign: (p) => fast(p), async: false },
    {
      name: 'jsonwebtoken (KeyObject)',
      sign: (p) => jsonwebtoken.sign(p, SECRET_KEY_OBJECT, { algorithm: 'HS256' }),
      async: false,
    },
    {
      name: 'jose (CryptoKey, async, awaited)',
      sign: (p) => new SignJWT(p).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(cryptoKey),
      async: true,
    },
    { name: 'jwt-simple', sign: (p) => jwtSimple.encode(p, SECRET, 'HS256'), async: false },
  ]
}
