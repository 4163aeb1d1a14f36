/**
 * `readBody` hardening: a body that is not JSON never carries the parser's message (V8 quotes the text, passwords
 * included) in the error or its causes; a body that trickles in is cut off with 408 and its connection released;
 * a JSON body that names `access_token` twice is as ambiguous as a form body that does; an oversized body has a
 * code of its own.
 */
import assert from 'node:assert/strict'
import type { ServerResponse } from 'node:http'
import { connect } from 'node:net'
import { Readable } from 'node:stream'
import { describe, test } from 'node:test'
import { inspect } from 'node:util'
import express, { type Request as ExpressRequest, type Response as ExpressResponse, type NextFunction } from 'express'
import { compileReadBody } from '../../src/http/body.js'
import {
  type AuthenticatedRequest,
  authenticateRequest,
  errorResponse,
  isJwtError,
  type JwtRequestOptions,
  jwtMiddleware,
  withJwt,
} from '../../src/index.js'
import { forge, SECRET } from '../helpers/forge.js'
import { serve } from '../helpers/server.js'

const INVALID_REQUEST = /^Bearer realm="api", error="invalid_request", error_description="[^"]+"$/

function echo(req: AuthenticatedRequest, res: ServerResponse): void {
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify({ user: req.user ?? null, body: req.body ?? null }))
}

function post(contentType: string, body: string, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', headers: { 'content-type': contentType, ...headers }, body }
}

function fetchRequest(contentType: string, body: BodyInit): Request {
  return new Request('http://127.0.0.1/me', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
    duplex: 'half',
  } as RequestInit)
}

async function fetchError(request: Request, options: JwtRequestOptions<Request>): Promise<unknown> {
  return authenticateRequest(request, options).then(
    () => assert.fail('authenticateRequest resolved'),
    (error: unknown) => error,
  )
}

/** Every `cause` below an error, the error included. */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = []
  for (let e = error; e !== undefined && chain.length < 10; e = (e as { cause?: unknown }).cause) chain.push(e)
  return chain
}

interface SlowAnswer {
  head: string
  body: string
  /** Milliseconds from the first byte sent to the server closing the connection. */
  closedAfter: number
}

/** Sends the head and the first part of a body, then nothing more; resolves when the server closes. */
function stalledUpload(url: string, path: string, declared: number, first: string): Promise<SlowAnswer> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const started = Date.now()
    const socket = connect(Number(port), hostname)
    const chunks: Buffer[] = []
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const split = text.indexOf('\r\n\r\n')
      resolve({ head: text.slice(0, split), body: text.slice(split + 4), closedAfter: Date.now() - started })
    })
    socket.write(
      [
        `POST ${path} HTTP/1.1`,
        'Host: 127.0.0.1',
        'Content-Type: application/json',
        `Content-Length: ${declared}`,
        '',
        first,
      ].join('\r\n'),
    )
  })
}

describe('readBody: a body that is not JSON', () => {
  const secretText = 'hunter2-correct-horse'
  const bad = `password=${secretText}&then=more`

  test('node:http: 400 invalid_request', async (t) => {
    const url = await serve(t, withJwt({ secret: SECRET, realm: 'api', readBody: true }, echo))
    const res = await fetch(`${url}/me`, post('application/json', bad))
    assert.equal(res.status, 400)
    assert.match(res.headers.get('www-authenticate') ?? '', INVALID_REQUEST)
    const text = await res.text()
    assert.deepEqual(JSON.parse(text), {
      error: 'invalid_request',
      error_description: 'the request body is not valid JSON',
    })
    assert.equal(text.includes(secretText), false)
  })

  test('Fetch: ERR_JWT_AMBIGUOUS 400 whose cause chain holds no parser error and no body text', async () => {
    for (const body of [bad, `{"password":"${secretText}"`, `{"password":"${secretText}", x}`, `"${secretText}`]) {
      const error = await fetchError(fetchRequest('application/json', body), { secret: SECRET, readBody: true })
      assert.ok(isJwtError(error))
      assert.deepEqual([error.name, error.code, error.status], ['UnauthorizedError', 'ERR_JWT_AMBIGUOUS', 400])
      const chain = causeChain(error)
      // The UnauthorizedError and the JwtError it wraps; nothing below.
      assert.equal(chain.length, 2)
      assert.deepEqual(
        chain.map((e) => (e as Error).name),
        ['UnauthorizedError', 'JwtError'],
      )
      assert.equal(inspect(error, { depth: 20 }).includes(secretText), false)
      assert.equal(JSON.stringify(chain.map((e) => (e as Error).message)).includes(secretText), false)
    }
    // Bytes that are not UTF-8 get the same treatment: no decoder error below.
    const notUtf8 = new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])
    const error = await fetchError(fetchRequest('application/json', notUtf8), { secret: SECRET, readBody: true })
    assert.equal(causeChain(error).length, 2)
  })
})

