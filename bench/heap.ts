/**
 * JS heap bytes allocated per call, measured with v8.GCProfiler: the growth of the used heap over N calls plus
 * everything the collections during those calls freed. Needs --expose-gc to start from a collected heap.
 */
import { GCProfiler, getHeapStatistics } from 'node:v8'

declare const gc: (() => void) | undefined

export async function heapBytesPerCall(fn: () => unknown, calls: number): Promise<number> {
  for (let i = 0; i < 200; i++) await fn()
  if (typeof gc === 'function') gc()
  const profiler = new GCProfiler()
  profiler.start()
  const before = getHeapStatistics().used_heap_size
  for (let i = 0; i < calls; i++) {
    const r = fn()
    if (r instanceof Promise) await r
  }
  const after = getHeapStatistics().used_heap_size
  const report = profiler.stop()
  let freed = 0
  for (const s of report?.statistics ?? []) {
    freed += s.beforeGC.heapStatistics.usedHeapSize - s.afterGC.heapStatistics.usedHeapSize
  }
  return (after - before + freed) / calls
}
