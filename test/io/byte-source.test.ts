import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileSource } from '../../src/io/byte-source.js';
import { blockingCalls, bytesAllowanceMs, CALL_WINDOW, SLOW_CALL_MS, SLOW_CALLS_TO_SWITCH, SLOW_MS_PER_MIB } from '../../src/io/blocking-calls.js';
import { restoreBlockingCalls } from '../helpers/blocking-calls.js';

/** busyFor keeps the thread busy for `ms`, as a blocking call on slow storage would. */
function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

restoreBlockingCalls();

describe('openFileSource', () => {
  it('reads the same bytes, short reads at the end included, with blocking calls and through the thread pool', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'byte-source-'));
    try {
      const path = join(dir, 'data');
      const bytes = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7) % 251);
      writeFileSync(path, bytes);
      const ranges: [number, number][] = [[0, 8], [65_530, 100_000], [199_990, 64], [200_000, 4], [-5, 3]];
      const readAll = async () => {
        const source = await openFileSource(path);
        const out = [];
        for (const [offset, length] of ranges) out.push([...(await source.readAt(offset, length))]);
        await source.close();
        return { size: source.size, out, reads: source.reads, bytesRead: source.bytesRead };
      };
      const blocking = await readAll();
      blockingCalls.enabled = false;
      const pooled = await readAll();
      expect(pooled).toEqual(blocking);
      expect(blocking.size).toBe(200_000);
      expect(blocking.out[1]).toEqual([...bytes.subarray(65_530, 165_530)]);
      expect(blocking.out[2]).toHaveLength(10);
      expect(blocking.out[3]).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the usual errno error for a missing file either way', async () => {
    await expect(openFileSource('/nonexistent/glibc-floor')).rejects.toMatchObject({ code: 'ENOENT' });
    blockingCalls.enabled = false;
    await expect(openFileSource('/nonexistent/glibc-floor')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('blockingCalls', () => {
  it(`moves reads to the thread pool after ${SLOW_CALLS_TO_SWITCH} slow calls, not after one`, () => {
    for (let i = 1; i < SLOW_CALLS_TO_SWITCH; i++) {
      blockingCalls.time(() => busyFor(SLOW_CALL_MS + 2));
      expect(blockingCalls.enabled).toBe(true);
    }
    expect(blockingCalls.time(() => (busyFor(SLOW_CALL_MS + 2), 'result'))).toBe('result');
    expect(blockingCalls.enabled).toBe(false);
  });

  it('allows a large read more time: a call is slow for its size, not in absolute terms', () => {
    const mib = 4;
    for (let i = 0; i < SLOW_CALLS_TO_SWITCH; i++) blockingCalls.time(() => (busyFor(SLOW_CALL_MS + 2), mib * 1048576), bytesAllowanceMs);
    expect(blockingCalls.recentSlow).toEqual([]);
    expect(blockingCalls.enabled).toBe(true);
    blockingCalls.time(() => (busyFor(SLOW_CALL_MS + SLOW_MS_PER_MIB * mib + 2), mib * 1048576), bytesAllowanceMs);
    expect(blockingCalls.recentSlow).toHaveLength(1);
  });

  it(`does not switch for slow calls spread among fast ones (a thread preempted now and then), only for ${SLOW_CALLS_TO_SWITCH} among ${CALL_WINDOW}`, () => {
    const fast = (count: number) => {
      for (let i = 0; i < count; i++) blockingCalls.time(() => 0);
    };
    for (let round = 0; round < 5; round++) {
      blockingCalls.time(() => busyFor(SLOW_CALL_MS + 2));
      fast(CALL_WINDOW / 2);
    }
    expect(blockingCalls.enabled).toBe(true);
    fast(CALL_WINDOW);
    for (let i = 0; i < SLOW_CALLS_TO_SWITCH; i++) {
      expect(blockingCalls.enabled).toBe(true);
      blockingCalls.time(() => busyFor(SLOW_CALL_MS + 2));
      fast(CALL_WINDOW / SLOW_CALLS_TO_SWITCH - 2);
    }
    expect(blockingCalls.enabled).toBe(false);
  });
});