describe('readBody: a body that arrives too slowly', () => {
  test('node:http: 408 invalid_request after the timeout, and the connection is closed', async (t) => {
    const url = await serve(t, withJwt({ secret: SECRET, realm: 'api', readBody: { timeout: 0.3 } }, echo))
    const answer = await stalledUpload(url, '/me', 100, '{"access_token":')
    assert.match(answer.head, /^HTTP\/1\.1 408 /)
    assert.match(answer.head, /\r\nconnection: close\r\n/i)
    const challenge = /\r\nwww-authenticate: ([^\r]*)/i.exec(answer.head)?.[1]
    assert.equal(
      challenge,
      'Bearer realm="api", error="invalid_request", error_description="the request body did not arrive in time"',
    )
    assert.deepEqual(JSON.parse(answer.body), {
      error: 'invalid_request',
      error_description: 'the request body did not arrive in time',
    })
    assert.ok(answer.closedAfter >= 250, `answered after ${answer.closedAfter} ms`)
    assert.ok(answer.closedAfter < 5000, `closed after ${answer.closedAfter} ms`)
  })

  test('node:http: a duration string works too, and a prompt body is unaffected', async (t) => {
    const url = await serve(t, withJwt({ secret: SECRET, realm: 'api', readBody: { timeout: '1s' } }, echo))
    const answer = await stalledUpload(url, '/me', 50, '{')
    assert.match(answer.head, /^HTTP\/1\.1 408 /)
    assert.ok(answer.closedAfter >= 900, `answered after ${answer.closedAfter} ms`)
    const value = forge({ alg: 'HS256' }, { sub: 'u1' })
    const res = await fetch(`${url}/me`, post('application/json', JSON.stringify({ access_token: value })))
    assert.deepEqual([res.status, await res.json()], [200, { user: { sub: 'u1' }, body: { access_token: value } }])
  })

  test('Express: ERR_JWT_BODY_TIMEOUT 408 reaches the error handler, with connection: close', async (t) => {
    const app = express()
    app.use(jwtMiddleware<ExpressRequest>({ secret: SECRET, readBody: { timeout: 0.3 } }))
    app.use((_req: ExpressRequest, res: ExpressResponse) => {
      res.json({ reached: true })
    })
    app.use((err: unknown, _req: ExpressRequest, res: ExpressResponse, _next: NextFunction) => {
      if (!isJwtError(err)) return res.status(500).json({ code: 'not a JwtError' })
      res.status(err.status).json({ code: err.code, status: err.status })
    })
    const url = await serve(t, app)
    const answer = await stalledUpload(url, '/me', 100, '{"a":')
    assert.match(answer.head, /^HTTP\/1\.1 408 /)
    assert.match(answer.head, /\r\nconnection: close\r\n/i)
    assert.deepEqual(JSON.parse(answer.body), { code: 'ERR_JWT_BODY_TIMEOUT', status: 408 })
  })

  test('Fetch: a stalled body is ERR_JWT_BODY_TIMEOUT 408; the source is left to the handler', async () => {
    let cancelled = false
    let pulls = 0
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"access_token":'))
      },
      pull() {
        pulls++
        // Never enqueues again: the client has stopped sending.
        return new Promise(() => undefined)
      },
      cancel() {
        cancelled = true
      },
    })
    const started = Date.now()
    const request = fetchRequest('application/json', stream)
    const options: JwtRequestOptions<Request> = { secret: SECRET, realm: 'api', readBody: { timeout: 0.2 } }
    const error = await fetchError(request, options)
    assert.ok(Date.now() - started >= 150)
    assert.ok(isJwtError(error))
    assert.deepEqual([error.name, error.code, error.status], ['UnauthorizedError', 'ERR_JWT_BODY_TIMEOUT', 408])
    const res = errorResponse(error, options)
    assert.equal(res.status, 408)
    assert.match(res.headers.get('www-authenticate') ?? '', INVALID_REQUEST)
    assert.deepEqual(await res.json(), {
      error: 'invalid_request',
      error_description: 'the request body did not arrive in time',
    })
    // The adapter's branch of the body is cancelled; the handler's branch (and so the source) stays the caller's.
    assert.ok(pulls >= 1)
    assert.equal(cancelled, false)
    await request.body?.cancel()
    assert.equal(cancelled, true)
  })

  test('Fetch behind a real server: a client that stops sending gets 408', async (t) => {
    const options: JwtRequestOptions<Request> = { secret: SECRET, realm: 'api', readBody: { timeout: 0.3 } }
    const url = await serve(t, async (req, res) => {
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
        duplex: 'half',
      } as RequestInit)
      let response: Response
      try {
        response = Response.json(await authenticateRequest(request, options))
      } catch (error) {
        response = errorResponse(error, options)
      }
      const headers: Record<string, string> = { connection: 'close' }
      response.headers.forEach((value, name) => {
        headers[name] = value
      })
      const bytes = Buffer.from(await response.arrayBuffer())
      headers['content-length'] = String(bytes.length)
      res.writeHead(response.status, headers)
      res.end(bytes)
    })
    const answer = await stalledUpload(url, '/me', 100, '{"access_token":')
    assert.match(answer.head, /^HTTP\/1\.1 408 /)
    assert.deepEqual(JSON.parse(answer.body), {
      error: 'invalid_request',
      error_description: 'the request body did not arrive in time',
    })
  })

  test('the option: seconds or a duration string, 10 s by default; anything else refused at factory time', () => {
    assert.deepEqual(compileReadBody(true), { limit: 16 * 1024, timeout: 10 })
    assert.deepEqual(compileReadBody({ limit: 10, timeout: '2m' }), { limit: 10, timeout: 120 })
    assert.deepEqual(compileReadBody({ timeout: 0.5 }), { limit: 16 * 1024, timeout: 0.5 })
    assert.equal(compileReadBody(false), undefined)
    for (const timeout of [0, -1, '120', 'soon', Number.POSITIVE_INFINITY, Number.NaN, null, 3e6, '40d', {}]) {
      assert.throws(
        () => withJwt({ secret: SECRET, readBody: { timeout } as unknown as { timeout: number } }, echo),
        { name: 'JwtError', code: 'ERR_JWT_INVALID_OPTION', status: 500 },
        String(timeout),
      )
    }
  })
})

