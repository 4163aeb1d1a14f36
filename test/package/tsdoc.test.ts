/**
 * Every public export (all that src/index.ts and src/http/index.ts export) carries TSDoc a user can work from in
 * their editor: a summary, `@param` for each parameter, `@returns`, `@throws` naming the error codes (or
 * `never`) and an `@example` code block; types have a summary, an example and a summary per member. Read with the
 * TypeScript compiler API, so a new export without docs fails here. That the examples compile is checked against
 * the built package in install.test.ts.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { auditExports } from '../helpers/tsdoc.js'

test('every public export has complete TSDoc', { timeout: 120_000 }, () => {
  const { exports, problems } = auditExports()
  const names = new Set(exports.map((e) => e.name))
  // the audit really sees the surface (a broken entry point would list nothing and pass)
  for (const name of [
    'sign',
    'verify',
    'createSigner',
    'createVerifier',
    'decodeUnverified',
    'base64url',
    'JwtError',
  ]) {
    assert.ok(names.has(name), name)
  }
  for (const name of ['withJwt', 'jwtMiddleware', 'authenticateRequest', 'errorResponse', 'extractToken']) {
    assert.ok(
      exports.some((e) => e.entry === 'src/http/index.ts' && e.name === name),
      name,
    )
  }
  assert.deepEqual(
    problems.map((p) => `${p.entry}: ${p.problem}`),
    [],
  )
})

test('jwt-codec/http exports nothing that the root does not', { timeout: 120_000 }, () => {
  const { exports } = auditExports()
  const root = exports.filter((e) => e.entry === 'src/index.ts').map((e) => e.name)
  const http = exports.filter((e) => e.entry === 'src/http/index.ts').map((e) => e.name)
  // everything under jwt-codec/http is also exported from the root, as the README promises
  assert.deepEqual(
    http.filter((name) => !root.includes(name)),
    [],
  )
  assert.equal(new Set(root).size, root.length)
})
