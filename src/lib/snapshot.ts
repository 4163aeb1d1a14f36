/**
 * A deep, read-once copy of the data that `sign` is about to check and serialise: the payload and the extra
 * header parameters.
 *
 * Why: `sign` checks the registered claims and then serialises. If JSON.stringify read the caller's object a
 * second time, a `toJSON` method, a getter, or a `toJSON` defined on Object.prototype or Array.prototype could
 * make the bytes differ from what was checked (a token without the `exp` its options asked for, a header saying
 * `"alg":"none"`). So the caller's object is read exactly once, here, and both the checks and JSON.stringify see
 * only the copy.
 *
 * The copy is built from containers that only this module creates. Their prototype chains end in private, frozen,
 * empty objects, so JSON.stringify's `toJSON` look-up (ECMA-262 SerializeJSONProperty) and our own property
 * writes never reach Object.prototype or Array.prototype, whatever is defined there; and a `"__proto__"` key is
 * written as an ordinary own member (there is no `__proto__` accessor in the chain).
 *
 * Accepted, and copied as is: strings, booleans, null, finite numbers, plain objects (an object literal or a
 * null-prototype object, of any realm) and dense arrays of these. Members whose value is `undefined` are left out,
 * as JSON.stringify does. Everything JSON would change or drop silently, or that runs code, is refused.
 */
import { JwtError } from '../errors.js'

/** Deeper nesting than this is refused: no claim set needs it, and it bounds the recursion. */
export const MAX_DEPTH = 64
/** More values than this in one payload or header is refused (shared sub-objects count each time they appear). */
export const MAX_VALUES = 100_000

/** Key names are quoted in messages at most this long: enough to find the member, too short to carry a secret. */
const MAX_KEY_IN_MESSAGE = 32

const OBJECT_PROTO: object = Object.freeze(Object.create(null))
const ARRAY_PROTO: object = Object.freeze(Object.create(null))

/** Objects made by `new JsonObject()` have fast properties and the private, empty prototype chain. */
const JsonObject = function JsonObject(this: object) {} as unknown as new () => Record<string, unknown>
JsonObject.prototype = OBJECT_PROTO as Record<string, unknown>

const getPrototypeOf = Object.getPrototypeOf
const setPrototypeOf = Object.setPrototypeOf
const describe = Object.getOwnPropertyDescriptor
const ownKeys = Reflect.ownKeys
const isArray = Array.isArray

/** An empty object of the snapshot kind, for members the library adds itself (iat, exp, header defaults). */
export function jsonObject(): Record<string, unknown> {
  return new JsonObject()
}

/** A snapshot of a list of strings (from an option such as `audience`), safe to serialise like the rest. */
export function jsonStringArray(values: readonly string[]): string[] {
  const out = setPrototypeOf([], ARRAY_PROTO) as string[]
  for (let i = 0; i < values.length; i++) out[i] = values[i] as string
  return out
}

/** Why a value was refused; `path` is filled in on the way out, innermost member first. */
class Refusal {
  readonly path: Array<string | number> = []
  constructor(readonly reason: string) {}
}

/** A root prototype: Object.prototype of this or another realm (a vm context), or none at all. */
function isPlainObject(value: object): boolean {
  const proto: unknown = getPrototypeOf(value)
  return proto === null || getPrototypeOf(proto) === null
}

/** Array.prototype of some realm (itself an Array exotic object), none at all, or a snapshot's own. */
function isPlainArray(value: unknown[]): boolean {
  const proto: unknown = getPrototypeOf(value)
  return proto === null || proto === ARRAY_PROTO || (isArray(proto) && isPlainObject(proto))
}

class Walk {
  values = 0
  /** The objects and arrays being copied, outermost first: meeting one again inside itself is a cycle. */
  readonly ancestors: object[]

  constructor(root: object) {
    this.ancestors = [root]
  }

