/** `jwt secret`: a fresh random secret as long as the algorithm's hash (RFC 7518 §3.2). */
import { randomBytes } from 'node:crypto'
import { base64url } from '../../index.js'
import { flag, parse, stringValue } from '../args.js'
import { hashBytes, hmacAlgorithm } from '../checks.js'
import { HELP } from '../help.js'
import { type CliIo, oneLine, UsageError } from '../io.js'

export async function secretCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { alg: { type: 'string' } })
  if (flag(values, 'help')) {
    io.stdout.write(HELP.secret)
    return 0
  }
  if (positionals.length > 0) throw new UsageError('jwt secret takes no arguments')
  const alg = hmacAlgorithm(stringValue(values, 'alg'))
  const bytes = hashBytes(alg)
  const secret = base64url.encode(randomBytes(bytes))
  io.stdout.write(flag(values, 'json') ? oneLine({ alg, bytes, encoding: 'base64url', secret }) : `${secret}\n`)
  return 0
}
