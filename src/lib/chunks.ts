/**
 * Joining the chunks of a body read under a size limit (a remote key set, a Fetch request's body): one copy into
 * a Uint8Array of exactly `total` bytes, on an ArrayBuffer of its own.
 */
export function joinChunks(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total)
  let at = 0
  for (const chunk of chunks) {
    out.set(chunk, at)
    at += chunk.byteLength
  }
  return out
}
