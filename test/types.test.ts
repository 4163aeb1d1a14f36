/**
 * Type-level tests, checked at compile time by `npm run typecheck` (the Expect<Equal<...>> lines) and, for the
 * must-not-compile cases, in test/types.expect-error.ts. The runtime tests below check that the values match the
 * types.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import jwt, * as named from '../src/index.js'
import {
  type Algorithm,
  type AnyVerifyOptions,
  type CompleteResult,
  type CompleteVerifyOptions,
  createSigner,
  createVerifier,
  decodeUnverified,
  type JwtError,
  type JwtErrorCode,
  type JwtHeader,
  type JwtPayload,
  sign,
  type VerifyOptions,
  verify,
} from '../src/index.js'
import { SECRET } from './helpers/forge.js'

/** true when A and B are the same type (not merely assignable either way). */
type Equal<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false
type Expect<T extends true> = T

interface Claims {
  sub: string
  name: string
}

const token = sign({ sub: '42', name: 'Ada' }, SECRET, { now: 1 })

test('verify<T>() returns T & JwtPayload; without T, JwtPayload', () => {
  const claims = verify<Claims>(token, SECRET, { now: 1 })
  type _1 = Expect<Equal<typeof claims, Claims & JwtPayload>>
  // The registered claims type-check beside the caller's own, with their RFC 7519 types.
  type _1b = Expect<Equal<typeof claims.exp, number | undefined>>
  type _1c = Expect<Equal<typeof claims.sub, string>>
  type _1d = Expect<Equal<typeof claims.name, string>>
  const untyped = verify(token, SECRET, { now: 1 })
  type _2 = Expect<Equal<typeof untyped, JwtPayload>>
  const explicitFalse = verify<Claims>(token, SECRET, { now: 1, complete: false })
  type _3 = Expect<Equal<typeof explicitFalse, Claims & JwtPayload>>
  assert.deepStrictEqual(claims, { sub: '42', name: 'Ada', iat: 1 })
  assert.deepStrictEqual(untyped, { sub: '42', name: 'Ada', iat: 1 })
  // Registered claims have their RFC 7519 types on JwtPayload.
  type _4 = Expect<Equal<JwtPayload['exp'], number | undefined>>
  type _5 = Expect<Equal<JwtPayload['aud'], string | string[] | undefined>>
})

test('complete: true returns CompleteResult<T>, whose payload is T & JwtPayload', () => {
  const full = verify<Claims>(token, SECRET, { now: 1, complete: true })
  type _1 = Expect<Equal<typeof full, CompleteResult<Claims>>>
  type _2 = Expect<Equal<(typeof full)['header'], JwtHeader>>
  type _3 = Expect<Equal<(typeof full)['signature'], string>>
  type _4 = Expect<Equal<(typeof full)['payload'], Claims & JwtPayload>>
  type _5 = Expect<Equal<(typeof full)['payload']['iat'], number | undefined>>
  type _6 = Expect<Equal<CompleteResult['payload'], JwtPayload>>
  const options: CompleteVerifyOptions = { now: 1, complete: true }
  const viaVariable = verify<Claims>(token, SECRET, options)
  type _7 = Expect<Equal<typeof viaVariable, CompleteResult<Claims>>>
  assert.deepStrictEqual(full, {
    header: { alg: 'HS256', typ: 'JWT' },
    payload: { sub: '42', name: 'Ada', iat: 1 },
    signature: token.slice(token.lastIndexOf('.') + 1),
  })
  assert.deepStrictEqual(viaVariable, full)
})

