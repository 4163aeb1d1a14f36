import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { invalidOption } from './errors.js'
import { algorithmSpec, isAlgorithm } from './lib/algorithms.js'
import { encodeBytes } from './lib/base64url.js'
import { asJwtError } from './lib/contain.js'
import { wipe } from './lib/hmac.js'
import { type ImportedKey, importKey } from './lib/keys.js'
import type { Algorithm, JsonWebKey, KeyInput } from './types.js'

/** The public members of each key type (RFC 7518 §6.2.1, §6.3.1; RFC 8037 §2), in RFC 7638 order. */
const PUBLIC_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  RSA: ['e', 'kty', 'n'],
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
}

function readKey(key: KeyInput): ImportedKey {
  try {
    return importKey(key, 'verify')
  } catch (err) {
    throw asJwtError(err, 'the key cannot be read')
  }
}

/** The RFC 7638 members of a key pair's public half, from node:crypto's own JWK export. */
function publicMembers(key: ImportedKey & { kind: 'public' | 'private' }): Record<string, string> {
  let exported: Record<string, unknown>
  try {
    exported = key.key.export({ format: 'jwk' }) as Record<string, unknown>
  } catch {
    throw invalidOption(`a ${key.type} key has no JWK form`)
  }
  const kty = exported.kty
  const names = typeof kty === 'string' && Object.hasOwn(PUBLIC_MEMBERS, kty) ? PUBLIC_MEMBERS[kty] : undefined
  if (names === undefined) throw invalidOption(`a ${key.type} key has no JWK form`)
  const members: Record<string, string> = {}
  for (const name of names) members[name] = String(exported[name])
  return members
}

/**
 * The public JWK of a key: `kty` and the public members only (never `d`, `p`, `q`, `dp`, `dq`, `qi` or `k`), for
 * publishing in a JWK Set. A private key gives its public half.
 *
 * @param key - a PEM text, a KeyObject or a JWK of an RSA, EC or OKP key
 * @returns the JWK, with members in RFC 7638 order
 * @throws {JwtError} `ERR_JWT_INVALID_OPTION` for an HMAC secret (it has no public half) or a key that cannot be read
 * @example
 * ```ts
 * import { generateKeyPair, jwkThumbprint, toPublicJwk } from 'jwt-codec'
 * const { publicKey } = generateKeyPair('ES256')
 * const jwk = { ...toPublicJwk(publicKey), kid: jwkThumbprint(publicKey), alg: 'ES256', use: 'sig' }
 * ```
 */
export function toPublicJwk(key: KeyInput): JsonWebKey {
  const imported = readKey(key)
  if (imported.kind === 'secret') {
    wipe(imported.bytes)
    throw invalidOption('an HMAC secret has no public JWK')
  }
  const members = publicMembers(imported)
  // kty first, as JWKs are usually written; the rest in the thumbprint's order.
  return { kty: members.kty as string, ...members } as JsonWebKey
}

const THUMBPRINT_HASHES: ReadonlySet<string> = new Set(['sha256', 'sha384', 'sha512'])

/**
 * The JWK thumbprint of a key (RFC 7638): the hash of its required members as compact JSON in lexicographic
 * order, base64url. A stable `kid` for a key, the same whatever form the key came in.
 *
 * @param key - any key: PEM, KeyObject, JWK (an `oct` JWK or secret gives the thumbprint of `{"k","kty"}`)
 * @param hash - `'sha256'` (default), `'sha384'` or `'sha512'`
 * @returns the thumbprint, base64url without padding
 * @throws {JwtError} `ERR_JWT_INVALID_OPTION` for an unknown hash or a key that cannot be read
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs'
 * import { jwkThumbprint } from 'jwt-codec'
 * const kid = jwkThumbprint(readFileSync('issuer.pub', 'utf8'))
 * ```
 */
export function jwkThumbprint(key: KeyInput, hash: 'sha256' | 'sha384' | 'sha512' = 'sha256'): string {
  if (typeof hash !== 'string' || !THUMBPRINT_HASHES.has(hash)) {
    throw invalidOption('the thumbprint hash must be "sha256", "sha384" or "sha512"')
  }
  const imported = readKey(key)
  let json: string
  if (imported.kind === 'secret') {
    // RFC 7638 §3.2: an oct key's required members are "k" and "kty".
    json = `{"k":"${encodeBytes(imported.bytes)}","kty":"oct"}`
    wipe(imported.bytes)
  } else {
    json = JSON.stringify(publicMembers(imported))
  }
  return createHash(hash).update(json, 'utf8').digest('base64url')
}

/**
 * Makes a new key pair for an asymmetric algorithm: RSA 2048-bit for RS* and PS*, the algorithm's curve for ES*,
 * Ed25519 for EdDSA and Ed25519.
 *
 * @param alg - an asymmetric {@link Algorithm}
 * @returns the private and public KeyObjects
 * @throws {JwtError} `ERR_JWT_INVALID_OPTION` for an HMAC or unknown algorithm
 * @example
 * ```ts
 * import { createSigner, createVerifier, generateKeyPair } from 'jwt-codec'
 * const { privateKey, publicKey } = generateKeyPair('ES256')
 * const token = createSigner(privateKey)({ sub: '42' })
 * const claims = createVerifier(publicKey)(token)
 * ```
 */
export function generateKeyPair(alg: Algorithm): { privateKey: KeyObject; publicKey: KeyObject } {
  if (!isAlgorithm(alg)) throw invalidOption('generateKeyPair needs an algorithm jwt-codec supports')
  const s = algorithmSpec(alg)
  switch (s.family) {
    case 'RSA':
      return generateKeyPairSync('rsa', { modulusLength: 2048 })
    case 'EC':
      return generateKeyPairSync('ec', { namedCurve: s.curve as string })
    case 'OKP':
      return generateKeyPairSync('ed25519')
    default:
      throw invalidOption(
        "HMAC algorithms use a random secret, not a key pair; generate one with `node -e \"console.log(require('node:crypto').randomBytes(64).toString('base64url'))\"`",
      )
  }
}
