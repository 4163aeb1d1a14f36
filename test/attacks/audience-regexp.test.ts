/**
 * An audience RegExp cannot hang the process: patterns that backtrack catastrophically are refused when the
 * verifier is made, and an `aud` value too long to match is refused without running the RegExp.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createVerifier, verify } from '../../src/index.js'
import { forge, NOW, SECRET, throwsCode } from '../helpers/forge.js'

const at = { now: NOW }

function tokenWith(aud: unknown): string {
  return forge({ alg: 'HS256', typ: 'JWT' }, { aud, iat: NOW })
}

describe('audience RegExps', () => {
  it('patterns that can backtrack catastrophically are refused at the factory', () => {
    const patterns = [
      /(a+)+/,
      /(a|a)*/,
      /(\w+\s?)+/,
      /(?:a*)*/,
      /((a+)b)+$/,
      /(x+x+)+y/,
      /(a|b){2,}/,
      /(?<word>\w+)\s\k<word>/,
      /(a)\1/,
      /^(([a-z])+.)+[A-Z]([a-z])+$/,
    ]
    for (const audience of patterns) {
      assert.equal(throwsCode(() => createVerifier(SECRET, { audience }), 'ERR_JWT_INVALID_OPTION').status, 500)
      assert.equal(
        throwsCode(() => verify(tokenWith('a'), SECRET, { ...at, audience }), 'ERR_JWT_INVALID_OPTION').status,
        500,
      )
    }
    assert.equal(
      throwsCode(() => createVerifier(SECRET, { audience: ['api', /(a+)+/] }), 'ERR_JWT_INVALID_OPTION').status,
      500,
    )
  })

  it('the patterns the README shows, and other linear ones, are accepted and match whole values', () => {
    const cases: Array<[RegExp, string, boolean]> = [
      [/api/, 'api', true],
      [/api/, 'evil-api.example', false],
      [/api|api-admin/, 'api-admin', true],
      [/^api(-admin)?$/, 'api-admin', true],
      [/^api(-admin)?$/, 'api', true],
      [/^api(-admin)?$/, 'api-user', false],
      [/^https:\/\/[a-z0-9-]+\.example\.com$/, 'https://shop.example.com', true],
      [/.*/, 'anything', true],
      [/[(+)]+x/, '(+)x', true],
      [/a{2}(bc){1}/, 'aabc', true],
      [/\p{L}+/u, 'héllo', true],
      [/(?:web|app)\.example/, 'app.example', true],
    ]
    for (const [audience, aud, ok] of cases) {
      const check = createVerifier(SECRET, { ...at, audience })
      if (ok) assert.deepStrictEqual(check(tokenWith(aud)), { aud, iat: NOW })
      else assert.equal(throwsCode(() => check(tokenWith(aud)), 'ERR_JWT_CLAIM').claim, 'aud')
    }
  })

  it('an aud value of 100,000 chars fails fast with ERR_JWT_CLAIM, claim aud', () => {
    const long = 'a'.repeat(100_000)
    const options = { ...at, audience: /a*/, maxTokenLength: 200_000 }
    const err = throwsCode(() => verify(tokenWith(long), SECRET, options), 'ERR_JWT_CLAIM')
    assert.equal(err.status, 401)
    assert.equal(err.claim, 'aud')
    const inArray = throwsCode(() => createVerifier(SECRET, options)(tokenWith(['x', long])), 'ERR_JWT_CLAIM')
    assert.equal(inArray.claim, 'aud')
    // At the limit the RegExp runs as usual.
    assert.deepStrictEqual(verify(tokenWith('a'.repeat(1024)), SECRET, options), { aud: 'a'.repeat(1024), iat: NOW })
  })

  it('a string audience is compared whole, whatever its length', () => {
    const long = 'b'.repeat(5000)
    assert.deepStrictEqual(verify(tokenWith(long), SECRET, { ...at, audience: long }), { aud: long, iat: NOW })
  })
})
