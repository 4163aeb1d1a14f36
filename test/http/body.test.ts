/**
 * src/http/body.ts and src/http/members.ts on their own: the `readBody` option, the body kinds, strict parsing, and
 * counting top-level JSON members (a token field given twice is ambiguous). Reading bodies from real requests is
 * tested over loopback in test/attacks/http-body.test.ts and the adapter tests.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { bodyKind, compileReadBody, DEFAULT_BODY_LIMIT, DEFAULT_BODY_TIMEOUT, parseBody } from '../../src/http/body.js'
import { countTopLevelMembers } from '../../src/http/members.js'
import { throwsCode } from '../helpers/forge.js'

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)

describe('compileReadBody', () => {
  test('off, on with the defaults, or a limit and a timeout in seconds or as a duration', () => {
    assert.equal(compileReadBody(undefined), undefined)
    assert.equal(compileReadBody(false), undefined)
    assert.deepStrictEqual(compileReadBody(true), { limit: DEFAULT_BODY_LIMIT, timeout: DEFAULT_BODY_TIMEOUT })
    assert.deepStrictEqual(compileReadBody({}), { limit: 16 * 1024, timeout: 10 })
    assert.deepStrictEqual(compileReadBody({ limit: 64, timeout: '2s' }), { limit: 64, timeout: 2 })
    assert.deepStrictEqual(compileReadBody({ timeout: 0.25 }), { limit: 16 * 1024, timeout: 0.25 })
  })

  test('anything else is ERR_JWT_INVALID_OPTION', () => {
    for (const value of ['yes', 1, null, [], { limit: 0 }, { limit: 1.5 }, { limit: '1kb' }, { timeout: 0 }]) {
      throwsCode(() => compileReadBody(value), 'ERR_JWT_INVALID_OPTION')
    }
    throwsCode(() => compileReadBody({ timeout: '120' }), 'ERR_JWT_INVALID_OPTION')
    throwsCode(() => compileReadBody({ timeout: 3_000_000 }), 'ERR_JWT_INVALID_OPTION')
    throwsCode(() => compileReadBody({ limits: 64 }), 'ERR_JWT_INVALID_OPTION')
  })
})

describe('bodyKind', () => {
  test('JSON (and +json types) and forms; parameters and case do not matter; the rest is left unread', () => {
    const kinds = [
      'application/json',
      'Application/JSON; charset=utf-8',
      'application/merge-patch+json',
      'application/x-www-form-urlencoded',
      'text/plain',
      'multipart/form-data; boundary=x',
      '',
      null,
      undefined,
    ].map(bodyKind)
    assert.deepStrictEqual(kinds, [
      'json',
      'json',
      'json',
      'form',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ])
  })
})

describe('parseBody', () => {
  test('JSON is parsed; an empty or blank JSON body is no body', () => {
    assert.deepStrictEqual(parseBody('json', bytes('{"access_token":"t","n":1}')), { access_token: 't', n: 1 })
    assert.equal(parseBody('json', bytes('  \n')), undefined)
  })

  test('form fields are own data properties; a repeated field becomes an array; __proto__ stays a field', () => {
    const form = parseBody('form', bytes('a=1&b=2&a=3&__proto__=x')) as Record<string, unknown>
    assert.deepStrictEqual(Object.keys(form), ['a', 'b', '__proto__'])
    assert.deepStrictEqual(
      [form.a, form.b, Object.getOwnPropertyDescriptor(form, '__proto__')?.value],
      [['1', '3'], '2', 'x'],
    )
    assert.equal(Object.getPrototypeOf(form), Object.prototype)
  })

  test('invalid JSON or UTF-8 is ERR_JWT_AMBIGUOUS (400) with no cause that could quote the body', () => {
    for (const [kind, body] of [
      ['json', bytes('{"password":"hunter2",')],
      ['json', new Uint8Array([0x7b, 0xff, 0x7d])],
      ['form', new Uint8Array([0x61, 0x3d, 0xc3])],
    ] as const) {
      const err = throwsCode(() => parseBody(kind, body), 'ERR_JWT_AMBIGUOUS')
      assert.deepStrictEqual([err.status, err.cause, err.message.includes('hunter2')], [400, undefined, false])
    }
  })

  test('the token field twice at the top level is ambiguous; elsewhere or once it is not', () => {
    throwsCode(
      () => parseBody('json', bytes('{"access_token":"a","access_token":"b"}'), 'access_token'),
      'ERR_JWT_AMBIGUOUS',
    )
    assert.deepStrictEqual(parseBody('json', bytes('{"access_token":"a","x":{"access_token":"b"}}'), 'access_token'), {
      access_token: 'a',
      x: { access_token: 'b' },
    })
    // Without a field to watch (the body is not a token source) duplicates are the application's business.
    assert.deepStrictEqual(parseBody('json', bytes('{"k":1,"k":2}')), { k: 2 })
  })
})

describe('countTopLevelMembers', () => {
  test('counts members by name at the top level only, with escapes decoded', () => {
    const cases: Array<[string, number]> = [
      ['{"access_token":"a"}', 1],
      ['{"access_token":"a","access_token":"b"}', 2],
      ['{"access\\u005ftoken":"a","access_token":"b"}', 2],
      ['{"x":"\\"access_token\\":1","access_token":2}', 1],
      ['{"x":{"access_token":1},"y":[{"access_token":2}],"access_token":3}', 1],
      [' { "a" : 1 , "access_token" : true , "b" : null } ', 1],
      ['{}', 0],
      ['["access_token","access_token"]', 0],
      ['"access_token"', 0],
    ]
    assert.deepStrictEqual(
      cases.map(([text]) => countTopLevelMembers(text, 'access_token')),
      cases.map(([, n]) => n),
    )
  })
})
