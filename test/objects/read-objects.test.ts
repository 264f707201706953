import { describe, expect, test } from 'vitest';
import { ArchiveFormatError } from '../../src/archive/archive-error.js';
import { bufferSource, openFileSource } from '../../src/io/byte-source.js';
import { readArchiveMembers, readObjectContents } from '../../src/objects/read-objects.js';
import { archiveNeeds } from '../../src/symbols/object-needs.js';
import { fixturePath, readFixture } from '../helpers/fixtures.js';

describe('objects and archives as inputs', () => {
  test('an object calling arc4random', async () => {
    const source = await openFileSource(fixturePath('objects', 'arc4random-aarch64.o'));
    try {
      const object = await readObjectContents(source);
      expect(object.elf).toEqual({ class: 64, endian: 'little', machine: 'aarch64', type: 'REL' });
      expect(object.undefined).toEqual([{ name: 'arc4random', weak: false }]);
      expect(object.stack).toBe('not-executable');
    } finally {
      await source.close();
    }
  });

  test('an archive: members read in place, a sibling\'s definition resolved inside it', async () => {
    const members = await readArchiveMembers(bufferSource(readFixture('objects', 'libvendored-x86_64.a')));
    expect(members.map((m) => m.name)).toEqual(['arc4random-x86_64.o', 'parse-x86_64.o']);
    const needs = archiveNeeds('x86_64', members.map((m) => ({ name: m.name, machine: m.object!.elf.machine, undefined: m.object!.undefined, defined: m.object!.defined })));
    expect(needs.needs.map((n) => [n.library, n.version, n.symbols.map((s) => s.name)])).toEqual([
      ['libc.so.6', 'GLIBC_2.2.5', ['printf', 'strtol']],
      ['libc.so.6', 'GLIBC_2.25', ['getrandom']],
      ['libc.so.6', 'GLIBC_2.36', ['arc4random']],
    ]);
    expect(needs.members.map((m) => [m.name, m.needs.map((n) => n.version)])).toEqual([
      ['arc4random-x86_64.o', ['GLIBC_2.36']],
      ['parse-x86_64.o', ['GLIBC_2.2.5', 'GLIBC_2.25']], // vendored_random comes from its sibling
    ]);
  });

  test('a Rust rlib: lib.rmeta is an object without symbols, the codegen unit calls arc4random', async () => {
    const members = await readArchiveMembers(bufferSource(readFixture('objects', 'libvendored-x86_64.rlib')));
    expect(members.map((m) => [m.name.replace(/\.[0-9a-f]+-cgu/, '.HASH-cgu'), m.object?.undefined.map((s) => s.name)])).toEqual([
      ['lib.rmeta', []],
      ['libvendored-x86_64.vendored.HASH-cgu.0.rcgu.o', ['arc4random']],
    ]);
  });

  test('a Rust-style member that is not ELF is listed as skipped; a broken ELF member fails the archive, named', async () => {
    const text = (name: string, data: string) => `${name.padEnd(16)}${'0'.padEnd(12)}${'0'.padEnd(6)}${'0'.padEnd(6)}${'644'.padEnd(8)}${String(data.length).padEnd(10)}\`\n${data}${data.length % 2 ? '\n' : ''}`;
    const rmeta = new Uint8Array(Buffer.from(`!<arch>\n${text('lib.rmeta/', 'rust')}`, 'latin1'));
    expect(await readArchiveMembers(bufferSource(rmeta))).toEqual([{ name: 'lib.rmeta', skipped: 'not an ELF object' }]);
    const broken = new Uint8Array(Buffer.from(`!<arch>\n${text('bad.o/', '\x7fELF\x02\x01\x01')}`, 'latin1'));
    const error = await readArchiveMembers(bufferSource(broken)).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveFormatError);
    expect((error as Error).message).toMatch(/^member bad\.o: file is truncated inside the ELF identification/);
  });
});
