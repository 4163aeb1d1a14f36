/**
 * Where the secret comes from: `--secret-file PATH` or the `JWT_SECRET` environment variable, never an argument
 * value (see args.ts). The secret is never printed, not even in part.
 */
import { base64url } from '../index.js'
import { readLimited } from './files.js'
import type { CliIo } from './io.js'
import { CliFailure, UsageError } from './io.js'

export type SecretEncoding = 'utf8' | 'base64url' | 'hex'

export const SECRET_ENCODINGS: readonly SecretEncoding[] = ['utf8', 'base64url', 'hex']

/** Checks `--secret-encoding` while the other arguments are checked, before anything is read. */
export function secretEncoding(value: string | undefined): SecretEncoding {
  if (value === undefined) return 'utf8'
  const found = SECRET_ENCODINGS.find((e) => e === value)
  if (found === undefined) throw new UsageError('--secret-encoding must be utf8, base64url or hex')
  return found
}

/** The source the secret will come from, checked before any input is read so a usage mistake costs nothing. */
export type SecretSource = { kind: 'file'; path: string } | { kind: 'env'; text: string }

export function secretSource(file: string | undefined, env: CliIo['env']): SecretSource {
  // An explicit --secret-file wins over the environment, which may hold a default from a shell profile.
  if (file !== undefined) {
    if (file === '') throw new UsageError('--secret-file needs a path')
    return { kind: 'file', path: file }
  }
  const text = env.JWT_SECRET
  if (text === undefined) {
    throw new UsageError(
      'no key: pass --key-file PATH (a PEM or JWK file), or for an HMAC secret --secret-file PATH or the ' +
        'JWT_SECRET environment variable',
    )
  }
  return { kind: 'env', text }
}

/**
 * Turns the secret's text into bytes. `utf8` takes the text as it is, which is what `sign(payload,
 * process.env.JWT_SECRET)` does in a server; `base64url` and `hex` decode it, for servers that hold the key as
 * bytes. base64url goes through the package's strict codec, so a padded or mistyped secret is refused rather
 * than silently decoded to different bytes.
 */
export function decodeSecret(text: string, encoding: SecretEncoding): Uint8Array {
  if (encoding === 'utf8') return new TextEncoder().encode(text)
  if (encoding === 'hex') {
    if (!/^(?:[0-9a-fA-F]{2})*$/.test(text)) {
      throw new CliFailure('ERR_CLI_SECRET', 'the secret is not hex (an even number of digits 0-9, a-f)')
    }
    return Uint8Array.from(Buffer.from(text, 'hex'))
  }
  try {
    return base64url.decode(text)
  } catch {
    throw new CliFailure('ERR_CLI_SECRET', 'the secret is not canonical base64url (A-Z a-z 0-9 - _, no padding)')
  }
}

/**
 * Loads the secret bytes. One trailing newline of a text file is dropped, since `jwt secret > key` and most editors
 * end a file with one; the environment variable is taken exactly.
 */
export async function loadSecret(source: SecretSource, encoding: SecretEncoding): Promise<Uint8Array> {
  if (source.kind === 'env') return decodeSecret(source.text, encoding)
  const bytes = await readLimited(source.path, 'the secret file', 'ERR_CLI_SECRET')
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
  } catch {
    // A binary key file (not UTF-8) is taken byte for byte: its last byte may be 0x0a by chance.
    if (encoding === 'utf8') return Uint8Array.from(bytes)
    throw new CliFailure('ERR_CLI_SECRET', `the secret file is not ${encoding} text`)
  }
  return decodeSecret(text.replace(/\r?\n$/, ''), encoding)
}
