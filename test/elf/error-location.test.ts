import { describe, expect, it } from 'vitest';
import { ElfFormatError } from '../../src/elf/errors.js';
import { readElf } from '../../src/elf/read-elf.js';
import { renderProblem } from '../../src/errors/tool-error.js';
import { bufferSource } from '../../src/io/byte-source.js';
import { readFixture } from '../helpers/fixtures.js';

async function formatError(fixture: string): Promise<ElfFormatError> {
  const error: unknown = await readElf(bufferSource(readFixture(fixture))).then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(ElfFormatError);
  return error as ElfFormatError;
}

describe('ElfFormatError carries where and what, and its line is rendered from them', () => {
  it.each([
    ['malformed/bad-class-x86_64', { field: 'EI_CLASS', value: 3, offset: 4 }, 'unknown EI_CLASS 3 (expected 1 for 32-bit or 2 for 64-bit) (at byte 0x4)'],
    ['malformed/bad-vn-aux-x86_64', { field: 'vn_aux', value: 0x7ffffff0, offset: 0x630 }, 'vn_aux 0x7ffffff0 points past the end of the version table (at byte 0x630)'],
    ['malformed/bad-vn-version-ppc', { field: 'vn_version', value: 2, offset: 0x404 }, 'unsupported vn_version 2 in Verneed record (at byte 0x404)'],
    ['malformed/bad-vna-name-x86_64', { field: 'vna_name', value: 0x7ffffff0 }, 'vna_name 0x7ffffff0 is outside string table of .gnu.version_r (246 bytes)'],
    ['malformed/trunc-40-x86_64', { field: 'ELF header', value: 40 }, 'file is truncated inside the ELF header (40 of 64 bytes)'],
  ])('%s', async (fixture, location, line) => {
    const error = await formatError(fixture);
    expect(error.location).toMatchObject(location);
    expect(error.message).toBe(line);
    expect(renderProblem(error.message, {})).toBe(line);
  });

  it('fills only the placeholders the location has values for, and appends the offset', () => {
    expect(renderProblem('{field} {value:hex} is out of range', { field: 'd_val', value: 255n, offset: 16 })).toBe('d_val 0xff is out of range (at byte 0x10)');
    expect(renderProblem('count {value} of {field}', { value: 7 })).toBe('count 7 of {field}');
    expect(renderProblem('a usage error with {braces}', {})).toBe('a usage error with {braces}');
  });
});
