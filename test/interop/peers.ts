/**
 * The four peers behind one small interface, so each interop test reads the same for all of them. Each peer
 * signs with its own claim options where it has them (jwt-simple has none: the claims go in the payload), and
 * verifies with its own issuer/audience/subject checks where it has them. {@link KEY_PEERS} are the three that sign
 * and verify with key pairs, each with the asymmetric algorithms it supports.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import {
  type Algorithm as FastJwtAlgorithm,
  createSigner as fastJwtSigner,
  createVerifier as fastJwtVerifier,
} from 'fast-jwt'
import * as jose from 'jose'
import jsonwebtoken from 'jsonwebtoken'
import jwtSimple from 'jwt-simple'
import type { Algorithm as CodecAlgorithm } from '../../src/index.js'

/** The HMAC algorithms every one of these peers supports. */
type Algorithm = 'HS256' | 'HS384' | 'HS512'

/** What every interop token carries. */
export const CLAIMS = { iss: 'auth.example', aud: 'api', sub: 'user-42' } as const

export interface Peer {
  readonly name: string
  /** Signs `{ ...extra }` with iat = now, exp = now + 1h, nbf = now - 60 and CLAIMS. */
  sign(extra: Record<string, unknown>, secret: string, alg: Algorithm, now: number): Promise<string>
  /** Verifies with `alg` allowed and CLAIMS required (where the peer can check them); returns the payload. */
  verify(token: string, secret: string, alg: Algorithm): Promise<Record<string, unknown>>
}

const bytes = (s: string) => new TextEncoder().encode(s)

export const PEERS: readonly Peer[] = [
  {
    name: 'jsonwebtoken',
    async sign(extra, secret, alg, now) {
      return jsonwebtoken.sign({ ...extra, iat: now }, secret, {
        algorithm: alg,
        expiresIn: 3600,
        notBefore: -60,
        issuer: CLAIMS.iss,
        audience: CLAIMS.aud,
        subject: CLAIMS.sub,
      })
    },
    async verify(token, secret, alg) {
      return jsonwebtoken.verify(token, secret, {
        algorithms: [alg],
        issuer: CLAIMS.iss,
        audience: CLAIMS.aud,
        subject: CLAIMS.sub,
      }) as Record<string, unknown>
    },
  },
  {
    name: 'jose',
    async sign(extra, secret, alg, now) {
      return new jose.SignJWT(extra)
        .setProtectedHeader({ alg, typ: 'JWT' })
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .setNotBefore(now - 60)
        .setIssuer(CLAIMS.iss)
        .setAudience(CLAIMS.aud)
        .setSubject(CLAIMS.sub)
        .sign(bytes(secret))
    },
    async verify(token, secret, alg) {
      const { payload } = await jose.jwtVerify(token, bytes(secret), {
        algorithms: [alg],
        issuer: CLAIMS.iss,
        audience: CLAIMS.aud,
        subject: CLAIMS.sub,
      })
      return payload as Record<string, unknown>
    },
  },
  {
    name: 'fast-jwt',
    async sign(extra, secret, alg, now) {
      // fast-jwt takes times in milliseconds, and its notBefore must be positive: nbf goes in the payload.
      return fastJwtSigner({
        key: secret,
        algorithm: alg,
        expiresIn: 3600_000,
        iss: CLAIMS.iss,
        aud: CLAIMS.aud,
        sub: CLAIMS.sub,
        clockTimestamp: now * 1000,
      })({ ...extra, nbf: now - 60 })
    },
    async verify(token, secret, alg) {
      return fastJwtVerifier({
        key: secret,
        algorithms: [alg],
        allowedIss: CLAIMS.iss,
        allowedAud: CLAIMS.aud,
        allowedSub: CLAIMS.sub,
      })(token) as Record<string, unknown>
    },
  },
  {
    name: 'jwt-simple',
    async sign(extra, secret, alg, now) {
      return jwtSimple.encode({ ...extra, ...CLAIMS, iat: now, exp: now + 3600, nbf: now - 60 }, secret, alg)
    },
    async verify(token, secret, alg) {
      // jwt-simple checks exp and nbf only; it has no issuer, audience or subject options.
      return jwtSimple.decode(token, secret, false, alg) as Record<string, unknown>
    },
  },
]

/** Runs a peer's verify and reports whether it accepted. */
export async function accepts(peer: Peer, token: string, secret: string, alg: Algorithm = 'HS256'): Promise<boolean> {
  try {
    await peer.verify(token, secret, alg)
    return true
  } catch {
    return false
  }
}

/** Options for {@link verdicts}: what the caller configured, in each peer's terms. */
export interface PlainRules {
  /** The allowlist; `undefined` means "the peer's default" (no algorithm argument at all). */
  algorithms?: Algorithm[] | undefined
  issuer?: string
}

/**
 * Whether each peer accepts a token under plain rules (HS256 unless said otherwise, an optional issuer).
 * jwt-simple has no issuer option, so it is called the only way it can be.
 */
export async function verdicts(token: string, secret: string, rules: PlainRules = { algorithms: ['HS256'] }) {
  const algs = rules.algorithms
  const iss = rules.issuer
  const attempt = async (run: () => unknown): Promise<boolean> => {
    try {
      await run()
      return true
    } catch {
      return false
    }
  }
  return {
    jsonwebtoken: await attempt(() =>
      jsonwebtoken.verify(token, secret, { ...(algs ? { algorithms: algs } : {}), ...(iss ? { issuer: iss } : {}) }),
    ),
    jose: await attempt(() =>
      jose.jwtVerify(token, bytes(secret), { ...(algs ? { algorithms: algs } : {}), ...(iss ? { issuer: iss } : {}) }),
    ),
    'fast-jwt': await attempt(() =>
      fastJwtVerifier({ key: secret, ...(algs ? { algorithms: algs } : {}), ...(iss ? { allowedIss: iss } : {}) })(
        token,
      ),
    ),
    'jwt-simple': await attempt(() => jwtSimple.decode(token, secret, false, algs?.[0])),
  }
}

