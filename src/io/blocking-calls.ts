import { monotonicMs } from './clock.js';

/**
 * A blocking call slower than SLOW_CALL_MS, plus SLOW_MS_PER_MIB for each MiB it reads, says the
 * storage is not answering from memory (a cold disk, a network file system). A warm 1 MiB read
 * takes up to ~6 ms on a loaded 2-core machine (mostly faulting in the new buffer); a thread
 * preempted in the middle of a call makes an odd one slow too, hence SLOW_CALLS_TO_SWITCH.
 */
export const SLOW_CALL_MS = 4;
export const SLOW_MS_PER_MIB = 10;
export const SLOW_CALLS_TO_SWITCH = 3;

/** bytesAllowanceMs is what a read or write of `bytes` may take beyond SLOW_CALL_MS. */
export const bytesAllowanceMs = (bytes: number): number => (SLOW_MS_PER_MIB * bytes) / 1048576;

/**
 * blockingCalls decides how files are opened, read, listed and stat-ed, and how report files are
 * written (cli/output-file.ts). On a warm page cache, which is what a release tree just built or a
 * second run sees, a blocking `readSync` costs a few microseconds of the one thread, while the
 * same read through libuv's thread pool costs a hand-off to a pool thread and back, two context
 * switches and a promise (over the 2,442 ELF files of /usr/bin and /usr/lib, 8,100 reads, the
 * scan took a fifth less wall time: docs/benchmarks.md). Blocking calls do not overlap, though,
 * and on cold or remote storage overlapping reads is what pays: so each blocking call is timed,
 * and after SLOW_CALLS_TO_SWITCH slow ones every later call goes through the thread pool, those
 * of files already open included. While a scan blocks, the event loop still turns
 * (io/map-in-order.ts), so signals are handled.
 */
export const blockingCalls = {
  enabled: true,
  slowCalls: 0,
  /**
   * time runs a blocking call and counts it when it took longer than SLOW_CALL_MS plus what
   * `extraMs` allows for its result (a read's bytes, a listing's entries).
   */
  time<T>(call: () => T, extraMs?: (result: T) => number): T {
    const started = monotonicMs();
    const result = call();
    if (monotonicMs() - started > SLOW_CALL_MS + (extraMs?.(result) ?? 0)) {
      blockingCalls.slowCalls++;
      if (blockingCalls.slowCalls >= SLOW_CALLS_TO_SWITCH) blockingCalls.enabled = false;
    }
    return result;
  },
};

/**
 * blockingOrPooled runs `blocking` (timed, `extraMs` as for blockingCalls.time) while blocking
 * calls are on, else `pooled`, the same call through the thread pool; a throw of either is a
 * rejection. Every file call that follows the policy goes through here.
 */
export async function blockingOrPooled<T>(blocking: () => T, pooled: () => Promise<T>, extraMs?: (result: T) => number): Promise<T> {
  return blockingCalls.enabled ? blockingCalls.time(blocking, extraMs) : pooled();
}
