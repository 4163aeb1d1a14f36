/**
 * The four peers behind one small interface, so each interop test reads the same for all of them. Each peer
 * signs with its own claim options where it has them (jwt-simple has none: the claims go in the payload), and
 * verifies with its own issuer/audience/subject checks where it has them.
 */
import { createSigner as fastJwtSigner, createVerifier as fastJwtVerifier } from 'fast-jwt'
import * as jose from 'jose'
import jsonwebtoken from 'jsonwebtoken'
import jwtSimple from 'jwt-simple'

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
