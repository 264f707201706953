/**
 * monotonicMs is a monotonic clock in milliseconds, for durations. `performance.now()` gives the
 * same, but its first use loads node:perf_hooks, about 6 M instructions of a one-file check's
 * start-up (docs/benchmarks.md).
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
