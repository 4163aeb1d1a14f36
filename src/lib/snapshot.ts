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
 * Why the copy cannot be rewritten by JSON.stringify (ECMA-262 SerializeJSONProperty calls a `toJSON` found on a
 * value or its prototype chain, and nothing else of the chain): every member of the copy is a primitive or a
 * container made here; a `toJSON` method anywhere in the input is refused; arrays are made with a private, frozen,
 * empty prototype chain, so Array.prototype is never consulted; objects are ordinary objects (fastest to
 * serialise) while Object.prototype has no `toJSON`, and otherwise are made with the same kind of private chain.
 * Nothing runs between the copy and the serialisation that could define one: getters and Proxy traps are done.
 *
 * Accepted, and copied as read: strings, booleans, null, finite numbers, plain objects (an object literal or a
 * null-prototype object, of any realm) and dense arrays of these. A getter is read once, like any member, and
 * its one answer is what is checked and written. Members whose value is `undefined`, symbol keys and
 * non-enumerable members are left out, as JSON.stringify does. Everything else JSON would change or drop
 * silently, or that would run code during serialisation, is refused.
 */
import { invalidOption, JwtError } from '../errors.js'

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
const assign = Object.assign
const hasOwn = Object.hasOwn
const isArray = Array.isArray

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
  private ancestors: object[] | undefined
  /**
   * Ordinary objects (spread copies) serialise fastest, and are safe while Object.prototype has no `toJSON`:
   * JSON.stringify looks it up there. When one is defined, objects are copied into containers with the private,
   * empty prototype chain instead (as arrays always are), so the output is the same either way.
   */
  readonly immune: boolean

  constructor(
    readonly root: object,
    immune: boolean,
  ) {
    this.immune = immune
  }

  /** Checks one value already read; returns it, or the snapshot of a container. */
  value(v: unknown, depth: number): unknown {
    switch (typeof v) {
      case 'string':
      case 'boolean':
      case 'undefined':
        return v
      case 'number':
        // JSON.stringify writes NaN and ±Infinity as null: a time claim would silently vanish.
        if (!Number.isFinite(v)) throw new Refusal('is NaN or Infinity, which JSON would write as null')
        return v
      case 'object':
        if (v === null) return null
        return this.container(v, depth)
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
    // Made at the first nested container: most payloads are flat.
    this.ancestors ??= [this.root]
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
    return copyObject(v, depth, this.immune, this)
  }

  array(v: unknown[], depth: number): unknown[] {
    if (!isPlainArray(v)) throw new Refusal('is not a plain array (a subclass of Array)')
    // JSON.stringify writes only the elements of an array, but it does call the array's own toJSON first.
    if (hasOwn(v, 'toJSON')) {
      const refusal = new Refusal('is a toJSON member of an array; sign writes only the elements')
      refusal.path.push('toJSON')
      throw refusal
    }
    const length = v.length
    if (length > MAX_VALUES) throw new Refusal(`has more than ${MAX_VALUES} values`)
    const out = setPrototypeOf([], ARRAY_PROTO) as unknown[]
    let i = 0
    try {
      for (; i < length; i++) {
        // A hole would be read through Array.prototype, and written by JSON.stringify as null.
        if (!hasOwn(v, i)) throw new Refusal('is a hole in a sparse array, which JSON would write as null')
        if (++this.values > MAX_VALUES) throw new Refusal(`has more than ${MAX_VALUES} values`)
        const copy = this.value(v[i], depth)
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
 * A deep copy of `value`'s own enumerable data, each member read once: JSON.stringify of the result gives
 * exactly the data that was read, and later changes to `value` change nothing. Read the result's members as own
 * properties (its objects may inherit from Object.prototype). `what` names the root in messages.
 *
 * @throws {JwtError} `ERR_JWT_INVALID_OPTION` naming the member path (key names only, never values) for what JSON
 *   would alter or that would run code: functions (so `toJSON` methods), symbols, BigInt, non-plain objects,
 *   sparse arrays, `undefined` in arrays, NaN/Infinity, cycles, more than {@link MAX_DEPTH} levels or
 *   {@link MAX_VALUES} values; also when reading `value` throws (a getter, a Proxy trap), without keeping that
 *   error, which may quote the data.
 */
/**
 * Copies one plain object. `walk` is made at the first member that is not a plain primitive: most payloads are
 * flat, and then the copy costs one spread and one pass over it.
 */
function copyObject(v: object, depth: number, immune: boolean, walk: Walk | undefined): Record<string, unknown> {
  // The one read of the caller's object: spread (like Object.assign) does one [[Get]] per own enumerable member,
  // in the order JSON.stringify uses (ECMA-262 CopyDataProperties, OrdinaryOwnPropertyKeys), so a getter runs
  // exactly once, here, and a Proxy answers once per member. Both create own data members, "__proto__" included.
  // From here on only the copy is read.
  const out: Record<string, unknown> = immune ? assign(new JsonObject(), v) : { ...v }
  let key = ''
  let members = 0
  try {
    // for-in lists the copy's own string keys (symbol keys, which JSON.stringify ignores, are ignored here too)
    // and then any enumerable ones a polluted Object.prototype has: those are skipped before anything is done
    // with them. A plain string, boolean, finite number or undefined needs no further look.
    for (key in out) {
      if (++members > MAX_VALUES) throw new Refusal(`has more than ${MAX_VALUES} values`)
      const value = out[key]
      const type = typeof value
      if (type === 'string' || type === 'boolean' || type === 'undefined') continue
      if (type === 'number' && Number.isFinite(value)) continue
      if (!hasOwn(out, key)) continue
      if (type === 'function' && key === 'toJSON') {
        throw new Refusal('is a toJSON method; sign writes the data it checked, not what toJSON returns')
      }
      walk ??= new Walk(v, immune)
      out[key] = walk.value(value, depth)
    }
  } catch (err) {
    if (err instanceof Refusal) err.path.push(key)
    throw err
  }
  // Shared sub-objects are copied each time they appear: the total over the whole walk is what is bounded.
  if (walk !== undefined) {
    walk.values += members
    if (walk.values > MAX_VALUES) throw new Refusal(`has more than ${MAX_VALUES} values`)
  }
  return out
}

export function snapshotObject(value: unknown, what: string): Record<string, unknown> {
  try {
    if (typeof value !== 'object' || value === null || isArray(value) || !isPlainObject(value)) {
      throw invalidOption(`the ${what} must be a plain object`)
    }
    return copyObject(value, 1, hasOwn(Object.prototype, 'toJSON'), undefined)
  } catch (err) {
    if (err instanceof JwtError) throw err
    if (err instanceof Refusal) {
      throw invalidOption(`${pathOf(what, err.path)} ${err.reason}`)
    }
    // Code the caller supplied (a getter, a Proxy trap) threw: its error may quote the data, so it is not kept as a cause.
    throw invalidOption(`the ${what} could not be read as data`)
  }
}
