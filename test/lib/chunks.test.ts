/** src/lib/chunks.ts: the chunks of a limited read joined into one array of exactly their bytes. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { joinChunks } from '../../src/lib/chunks.js'

test('joinChunks: the bytes in order, on a buffer of exactly their length', () => {
  const pool = Buffer.from('xxabcdefyy')
  const chunks = [pool.subarray(2, 4), new Uint8Array(0), Uint8Array.of(0x63, 0x64), pool.subarray(6, 8)]
  const joined = joinChunks(chunks, 6)
  assert.deepStrictEqual(
    [Buffer.from(joined).toString(), joined.byteOffset, joined.buffer.byteLength],
    ['abcdef', 0, 6],
  )
  assert.deepStrictEqual(joinChunks([], 0), new Uint8Array(0))
})