describe('readBody: access_token twice in a JSON body', () => {
  const a = forge({ alg: 'HS256' }, { sub: 'a' })
  const b = forge({ alg: 'HS256' }, { sub: 'b' })
  const duplicates = [
    `{"access_token":"${a}","access_token":"${b}"}`,
    `{"access_token":"${a}","access_token":"${a}"}`,
    ` { "access_token" : "${a}" , "x" : [1, {"y": "}"}], "access_token" : "${b}" } `,
    `{"access\\u005ftoken":"${a}","access_token":"${b}"}`,
    `{"access_token":"${a}","access_token":null}`,
  ]
  const single = [
    [`{"access_token":"${a}","note":"\\"access_token\\":\\"${b}\\""}`, 'a'],
    [`{"nested":{"access_token":"${b}"},"access_token":"${a}"}`, 'a'],
    [`{"list":[{"access_token":"${b}"}],"access_token":"${a}","access_tokens":"${b}"}`, 'a'],
    [`{"access_token":"${a}","access_token_2":"${b}","x":"access_token"}`, 'a'],
  ] as const

  test('node:http: 400 invalid_request; one top-level member with look-alikes elsewhere passes', async (t) => {
    const url = await serve(t, withJwt({ secret: SECRET, realm: 'api', readBody: true }, echo))
    for (const body of duplicates) {
      const res = await fetch(`${url}/me`, post('application/json', body))
      assert.equal(res.status, 400, body)
      assert.match(res.headers.get('www-authenticate') ?? '', INVALID_REQUEST)
      assert.equal(((await res.json()) as { error: string }).error, 'invalid_request')
    }
    for (const [body, sub] of single) {
      const res = await fetch(`${url}/me`, post('application/json', body))
      assert.equal(res.status, 200, body)
      assert.deepEqual(((await res.json()) as { user: unknown }).user, { sub })
    }
  })

  test('Fetch: ERR_JWT_AMBIGUOUS 400, also under a configured bodyField', async () => {
    for (const body of duplicates) {
      const error = await fetchError(fetchRequest('application/json', body), { secret: SECRET, readBody: true })
      assert.ok(isJwtError(error))
      assert.deepEqual([error.name, error.code, error.status], ['UnauthorizedError', 'ERR_JWT_AMBIGUOUS', 400])
    }
    const options: JwtRequestOptions<Request> = { secret: SECRET, readBody: true, bodyField: 'jwt' }
    const error = await fetchError(fetchRequest('application/json', `{"jwt":"${a}","jwt":"${b}"}`), options)
    assert.ok(isJwtError(error))
    assert.deepEqual([error.code, error.status], ['ERR_JWT_AMBIGUOUS', 400])
    const claims = await authenticateRequest(
      fetchRequest('application/json', `{"jwt":"${a}","access_token":"x","access_token":"y"}`),
      options,
    )
    assert.deepEqual(claims, { sub: 'a' })
  })
})

