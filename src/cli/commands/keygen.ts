/**
 * `jwt keygen`: a new key pair for an asymmetric algorithm, written to files that never replace an existing one,
 * the private one readable only by its owner. A private key goes to standard output only when asked (--stdout).
 */
import type { KeyObject } from 'node:crypto'
import {
  type Algorithm,
  createSigner,
  decodeUnverified,
  generateKeyPair,
  type JsonWebKey,
  jwkThumbprint,
  toPublicJwk,
} from '../../index.js'
import { flag, parse, stringValue } from '../args.js'
import { keyPairAlgorithm } from '../checks.js'
import { createNewFiles } from '../files.js'
import { HELP } from '../help.js'
import { type CliIo, oneLine, UsageError } from '../io.js'

const OPTIONS = {
  alg: { type: 'string' },
  out: { type: 'string' },
  jwk: { type: 'boolean' },
  stdout: { type: 'boolean' },
} as const

/** The private key file is created with this mode: read and write for its owner only. */
export const PRIVATE_MODE = 0o600
/** The public key is for everyone (the umask may still take bits away). */
export const PUBLIC_MODE = 0o644

/** File names for `--out PREFIX`, by format. */
export const SUFFIXES = {
  pem: { privateKey: '.key', publicKey: '.pub' },
  jwk: { privateKey: '.key.json', publicKey: '.pub.json' },
} as const

type Format = keyof typeof SUFFIXES

/** A JWK with the members a key set needs first: kty, kid (the RFC 7638 thumbprint), use and alg. */
function describedJwk(jwk: JsonWebKey, kid: string, alg: Algorithm): JsonWebKey {
  const { kty, ...members } = jwk
  return { kty, kid, use: 'sig', alg, ...members }
}

interface Rendered {
  /** What --json shows for each half: the PEM text or the JWK object. */
  privateKey: string | JsonWebKey
  publicKey: string | JsonWebKey
  /** The text written to a file or to standard output. */
  privateText: string
  publicText: string
}

function render(format: Format, pair: { privateKey: KeyObject; publicKey: KeyObject }, kid: string, alg: Algorithm) {
  if (format === 'pem') {
    const privateText = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    const publicText = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString()
    return { privateKey: privateText, publicKey: publicText, privateText, publicText } satisfies Rendered
  }
  const privateKey = describedJwk(pair.privateKey.export({ format: 'jwk' }) as JsonWebKey, kid, alg)
  const publicKey = describedJwk(toPublicJwk(pair.publicKey), kid, alg)
  const text = (jwk: JsonWebKey) => `${JSON.stringify(jwk, null, 2)}\n`
  return { privateKey, publicKey, privateText: text(privateKey), publicText: text(publicKey) } satisfies Rendered
}

/** The algorithm sign and verify pick for a key when none is given: the library's answer, not a copy of its rule. */
function keyDefault(privateKey: KeyObject): unknown {
  return decodeUnverified(createSigner(privateKey, { noTimestamp: true })({})).header.alg
}

export async function keygenCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS)
  if (flag(values, 'help')) {
    io.stdout.write(HELP.keygen)
    return 0
  }
  if (positionals.length > 0) throw new UsageError('jwt keygen takes no arguments; name the files with --out PREFIX')
  const alg = keyPairAlgorithm(stringValue(values, 'alg'))
  const out = stringValue(values, 'out')
  const toStdout = flag(values, 'stdout')
  if (out !== undefined && toStdout) throw new UsageError('--out and --stdout cannot be combined')
  if (out === undefined && !toStdout) {
    throw new UsageError(
      'say where the private key goes: --out PREFIX writes PREFIX.key (mode 0600) and PREFIX.pub, ' +
        '--stdout prints the private key',
    )
  }
  if (out !== undefined && (out === '' || /[/\\]$/.test(out))) {
    throw new UsageError('--out takes a path prefix such as keys/signing (for keys/signing.key and keys/signing.pub)')
  }
  const format: Format = flag(values, 'jwk') ? 'jwk' : 'pem'
  const json = flag(values, 'json')

  const pair = generateKeyPair(alg)
  const kid = jwkThumbprint(pair.publicKey)
  const rendered = render(format, pair, kid, alg)

  if (out === undefined) {
    // Only the private key, as a key file holds it: its public half is `jwt jwk FILE`, and --json gives both.
    io.stdout.write(
      json
        ? oneLine({ alg, kid, format, privateKey: rendered.privateKey, publicKey: rendered.publicKey })
        : rendered.privateText,
    )
    return 0
  }

  const privatePath = `${out}${SUFFIXES[format].privateKey}`
  const publicPath = `${out}${SUFFIXES[format].publicKey}`
  await createNewFiles([
    { path: privatePath, text: rendered.privateText, mode: PRIVATE_MODE },
    { path: publicPath, text: rendered.publicText, mode: PUBLIC_MODE },
  ])
  if (json) {
    io.stdout.write(oneLine({ alg, kid, format, privateKeyFile: privatePath, publicKeyFile: publicPath }))
    return 0
  }
  const kind = format === 'pem' ? { private: 'PKCS#8 PEM', public: 'SPKI PEM' } : { private: 'JWK', public: 'JWK' }
  let text =
    `private key: ${privatePath} (${alg}, ${kind.private}, mode 0600: keep it secret)\n` +
    `public key:  ${publicPath} (${kind.public}: give it to verifiers)\n` +
    `kid:         ${kid} (RFC 7638 thumbprint)\n`
  // A JWK carries its "alg"; a PEM key does not, and the library's default for it may be another algorithm.
  if (format === 'pem' && keyDefault(pair.privateKey) !== alg) {
    text += `note:        a PEM key does not record its algorithm: pass --alg ${alg} to jwt sign and jwt verify\n`
  }
  io.stdout.write(text)
  return 0
}