  value(v: unknown, depth: number): unknown {
    if (++this.values > MAX_VALUES) throw new Refusal(`has more than ${MAX_VALUES} values`)
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return v
      case 'number':
        // JSON.stringify writes NaN and ±Infinity as null: a time claim would silently vanish.
        if (!Number.isFinite(v)) throw new Refusal('is NaN or Infinity, which JSON would write as null')
        return v
      case 'object':
        if (v === null) return null
        return this.container(v, depth)
      case 'undefined':
        return undefined
      case 'function':
        throw new Refusal('is a function; sign writes data, not what code returns')
      case 'symbol':
        throw new Refusal('is a symbol, which JSON cannot represent')
      default:
        throw new Refusal('is a BigInt, which JSON cannot represent')
    }
  }

  container(v: object, depth: number): unknown {
    if (depth >= MAX_DEPTH) throw new Refusal(`nests deeper than ${MAX_DEPTH} levels`)
    const ancestors = this.ancestors
    if (ancestors.includes(v)) throw new Refusal('contains itself (a cycle)')
    ancestors.push(v)
    const copy = isArray(v) ? this.array(v, depth + 1) : this.object(v, depth + 1)
    ancestors.pop()
    return copy
  }

  object(v: object, depth: number): Record<string, unknown> {
    if (!isPlainObject(v)) {
      throw new Refusal('is not a plain object or array (a Date, Map, Buffer, class instance, boxed primitive...)')
    }
    const out = new JsonObject()
    // Reflect.ownKeys lists string keys in the order JSON.stringify uses (ECMA-262 OrdinaryOwnPropertyKeys),
    // then symbols; one descriptor per key tells data from accessor and is the only read of the value.
    const keys = ownKeys(v)
    let key: string | symbol = ''
    try {
      for (let i = 0; i < keys.length; i++) {
        key = keys[i] as string | symbol
        const d = describe(v, key)
        if (d === undefined || d.enumerable !== true) continue
        if (typeof key === 'symbol') throw new Refusal('has a symbol key, which JSON would drop')
        if (!('value' in d)) throw new Refusal('is a getter or setter; only data properties are signed')
        const value = d.value
        if (key === 'toJSON' && typeof value === 'function') {
          throw new Refusal('is a toJSON method; sign writes the data it checked, not what toJSON returns')
        }
        const copy = this.value(value, depth)
        if (copy !== undefined) out[key] = copy
      }
    } catch (err) {
      if (err instanceof Refusal && typeof key === 'string') err.path.push(key)
      throw err
    }
    return out
  }

  array(v: unknown[], depth: number): unknown[] {
    if (!isPlainArray(v)) throw new Refusal('is not a plain array (a subclass of Array)')
    // JSON.stringify writes only the elements of an array, but it does call the array's own toJSON first.
    const toJSON = describe(v, 'toJSON')
    if (toJSON !== undefined && (!('value' in toJSON) || typeof toJSON.value === 'function')) {
      const refusal = new Refusal('is a toJSON method; sign writes the data it checked, not what toJSON returns')
      refusal.path.push('toJSON')
      throw refusal
    }
    const length = v.length
    if (length > MAX_VALUES) throw new Refusal(`has more than ${MAX_VALUES} values`)
    const out = setPrototypeOf([], ARRAY_PROTO) as unknown[]
    let i = 0
    try {
      for (; i < length; i++) {
        const d = describe(v, i)
        if (d === undefined) throw new Refusal('is a hole in a sparse array, which JSON would write as null')
        if (!('value' in d)) throw new Refusal('is a getter or setter; only data properties are signed')
        const copy = this.value(d.value, depth)
        if (copy === undefined) throw new Refusal('is undefined inside an array, which JSON would write as null')
        out[i] = copy
      }
    } catch (err) {
      if (err instanceof Refusal) err.path.push(i)
      throw err
    }
    return out
  }
}

/** At most this many member names in a message: the outermost ones, which say where to look. */
const MAX_PATH_IN_MESSAGE = 8

function pathOf(what: string, path: ReadonlyArray<string | number>): string {
  let s = what
  const last = Math.max(path.length - MAX_PATH_IN_MESSAGE, 0)
  for (let i = path.length - 1; i >= last; i--) {
    const key = path[i] as string | number
    if (typeof key === 'number') s += `[${key}]`
    else if (/^[A-Za-z_$][\w$]*$/.test(key) && key.length <= MAX_KEY_IN_MESSAGE) s += `.${key}`
    else {
      const short = key.length > MAX_KEY_IN_MESSAGE ? `${key.slice(0, MAX_KEY_IN_MESSAGE)}...` : key
      s += `[${JSON.stringify(short)}]`
    }
  }
  return last > 0 ? `${s}...` : s
}

/**
 * A deep copy of `value`'s own enumerable data, read once, in containers whose prototype chains are private and
 * empty: JSON.stringify of the result gives exactly the data that was read, and later changes to `value` (or to
 * any prototype) change nothing. `what` names the root in messages ("payload", "header").
 *
 * @throws {JwtError} `ERR_JWT_INVALID_OPTION` naming the member path (key names only, never values) for anything
 *   JSON would alter or that runs code: accessors, functions (so `toJSON` methods), symbols, BigInt, non-plain
 *   objects, sparse arrays, `undefined` in arrays, NaN/Infinity, cycles, more than {@link MAX_DEPTH} levels or
 *   {@link MAX_VALUES} values; also when reading `value` throws (a Proxy trap), without keeping that error.
 */
export function snapshotObject(value: unknown, what: string): Record<string, unknown> {
  try {
    if (typeof value !== 'object' || value === null || isArray(value) || !isPlainObject(value)) {
      throw new JwtError('ERR_JWT_INVALID_OPTION', `the ${what} must be a plain object`)
    }
    return new Walk(value).object(value, 1)
  } catch (err) {
    if (err instanceof JwtError) throw err
    if (err instanceof Refusal) {
      throw new JwtError('ERR_JWT_INVALID_OPTION', `${pathOf(what, err.path)} ${err.reason}`)
    }
    // Code the caller supplied (a Proxy trap) threw: its error may quote the data, so it is not kept as a cause.
    throw new JwtError('ERR_JWT_INVALID_OPTION', `the ${what} could not be read as data`)
  }
}
