import { monotonicMs } from './clock.js';

/**
 * A blocking call slower than SLOW_CALL_MS, plus SLOW_MS_PER_MIB for each MiB it reads, says the
 * storage is not answering from memory (a cold disk, a network file system). A warm 1 MiB read
 * takes up to ~6 ms on a loaded 2-core machine (mostly faulting in the new buffer). A thread
 * preempted in the middle of a call makes an odd one slow too (by one scheduler tick: 4.1-4.4 ms
 * calls, a few in a scan of 35,000 reads, hundreds of milliseconds apart), so it takes
 * SLOW_CALLS_TO_SWITCH slow calls among the last CALL_WINDOW to switch: cold storage makes nearly
 * every call slow and switches within a few calls, a busy machine does not. (Counted over the
 * whole run, three preempted calls switched a scan of a docker-archive to the pool midway, and it
 * took 2.8-3.1 s instead of 1.6-1.9 s.)
 */
export const SLOW_CALL_MS = 4;
export const SLOW_MS_PER_MIB = 10;
export const SLOW_CALLS_TO_SWITCH = 3;
export const CALL_WINDOW = 100;

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
 * and after SLOW_CALLS_TO_SWITCH slow ones close together every later call goes through the thread
 * pool, those of files already open included. While a scan blocks, the event loop still turns
 * (io/map-in-order.ts), so signals are handled.
 */
export const blockingCalls = {
  enabled: true,
  /** Calls timed so far. */
  calls: 0,
  /** The ordinals (in `calls`) of the slow calls among the last CALL_WINDOW. */
  recentSlow: [] as number[],
  /**
   * time runs a blocking call and counts it when it took longer than SLOW_CALL_MS plus what
   * `extraMs` allows for its result (a read's bytes, a listing's entries).
   */
  time<T>(call: () => T, extraMs?: (result: T) => number): T {
    const started = monotonicMs();
    const result = call();
    const ordinal = blockingCalls.calls++;
    if (monotonicMs() - started > SLOW_CALL_MS + (extraMs?.(result) ?? 0)) {
      const recent = blockingCalls.recentSlow.filter((at) => ordinal - at < CALL_WINDOW);
      recent.push(ordinal);
      blockingCalls.recentSlow = recent;
      if (recent.length >= SLOW_CALLS_TO_SWITCH) blockingCalls.enabled = false;
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
