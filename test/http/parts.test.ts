/**
 * src/http/parts.ts on its own: the pathname `unless` decides on (the WHATWG URL's, and only when the raw target
 * names the same segments), and the request parts read from Node and Fetch requests.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { compileExtractOptions, findToken } from '../../src/http/extract.js'
import { agreedPathname, fetchParts, isFetchRequest, nodeParts } from '../../src/http/parts.js'

describe('agreedPathname', () => {
  test('a plain path, or one the URL parser only percent-encodes, is its pathname (query left out)', () => {
    const cases: Array<[string, string]> = [
      ['/public/info', '/public/info'],
      ['/public/info?next=/admin', '/public/info'],
      ['/', '/'],
      ['/caf%C3%A9', '/caf%C3%A9'],
      ['/café', '/caf%C3%A9'],
      ['http://example.com/public/x?y', '/public/x'],
    ]
    assert.deepStrictEqual(
      cases.map(([target]) => agreedPathname(target)),
      cases.map(([, pathname]) => pathname),
    )
  })

  test('targets whose raw segments differ from the normalised ones decide nothing', () => {
    const targets = [
      '/public/../admin',
      '/public/..\\admin',
      '/public/%2e%2e/admin',
      '/public/.%2E/admin',
      '/public/./x',
      '/public\\x',
      '//evil.example/public/x',
      'http://example.com/public/../admin',
      '/public/\tx',
    ]
    assert.deepStrictEqual(
      targets.map((t) => agreedPathname(t)),
      targets.map(() => undefined),
    )
    assert.equal(agreedPathname(undefined), undefined)
  })
})

describe('nodeParts', () => {
  test('method, target (originalUrl first), url, search, query and body', () => {
    const parts = nodeParts({
      method: 'post',
      url: '/me?a=1',
      originalUrl: '/api/me?a=1',
      headers: {},
      query: { a: '1' },
      body: { b: 2 },
    })
    assert.deepStrictEqual(
      [parts.method, parts.target, parts.url, parts.search, parts.query, parts.body],
      ['POST', '/api/me?a=1', '/me?a=1', 'a=1', { a: '1' }, { b: 2 }],
    )
  })

  test('every field line from rawHeaders (Node keeps only the first Authorization in headers)', () => {
    const parts = nodeParts({
      headers: { authorization: 'Bearer a' },
      rawHeaders: ['Authorization', 'Bearer a', 'Host', 'x', 'authorization', 'Bearer b'],
    })
    assert.deepStrictEqual(parts.fieldValues('authorization'), ['Bearer a', 'Bearer b'])
    assert.deepStrictEqual(parts.fieldValues('cookie'), [])
  })

  test('without rawHeaders: the parsed headers, own properties only', () => {
    const headers = Object.assign(Object.create({ cookie: 'inherited' }), { 'x-access-token': 't', accept: ['a', 'b'] })
    const parts = nodeParts({ headers })
    assert.deepStrictEqual(
      [parts.fieldValues('x-access-token'), parts.fieldValues('accept'), parts.fieldValues('cookie'), parts.method],
      [['t'], ['a', 'b'], [], ''],
    )
  })
})

describe('nodeParts: what it reads from the request, and when', () => {
  /** A request whose `headers` and `query` count their reads, as Node's lazy `headers` and Express 5's `query` getter. */
  function counted(url: string, rawHeaders: string[] | undefined) {
    const reads = { headers: 0, query: 0 }
    const req = {
      method: 'GET',
      url,
      rawHeaders,
      get headers() {
        reads.headers++
        return { authorization: 'Bearer h' }
      },
      get query() {
        reads.query++
        return { access_token: 'q' }
      },
    }
    return { req, reads }
  }

  test('with rawHeaders, req.headers is never read (Node builds it on first access)', () => {
    const { req, reads } = counted('/me', ['Authorization', 'Bearer r'])
    const parts = nodeParts(req)
    assert.deepStrictEqual(
      [parts.fieldValues('authorization'), parts.fieldValues('cookie'), reads.headers],
      [['Bearer r'], [], 0],
    )
  })

  test('req.query is read on first use only, then never again; a request without a query string never reads it', () => {
    const withQuery = counted('/me?x=1', ['Host', 'h'])
    const parts = nodeParts(withQuery.req)
    assert.strictEqual(withQuery.reads.query, 0)
    assert.deepStrictEqual(
      [parts.query, parts.query, withQuery.reads.query],
      [{ access_token: 'q' }, { access_token: 'q' }, 1],
    )
    // The default sources (the query among them) on a target without "?": the raw query string decides, and there
    // is none; and with rawHeaders, the headers object is not built either.
    const none = counted('/me', ['Authorization', 'Bearer abc'])
    assert.deepStrictEqual(
      [findToken(nodeParts(none.req), compileExtractOptions(undefined)), none.reads.query, none.reads.headers],
      ['abc', 0, 0],
    )
  })
})

describe('fetchParts', () => {
  test('method, target and search from the URL; header values as Headers gives them', () => {
    const request = new Request('http://x/me?access_token=t', {
      method: 'PATCH',
      headers: [
        ['x-access-token', 'a'],
        ['x-access-token', 'b'],
      ],
    })
    const parts = fetchParts(request, { k: 1 })
    assert.deepStrictEqual(
      [parts.method, parts.target, parts.search, parts.query, parts.body, parts.fieldValues('x-access-token')],
      ['PATCH', 'http://x/me?access_token=t', 'access_token=t', undefined, { k: 1 }, ['a, b']],
    )
    assert.deepStrictEqual([isFetchRequest(request), isFetchRequest({ headers: {} })], [true, false])
  })

  test('a URL without "?" has an empty search; a relative one (a test double) is read as a request target', () => {
    const headers = new Headers()
    const like = (url: string) => ({ method: 'get', url, headers }) as unknown as Request
    assert.deepStrictEqual(
      ['http://x/me', '/me', '/me?access_token=t', 'http://x/me#a?b'].map(
        (url) => fetchParts(like(url), undefined).search,
      ),
      ['', '', 'access_token=t', ''],
    )
  })
})

describe('nodeParts: the query string of every target form', () => {
  test('origin-form and absolute-form, with and without a query', () => {
    const search = (url: string) => nodeParts({ url, headers: {} }).search
    assert.deepStrictEqual(['/me', '/me?a=1', 'http://h.example/me?b=2', 'http://h.example/me', '*'].map(search), [
      '',
      'a=1',
      'b=2',
      '',
      '',
    ])
  })
})
