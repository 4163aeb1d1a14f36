/**
 * Key sets for the JWKS tests: key pairs made with node:crypto, public JWKs from node's own JWK export, tokens
 * signed with node:crypto directly (never with src/, so a bug in the library cannot agree with itself), and a JWKS
 * server on 127.0.0.1 port 0 that counts the requests it receives.
 */
import assert from 'node:assert/strict'
import { constants, createHmac, generateKeyPairSync, type KeyObject, sign as signWith } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { TestContext } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { inspect } from 'node:util'
import { type JsonWebKey, JwtError } from '../../src/index.js'
import { b64 } from './forge.js'

export { sleep }

/** A key pair from node:crypto. */
export interface Pair {
  privateKey: KeyObject
  publicKey: KeyObject
}

export function rsaPair(modulusLength = 2048): Pair {
  return generateKeyPairSync('rsa', { modulusLength })
}

export function ecPair(namedCurve: 'P-256' | 'P-384' | 'P-521' | 'secp256k1'): Pair {
  return generateKeyPairSync('ec', { namedCurve })
}

export function ed25519Pair(): Pair {
  return generateKeyPairSync('ed25519')
}

/** A JWK as a provider publishes it (any members, any values). */
export type Jwk = JsonWebKey

/** The public JWK of a key pair (node's own export: kty and the public members), with extra members. */
export function publicJwk(pair: Pair, extra: Record<string, unknown> = {}): Jwk {
  return { ...(pair.publicKey.export({ format: 'jwk' }) as Jwk), ...extra }
}

const HASH: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' }

/**
 * A compact JWS over exactly this header and payload, signed with node:crypto: RS/PS/ES/EdDSA with a private
 * KeyObject (ECDSA as JOSE's raw R || S, PSS with a salt as long as the hash), HS with the bytes given.
 */
