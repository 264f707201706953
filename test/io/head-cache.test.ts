import { describe, expect, test } from 'vitest';
import { readElf } from '../../src/elf/read-elf.js';
import { bufferSource, type ByteSource } from '../../src/io/byte-source.js';
import { withHeadCache } from '../../src/io/head-cache.js';
import { detectKind } from '../../src/kind/detect.js';
import { readFixture } from '../helpers/fixtures.js';

function counting(source: ByteSource) {
  const reads: [number, number][] = [];
  return {
    reads,
    source: { size: source.size, readAt: (offset: number, length: number) => (reads.push([offset, length]), source.readAt(offset, length)) },
  };
}

describe('withHeadCache', () => {
  test.each([
    ['go/hello-cgo-x86_64', 'glibc-dynamic'],
    ['static-glibc-armhf', 'glibc-static'],
  ])('the version reader and the kind detector never read the same range of %s twice', async (name, kindName) => {
    const bytes = readFixture(...name.split('/'));
    expect(bytes.length).toBeGreaterThan(64 * 1024); // the section table lies past the shared head
    const { reads, source } = counting(bufferSource(bytes));
    const shared = withHeadCache(source);
    const kind = await detectKind(shared, await readElf(shared));
    expect(kind.name).toBe(kindName);
    const ranges = reads.map(([offset, length]) => `${offset}:${length}`);
    expect(ranges.filter((range, i) => ranges.indexOf(range) !== i)).toEqual([]);
  });

  test('serves the same bytes as the source, inside the head, past it, and across its edge', async () => {
    const bytes = readFixture('hello-x86_64');
    const shared = withHeadCache(bufferSource(bytes));
    for (const [offset, length] of [[0, 64], [100, 900], [bytes.length - 1000, 1000], [bytes.length - 1000, 1000], [60, 10]] as const) {
      expect(await shared.readAt(offset, length)).toEqual(bytes.subarray(offset, offset + length));
    }
  });
});
