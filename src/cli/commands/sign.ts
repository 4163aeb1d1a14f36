/** `jwt sign`: claims in, token out. */
import { createSigner, decodeUnverified, type SignOptions } from '../../index.js'
import { argumentOrStdin, flag, listValue, onePositional, parse, stringValue } from '../args.js'
import { signDuration } from '../checks.js'
import { HELP } from '../help.js'
import { type CliIo, oneLine, UsageError } from '../io.js'
import { algorithmFor, KEY_OPTIONS, keySource, loadKey } from '../key.js'

const OPTIONS = {
  ...KEY_OPTIONS,
  exp: { type: 'string' },
  nbf: { type: 'string' },
  iss: { type: 'string' },
  sub: { type: 'string' },
  aud: { type: 'string', multiple: true },
  jti: { type: 'string' },
  kid: { type: 'string' },
  alg: { type: 'string' },
  'no-iat': { type: 'boolean' },
} as const

/**
 * Claims are a JSON object (RFC 7519 §7.2). The parse error itself is not shown: V8 quotes the input in it.
 * Empty input means no claims, so `jwt sign < /dev/null` signs just what the options set.
 */
export function parseClaims(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text.trim() === '') return {}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new UsageError('the claims are not valid JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError('the claims must be a JSON object, such as {"sub":"42"}')
  }
  return value as Record<string, unknown>
}

export async function signCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS)
  if (flag(values, 'help')) {
    io.stdout.write(HELP.sign)
    return 0
  }
  const source = keySource(values, io.env)
  const options: SignOptions = {}
  // Without --alg the key decides (RS256 for an RSA key, ES256 for P-256, a JWK's own "alg"...); a secret, HS256.
  const alg = stringValue(values, 'alg')
  if (alg !== undefined) options.algorithm = algorithmFor(source, alg)
  const exp = signDuration('--exp', stringValue(values, 'exp'))
  if (exp !== undefined) options.expiresIn = exp
  const nbf = signDuration('--nbf', stringValue(values, 'nbf'))
  if (nbf !== undefined) options.notBefore = nbf
  const iss = stringValue(values, 'iss')
  if (iss !== undefined) options.issuer = iss
  const sub = stringValue(values, 'sub')
  if (sub !== undefined) options.subject = sub
  const aud = listValue(values, 'aud')
  if (aud.length > 0) options.audience = aud.length === 1 ? (aud[0] as string) : aud
  const jti = stringValue(values, 'jti')
  if (jti !== undefined) options.jwtId = jti
  const kid = stringValue(values, 'kid')
  if (kid !== undefined) options.keyId = kid
  if (flag(values, 'no-iat')) options.noTimestamp = true
  options.now = Math.floor(io.now() / 1000)

  const claims = parseClaims(await argumentOrStdin(onePositional(positionals, 'claims'), io.stdin))
  const { key, jwk } = await loadKey(source)
  // A JWK's "kid" is how verifiers holding a key set find this key: it goes in the header unless --kid says otherwise.
  if (options.keyId === undefined && typeof jwk?.kid === 'string') options.keyId = jwk.kid

  const token = createSigner(key, options)(claims)
  if (flag(values, 'json')) {
    const { header, payload } = decodeUnverified(token)
    io.stdout.write(oneLine({ token, header, payload }))
  } else {
    io.stdout.write(`${token}\n`)
  }
  return 0
}
