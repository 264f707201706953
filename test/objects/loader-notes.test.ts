import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { readElf } from '../../src/elf/read-elf.js';
import { openFileSource } from '../../src/io/byte-source.js';
import { readX86Isa, stackRequest, x86IsaLevel } from '../../src/objects/loader-notes.js';
import { fixturePath } from '../helpers/fixtures.js';
import { toolAvailable } from '../helpers/tools.js';

async function layoutOf(...parts: string[]) {
  const source = await openFileSource(fixturePath(...parts));
  try {
    const { layout } = await readElf(source);
    return { stack: await stackRequest(layout), isa: await readX86Isa(layout) };
  } finally {
    await source.close();
  }
}

const readelfAvailable = toolAvailable('readelf');

describe('the stack a file asks for (fixtures/objects/build.sh)', () => {
  test.each([
    ['objects/libexecstack-x86_64.so', 'executable'], // -z execstack: GNU_STACK RWE
    ['objects/execstack-x86_64', 'executable'],
    ['objects/libplugin-x86_64.so', 'not-executable'], // GNU_STACK RW
    ['hello-x86_64', 'not-executable'],
    ['hello-aarch64', 'not-executable'],
    ['objects/arc4random-x86_64.o', 'not-executable'], // gcc emits .note.GNU-stack without SHF_EXECINSTR
    ['objects/nostack-x86_64.o', 'default-executable'], // assembly without .note.GNU-stack: ld makes the stack executable
  ])('%s: %s', async (file, expected) => {
    expect((await layoutOf(file)).stack).toBe(expected);
  });

  test.skipIf(!readelfAvailable)('agrees with readelf -l on the GNU_STACK flags', () => {
    for (const [file, executable] of [['objects/libexecstack-x86_64.so', true], ['objects/libplugin-x86_64.so', false]] as const) {
      const out = execFileSync('readelf', ['-lW', fixturePath(file)], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
      const line = out.split('\n').find((l) => l.includes('GNU_STACK'))!;
      expect(/\sRWE\s/.test(line), file).toBe(executable);
    }
  });
});

describe('the x86 ISA level of the GNU property note', () => {
  test.each([
    ['objects/isa-v3-used-x86_64.o', { needed: 0, used: 0b101 }, 3], // -Wa,-mx86-used-note=yes: baseline + v3 used
    ['objects/isa-v3-needed-x86_64.o', { needed: 0b111, used: 0 }, 3], // -mneeded
    ['objects/libisa-v3-x86_64.so', { needed: 0b100, used: 0 }, 3], // ld -z x86-64-v3, through PT_GNU_PROPERTY
  ])('%s', async (file, isa, level) => {
    const found = await layoutOf(file);
    expect(found.isa).toEqual(isa);
    expect(x86IsaLevel(found.isa!.needed | found.isa!.used)).toBe(level);
  });

  test('files without the note, and other machines, have none', async () => {
    expect((await layoutOf('objects/libplugin-x86_64.so')).isa).toBeUndefined();
    expect((await layoutOf('hello-aarch64')).isa).toBeUndefined();
  });

  test.skipIf(!readelfAvailable)('agrees with readelf -n', () => {
    const out = execFileSync('readelf', ['-nW', fixturePath('objects/isa-v3-needed-x86_64.o'), fixturePath('objects/libisa-v3-x86_64.so')], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    expect(out).toContain('x86 ISA needed: x86-64-baseline, x86-64-v2, x86-64-v3');
    expect(out).toContain('x86 ISA needed: x86-64-v3');
  });

  test('levels by bit', () => {
    expect([0, 1, 0b11, 0b101, 0b1000].map(x86IsaLevel)).toEqual([1, 1, 2, 3, 4]);
  });
});
