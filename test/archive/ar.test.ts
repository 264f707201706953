import { describe, expect, test } from 'vitest';
import { ArchiveFormatError } from '../../src/archive/archive-error.js';
import { isArArchive, readArMembers, readArSymbolIndex, type ArMember } from '../../src/archive/ar.js';
import { bufferSource } from '../../src/io/byte-source.js';
import { readFixture } from '../helpers/fixtures.js';

async function members(bytes: Uint8Array): Promise<ArMember[]> {
  const out: ArMember[] = [];
  for await (const member of readArMembers(bufferSource(bytes))) out.push(member);
  return out;
}

/** header builds one 60-byte member header. */
function header(name: string, size: number | string): string {
  const field = (value: string, width: number) => value.padEnd(width, ' ').slice(0, width);
  return `${field(name, 16)}${field('0', 12)}${field('0', 6)}${field('0', 6)}${field('644', 8)}${field(String(size), 10)}\`\n`;
}

/** archive builds an ar archive from raw (header name, data) pairs, padding each member to even. */
function archive(entries: readonly (readonly [string, string])[], magic = '!<arch>\n'): Uint8Array {
  let text = magic;
  for (const [name, data] of entries) text += header(name, data.length) + data + (data.length % 2 === 1 ? '\n' : '');
  return latin1(text);
}

/** latin1 keeps every char code below 256 as one byte (TextEncoder would write UTF-8). */
function latin1(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

describe('real archives (fixtures/ar/make.sh)', () => {
  test.each(['gnu.a', 'gnu64.a', 'bsd.a'])('%s: both objects, names resolved, data is the ELF object', async (file) => {
    const bytes = readFixture('ar', file);
    expect(isArArchive(bytes)).toBe(true);
    const found = await members(bytes);
    expect(found.map((m) => m.name)).toEqual(['alpha.o', 'member-with-a-long-name.o']);
    for (const member of found) {
      expect([...bytes.subarray(member.offset, member.offset + 4)]).toEqual(ELF_MAGIC);
      expect(member.offset + member.size).toBeLessThanOrEqual(bytes.length);
    }
  });

  test('the three layouts hold the same objects byte for byte', async () => {
    const contents = async (file: string) => {
      const bytes = readFixture('ar', file);
      return (await members(bytes)).map((m) => Buffer.from(bytes.subarray(m.offset, m.offset + m.size)).toString('hex'));
    };
    const gnu = await contents('gnu.a');
    expect(await contents('gnu64.a')).toEqual(gnu);
    expect(await contents('bsd.a')).toEqual(gnu);
  });

  test.each(['gnu.a', 'gnu64.a', 'bsd.a'])('%s: the symbol index names the member that defines each symbol', async (file) => {
    const bytes = readFixture('ar', file);
    const byHeader = new Map((await members(bytes)).map((m) => [m.headerOffset, m.name]));
    const index = await readArSymbolIndex(bufferSource(bytes));
    expect(index?.map((s) => [s.name, byHeader.get(s.memberHeaderOffset)])).toEqual([
      ['alpha', 'alpha.o'],
      ['beta_function_with_a_long_file_name', 'member-with-a-long-name.o'],
    ]);
  });

  test('a thin archive is refused with a message that says why', async () => {
    const bytes = readFixture('ar', 'thin.a');
    expect(isArArchive(bytes)).toBe(true);
    await expect(members(bytes)).rejects.toThrow(/^thin ar archive \(!<thin>\): it holds only the paths of members stored outside it/);
    await expect(readArSymbolIndex(bufferSource(bytes))).rejects.toBeInstanceOf(ArchiveFormatError);
  });
});

describe('layouts no tool here writes', () => {
  test('BSD short names, an odd-sized member padded, and no symbol index', async () => {
    const bytes = archive([['debian-binary', '2.0\n'], ['odd', 'abc'], ['last', 'xy']]);
    const found = await members(bytes);
    expect(found.map((m) => [m.name, m.size])).toEqual([['debian-binary', 4], ['odd', 3], ['last', 2]]);
    expect(new TextDecoder().decode(bytes.subarray(found[1]!.offset, found[1]!.offset + 3))).toBe('abc');
    expect(await readArSymbolIndex(bufferSource(bytes))).toBeUndefined();
  });

  test('a #1/LEN name whose NUL padding is part of the name field', async () => {
    const found = await members(archive([['#1/8', 'ab.o\0\0\0\0DATA']]));
    expect(found).toEqual([{ name: 'ab.o', offset: 68 + 8, size: 4, headerOffset: 8 }]);
  });

  test('a BSD index written big-endian is read too', async () => {
    const be = (n: number) => String.fromCharCode((n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
    const index = be(8) + be(0) + be(8 + 60 + 24) + be(4) + 'foo\0';
    const found = await readArSymbolIndex(bufferSource(archive([['__.SYMDEF', index], ['a.o', 'x']])));
    expect(found).toEqual([{ name: 'foo', memberHeaderOffset: 8 + 60 + 24 }]);
  });
});

describe('hostile and broken archives give one typed line', () => {
  const cases: [string, Uint8Array, RegExp][] = [
    ['no magic', latin1('!<arch>X'), /^not an ar archive/],
    ['a header cut short', latin1(`!<arch>\n${header('a', 1).slice(0, 30)}`), /header is cut short: 30 of 60 bytes/],
    ['a size that is not a number', latin1(`!<arch>\n${header('a', '1e9')}x`), /size "1e9" is not a decimal number/],
    // Found by test/fuzz/archive.fuzz.test.ts: raw header bytes in a message must not break its line.
    ['a size field holding a newline', latin1(`!<arch>\n${header('a', '\n4')}x`), /size "\\x0a4" is not a decimal number/],
    ['a negative size', latin1(`!<arch>\n${header('a', '-5')}x`), /size "-5" is not a decimal number/],
    ['a size past the end', latin1(`!<arch>\n${header('a', 9999999999)}xx`), /member of 9999999999 bytes runs past the end of the archive \(2 bytes left\)/],
    ['a bad header terminator', latin1(`!<arch>\n${header('a', 1).slice(0, 58)}XXx`), /does not end with `\\n/],
    ['a GNU long name without a table', archive([['/0', 'x']]), /refers to a long-name table the archive does not have/],
    ['a GNU long name past the table', archive([['//', 'a.o/\n'], ['/99', 'x']]), /lies past the long-name table \(5 bytes\)/],
    ['a BSD name longer than its member', archive([['#1/50', 'short']]), /name of 50 bytes does not fit its 5-byte member/],
  ];
  test.each(cases)('%s', async (_, bytes, message) => {
    const error = await members(bytes).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveFormatError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  test('a GNU index claiming more symbols than it holds', async () => {
    const index = '\x7f\xff\xff\xff' + 'abcd';
    await expect(readArSymbolIndex(bufferSource(archive([['/', index]])))).rejects.toThrow(/claims 2147483647 symbols in 8 bytes/);
  });

  test('a BSD index whose sizes fit neither byte order', async () => {
    await expect(readArSymbolIndex(bufferSource(archive([['__.SYMDEF', '\xff\xff\xff\x7f\0\0\0\0']])))).rejects.toThrow(/fit the index in either byte order/);
  });

  test('a long walk of empty members is bounded by the input: 60 bytes per member', async () => {
    const entries = Array.from({ length: 5000 }, (_, i) => [`m${i}`, ''] as const);
    expect((await members(archive(entries))).length).toBe(5000);
  });
});
