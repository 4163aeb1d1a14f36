/** `jwt jwk`: the public JWK of a key file, with its RFC 7638 thumbprint as "kid", for a JWKS document. */
import { jwkThumbprint, toPublicJwk } from '../../index.js'
import { flag, onePositional, parse } from '../args.js'
import { HELP } from '../help.js'
import { CliFailure, type CliIo, oneLine, pretty, UsageError } from '../io.js'
import { loadKeyFile } from '../key.js'

export async function jwkCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {})
  if (flag(values, 'help')) {
    io.stdout.write(HELP.jwk)
    return 0
  }
  const path = onePositional(positionals, 'key file')
  if (path === undefined || path === '') throw new UsageError('pass the key file: jwt jwk PATH (a PEM or JWK file)')
  const { key, jwk } = await loadKeyFile(path)
  if (jwk?.kty === 'oct') {
    throw new CliFailure(
      'ERR_CLI_KEY',
      'the key file holds an HMAC secret (a JWK of kty "oct"), which has no public key',
    )
  }
  // The thumbprint covers the public members only, so a private key and its public half give the same one.
  const thumbprint = jwkThumbprint(key)
  const publicJwk = { ...toPublicJwk(key), kid: thumbprint }
  if (flag(values, 'json')) {
    io.stdout.write(oneLine({ jwk: publicJwk, thumbprint }))
  } else {
    // Standard output is the JWK alone, so `jwt jwk k.pub > k.jwk` saves a valid one; the note goes to stderr.
    io.stdout.write(pretty(publicJwk))
    io.stderr.write(`thumbprint (RFC 7638, SHA-256): ${thumbprint}\n`)
  }
  return 0
}
