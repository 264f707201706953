import { describe, expect, test } from 'vitest';
import { readElf } from '../../src/elf/read-elf.js';
import { bufferSource, type ByteSource } from '../../src/io/byte-source.js';
import { detectKind } from '../../src/kind/detect.js';
import { readFixture } from '../helpers/fixtures.js';

function counting(source: ByteSource) {
  const reads: [number, number][] = [];
  return {
    reads,
    source: { size: source.size, readAt: (offset: number, length: number) => (reads.push([offset, length]), source.readAt(offset, length)) },
  };
}

describe('kind detection reads the layout readElf parsed', () => {
  test.each([
    ['go/hello-cgo-x86_64', 'glibc-dynamic'],
    ['static-glibc-armhf', 'glibc-static'],
  ])('the version reader and the kind detector never read the same range of %s twice', async (name, kindName) => {
    const bytes = readFixture(...name.split('/'));
    expect(bytes.length).toBeGreaterThan(64 * 1024); // the section table lies past the head
    const { reads, source } = counting(bufferSource(bytes));
    const { elf, layout } = await readElf(source);
    const kind = await detectKind(layout, elf);
    expect(kind.name).toBe(kindName);
    const ranges = reads.map(([offset, length]) => `${offset}:${length}`);
    expect(ranges.filter((range, i) => ranges.indexOf(range) !== i)).toEqual([]);
  });

  test('sections carry their names on demand and segments their p_flags', async () => {
    const { layout } = await readElf(bufferSource(readFixture('hello-x86_64')));
    const names = await layout.sectionNames();
    expect(names).toContain('.gnu.version_r');
    expect((await layout.sectionNamed('.dynsym'))?.type).toBe(11);
    expect(await layout.sectionNames()).toBe(names); // read once
    // readelf -lW fixtures/hello-x86_64: the text segment is R E, the data segment RW.
    const loads = layout.segments.filter((segment) => segment.type === 1).map((segment) => segment.flags);
    expect(loads).toContain(0x5);
    expect(loads).toContain(0x6);
  });
});
