import { describe, expect, test } from 'vitest';
import { DT_GNU_HASH, DT_NEEDED, DT_STRSZ, DT_STRTAB, DT_SYMTAB, PT_INTERP } from '../../src/elf/constants.js';
import { MAX_DYNAMIC_ENTRIES } from '../../src/elf/dynamic.js';
import { ElfFormatError } from '../../src/elf/errors.js';
import { HEAD_BYTES, MAX_TABLE_BYTES, TABLE_WINDOW_BYTES } from '../../src/elf/file-reader.js';
import { existsSync } from 'node:fs';
import { MAX_INTERPRETER, readElf } from '../../src/elf/read-elf.js';
import { MAX_SECTIONS } from '../../src/elf/sections.js';
import { MAX_NAME, NAME_BUDGET_PER_BYTE, NAME_BUDGET_SLACK } from '../../src/elf/string-table.js';
import { MAX_GNU_BUCKETS } from '../../src/elf/symbols.js';
import { RECORD_REVISITS } from '../../src/elf/versions.js';
import { bufferSource, openFileSource } from '../../src/io/byte-source.js';
import { countingSource } from '../fuzz/mutate.js';
import { SyntheticElf } from '../helpers/synthetic-elf.js';

/** readError reads `bytes` and returns the ElfFormatError message it must end with. */
async function readError(bytes: Uint8Array): Promise<string> {
  const error: unknown = await readElf(bufferSource(bytes)).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ElfFormatError);
  const message = (error as ElfFormatError).message;
  expect(message).not.toContain('\n');
  return message;
}

