/**
 * Times for people: NumericDate claims (RFC 7519 §2, seconds since the epoch) as ISO dates with a note such as
 * "expires in 23h 59m" or "expired 2 days ago".
 */

const MINUTE = 60
const HOUR = 3600
const DAY = 86400
const YEAR = 365 * DAY

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`
}

/**
 * A length of time, to the two most useful units: `45s`, `5m 30s`, `23h 59m`, `2 days 3h`, `40 days`, `3 years`.
 * Seconds are rounded down, so a token that expires in 86399.4 s "expires in 23h 59m", not "in 1 day".
 */
export function formatDuration(seconds: number): string {
  const s = Math.floor(Math.abs(seconds))
  if (s < MINUTE) return `${s}s`
  if (s < HOUR) {
    const m = Math.floor(s / MINUTE)
    const rest = s % MINUTE
    return rest === 0 ? `${m}m` : `${m}m ${rest}s`
  }
  if (s < DAY) {
    const h = Math.floor(s / HOUR)
    const m = Math.floor((s % HOUR) / MINUTE)
    return m === 0 ? `${h}h` : `${h}h ${m}m`
  }
  if (s < 7 * DAY) {
    const d = Math.floor(s / DAY)
    const h = Math.floor((s % DAY) / HOUR)
    return h === 0 ? plural(d, 'day') : `${plural(d, 'day')} ${h}h`
  }
  if (s < 2 * YEAR) return plural(Math.floor(s / DAY), 'day')
  return plural(Math.floor(s / YEAR), 'year')
}

/** The time claims decode shows, in the order a reader thinks about them. */
export const TIME_CLAIMS = ['iat', 'nbf', 'exp'] as const
export type TimeClaim = (typeof TIME_CLAIMS)[number]

/** One time claim, described. `date` is null when the value is not a usable NumericDate. */
export interface TimeNote {
  value: unknown
  date: string | null
  relative: string
  /** exp in the past, nbf in the future, iat in the future, or an unusable value. */
  problem: boolean
}

/** An ISO 8601 date for a NumericDate, or null when it is not a finite number in the Date range. */
export function isoDate(seconds: unknown): string | null {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return null
  const date = new Date(seconds * 1000)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

/**
 * Describes a time claim relative to `nowMs`. The comparisons follow verify: a token has expired from the
 * instant now >= exp (RFC 7519 §4.1.4) and is usable from now >= nbf (§4.1.5).
 */
export function describeTime(claim: TimeClaim, value: unknown, nowMs: number): TimeNote {
  const date = isoDate(value)
  if (date === null || typeof value !== 'number') {
    return { value, date: null, relative: 'not a valid NumericDate', problem: true }
  }
  const deltaMs = value * 1000 - nowMs
  const span = formatDuration(deltaMs / 1000)
  const future = deltaMs > 0
  const justNow = Math.abs(deltaMs) < 1000
  switch (claim) {
    case 'exp':
      if (future) return { value, date, relative: `expires in ${span}`, problem: false }
      return { value, date, relative: justNow ? 'expired just now' : `expired ${span} ago`, problem: true }
    case 'nbf':
      if (future) return { value, date, relative: `not valid yet (valid in ${span})`, problem: true }
      return { value, date, relative: justNow ? 'valid from just now' : `valid since ${span} ago`, problem: false }
    case 'iat':
      if (future && !justNow) return { value, date, relative: `issued in the future (${span} from now)`, problem: true }
      return { value, date, relative: justNow ? 'issued just now' : `issued ${span} ago`, problem: false }
  }
}
