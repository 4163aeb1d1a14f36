/**
 * Counting the top-level members of a JSON object text that have a given name. `JSON.parse` keeps the last of
 * duplicate members silently (RFC 8259 §4 leaves duplicates to the implementation), so a body
 * `{"access_token":"a","access_token":"b"}` would be read as "b" by us and perhaps as "a" by a proxy or a logger
 * in front: two readers, two credentials, the ambiguity a form body with a repeated field is refused for.
 *
 * This is a scanner, not a parser: it runs only on text `JSON.parse` has just accepted, so every string, bracket
 * and separator is known to be well formed, and it needs only to step over values (strings with their escapes,
 * nested objects and arrays, scalars) to find where each top-level member name starts.
 */

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const OPEN_OBJECT = 0x7b
const CLOSE_OBJECT = 0x7d
const OPEN_ARRAY = 0x5b
const CLOSE_ARRAY = 0x5d

/** RFC 8259 §2: the four insignificant whitespace characters. */
function skipSpace(text: string, i: number): number {
  while (isSpace(text.charCodeAt(i))) i++
  return i
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d
}

/** `i` is at an opening quote; returns the index just past the closing one. */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j)
    if (c === BACKSLASH) j++
    else if (c === QUOTE) return j + 1
  }
  // Unreachable for text JSON.parse accepted; every loop here is bounded by the length all the same.
  return text.length
}

/** `i` is at the first character of a value; returns the index just past it. */
function valueEnd(text: string, i: number): number {
  const first = text.charCodeAt(i)
  if (first === QUOTE) return stringEnd(text, i)
  if (first === OPEN_OBJECT || first === OPEN_ARRAY) {
    let depth = 0
    for (let j = i; j < text.length; ) {
      const c = text.charCodeAt(j)
      if (c === QUOTE) {
        j = stringEnd(text, j)
        continue
      }
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++
      else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        depth--
        if (depth === 0) return j + 1
      }
      j++
    }
    return text.length
  }
  // A number, true, false or null: it runs to the next separator or whitespace.
  let j = i
  for (; j < text.length; j++) {
    const c = text.charCodeAt(j)
    if (c === COMMA || c === CLOSE_OBJECT || c === CLOSE_ARRAY || isSpace(c)) break
  }
  return j
}

/**
 * How many top-level members of the JSON object in `text` are named `name`, escapes decoded
 * (`"access\u005ftoken"` is `access_token`). 0 when the top-level value is not an object.
 * @param text - JSON text that `JSON.parse` accepted
 */
export function countTopLevelMembers(text: string, name: string): number {
  let i = skipSpace(text, 0)
  if (text.charCodeAt(i) !== OPEN_OBJECT) return 0
  i = skipSpace(text, i + 1)
  if (text.charCodeAt(i) === CLOSE_OBJECT) return 0
  let count = 0
  while (i < text.length) {
    const end = stringEnd(text, i)
    const raw = text.slice(i + 1, end - 1)
    // Escapes are rare in member names; only then is the name worth decoding (and it is valid JSON text).
    const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end)) as string) : raw
    if (key === name) count++
    i = skipSpace(text, skipSpace(text, end) + 1) // past the ':'
    i = skipSpace(text, valueEnd(text, i))
    if (text.charCodeAt(i) !== COMMA) return count
    i = skipSpace(text, i + 1)
  }
  return count
}
