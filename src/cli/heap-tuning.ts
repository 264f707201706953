import { setFlagsFromString } from 'node:v8';

/**
 * Peak memory of a scan is mostly V8's young generation and the slack it leaves in the old one,
 * not data: the reports stream, and the live heap of a scan of all of /usr stays near 25 MB. V8
 * doubles the young generation under a steady allocation rate (1 MB per semi-space at start, up
 * to 16 MB) and lets the old generation grow well past what survives before it collects again.
 * Both growth factors below are read by each garbage collection, so unlike `--max-semi-space-size`
 * (read once, when the heap is made) they take effect when set after start-up. With them,
 * `check /usr/bin /usr/lib/x86_64-linux-gnu` with JSON, JUnit and SARIF outputs peaked at
 * 89-93 MB instead of 127-159 MB, for a few percent more CPU (docs/benchmarks.md).
 *
 * Each entry: the V8 flag, the value glibc-floor runs with, V8's default (Node 20).
 */
const HEAP_FLAGS: readonly (readonly [flag: string, tuned: number, v8Default: number])[] = [
  // The young generation stays at its starting size: scavenges are more frequent but each is small.
  ['semi-space-growth-factor', 1, 2],
  // The old generation grows by 10% of what survived before the next full collection.
  ['heap-growing-percent', 10, 0],
];

/**
 * tuneHeap sets the flags for the rest of this process. Only the CLI's own process calls it, once
 * its scan goes past the first file (cli/io.ts); the library entry leaves a host's heap alone.
 */
export function tuneHeap(): void {
  for (const [flag, tuned] of HEAP_FLAGS) setFlagsFromString(`--${flag}=${tuned}`);
}

/**
 * restoreHeapDefaults puts V8's defaults back. V8 stamps a code cache with a hash of the flags
 * and rejects it under other ones; the CLI compiles its bundle before tuneHeap runs, so the
 * training run that records the cache (scripts/make-code-cache.mjs) restores the defaults first.
 */
export function restoreHeapDefaults(): void {
  for (const [flag, , v8Default] of HEAP_FLAGS) setFlagsFromString(`--${flag}=${v8Default}`);
}
