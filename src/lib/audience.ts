/**
 * RegExp audiences: compiled once at the factory, matched against whole `aud` values (RFC 7519 §4.1.3 compares
 * whole values), and kept from hanging the process. A backtracking engine (V8's irregexp) takes exponential time
 * on patterns such as /(a+)+/ against a crafted value, and the value comes from a token (signed, but a signing
 * key shared with a partner, or a leaked one, is enough). So patterns that can backtrack catastrophically are
 * refused here, and values longer than {@link MAX_AUDIENCE_MATCH_LENGTH} never reach the RegExp.
 */
import { invalidOption, type JwtError } from '../errors.js'

/** `aud` values longer than this fail a RegExp audience without the RegExp being run. */
export const MAX_AUDIENCE_MATCH_LENGTH = 1024

function refused(why: string): JwtError {
  return invalidOption(
    `"audience" RegExp ${why}, which can take exponential time to match; list the values or simplify the pattern`,
  )
}

/** What a group (or the whole pattern) contains, for the checks made when it closes. */
interface Frame {
  quantified: boolean
  alternation: boolean
}

/**
 * Reads a quantifier at `i`: `*`, `+`, `?` or `{n}`, `{n,}`, `{n,m}` (and a lazy `?` after it). Returns its end
 * and whether it can repeat more than once, or undefined when no quantifier starts at `i` (a `{` that does not
 * form one is a literal outside u/v mode).
 */
function quantifierAt(src: string, i: number): { end: number; repeats: boolean } | undefined {
  const c = src[i]
  let end: number
  let repeats: boolean
  if (c === '*' || c === '+') {
    end = i + 1
    repeats = true
  } else if (c === '?') {
    end = i + 1
    repeats = false
  } else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i, i + 24))
    if (m === null) return undefined
    end = i + m[0].length
    const min = Number(m[1])
    const max = m[2] === undefined ? min : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3])
    repeats = max > 1
  } else {
    return undefined
  }
  if (src[end] === '?') end++
  return { end, repeats }
}

/** The index just past a character class starting at `i` ('['); with the v flag classes nest. */
function classEnd(src: string, i: number, nested: boolean): number {
  let depth = 0
  for (let j = i; j < src.length; j++) {
    const c = src[j]
    if (c === '\\') j++
    else if (c === '[' && (nested || depth === 0)) depth++
    else if (c === ']' && --depth === 0) return j + 1
  }
  return src.length
}

/**
 * Refuses, with ERR_JWT_INVALID_OPTION, a pattern whose matching can backtrack catastrophically: a group repeated
 * by `*`, `+` or `{n,m}` (m > 1) that contains a quantifier (`(a+)+`, `(\w+\s?)+`) or an alternation (`(a|a)*` ),
 * and backreferences (`\1`, `\k<name>`), whose matching is not even regular. Quantified single atoms (`a+`,
 * `[a-z]*`, `.*` ) and groups used once or optionally (`^api(-admin)?$`) are fine.
 */
export function checkAudiencePattern(source: string, flags: string): void {
  const nestedClasses = flags.includes('v')
  const stack: Frame[] = [{ quantified: false, alternation: false }]
  let i = 0
  while (i < source.length) {
    const c = source[i]
    const top = stack[stack.length - 1] as Frame
    let atomEnd: number
    let group: Frame | undefined
    if (c === '\\') {
      const next = source[i + 1]
      if (next !== undefined && next >= '1' && next <= '9') throw refused('has a backreference')
      if (next === 'k' && source[i + 2] === '<') throw refused('has a backreference')
      atomEnd = i + 2
      // \p{...}, \P{...}, \u{...}: the braces belong to the escape, not to a quantifier.
      if ((next === 'p' || next === 'P' || next === 'u') && source[atomEnd] === '{') {
        const close = source.indexOf('}', atomEnd)
        atomEnd = close === -1 ? source.length : close + 1
      }
    } else if (c === '[') {
      atomEnd = classEnd(source, i, nestedClasses)
    } else if (c === '(') {
      stack.push({ quantified: false, alternation: false })
      // Skip a group prefix (?:, (?=, (?!, (?<=, (?<!, (?<name>, (?i:) so its '?' is not read as a quantifier.
      i++
      if (source[i] === '?') {
        const named = /^\?<([^=!>][^>]*)>/.exec(source.slice(i, i + 256))
        if (named !== null) i += named[0].length
        else {
          const prefix = /^\?(?:<[=!]|[=!:]|[a-z]*(?:-[a-z]*)?:)/.exec(source.slice(i, i + 16))
          i += prefix === null ? 1 : prefix[0].length
        }
      }
      continue
    } else if (c === ')') {
      group = stack.length > 1 ? stack.pop() : undefined
      atomEnd = i + 1
    } else if (c === '|') {
      top.alternation = true
      i++
      continue
    } else {
      atomEnd = i + 1
    }
    const q = quantifierAt(source, atomEnd)
    const parent = stack[stack.length - 1] as Frame
    if (group !== undefined) {
      if (q?.repeats === true && group.quantified) throw refused('repeats a group that contains a quantifier')
      if (q?.repeats === true && group.alternation) throw refused('repeats a group that contains an alternation')
      // What is inside a group is inside its parent too: ((a+)b)+ nests a quantifier as surely as (a+)+ does.
      parent.quantified ||= group.quantified || q !== undefined
      parent.alternation ||= group.alternation
    } else if (q !== undefined) {
      parent.quantified = true
    }
    i = q === undefined ? atomEnd : q.end
  }
}

/**
 * Checks an audience RegExp and returns a copy that matches whole values only: `^(?:...)$`, so that
 * /api|api-admin/ accepts "api-admin" (a match at index 0 of the first alternative is not enough) and /api/
 * refuses "evil-api". The g and y flags are dropped (no lastIndex state between tokens), and m too, so ^ and $
 * cannot match at a line break.
 */
export function compileAudiencePattern(pattern: RegExp): RegExp {
  checkAudiencePattern(pattern.source, pattern.flags)
  return new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace(/[gmy]/g, ''))
}

/**
 * Whether `value` wholly matches a pattern from {@link compileAudiencePattern}. A value longer than
 * {@link MAX_AUDIENCE_MATCH_LENGTH} does not match, and the RegExp is not run on it: even a linear pattern
 * should not be made to scan a claim of megabytes. The index and length checks are a second guard on the anchors.
 */
export function matchesAudience(pattern: RegExp, value: string): boolean {
  if (value.length > MAX_AUDIENCE_MATCH_LENGTH) return false
  pattern.lastIndex = 0
  const m = pattern.exec(value)
  return m !== null && m.index === 0 && m[0].length === value.length
}
