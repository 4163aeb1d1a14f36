/**
 * Whether a Uint8Array's buffer was detached (transferred with `structuredClone(x, { transfer })` or
 * `postMessage`): the view's length then reads 0 and any copy of it throws a TypeError. Node 20 has no
 * `ArrayBuffer.prototype.detached`, but constructing a view over a detached buffer throws, so that is the test.
 * Callers ask only when `byteLength` is 0, so non-empty input pays nothing.
 */
import { types } from 'node:util'

export function isDetached(view: Uint8Array): boolean {
  const buffer: ArrayBufferLike = view.buffer
  if (types.isSharedArrayBuffer(buffer)) return false
  try {
    new Uint8Array(buffer, 0, 0)
    return false
  } catch {
    return true
  }
}
