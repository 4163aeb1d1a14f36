/**
 * `jwt verify`: exit status 0 for a valid token, 1 with the error code and a one-line reason otherwise. The key is
 * a key file, a secret, or a remote key set (`--jwks`, `--issuer-discovery`), which makes the check asynchronous.
 */
import { type CompleteResult, type CompleteVerifyOptions, createVerifier, isJwtError } from '../../index.js'
import { argumentOrStdin, flag, listValue, onePositional, parse, stringValue } from '../args.js'
import { algorithm, verifyDuration } from '../checks.js'
import { HELP } from '../help.js'
import { type CliIo, oneLine, paintFor, pretty, safeLine, UsageError } from '../io.js'
import { algorithmFor, KEY_OPTIONS, keySource, loadVerifyKey } from '../key.js'
import { REMOTE_OPTIONS, remoteSource } from '../remote.js'
import { errorLine, errorRecord } from '../report.js'

const OPTIONS = {
  ...KEY_OPTIONS,
  ...REMOTE_OPTIONS,
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
  // A remote set is made (and its URL checked) here, but fetched only when the token is verified.
  const source = remoteSource(values) ?? keySource(values, io.env)
  const options: CompleteVerifyOptions = { complete: true, now: Math.floor(io.now() / 1000) }
  // Without --alg a secret accepts HS256 only and a key its own algorithms (RS256 for RSA, a JWK's "alg"...);
  // in a key set, each key its own.
  const algs = listValue(values, 'alg').map((alg) =>
    source.kind === 'remote' ? algorithm(alg) : algorithmFor(source, alg),
  )
  if (algs.length > 0) options.algorithms = algs
  else if (source.kind === 'secret') options.algorithms = ['HS256']
  const iss = listValue(values, 'iss')
  // --issuer-discovery trusts the keys of that issuer only for its own tokens, unless --iss says otherwise.
  if (iss.length > 0) options.issuer = iss
  else if (source.kind === 'remote' && source.issuer !== undefined) options.issuer = source.issuer
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

  // Made outside the try: a short secret or a key that does not fit the algorithms is the caller's problem
  // (ERR_JWT_INVALID_OPTION), not an invalid token.
  const verifyToken: (token: string) => CompleteResult | Promise<CompleteResult> =
    source.kind === 'remote'
      ? createVerifier(source.keySet, options)
      : createVerifier(await loadVerifyKey(source), options)
  try {
    const { header, payload } = await verifyToken(token)
    io.stdout.write(json ? oneLine({ valid: true, header, payload }) : pretty(payload))
    return 0
  } catch (error) {
    if (!isJwtError(error)) throw error
    const record = errorRecord(error)
    if (json) {
      io.stdout.write(oneLine({ valid: false, error: record }))
    } else {
      // An unreachable key set says nothing about the token: it is not called invalid.
      const what = error.code === 'ERR_JWKS_UNAVAILABLE' ? 'cannot verify:' : 'invalid token:'
      const paint = paintFor(io.stderr, io.env)
      io.stderr.write(`${paint.red(`jwt verify: ${what}`)} ${safeLine(errorLine(record, io.now()))}\n`)
    }
    return 1
  }
}
