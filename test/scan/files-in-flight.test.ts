import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { bufferSource, type FileByteSource } from '../../src/io/byte-source.js';

const hello = new Uint8Array(readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'hello-x86_64')));
const open = { now: 0, most: 0, opened: 0 };

// Every "file" is hello-x86_64 served from memory; each open lasts a few timer turns so
// that workers overlap, and the test watches how many are open at once.
vi.mock('../../src/io/byte-source.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/io/byte-source.js')>();
  return {
    ...original,
    openFileSource: async (): Promise<FileByteSource> => {
      open.now++;
      open.opened++;
      open.most = Math.max(open.most, open.now);
      const inner = bufferSource(hello);
      return {
        size: inner.size, bytesRead: 0, reads: 0,
        readAt: async (offset, length) => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          return inner.readAt(offset, length);
        },
        close: async () => {
          open.now--;
        },
      };
    },
  };
});

const { FILES_IN_FLIGHT, reportInputs } = await import('../../src/scan/check-files.js');

describe('FILES_IN_FLIGHT', () => {
  test('a scan of 100 files keeps at most 16 open at once, and closes every one', async () => {
    async function* inputs() {
      for (let i = 0; i < 100; i++) yield { kind: 'file' as const, path: `f${i}`, fsPath: `f${i}`, named: true };
    }
    const progress: [number, number][] = [];
    const files = await reportInputs(inputs(), undefined, (done, found) => progress.push([done, found]));
    expect(FILES_IN_FLIGHT).toBe(16);
    expect(files.map((f) => f.status)).toEqual(Array(100).fill('pass'));
    expect(open).toEqual({ now: 0, most: 16, opened: 100 });
    expect(progress.at(-1)).toEqual([100, 100]);
  });
});
