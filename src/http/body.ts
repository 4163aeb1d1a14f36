/**
 * `readBody`: reading a small JSON or form body when no framework has, so the body source (RFC 6750 §2.2) works
 * on a bare `node:http` server or a Fetch `Request`. The limit is checked against `Content-Length` before any
 * byte is read and again while reading, so an oversized body costs the server at most `limit` bytes; the whole
 * body must arrive within `timeout`, so a client that trickles it (or stops) cannot hold the request open.
 */
import type { IncomingMessage } from 'node:http'
import { ambiguous, bodyTimeout, bodyTooLarge, invalidOption, JwtError } from '../errors.js'
import { joinChunks } from '../lib/chunks.js'
import { toSeconds } from '../lib/duration.js'
import { readOptions } from '../lib/option-table.js'
import type { CompiledExtractOptions } from './extract.js'
import { countTopLevelMembers } from './members.js'

export const DEFAULT_BODY_LIMIT = 16 * 1024
/** Seconds the whole body may take to arrive. */
export const DEFAULT_BODY_TIMEOUT = 10
/** The longest delay `setTimeout` holds (2^31 - 1 ms); a longer one would fire at once. */
const MAX_BODY_TIMEOUT = 2_147_483

/** The kinds of body `readBody` parses; anything else is left unread for the application. */
export type BodyKind = 'json' | 'form'

/** How a body is read: at most `limit` bytes, all of them within `timeout` seconds. */
export interface BodyReading {
  readonly limit: number
  readonly timeout: number
}

const READ_BODY_SHAPE = '"readBody" must be true, false or { limit?: a positive number of bytes, timeout?: a duration }'

/** The `{ limit, timeout }` form of `readBody`, read through the one option table like every other option. */
const READ_BODY_OPTIONS = {
  limit: (v: unknown): number => {
    if (v === undefined) return DEFAULT_BODY_LIMIT
    if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return v
    throw invalidOption(READ_BODY_SHAPE)
  },
  timeout: (v: unknown): number => {
    // Seconds or a duration string, like every other time option of the library.
    const seconds = v === undefined ? DEFAULT_BODY_TIMEOUT : toSeconds(v, 'readBody.timeout', false)
    if (!(seconds > 0 && seconds <= MAX_BODY_TIMEOUT)) {
      throw invalidOption('"readBody.timeout" must be more than 0 and at most 24 days')
    }
    return seconds
  },
} as const

/** `readBody` option to its limit and timeout, or undefined when bodies are not read. */
export function compileReadBody(value: unknown): BodyReading | undefined {
  if (value === undefined || value === false) return undefined
  if (value === true) return { limit: DEFAULT_BODY_LIMIT, timeout: DEFAULT_BODY_TIMEOUT }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidOption(READ_BODY_SHAPE)
  }
  return readOptions(READ_BODY_OPTIONS, value, 'readBody')
}

function milliseconds(reading: BodyReading): number {
  return Math.max(1, Math.ceil(reading.timeout * 1000))
}

/**
 * The body field to check for duplicates: the configured one when the body is a token source, else none (a body
 * the adapter takes no token from is the application's to judge).
 */
export function bodyTokenField(extract: CompiledExtractOptions): string | undefined {
  return extract.sources.includes('body') ? extract.bodyField : undefined
}

