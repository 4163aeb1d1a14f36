/** `jwt verify`: exit status 0 for a valid token, 1 with the error code and a one-line reason otherwise. */
import { type CompleteVerifyOptions, createVerifier, isJwtError } from '../../index.js'
import { argumentOrStdin, flag, listValue, onePositional, parse, stringValue } from '../args.js'
import { verifyDuration } from '../checks.js'
import { HELP } from '../help.js'
import { type CliIo, oneLine, paintFor, pretty, safeLine, UsageError } from '../io.js'
import { algorithmFor, KEY_OPTIONS, keySource, loadVerifyKey } from '../key.js'
import { errorLine, errorRecord } from '../report.js'

const OPTIONS = {
  ...KEY_OPTIONS,
  alg: { type: 'string', multiple: true },
  iss: { type: 'string', multiple: true },
  aud: { type: 'string', multiple: true },
  sub: { type: 'string' },
  jti: { type: 'string' },
  require: { type: 'string', multiple: true },
  leeway: { type: 'string' },
  'max-age': { type: 'string' },
} as const

export async function verifyCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS)
  if (flag(values, 'help')) {
    io.stdout.write(HELP.verify)
    return 0
  }
  const json = flag(values, 'json')
  const source = keySource(values, io.env)
  const options: CompleteVerifyOptions = { complete: true, now: Math.floor(io.now() / 1000) }
  // Without --alg a secret accepts HS256 only and a key its own algorithms (RS256 for RSA, a JWK's "alg"...).
  const algs = listValue(values, 'alg').map((alg) => algorithmFor(source, alg))
  if (algs.length > 0) options.algorithms = algs
  else if (source.kind === 'secret') options.algorithms = ['HS256']
  const iss = listValue(values, 'iss')
  if (iss.length > 0) options.issuer = iss
  const aud = listValue(values, 'aud')
  if (aud.length > 0) options.audience = aud
  const sub = stringValue(values, 'sub')
  if (sub !== undefined) options.subject = sub
  const jti = stringValue(values, 'jti')
  if (jti !== undefined) options.jwtId = jti
  const required = listValue(values, 'require')
  if (required.length > 0) options.requiredClaims = required
  const leeway = verifyDuration('--leeway', stringValue(values, 'leeway'))
  if (leeway !== undefined) options.clockTolerance = leeway
  const maxAge = verifyDuration('--max-age', stringValue(values, 'max-age'))
  if (maxAge !== undefined) options.maxAge = maxAge

  const token = (await argumentOrStdin(onePositional(positionals, 'token'), io.stdin))?.trim()
  if (token === undefined || token === '') {
    throw new UsageError('no token: pass it as the argument or on standard input')
  }
  const key = await loadVerifyKey(source)

  // Made outside the try: a short secret or a key that does not fit the algorithms is the caller's problem
  // (ERR_JWT_INVALID_OPTION), not an invalid token.
  const verifyToken = createVerifier(key, options)
  try {
    const { header, payload } = verifyToken(token)
    io.stdout.write(json ? oneLine({ valid: true, header, payload }) : pretty(payload))
    return 0
  } catch (error) {
    if (!isJwtError(error)) throw error
    const record = errorRecord(error)
    if (json) {
      io.stdout.write(oneLine({ valid: false, error: record }))
    } else {
      const paint = paintFor(io.stderr, io.env)
      io.stderr.write(`${paint.red('jwt verify: invalid token:')} ${safeLine(errorLine(record, io.now()))}\n`)
    }
    return 1
  }
}
