/**
 * Durations in seconds. JWT times are NumericDate seconds (RFC 7519 §2), so a number is always seconds.
 * A string must carry a unit: a bare "120" is refused because other libraries (jsonwebtoken via `ms`) read it
 * as milliseconds, and guessing either way silently gives tokens the wrong lifetime.
 */
import { invalidOption } from '../errors.js'

const UNITS: Readonly<Record<string, number>> = {
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
  w: 604800,
  week: 604800,
  weeks: 604800,
}

const PATTERN = /^(-?\d+(?:\.\d+)?) ?([a-z]+)$/i

/**
 * Parses a duration to seconds.
 * @param value - a finite number of seconds, or a string such as '30s', '15m', '24h', '7d', '2w'
 * @param name - the option name, for the error message
 * @param allowNegative - whether a negative duration is meaningful (expiresIn: -10 makes an expired token)
 */
export function toSeconds(value: unknown, name: string, allowNegative: boolean): number {
  let seconds: number
  if (typeof value === 'number') {
    seconds = value
  } else if (typeof value === 'string') {
    const m = PATTERN.exec(value)
    const unit = m === null ? undefined : UNITS[(m[2] as string).toLowerCase()]
    if (m === null || unit === undefined) {
      throw invalidOption(
        `"${name}" must be a number of seconds or a string with a unit (s, m, h, d, w), such as "15m"`,
      )
    }
    seconds = Number(m[1]) * unit
  } else {
    throw invalidOption(`"${name}" must be a number of seconds or a duration string`)
  }
  if (!Number.isFinite(seconds) || (!allowNegative && seconds < 0)) {
    throw invalidOption(`"${name}" must be a finite${allowNegative ? '' : ', non-negative'} duration`)
  }
  return seconds
}
