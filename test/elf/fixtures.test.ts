import { describe, expect, test } from 'vitest';
import { readElf } from '../../src/elf/read-elf.js';
import { bufferSource } from '../../src/io/byte-source.js';
import { expectedFixtures, needsAsReadelf, readFixture } from '../helpers/fixtures.js';

/** readelf -h prints long machine names; ours are the short names distributions use. */
const MACHINES: Record<string, string[]> = {
  'Advanced Micro Devices X86-64': ['x86_64'],
  'Intel 80386': ['i386'],
  AArch64: ['aarch64'],
  ARM: ['arm'],
  'IBM S/390': ['s390x', 's390'],
  PowerPC: ['ppc'],
  'PowerPC64': ['ppc64', 'ppc64le'],
  'RISC-V': ['riscv64', 'riscv32'],
  'MIPS R3000': ['mips', 'mipsel', 'mips64', 'mips64el'],
};

describe.each(expectedFixtures())('$name matches readelf', ({ name, expected }) => {
  test('header, interpreter, needed libraries and every version need with its symbols', async () => {
    const { elf } = await readElf(bufferSource(readFixture(name)));
    expect(MACHINES[expected.machine] ?? [expected.machine]).toContain(elf.machine);
    expect({
      class: elf.class,
      endian: elf.endian,
      type: elf.type,
      interpreter: elf.interpreter,
      needed: elf.needed,
      requirements: needsAsReadelf(elf),
    }).toEqual({
      class: expected.class,
      endian: expected.endian,
      type: expected.type,
      interpreter: expected.interpreter,
      needed: expected.needed,
      requirements: expected.requirements,
    });
  });

  test('counts .dynsym as readelf does (through hash tables when the section headers are gone)', async () => {
    const { elf } = await readElf(bufferSource(readFixture(name)));
    expect(elf.dynamicSymbolCount).toBe(expected.dynsymCount);
  });
});