/** Which parser a `Content-Type` calls for; parameters such as `charset` are ignored (bodies are read as UTF-8). */
export function bodyKind(contentType: string | null | undefined): BodyKind | undefined {
  if (typeof contentType !== 'string') return undefined
  const type = (contentType.split(';')[0] as string).trim().toLowerCase()
  if (type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'))) return 'json'
  if (type === 'application/x-www-form-urlencoded') return 'form'
  return undefined
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * No `cause`: V8's `SyntaxError` quotes the body around the error ("Unexpected token ... "password=..." is not
 * valid JSON"), and the decoder's error says nothing the message does not. Body text never rides along.
 */
function badBody(kind: BodyKind): JwtError {
  return ambiguous(`the request body is not valid ${kind === 'json' ? 'JSON' : 'form data'}`)
}

/**
 * Parses a body. Form fields become own data properties (a `__proto__` field stays a field) and a repeated
 * field becomes an array, so the body source sees it and refuses it as not a single string. A JSON body that
 * names `field` more than once at the top level is refused here, as `JSON.parse` would keep only the last.
 * @throws {JwtError} `ERR_JWT_AMBIGUOUS` for a body that is not UTF-8, not JSON, or repeats `field`
 */
export function parseBody(kind: BodyKind, bytes: Uint8Array, field?: string): unknown {
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch {
    throw badBody(kind)
  }
  if (kind === 'json') {
    if (text.trim() === '') return undefined
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      throw badBody(kind)
    }
    if (
      field !== undefined &&
      typeof parsed === 'object' &&
      parsed !== null &&
      Object.hasOwn(parsed, field) &&
      countTopLevelMembers(text, field) > 1
    ) {
      throw ambiguous(`the body field ${field} is repeated`)
    }
    return parsed
  }
  const form: Record<string, string | string[]> = {}
  for (const [name, value] of new URLSearchParams(text)) {
    const previous = Object.hasOwn(form, name) ? form[name] : undefined
    const next = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value]
    Object.defineProperty(form, name, { value: next, enumerable: true, writable: true, configurable: true })
  }
  return form
}

function declaredLength(value: string | null | undefined): number | undefined {
  if (typeof value !== 'string' || !/^\d+$/.test(value.trim())) return undefined
  return Number(value.trim())
}

/** Reads a Node request body up to `limit` bytes within `timeout`; resolves to undefined when there is none. */
export function readNodeBody(req: IncomingMessage, reading: BodyReading): Promise<Uint8Array | undefined> {
  const { limit } = reading
  const length = declaredLength(req.headers['content-length'])
  if (length !== undefined && length > limit) return Promise.reject(bodyTooLarge())
  const hasBody = (length !== undefined && length > 0) || req.headers['transfer-encoding'] !== undefined
  if (!hasBody || req.readableEnded) return Promise.resolve(undefined)
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const cleanup = (): void => {
      clearTimeout(timer)
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
      req.off('aborted', onError)
    }
    // The rest of the body is left unread: the adapters answer with `Connection: close`, so Node closes the
    // connection once the answer is out instead of waiting for bytes that may never come.
    const stop = (error: JwtError): void => {
      cleanup()
      req.pause()
      reject(error)
    }
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
      size += bytes.length
      if (size > limit) {
        stop(bodyTooLarge())
        return
      }
      chunks.push(bytes)
    }
    const onEnd = (): void => {
      cleanup()
      resolve(Buffer.concat(chunks, size))
    }
    const onError = (cause?: unknown): void => {
      cleanup()
      reject(ambiguous('the request body could not be read', cause))
    }
    const timer = setTimeout(() => stop(bodyTimeout()), milliseconds(reading))
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
    req.on('aborted', onError)
  })
}

/**
 * Reads a copy of a Fetch request's body up to `limit` bytes within `timeout`, leaving the original readable for
 * the handler. On a failure the copy's reader is cancelled, so the adapter stops pulling from the client.
 */
export async function readFetchBody(request: Request, reading: BodyReading): Promise<Uint8Array | undefined> {
  const { limit } = reading
  const length = declaredLength(request.headers.get('content-length'))
  if (length !== undefined && length > limit) throw bodyTooLarge()
  if (request.body === null || request.bodyUsed || request.body.locked) return undefined
  const body = request.clone().body
  if (body === null) return undefined
  const reader = body.getReader()
  let timer: ReturnType<typeof setTimeout> | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(bodyTimeout()), milliseconds(reading))
  })
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), expired]).catch((error: unknown) => {
        throw error instanceof JwtError ? error : ambiguous('the request body could not be read', error)
      })
      if (done) break
      size += value.byteLength
      if (size > limit) throw bodyTooLarge()
      chunks.push(value)
    }
  } catch (error) {
    // Not awaited: cancelling one branch of a tee settles only once the other branch (the handler's) is
    // cancelled or read too, which may be never.
    reader.cancel().catch(() => undefined)
    throw error
  } finally {
    clearTimeout(timer)
  }
  return joinChunks(chunks, size)
}
