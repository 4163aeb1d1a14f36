/**
 * `readBody`: reading a small JSON or form body when no framework has, so the body source (RFC 6750 §2.2) works
 * on a bare `node:http` server or a Fetch `Request`. The limit is checked against `Content-Length` before any
 * byte is read and again while reading, so an oversized body costs the server at most `limit` bytes.
 */
import type { IncomingMessage } from 'node:http'
import { JwtError } from '../errors.js'
import { readOptions } from '../lib/option-table.js'

export const DEFAULT_BODY_LIMIT = 16 * 1024

/** The kinds of body `readBody` parses; anything else is left unread for the application. */
export type BodyKind = 'json' | 'form'

const BAD_READ_BODY = '"readBody" must be true, false or { limit: a positive number of bytes }'

const READ_BODY_OPTIONS = {
  limit: (v: unknown): number => {
    if (v === undefined) return DEFAULT_BODY_LIMIT
    if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return v
    throw new JwtError('ERR_JWT_INVALID_OPTION', BAD_READ_BODY)
  },
} as const

/** `readBody` option to a byte limit, or undefined when bodies are not read. */
export function compileReadBody(value: unknown): number | undefined {
  if (value === undefined || value === false) return undefined
  if (value === true) return DEFAULT_BODY_LIMIT
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return readOptions(READ_BODY_OPTIONS, value, 'readBody').limit
  }
  throw new JwtError('ERR_JWT_INVALID_OPTION', BAD_READ_BODY)
}

/** The error for a body over the limit: `invalid_request`, with status 413 (RFC 9110 §15.5.14). */
export function bodyTooLarge(): JwtError {
  const error = new JwtError('ERR_JWT_AMBIGUOUS', 'the request body is larger than the limit')
  Object.defineProperty(error, 'status', { value: 413, enumerable: true })
  return error
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

function badBody(kind: BodyKind, cause?: unknown): JwtError {
  return new JwtError('ERR_JWT_AMBIGUOUS', `the request body is not valid ${kind === 'json' ? 'JSON' : 'form data'}`, {
    cause,
  })
}

/**
 * Parses a body. Form fields become own data properties (a `__proto__` field stays a field) and a repeated
 * field becomes an array, so the body source sees it and refuses it as not a single string.
 */
export function parseBody(kind: BodyKind, bytes: Uint8Array): unknown {
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch (cause) {
    throw badBody(kind, cause)
  }
  if (kind === 'json') {
    if (text.trim() === '') return undefined
    try {
      return JSON.parse(text) as unknown
    } catch (cause) {
      throw badBody(kind, cause)
    }
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

/** Reads a Node request body up to `limit` bytes; resolves to undefined when there is none to read. */
export function readNodeBody(req: IncomingMessage, limit: number): Promise<Uint8Array | undefined> {
  const length = declaredLength(req.headers['content-length'])
  if (length !== undefined && length > limit) return Promise.reject(bodyTooLarge())
  const hasBody = (length !== undefined && length > 0) || req.headers['transfer-encoding'] !== undefined
  if (!hasBody || req.readableEnded) return Promise.resolve(undefined)
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const cleanup = (): void => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
      req.off('aborted', onError)
    }
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
      size += bytes.length
      if (size > limit) {
        cleanup()
        req.pause()
        reject(bodyTooLarge())
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
      reject(new JwtError('ERR_JWT_AMBIGUOUS', 'the request body could not be read', { cause }))
    }
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
    req.on('aborted', onError)
  })
}

/** Reads a copy of a Fetch request's body up to `limit` bytes, leaving the original readable for the handler. */
export async function readFetchBody(request: Request, limit: number): Promise<Uint8Array | undefined> {
  const length = declaredLength(request.headers.get('content-length'))
  if (length !== undefined && length > limit) throw bodyTooLarge()
  if (request.body === null || request.bodyUsed) return undefined
  const body = request.clone().body
  if (body === null) return undefined
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      // Not awaited: cancelling one branch of a tee settles only once the other branch (the handler's) is
      // cancelled or read too, which may be never.
      reader.cancel().catch(() => undefined)
      throw bodyTooLarge()
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}