describe('resource bounds (docs/internals.md "Resource bounds")', () => {
  test('the bounds are the documented numbers', () => {
    expect({ RECORD_REVISITS, HEAD_BYTES, MAX_TABLE_BYTES, TABLE_WINDOW_BYTES, MAX_DYNAMIC_ENTRIES, MAX_SECTIONS, MAX_GNU_BUCKETS, MAX_NAME, MAX_INTERPRETER, NAME_BUDGET_PER_BYTE, NAME_BUDGET_SLACK })
      .toEqual({
        RECORD_REVISITS: 4, HEAD_BYTES: 65536, MAX_TABLE_BYTES: 67108864, TABLE_WINDOW_BYTES: 65536, MAX_DYNAMIC_ENTRIES: 65536, MAX_SECTIONS: 1048576,
        MAX_GNU_BUCKETS: 16777216, MAX_NAME: 65536, MAX_INTERPRETER: 4096, NAME_BUDGET_PER_BYTE: 4, NAME_BUDGET_SLACK: 1048576,
      });
  });

  test('the first read is HEAD_BYTES, and a small file is read once', async () => {
    const big = new SyntheticElf(HEAD_BYTES * 3);
    const { source, stats } = countingSource(bufferSource(big.bytes));
    await readElf(source);
    expect(stats).toEqual({ reads: 1, bytesRequested: HEAD_BYTES, largestRequest: HEAD_BYTES });
  });

  // libstdc++'s .dynsym is 144 KiB (6,165 entries) on Debian 12: more than one window.
  const libstdcxx = '/usr/lib/x86_64-linux-gnu/libstdc++.so.6';
  test.skipIf(!existsSync(libstdcxx))('TABLE_WINDOW_BYTES: a .dynsym larger than a window is read in windows (readelf agreement: differential.test.ts)', async () => {
    const file = await openFileSource(libstdcxx);
    try {
      const { source, stats } = countingSource(file);
      const windowed = await readElf(source);
      expect(stats.largestRequest).toBeLessThanOrEqual(Math.max(HEAD_BYTES, TABLE_WINDOW_BYTES));
      expect(windowed.elf.dynamicSymbolCount * 24).toBeGreaterThan(2 * TABLE_WINDOW_BYTES);
      expect(windowed.elf.versionNeeds.length).toBeGreaterThan(0);
    } finally {
      await file.close();
    }
  });

  test('MAX_TABLE_BYTES: a table larger than 64 MiB is refused before anything is allocated', async () => {
    // 65535 program headers of 65535 bytes each claim 4 GiB; the file is 64 bytes.
    const elf = new SyntheticElf(64).u64(32, 64).u16(54, 0xffff).u16(56, 0xffff);
    const { source, stats } = countingSource(bufferSource(elf.bytes));
    await expect(readElf(source)).rejects.toThrow(
      /^program header table \(65535 entries\) claims 4294836225 bytes, more than the 67108864-byte limit \(at byte 0x40\)$/,
    );
    expect(stats.bytesRequested).toBe(64);
  });

  test('MAX_DYNAMIC_ENTRIES: a dynamic segment of more than 65536 entries is malformed', async () => {
    const elf = new SyntheticElf(4096).programHeaders([{ type: 2, offset: 1024, filesz: (MAX_DYNAMIC_ENTRIES + 1) * 16 }]);
    expect(await readError(elf.bytes)).toBe('PT_DYNAMIC claims 65537 entries, more than the 65536 allowed (at byte 0x400)');
  });

  test('MAX_SECTIONS: an extended section count above 2^20 is malformed', async () => {
    // e_shnum 0 with e_shoff set: the count is section 0's sh_size.
    const elf = new SyntheticElf(256).u64(40, 128).u16(60, 0).u64(128 + 32, MAX_SECTIONS + 1);
    expect(await readError(elf.bytes)).toBe('section count 1048577 (from section 0) is implausibly large (at byte 0x80)');
  });

  test('MAX_GNU_BUCKETS: a GNU hash table claiming more than 2^24 buckets is malformed', async () => {
    const elf = new SyntheticElf(8192)
      .dynamic(1024, [[DT_STRTAB, 4096], [DT_STRSZ, 16], [DT_SYMTAB, 2048], [DT_GNU_HASH, 3072]])
      .u32(3072, MAX_GNU_BUCKETS + 1).u32(3076, 1).u32(3080, 1);
    expect(await readError(elf.bytes)).toBe('DT_GNU_HASH claims 16777217 buckets and 1 bloom words (at byte 0xc00)');
  });

  test('MAX_NAME: a name that runs on for more than 64 KiB without a NUL is malformed', async () => {
    const size = 4096 + 3 * MAX_NAME;
    const elf = new SyntheticElf(size).dynamic(1024, [[DT_STRTAB, 4096], [DT_STRSZ, 3 * MAX_NAME], [DT_NEEDED, 0]]);
    elf.bytes.fill(0x61, 4096, size); // 'a' without end
    expect(await readError(elf.bytes)).toBe('DT_NEEDED 0x0 names a string with no terminating NUL in .dynstr (DT_STRTAB)');
  });

  test('name budget: distinct names may total at most 4 characters per table byte + 1 MiB', async () => {
    // One 60,000-character name; 200 DT_NEEDED entries point at its suffixes, ~12 MB of strings.
    const length = 60_000;
    const entries: [number, number][] = [[DT_STRTAB, 8192], [DT_STRSZ, length + 1]];
    for (let i = 0; i < 200; i++) entries.push([DT_NEEDED, i]);
    const elf = new SyntheticElf(8192 + length + 1).dynamic(1024, entries);
    elf.bytes.fill(0x61, 8192, 8192 + length);
    expect(await readError(elf.bytes)).toBe(
      'names in .dynstr (DT_STRTAB) overlap: more than 4 characters per byte of the table were decoded',
    );
  });

  test('MAX_INTERPRETER: PT_INTERP is read up to 4096 bytes, the rest is not read', async () => {
    const elf = new SyntheticElf(16384).programHeaders([{ type: PT_INTERP, offset: 4096, filesz: 10_000 }]);
    elf.bytes.fill(0x2f, 4096, 4096 + 10_000); // '/' without end
    const file = (await readElf(bufferSource(elf.bytes))).elf;
    expect(file.interpreter).toHaveLength(MAX_INTERPRETER);
  });
});