/** The asymmetric algorithms (every one but HS*). */
export type KeyAlgorithm = Exclude<CodecAlgorithm, 'HS256' | 'HS384' | 'HS512'>

/** A peer that signs and verifies with key pairs: the same claims as {@link Peer}, keys as node KeyObjects. */
export interface KeyPeer {
  readonly name: string
  /** What the peer signs and verifies. */
  readonly algorithms: readonly KeyAlgorithm[]
  /** Whether its EdDSA also takes Ed448 keys. */
  readonly ed448: boolean
  /** What it does not run, and why. */
  readonly unsupported: string
  /** Signs `{ ...extra }` with iat = now, exp = now + 1h, nbf = now - 60 and CLAIMS. */
  sign(extra: Record<string, unknown>, privateKey: KeyObject, alg: KeyAlgorithm, now: number): Promise<string>
  /** Verifies with `alg` allowed and CLAIMS required; returns the payload. */
  verify(token: string, publicKey: KeyObject, alg: KeyAlgorithm): Promise<Record<string, unknown>>
}

const RSA_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'] as const
const EC_ALGS = ['ES256', 'ES384', 'ES512'] as const
const pem = (key: KeyObject) =>
  key.type === 'private'
    ? (key.export({ type: 'pkcs8', format: 'pem' }) as string)
    : (key.export({ type: 'spki', format: 'pem' }) as string)

/** Whether this jose knows the fully-specified 'Ed25519' JWS algorithm (RFC 9864); older versions do not. */
async function joseKnowsEd25519(): Promise<boolean> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  try {
    const token = await new jose.SignJWT({}).setProtectedHeader({ alg: 'Ed25519' }).sign(privateKey)
    await jose.jwtVerify(token, publicKey, { algorithms: ['Ed25519'] })
    return true
  } catch (err) {
    if (err instanceof jose.errors.JOSENotSupported) return false
    throw err
  }
}

export const JOSE_ED25519 = await joseKnowsEd25519()

export const KEY_PEERS: readonly KeyPeer[] = [
  {
    name: 'jose',
    algorithms: [...RSA_ALGS, ...EC_ALGS, 'EdDSA', ...(JOSE_ED25519 ? (['Ed25519'] as const) : [])],
    ed448: false,
    unsupported: `jose's EdDSA takes Ed25519 keys only${JOSE_ED25519 ? '' : ", and this version does not know the 'Ed25519' name"}`,
    async sign(extra, privateKey, alg, now) {
      return new jose.SignJWT(extra)
        .setProtectedHeader({ alg, typ: 'JWT' })
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .setNotBefore(now - 60)
        .setIssuer(CLAIMS.iss)
        .setAudience(CLAIMS.aud)
        .setSubject(CLAIMS.sub)
        .sign(privateKey)
    },
    async verify(token, publicKey, alg) {
      const { payload } = await jose.jwtVerify(token, publicKey, {
        algorithms: [alg],
        issuer: CLAIMS.iss,
        audience: CLAIMS.aud,
        subject: CLAIMS.sub,
      })
      return payload as Record<string, unknown>
    },
  },
  {
    name: 'jsonwebtoken',
    algorithms: [...RSA_ALGS, ...EC_ALGS],
    ed448: false,
    unsupported: 'jsonwebtoken has no EdDSA (neither Ed25519 nor Ed448 keys)',
    async sign(extra, privateKey, alg, now) {
      return jsonwebtoken.sign({ ...extra, iat: now }, privateKey, {
        algorithm: alg as jsonwebtoken.Algorithm,
        expiresIn: 3600,
        notBefore: -60,
        issuer: CLAIMS.iss,
        audience: CLAIMS.aud,
        subject: CLAIMS.sub,
      })
    },
    async verify(token, publicKey, alg) {
      return jsonwebtoken.verify(token, publicKey, {
        algorithms: [alg as jsonwebtoken.Algorithm],
        issuer: CLAIMS.iss,
        audience: CLAIMS.aud,
        subject: CLAIMS.sub,
      }) as Record<string, unknown>
    },
  },
  {
    // fast-jwt takes PEM text and times in milliseconds.
    name: 'fast-jwt',
    algorithms: [...RSA_ALGS, ...EC_ALGS, 'EdDSA'],
    ed448: true,
    unsupported: "fast-jwt knows EdDSA but not the fully-specified name 'Ed25519'",
    async sign(extra, privateKey, alg, now) {
      return fastJwtSigner({
        key: pem(privateKey),
        algorithm: alg as FastJwtAlgorithm,
        expiresIn: 3600_000,
        iss: CLAIMS.iss,
        aud: CLAIMS.aud,
        sub: CLAIMS.sub,
        clockTimestamp: now * 1000,
      })({ ...extra, nbf: now - 60 })
    },
    async verify(token, publicKey, alg) {
      return fastJwtVerifier({
        key: pem(publicKey),
        algorithms: [alg as FastJwtAlgorithm],
        allowedIss: CLAIMS.iss,
        allowedAud: CLAIMS.aud,
        allowedSub: CLAIMS.sub,
      })(token) as Record<string, unknown>
    },
  },
]
