/**
 * The one way every factory reads its options (sign, verify, decode, the adapters, extraction, `unless`,
 * `readBody`): a table of `name -> check`. The table gives the known names, the "unknown option" error and the
 * checked values, so the core and the adapters cannot disagree about what a name means.
 *
 * Options are data. An options object is read once, when the factory runs, as its own enumerable string-keyed
 * data properties: nothing comes from the prototype chain (a polluted `Object.prototype.credentialsRequired`
 * elsewhere in the process must not open a route), a getter is refused rather than called, and a Proxy is asked
 * each question once. Arrays are copied by index, never through their iterator (which a caller can replace), so
 * what was checked is exactly what is kept. After the factory returns, only the copies are used.
 */
import { JwtError } from '../errors.js'

export function invalidOption(message: string): JwtError {
  return new JwtError('ERR_JWT_INVALID_OPTION', message)
}

/** Checks one option's raw value (`undefined` when the option is absent) and returns what the factory keeps. */
export type OptionCheck<T> = (value: unknown) => T

/** The options one factory accepts: each name with its check. */
export type OptionTable = Readonly<Record<string, OptionCheck<unknown>>>

/** What reading a table gives: every name of the table, with the value its check returned. */
export type OptionValues<T extends OptionTable> = { readonly [K in keyof T]: ReturnType<T[K]> }

/** A property descriptor, or a JwtError when a Proxy trap throws (its error is the caller's, and not ours to show). */
function describe(value: object, key: string): PropertyDescriptor | undefined {
  try {
    return Reflect.getOwnPropertyDescriptor(value, key)
  } catch {
    throw invalidOption('an option object could not be read')
  }
}

/** Own `get`/`set` members, not `'value' in d`: a polluted `Object.prototype.value` must not pass for data. */
function isAccessor(d: PropertyDescriptor): boolean {
  return Object.hasOwn(d, 'get') || Object.hasOwn(d, 'set')
}

/**
 * The own enumerable string-keyed data properties of `options`, read once each, in a null-prototype object.
 * Symbol keys and non-enumerable properties are ignored (as `Object.keys` and object spread do); a name the
 * table does not know, or a getter or setter, is `ERR_JWT_INVALID_OPTION`. Messages name options, never values.
 */
function snapshot(options: object, table: OptionTable, what: string): Record<string, unknown> {
  let keys: Array<string | symbol>
  try {
    keys = Reflect.ownKeys(options)
  } catch {
    throw invalidOption(`the ${what} options could not be read`)
  }
  const own: Record<string, unknown> = Object.create(null)
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]
    if (typeof key !== 'string') continue
    const d = describe(options, key)
    if (d === undefined || d.enumerable !== true) continue
    if (!Object.hasOwn(table, key)) throw invalidOption(`unknown ${what} option "${key}"`)
    if (isAccessor(d)) throw invalidOption(`the ${what} option "${key}" must be a data property, not a getter`)
    own[key] = d.value
  }
  return own
}

/** The checked defaults of a table (every check given `undefined`), and the names whose check refuses absence. */
interface TableDefaults {
  readonly values: Readonly<Record<string, unknown>>
  readonly required: boolean
}

const defaultsOf = new WeakMap<OptionTable, TableDefaults>()

/** Computed once per table, so a factory given no options, or few, runs only the checks of what it was given. */
function defaults(table: OptionTable): TableDefaults {
  let found = defaultsOf.get(table)
  if (found === undefined) {
    const values: Record<string, unknown> = Object.create(null)
    let required = false
    for (const name of Object.keys(table)) {
      let value: unknown
      try {
        value = (table[name] as OptionCheck<unknown>)(undefined)
      } catch {
        // A required option: left out of the defaults, so its check runs (and refuses) whenever it is absent.
        required = true
        continue
      }
      // Shared by every factory that leaves the option out, so frozen: no caller can change another's default.
      values[name] = typeof value === 'object' && value !== null ? Object.freeze(value) : value
    }
    found = { values: Object.freeze(values), required }
    defaultsOf.set(table, found)
  }
  return found
}

/**
 * Reads an options object through its table: `undefined` gives the defaults (computed once, so the one-shot
 * `sign`/`verify` without options do no option work at all), anything that is not a plain (non-array) object is
 * refused, and every name the table knows is present in the result.
 * @throws {JwtError} `ERR_JWT_INVALID_OPTION` for a non-object, an unknown name, an accessor, a bad value or a
 *   missing required option
 */
export function readOptions<T extends OptionTable>(table: T, options: unknown, what: string): OptionValues<T> {
  const base = defaults(table)
  if (options === undefined && !base.required) return base.values as OptionValues<T>
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidOption(`${what} options must be an object`)
  }
  const own = snapshot(options, table, what)
  const values: Record<string, unknown> = Object.create(null)
  for (const name of Object.keys(table)) {
    const check = table[name] as OptionCheck<unknown>
    values[name] = name in own ? check(own[name]) : name in base.values ? base.values[name] : check(undefined)
  }
  return values as OptionValues<T>
}

/** The values of `table`'s names out of values read through a larger table that includes it. */
export function pickOptions<T extends OptionTable>(
  table: T,
  values: Readonly<Record<string, unknown>>,
): OptionValues<T> {
  const picked: Record<string, unknown> = Object.create(null)
  for (const name of Object.keys(table)) picked[name] = values[name]
  return picked as OptionValues<T>
}

/**
 * A copy of an array option, or undefined when `value` is not an array: `length` is read once, then each index
 * once, as an own data property. A hole (which would show `Array.prototype[i]` to an iterator), a getter index,
 * a replaced `Symbol.iterator` or a Proxy answering differently on a second read cannot make the copy differ from
 * what the caller's check saw, because the copy is all that is ever checked or used.
 * @throws {JwtError} `ERR_JWT_INVALID_OPTION` for a hole or an accessor element
 */
export function copyArray(value: unknown, name: string): unknown[] | undefined {
  if (!Array.isArray(value)) return undefined
  const length = describe(value, 'length')?.value
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) {
    throw invalidOption(`"${name}" must be a plain array`)
  }
  const copy: unknown[] = []
  for (let i = 0; i < length; i++) {
    const d = describe(value, String(i))
    if (d === undefined) throw invalidOption(`"${name}" must not have holes`)
    if (isAccessor(d)) throw invalidOption(`"${name}" must hold values, not getters`)
    copy[i] = d.value
  }
  return copy
}

/** A RegExp of our own with the same source and flags, so a later `compile()` or `lastIndex` on the caller's changes nothing. */
export function copyRegExp(pattern: RegExp): RegExp {
  return new RegExp(pattern.source, pattern.flags)
}
