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
import { types } from 'node:util'
import { invalidOption } from '../errors.js'

const { isProxy } = types
/**
 * Taken at load, like the other intrinsics here. For an own property both answer from its own descriptor (the
 * getter or setter of an accessor, undefined for data) without walking further up the prototype chain.
 */
const legacy = Object.prototype as unknown as Record<
  '__lookupGetter__' | '__lookupSetter__',
  (key: PropertyKey) => unknown
>
const lookupGetter = legacy.__lookupGetter__
const lookupSetter = legacy.__lookupSetter__

/** Checks one option's raw value (`undefined` when the option is absent) and returns what the factory keeps. */
export type OptionCheck<T> = (value: unknown) => T

/** The options one factory accepts: each name with its check. */
export type OptionTable = Readonly<Record<string, OptionCheck<unknown>>>

/** What reading a table gives: every name of the table, with the value its check returned. */
export type OptionValues<T extends OptionTable> = { readonly [K in keyof T]: ReturnType<T[K]> }

/** A property descriptor, or a JwtError when a Proxy trap throws (its error is the caller's, and not ours to show). */
function describe(value: object, key: string | number): PropertyDescriptor | undefined {
  try {
    return Object.getOwnPropertyDescriptor(value, key)
  } catch {
    throw invalidOption('an option object could not be read')
  }
}

/**
 * A data descriptor always has an own `value`, an accessor never: asked with `Object.hasOwn`, not `'get' in d`,
 * so that a polluted `Object.prototype.get` or `.value` cannot change the answer.
 */
function isAccessor(d: PropertyDescriptor): boolean {
  return !Object.hasOwn(d, 'value')
}

/** What is worked out once per table: its names, the checked defaults, and whether some option is required. */
interface TableInfo {
  readonly names: readonly string[]
  /**
   * Every default, as own properties of a plain object that never leaves this module: each result is spread
   * from it (a fast copy, which a frozen object would not get), and own members shadow anything inherited.
   */
  readonly defaults: Readonly<Record<string, unknown>>
  /** Names whose check refuses absence; they are missing from `defaults`. */
  readonly required: readonly string[]
}

const tables = new WeakMap<OptionTable, TableInfo>()

function infoOf(table: OptionTable): TableInfo {
  let info = tables.get(table)
  if (info === undefined) {
    const names = Object.keys(table)
    const defaults: Record<string, unknown> = {}
    const required: string[] = []
    for (const name of names) {
      let value: unknown
      try {
        value = (table[name] as OptionCheck<unknown>)(undefined)
      } catch {
        required.push(name)
        continue
      }
      // Shared by every factory that leaves the option out, so frozen: no caller can change another's default.
      defaults[name] = typeof value === 'object' && value !== null ? Object.freeze(value) : value
    }
    info = { names, defaults, required }
    tables.set(table, info)
  }
  return info
}

/**
 * Reads an options object through its table. `undefined` gives the defaults (checked once per table, so the
 * one-shot `sign`/`verify` without options do no option work at all); anything else must be a non-array object,
 * whose own enumerable string-keyed properties are read once each: symbol keys and non-enumerable properties are
 * ignored (as by `Object.keys` and object spread), an unknown name or a getter or setter is refused. Only the
 * given options are checked; the others take the table's defaults. Every name of the table is an own property of
 * the result, so nothing in it can come from a polluted prototype. Messages name options, never values.
 * @throws {JwtError} `ERR_JWT_INVALID_OPTION` for a non-object, an unknown name, an accessor, a bad value or a
 *   missing required option
 */
export function readOptions<T extends OptionTable>(table: T, options: unknown, what: string): OptionValues<T> {
  const info = infoOf(table)
  if (options === undefined && info.required.length === 0) return { ...info.defaults } as OptionValues<T>
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidOption(`${what} options must be an object`)
  }
  // An ordinary object cannot throw from Object.keys or getOwnPropertyDescriptor (only a Proxy trap can), so only
  // a Proxy goes through the guards.
  const proxy = isProxy(options)
  let keys: Array<string | symbol>
  try {
    // For an ordinary object `Object.keys` gives the same names (own, enumerable, strings) and runs no code of
    // the caller's; a Proxy is asked for its keys once, and each descriptor below once.
    keys = proxy ? Reflect.ownKeys(options) : Object.keys(options)
  } catch {
    throw invalidOption(`the ${what} options could not be read`)
  }
  // Every name read before any value is checked, so an unknown name is reported whatever else is wrong.
  const given: string[] = []
  const raw: unknown[] = []
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]
    if (typeof key !== 'string') continue
    const d = proxy ? describe(options, key) : Object.getOwnPropertyDescriptor(options, key)
    if (d === undefined || d.enumerable !== true) continue
    if (!Object.hasOwn(table, key)) throw invalidOption(`unknown ${what} option "${key}"`)
    if (isAccessor(d)) throw invalidOption(`the ${what} option "${key}" must be a data property, not a getter`)
    given[given.length] = key
    raw[raw.length] = d.value
  }
  const values: Record<string, unknown> = { ...info.defaults }
  for (let i = 0; i < given.length; i++) {
    const name = given[i] as string
    values[name] = (table[name] as OptionCheck<unknown>)(raw[i])
  }
  for (const name of info.required) {
    if (!Object.hasOwn(values, name)) values[name] = (table[name] as OptionCheck<unknown>)(undefined)
  }
  return values as OptionValues<T>
}

/** The values of `table`'s names out of values read through a larger table that includes it. */
export function pickOptions<T extends OptionTable>(
  table: T,
  values: Readonly<Record<string, unknown>>,
): OptionValues<T> {
  const picked: Record<string, unknown> = {}
  for (const name of infoOf(table).names) picked[name] = values[name]
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
  // A real array's `length` is always an own data property; only a Proxy can answer otherwise.
  const proxy = isProxy(value)
  const length = proxy ? describe(value, 'length')?.value : value.length
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) {
    throw invalidOption(`"${name}" must be a plain array`)
  }
  const copy: unknown[] = []
  for (let i = 0; i < length; i++) {
    if (proxy) {
      const d = describe(value, i)
      if (d === undefined) throw invalidOption(`"${name}" must not have holes`)
      if (isAccessor(d)) throw invalidOption(`"${name}" must hold values, not getters`)
      copy[i] = d.value
    } else {
      // The same answers without a descriptor object (V8's getOwnPropertyDescriptor on an array index costs
      // about 100 ns, the one-shot verify pays it per call): an own property that is no accessor is data, and
      // reading it runs no code.
      if (!Object.hasOwn(value, i)) throw invalidOption(`"${name}" must not have holes`)
      if (lookupGetter.call(value, i) !== undefined || lookupSetter.call(value, i) !== undefined) {
        throw invalidOption(`"${name}" must hold values, not getters`)
      }
      copy[i] = value[i]
    }
  }
  return copy
}

/** A RegExp of our own with the same source and flags, so a later `compile()` or `lastIndex` on the caller's changes nothing. */
export function copyRegExp(pattern: RegExp): RegExp {
  return new RegExp(pattern.source, pattern.flags)
}
