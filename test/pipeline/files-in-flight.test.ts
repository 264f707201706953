import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { bufferSource } from '../../src/io/byte-source.js';
import { FILES_IN_FLIGHT, reportInputs } from '../../src/pipeline/check-files.js';
import type { Input, InputSource } from '../../src/scan/walk.js';

const hello = new Uint8Array(readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'hello-x86_64')));

describe('FILES_IN_FLIGHT', () => {
  test('a scan of 100 files keeps at most 16 open at once, and closes every one', async () => {
    const open = { now: 0, most: 0, opened: 0 };
    // Every "file" is hello-x86_64 served from memory; each read waits a timer turn so that
    // workers overlap, and the counters show how many sources are open at once.
    const openSource = async (): Promise<InputSource> => {
      open.now++;
      open.opened++;
      open.most = Math.max(open.most, open.now);
      const inner = bufferSource(hello);
      return {
        size: inner.size,
        readAt: async (offset, length) => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          return inner.readAt(offset, length);
        },
        close: async () => {
          open.now--;
        },
      };
    };
    async function* inputs(): AsyncGenerator<Input> {
      for (let i = 0; i < 100; i++) yield { kind: 'file', path: `f${i}`, named: true, open: openSource };
    }
    const progress: [number, number][] = [];
    const files = await reportInputs(inputs(), { mode: { kind: 'show', platforms: false }, onProgress: (done, found) => progress.push([done, found]) });
    expect(FILES_IN_FLIGHT).toBe(16);
    expect(files.map((f) => f.status)).toEqual(Array(100).fill('pass'));
    expect(open).toEqual({ now: 0, most: 16, opened: 100 });
    expect(progress.at(-1)).toEqual([100, 100]);
  });
});