export function signToken(
  header: Record<string, unknown>,
  payload: object,
  key: KeyObject | string | Uint8Array,
): string {
  const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}`
  const data = Buffer.from(input)
  const alg = String(header.alg)
  const hash = HASH[alg.slice(2)]
  let signature: Buffer
  if (alg.startsWith('HS') && hash !== undefined) {
    signature = createHmac(hash, typeof key === 'string' || key instanceof Uint8Array ? key : key.export())
      .update(data)
      .digest()
  } else if (typeof key === 'string' || key instanceof Uint8Array) {
    throw new Error(`${alg} needs a private KeyObject`)
  } else if (alg.startsWith('RS') && hash !== undefined) {
    signature = signWith(hash, data, key)
  } else if (alg.startsWith('PS') && hash !== undefined) {
    const saltLength = Number(alg.slice(2)) / 8
    signature = signWith(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength })
  } else if (alg.startsWith('ES') && hash !== undefined) {
    signature = signWith(hash, data, { key, dsaEncoding: 'ieee-p1363' })
  } else if (alg === 'EdDSA' || alg === 'Ed25519') {
    signature = signWith(null, data, key)
  } else {
    throw new Error(`signToken: no signer for ${alg}`)
  }
  return `${input}.${signature.toString('base64url')}`
}

/** The payload most tests sign. */
export const PAYLOAD = { sub: 'alice', scope: 'read' }

/**
 * Awaits what `call` returns, which must be a Promise (a verify against a remote set never throws synchronously),
 * and asserts that it rejects with a JwtError of exactly this code (and this status, when given).
 */
export async function rejectsCode(call: () => unknown, code: string, status?: number): Promise<JwtError> {
  let returned: unknown
  try {
    returned = call()
  } catch (err) {
    assert.fail(`expected a rejected Promise (${code}), but the call threw synchronously: ${String(err)}`)
  }
  assert.ok(returned instanceof Promise, `expected a Promise rejecting with ${code}, got ${typeof returned}`)
  let caught: unknown
  try {
    await returned
  } catch (err) {
    caught = err
  }
  assert.ok(caught !== undefined, `expected ${code}, but the Promise resolved`)
  assert.ok(caught instanceof JwtError, `expected a JwtError ${code}, got ${inspect(caught)}`)
  assert.equal(caught.code, code, `expected ${code}, got ${caught.code}: ${caught.message}`)
  if (status !== undefined) assert.equal(caught.status, status, `status of ${code}`)
  return caught
}

/** Asserts that `call` returns a Promise that resolves, and returns its value. */
export async function resolves<T>(call: () => T | Promise<T>): Promise<T> {
  const returned = call()
  assert.ok(returned instanceof Promise, 'expected a Promise')
  return await returned
}

/** Asserts that `text` appears nowhere in the error: message, cause chain, stack, or what util.inspect shows. */
export function leaksNothing(err: unknown, ...texts: string[]): void {
  const shown = `${inspect(err, { depth: 8, showHidden: true })}\n${err instanceof Error ? err.stack : ''}`
  for (const text of texts) assert.ok(!shown.includes(text), `the error shows ${JSON.stringify(text)}: ${shown}`)
}

/** A request handler of the JWKS server; `requests` counts every request before a handler runs. */
export type Handler = (req: IncomingMessage, res: ServerResponse) => void

/** A JWKS server on 127.0.0.1:0. */
export interface JwksServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  base: string
  /** `base + '/jwks'`: serves `{ keys }` as JSON, with status 200, unless a handler replaces it. */
  jwksUrl: string
  /** What `/jwks` serves; change it to rotate keys. */
  keys: unknown[]
  /** Handlers by path (the request URL's pathname); `/jwks` is given unless replaced. */
  routes: Map<string, Handler>
  /** Every request: its path, its headers, and when it arrived (performance.now()). */
  requests: { path: string; headers: IncomingHttpHeaders; at: number }[]
  /** How many requests had this path (every request without one). */
  count(path?: string): number
}

/** Sends `value` as a JSON response with status 200 (or the one given). */
export function sendJson(res: ServerResponse, value: unknown, status = 200): void {
  const body = typeof value === 'string' ? value : JSON.stringify(value)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

/** Starts a JWKS server closed when `t` ends; requests to paths without a handler get 404. */
export async function jwksServer(t: TestContext, keys: unknown[] = []): Promise<JwksServer> {
  const state: Omit<JwksServer, 'base' | 'jwksUrl'> = {
    keys,
    routes: new Map(),
    requests: [],
    count: (path) => (path === undefined ? state.requests : state.requests.filter((r) => r.path === path)).length,
  }
  state.routes.set('/jwks', (_req, res) => sendJson(res, { keys: state.keys }))
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    state.requests.push({ path, headers: req.headers, at: performance.now() })
    const handler = state.routes.get(path)
    if (handler === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' })
      res.end('not found')
    } else handler(req, res)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('the server has no TCP address')
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  const base = `http://127.0.0.1:${address.port}`
  return Object.assign(state, { base, jwksUrl: `${base}/jwks` })
}

/** A `fetch` option that records every call (URL and init) and delegates to globalThis.fetch. */
export function recordingFetch(): {
  fetch: (input: string, init: RequestInit) => Promise<Response>
  calls: { url: string; init: RequestInit }[]
} {
  const calls: { url: string; init: RequestInit }[] = []
  return {
    calls,
    fetch: (input, init) => {
      calls.push({ url: String(input), init })
      return globalThis.fetch(input, init)
    },
  }
}

/** Resolves once `condition()` holds, polling every 10 ms; fails after `ms`. */
export async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = performance.now() + ms
  while (!condition()) {
    if (performance.now() > deadline) assert.fail(`timed out waiting for ${what}`)
    await sleep(10)
  }
}

/**
 * `promise`, or a rejection if it has not settled within `ms`. The timer is ref'd: it keeps the event loop alive,
 * so a verify that would hang forever (nothing else pending) fails here instead of ending the test run.
 */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, limit])
  } finally {
    clearTimeout(timer)
  }
}
