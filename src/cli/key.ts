/**
 * Where the key of sign and verify comes from: `--key-file PATH` (a PEM block or a JWK, for every algorithm) or,
 * for HMAC, the secret of secret.ts (`--secret-file PATH` or `JWT_SECRET`). Never from an argument value (see
 * args.ts), and never printed.
 */
import { type Algorithm, createKeySet, type JsonWebKey, type KeyInput, type KeySet } from '../index.js'
import { type OptionSpec, type Parsed, SECRET_OPTIONS, stringValue } from './args.js'
import { algorithm, isHmac } from './checks.js'
import { readLimited } from './files.js'
import { CliFailure, type CliIo, UsageError } from './io.js'
import { loadSecret, type SecretEncoding, type SecretSource, secretEncoding, secretSource } from './secret.js'

/** Options of the commands that need a key or a secret. */
export const KEY_OPTIONS: OptionSpec = {
  ...SECRET_OPTIONS,
  'key-file': { type: 'string' },
}

/** The source the key will come from, checked before any input is read so a usage mistake costs nothing. */
export type KeySource =
  | { kind: 'key-file'; path: string }
  | { kind: 'secret'; source: SecretSource; encoding: SecretEncoding }

export function keySource(values: Parsed['values'], env: CliIo['env']): KeySource {
  const keyFile = stringValue(values, 'key-file')
  const secretFile = stringValue(values, 'secret-file')
  const encoding = stringValue(values, 'secret-encoding')
  if (keyFile !== undefined) {
    if (secretFile !== undefined) throw new UsageError('--key-file and --secret-file cannot be combined')
    if (encoding !== undefined) {
      throw new UsageError('--secret-encoding is for --secret-file and JWT_SECRET; a key file is PEM or JWK')
    }
    if (keyFile === '') throw new UsageError('--key-file needs a path')
    // An explicit --key-file wins over JWT_SECRET, which may hold a default from a shell profile.
    return { kind: 'key-file', path: keyFile }
  }
  const checked = secretEncoding(encoding)
  return { kind: 'secret', source: secretSource(secretFile, env), encoding: checked }
}

/** `--alg` of sign and verify, for the key's source: a key-pair algorithm needs a key file, not a secret. */
export function algorithmFor(source: KeySource, value: string): Algorithm {
  const alg = algorithm(value)
  if (source.kind === 'secret' && !isHmac(alg)) {
    throw new UsageError(`${alg} signs with a key pair: pass the key with --key-file PATH (a PEM or JWK file)`)
  }
  return alg
}

/** A loaded key: what the library is given, and the JWK when the file held one (its `kid` names the key). */
export interface LoadedKey {
  key: KeyInput
  jwk?: JsonWebKey
}

const KEY = 'ERR_CLI_KEY'

/**
 * The key in a key file: a JWK (a JSON object with "kty"), a JWK Set (with "keys") when `sets` allows one, or PEM
 * text, which the library parses and checks. The text of a parse error is never shown: V8 quotes the input in it.
 */
function parseKeyFile(bytes: Uint8Array, sets: boolean): LoadedKey | { keySet: KeySet } {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).trim()
  } catch {
    throw new CliFailure(KEY, 'the key file is not text: jwt reads PEM or JWK (JSON) key files')
  }
  if (text.startsWith('{')) {
    // JSON text that starts with "{" and parses is an object.
    let value: object
    try {
      value = JSON.parse(text) as object
    } catch {
      throw new CliFailure(KEY, 'the key file is not valid JSON')
    }
    if (Object.hasOwn(value, 'keys')) {
      // The library reads the set (and refuses one without a "keys" array); each token's "kid" picks its key.
      if (sets) return { keySet: createKeySet(value as { keys: JsonWebKey[] }) }
      throw new CliFailure(KEY, 'the key file holds a JWK Set; save the one key to use in a file of its own')
    }
    const kty = (value as { kty?: unknown }).kty
    if (!Object.hasOwn(value, 'kty') || typeof kty !== 'string') {
      throw new CliFailure(KEY, 'the key file holds JSON that is not a JWK (it has no "kty")')
    }
    const jwk = value as JsonWebKey
    return { key: jwk, jwk }
  }
  if (text.includes('-----BEGIN ')) return { key: text }
  throw new CliFailure(
    KEY,
    'the key file holds neither a PEM block nor a JWK; an HMAC secret is passed with --secret-file PATH',
  )
}

function readKeyFile(path: string): Promise<Buffer> {
  return readLimited(path, 'the key file', KEY)
}

/** Reads a key file that holds one key (PEM or JWK), for signing and for `jwt jwk`. */
export async function loadKeyFile(path: string): Promise<LoadedKey> {
  return parseKeyFile(await readKeyFile(path), false) as LoadedKey
}

/** Loads the key or secret the source names, to sign with. */
export async function loadKey(source: KeySource): Promise<LoadedKey> {
  if (source.kind === 'key-file') return loadKeyFile(source.path)
  return { key: await loadSecret(source.source, source.encoding) }
}

/** Loads the key, key set or secret the source names, to verify with: a key file may also hold a JWK Set. */
export async function loadVerifyKey(source: KeySource): Promise<KeyInput | KeySet> {
  if (source.kind === 'secret') return loadSecret(source.source, source.encoding)
  const loaded = parseKeyFile(await readKeyFile(source.path), true)
  return 'keySet' in loaded ? loaded.keySet : loaded.key
}
