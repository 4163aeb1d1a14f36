/** `jwt decode`: show a token without verifying it, so nobody needs to paste one into a web page. */
import { decodeUnverified } from '../../index.js'
import { argumentOrStdin, flag, onePositional, parse } from '../args.js'
import { HELP } from '../help.js'
import { type CliIo, oneLine, paintFor, pretty, UsageError } from '../io.js'
import { describeTime, TIME_CLAIMS, type TimeNote } from '../time.js'

export const NOT_VERIFIED = 'NOT VERIFIED: decoded without checking the signature or the claims; do not trust it.'

export async function decodeCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {})
  if (flag(values, 'help')) {
    io.stdout.write(HELP.decode)
    return 0
  }
  const token = (await argumentOrStdin(onePositional(positionals, 'token'), io.stdin))?.trim()
  if (token === undefined || token === '') {
    throw new UsageError('no token: pass it as the argument or on standard input')
  }
  const { header, payload, signature } = decodeUnverified(token)
  const nowMs = io.now()
  const times: Partial<Record<(typeof TIME_CLAIMS)[number], TimeNote>> = {}
  for (const claim of TIME_CLAIMS) {
    if (Object.hasOwn(payload, claim)) times[claim] = describeTime(claim, payload[claim], nowMs)
  }

  if (flag(values, 'json')) {
    const described = Object.fromEntries(
      Object.entries(times).map(([claim, t]) => [claim, { value: t.value, date: t.date, relative: t.relative }]),
    )
    io.stdout.write(oneLine({ verified: false, header, payload, signature, times: described }))
    return 0
  }

  const paint = paintFor(io.stdout, io.env)
  let out = `${paint.bold(paint.yellow(NOT_VERIFIED))}\n\n`
  out += `${paint.bold('Header')}\n${pretty(header)}\n`
  out += `${paint.bold('Payload')}\n${pretty(payload)}`
  const entries = Object.entries(times)
  if (entries.length > 0) {
    out += `\n${paint.bold('Times')} ${paint.dim(`(now is ${new Date(nowMs).toISOString()})`)}\n`
    for (const [claim, t] of entries) {
      const date = t.date ?? JSON.stringify(t.value) ?? String(t.value)
      const note = t.problem ? paint.red(t.relative) : paint.green(t.relative)
      out += `  ${claim}  ${date.padEnd(24)}  ${note}\n`
    }
  }
  io.stdout.write(out)
  return 0
}
