import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ElfFormatError, NotElfError } from '../../src/elf/errors.js';
import { readElf } from '../../src/elf/read-elf.js';
import { bufferSource } from '../../src/io/byte-source.js';
import { fixturePath, readFixture } from '../helpers/fixtures.js';

/** What the reader must say about each derived malformed fixture (fixtures/malformed/README.md). */
const EXPECTED: Record<string, RegExp | 'not-elf' | 'reads'> = {
  'bad-class': /unknown EI_CLASS 3/,
  'bad-data': /unknown EI_DATA 3/,
  'bad-magic': 'not-elf',
  'bad-vn-aux': /vn_aux 0x7ffffff0 points past the end of the version table/,
  'bad-vn-file': /vn_file 0x7ffffff0 is outside/,
  'bad-vn-version': /unsupported vn_version 2/,
  'bad-vna-name': /vna_name 0x7ffffff0 is outside/,
  'dynamic-offset-past-eof': /PT_DYNAMIC segment .* runs past the end of the file/,
  'dynamic-size-past-eof': /PT_DYNAMIC segment .* runs past the end of the file/,
  'phnum-65535': /program header table \(65535 entries\) .* runs past the end/,
  'phoff-past-eof': /program header table .* runs past the end/,
  'strsz-huge': /\.dynstr .* runs past the end of the file/,
  'trunc-3': /truncated inside the ELF magic \(3 bytes\)/,
  'trunc-40': /truncated inside the ELF header \(40 of (52|64) bytes\)/,
  'trunc-dynamic': /PT_DYNAMIC segment .* runs past the end/,
  'trunc-minus1': /section header table .* runs past the end/,
  'trunc-phdrs': /program header table .* runs past the end/,
  'trunc-verneed': /runs past the end/,
  'vernaux-next-loop': /vna_next 0xffffff.0 points past the end/,
  'verneed-next-loop': /vn_next 0xffffffe0 points past the end/,
  'verneed-shoff-past-eof': /\.gnu\.version_r .* runs past the end of the file/,
  'vna-name-past-strsz': /vna_name 0x[0-9a-f]+ is outside/,
  // vn_next/vna_next = 0 with a huge count: the walk ends at the 0, as glibc's loader's does.
  'vernaux-next-self': 'reads',
  'verneed-next-self': 'reads',
  // The section table is right; only the dynamic-segment copies of these values are wrong.
  'verneed-unmapped': 'reads',
  'verneednum-huge': 'reads',
  empty: 'not-elf',
  'not-elf.txt': 'not-elf',
  'short-magic': /truncated inside the ELF magic/,
};

const files = readdirSync(fixturePath('malformed')).filter((name) => !name.endsWith('.md')).sort();

function expectationFor(file: string) {
  const key = Object.keys(EXPECTED).find((prefix) => file === prefix || file.startsWith(`${prefix}-`));
  return key === undefined ? undefined : EXPECTED[key];
}

describe('malformed fixtures', () => {
  test('every malformed fixture has an expectation here', () => {
    expect(files.filter((file) => expectationFor(file) === undefined)).toEqual([]);
    expect(files.length).toBeGreaterThan(50);
  });

  test.each(files)('%s ends in the expected one-line verdict', async (file) => {
    const expected = expectationFor(file);
    const outcome = await readElf(bufferSource(readFixture('malformed', file))).then(
      ({ elf }) => ({ elf }),
      (error: unknown) => ({ error }),
    );
    if (expected === 'reads') {
      expect(outcome).toHaveProperty('elf');
      return;
    }
    expect(outcome).toHaveProperty('error');
    const error = (outcome as { error: Error }).error;
    if (expected === 'not-elf') {
      expect(error).toBeInstanceOf(NotElfError);
      return;
    }
    expect(error).toBeInstanceOf(ElfFormatError);
    expect(error.message).toMatch(expected!);
    expect(error.message).not.toContain('\n');
  });
});

describe('truncation sweep', () => {
  const sources = ['hello-x86_64', 'hello-ppc', 'hello-aarch64-noshdr', 'versioned-s390x', 'xhash-mips-noshdr'];
  test.each(sources)('%s cut at every 8th byte gives a result or a typed error, never anything else', async (name) => {
    const bytes = readFixture(name);
    for (let length = 0; length < bytes.length; length += 8) {
      await readElf(bufferSource(bytes.subarray(0, length))).catch((error: unknown) => {
        if (!(error instanceof ElfFormatError || error instanceof NotElfError)) throw error;
      });
    }
  });
});
