/** How failures are described: one line with a stable code, or one JSON object with `--json`. */
import { isJwtError } from '../index.js'
import { CliFailure } from './io.js'
import { describeTime, formatDuration } from './time.js'

/** A failure as `--json` prints it. Dates are ISO strings; nothing here holds a token or a secret. */
export interface ErrorRecord {
  code: string
  message: string
  claim?: string
  expiredAt?: string | null
  date?: string | null
}

function iso(date: Date): string | null {
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

/** Library and command-line failures as records; anything else is unexpected and says only its class. */
export function errorRecord(error: unknown): ErrorRecord {
  if (isJwtError(error)) {
    const record: ErrorRecord = { code: error.code, message: error.message }
    if (error.claim !== undefined) record.claim = error.claim
    if (error.expiredAt !== undefined) record.expiredAt = iso(error.expiredAt)
    if (error.date !== undefined) record.date = iso(error.date)
    return record
  }
  if (error instanceof CliFailure) return { code: error.code, message: error.message }
  // Never print an unknown error's message: a JSON.parse message, for one, quotes its input.
  const name = error instanceof Error ? error.name : typeof error
  return { code: 'ERR_CLI_INTERNAL', message: `unexpected ${name}` }
}

/** `CODE: reason (when)`, the one line a failed command prints. */
export function errorLine(record: ErrorRecord, nowMs: number): string {
  let line = `${record.code}: ${record.message}`
  if (record.expiredAt != null) {
    const note = describeTime('exp', Date.parse(record.expiredAt) / 1000, nowMs)
    line += ` (${note.relative}, at ${record.expiredAt})`
  }
  if (record.date != null) {
    const wait = formatDuration((Date.parse(record.date) - nowMs) / 1000)
    line += ` (valid from ${record.date}, in ${wait})`
  }
  return line
}