describe('readBody: a body over the limit', () => {
  test('node:http: 413 invalid_request, connection closed', async (t) => {
    const url = await serve(t, withJwt({ secret: SECRET, realm: 'api', readBody: { limit: 64 } }, echo))
    const res = await fetch(`${url}/me`, post('application/json', JSON.stringify({ pad: 'x'.repeat(100) })))
    assert.equal(res.status, 413)
    assert.equal(res.headers.get('connection'), 'close')
    assert.equal(
      res.headers.get('www-authenticate'),
      'Bearer realm="api", error="invalid_request", error_description="the request body is larger than the limit"',
    )
    assert.deepEqual(await res.json(), {
      error: 'invalid_request',
      error_description: 'the request body is larger than the limit',
    })
  })

  test('Fetch: ERR_JWT_BODY_TOO_LARGE 413, by Content-Length and by counting', async () => {
    const body = JSON.stringify({ pad: 'x'.repeat(100) })
    const stream = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(body))
          controller.close()
        },
      })
    for (const request of [fetchRequest('application/json', body), fetchRequest('application/json', stream())]) {
      const error = await fetchError(request, { secret: SECRET, readBody: { limit: 64 } })
      assert.ok(isJwtError(error))
      assert.deepEqual([error.name, error.code, error.status], ['UnauthorizedError', 'ERR_JWT_BODY_TOO_LARGE', 413])
      assert.equal(errorResponse(error).status, 413)
    }
  })
})