test('a VerifyOptions variable gives the claims; only a run-time boolean complete gives the union', () => {
  const options: VerifyOptions = { now: 1 }
  const claims = verify<Claims>(token, SECRET, options)
  type _1 = Expect<Equal<typeof claims, Claims & JwtPayload>>
  const verifier = createVerifier<Claims>(SECRET, options)
  type _2 = Expect<Equal<typeof verifier, (token: string) => Claims & JwtPayload>>
  const flag: boolean = Math.random() > 2
  const either = verify<Claims>(token, SECRET, { now: 1, complete: flag })
  type _3 = Expect<Equal<typeof either, (Claims & JwtPayload) | CompleteResult<Claims>>>
  const anyOptions: AnyVerifyOptions = { now: 1, complete: flag }
  const either2 = createVerifier<Claims>(SECRET, anyOptions)
  type _4 = Expect<Equal<typeof either2, (token: string) => (Claims & JwtPayload) | CompleteResult<Claims>>>
  assert.deepStrictEqual(claims, { sub: '42', name: 'Ada', iat: 1 })
  assert.deepStrictEqual(verifier(token), claims)
  assert.deepStrictEqual(either, claims)
  assert.deepStrictEqual(either2(token), claims)
})

test('createVerifier, createSigner, decodeUnverified and sign have the documented types', () => {
  const v = createVerifier<Claims>(SECRET, { now: 1 })
  type _1 = Expect<Equal<typeof v, (token: string) => Claims & JwtPayload>>
  const vc = createVerifier<Claims>(SECRET, { now: 1, complete: true })
  type _2 = Expect<Equal<typeof vc, (token: string) => CompleteResult<Claims>>>
  const s = createSigner(SECRET)
  type _3 = Expect<Equal<typeof s, (payload: object) => string>>
  const typedSigner = createSigner<Claims>(SECRET, { now: 1 })
  type _3b = Expect<Equal<typeof typedSigner, (payload: Claims) => string>>
  const d = decodeUnverified(token)
  type _4 = Expect<Equal<typeof d, CompleteResult<JwtPayload>>>
  type _5 = Expect<Equal<ReturnType<typeof sign>, string>>
  type _6 = Expect<
    Equal<
      Algorithm,
      | 'HS256'
      | 'HS384'
      | 'HS512'
      | 'RS256'
      | 'RS384'
      | 'RS512'
      | 'PS256'
      | 'PS384'
      | 'PS512'
      | 'ES256'
      | 'ES384'
      | 'ES512'
      | 'EdDSA'
      | 'Ed25519'
    >
  >
  type _7 = Expect<Equal<JwtError['code'], JwtErrorCode>>
  type _8 = Expect<Equal<Parameters<typeof sign<Claims>>[0], Claims>>
  assert.equal(v(token).sub, '42')
  assert.equal(vc(token).payload.sub, '42')
  assert.equal(typeof s({}), 'string')
  assert.equal(typedSigner({ sub: '42', name: 'Ada' }), token)
  assert.equal(sign<Claims>({ sub: '42', name: 'Ada' }, SECRET, { now: 1 }), token)
  assert.equal(d.payload.sub, '42')
})

test('the default export is the named exports as one frozen object', () => {
  type _1 = Expect<Equal<typeof jwt.sign, typeof sign>>
  type _2 = Expect<Equal<typeof jwt.verify, typeof verify>>
  assert.ok(Object.isFrozen(jwt))
  assert.deepStrictEqual(Object.keys(jwt).sort(), [
    'JwtError',
    'UnauthorizedError',
    'authenticateRequest',
    'base64url',
    'createSigner',
    'createVerifier',
    'decodeUnverified',
    'describeError',
    'errorResponse',
    'extractToken',
    'isJwtError',
    'jwtMiddleware',
    'sign',
    'verify',
    'withJwt',
  ])
  for (const [name, value] of Object.entries(jwt)) {
    assert.equal(value, (named as Record<string, unknown>)[name], name)
  }
  assert.deepStrictEqual(jwt.verify(jwt.sign({ sub: '42' }, SECRET, { now: 1 }), SECRET, { now: 1 }), {
    sub: '42',
    iat: 1,
  })
})

test('types.expect-error.ts keeps its cases and is inside the type-checked tree', () => {
  // The compile itself is `npm run typecheck` (compiling here too would cost seconds of CPU on every run).
  const root = join(dirname(fileURLToPath(import.meta.url)), '..')
  const directives = readFileSync(join(root, 'test', 'types.expect-error.ts'), 'utf8').match(/@ts-expect-error/g) ?? []
  assert.ok(directives.length >= 30, 'the file must keep its cases')
  const config = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as { include: string[] }
  assert.ok(config.include.includes('test'))
})
