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
import {
  type Algorithm,
  type CompleteResult,
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

test('verify<T>() returns T; without T, JwtPayload', () => {
  const claims = verify<Claims>(token, SECRET, { now: 1 })
  type _1 = Expect<Equal<typeof claims, Claims>>
  const untyped = verify(token, SECRET, { now: 1 })
  type _2 = Expect<Equal<typeof untyped, JwtPayload>>
  const explicitFalse = verify<Claims>(token, SECRET, { now: 1, complete: false })
  type _3 = Expect<Equal<typeof explicitFalse, Claims>>
  assert.equal(claims.name, 'Ada')
  assert.equal(untyped.sub, '42')
  // Registered claims have their RFC 7519 types on JwtPayload.
  type _4 = Expect<Equal<JwtPayload['exp'], number | undefined>>
  type _5 = Expect<Equal<JwtPayload['aud'], string | string[] | undefined>>
})

test('complete: true returns CompleteResult<T>', () => {
  const full = verify<Claims>(token, SECRET, { now: 1, complete: true })
  type _1 = Expect<Equal<typeof full, CompleteResult<Claims>>>
  type _2 = Expect<Equal<(typeof full)['header'], JwtHeader>>
  type _3 = Expect<Equal<(typeof full)['signature'], string>>
  assert.equal(full.payload.name, 'Ada')
  assert.equal(full.header.alg, 'HS256')
  assert.equal(typeof full.signature, 'string')
})

test('options only known at run time give the union', () => {
  const options: VerifyOptions = { now: 1 }
  const either = verify<Claims>(token, SECRET, options)
  type _1 = Expect<Equal<typeof either, Claims | CompleteResult<Claims>>>
  assert.ok('sub' in either)
})

test('createVerifier, createSigner, decodeUnverified and sign have the documented types', () => {
  const v = createVerifier<Claims>(SECRET, { now: 1 })
  type _1 = Expect<Equal<typeof v, (token: string) => Claims>>
  const vc = createVerifier<Claims>(SECRET, { now: 1, complete: true })
  type _2 = Expect<Equal<typeof vc, (token: string) => CompleteResult<Claims>>>
  const s = createSigner(SECRET)
  type _3 = Expect<Equal<typeof s, (payload: object) => string>>
  const d = decodeUnverified(token)
  type _4 = Expect<Equal<typeof d, CompleteResult<JwtPayload>>>
  type _5 = Expect<Equal<ReturnType<typeof sign>, string>>
  type _6 = Expect<Equal<Algorithm, 'HS256' | 'HS384' | 'HS512'>>
  type _7 = Expect<Equal<JwtError['code'], JwtErrorCode>>
  assert.equal(v(token).sub, '42')
  assert.equal(vc(token).payload.sub, '42')
  assert.equal(typeof s({}), 'string')
  assert.equal(d.payload.sub, '42')
})

test('types.expect-error.ts keeps its cases and is inside the type-checked tree', () => {
  // The compile itself is `npm run typecheck` (compiling here too would cost seconds of CPU on every run).
  const root = join(dirname(fileURLToPath(import.meta.url)), '..')
  const directives = readFileSync(join(root, 'test', 'types.expect-error.ts'), 'utf8').match(/@ts-expect-error/g) ?? []
  assert.ok(directives.length >= 30, 'the file must keep its cases')
  const config = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as { include: string[] }
  assert.ok(config.include.includes('test'))
})
