import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { readArMembers } from '../../src/archive/ar.js';
import { hasElfMagic } from '../../src/elf/header.js';
import { openFileSource, type ByteSource } from '../../src/io/byte-source.js';
import { readArchiveMembers, readObjectContents } from '../../src/objects/read-objects.js';
import { archiveNeeds, type MemberSymbols } from '../../src/symbols/object-needs.js';

// glibc's own static library: 2,000 members that define glibc's names for each other, the
// hardest case for an archive's needs (most references are resolved inside it).
const LIBC_A = '/usr/lib/x86_64-linux-gnu/libc.a';

function slice(source: ByteSource, offset: number, size: number): ByteSource {
  return { size, readAt: (at, length) => source.readAt(offset + Math.min(at, size), Math.max(0, Math.min(length, size - Math.min(at, size)))) };
}

describe('an archive keeps only the symbols its needs can depend on', () => {
  test.skipIf(!existsSync(LIBC_A))('libc.a: the needs from the kept symbols equal the needs from every symbol', async () => {
    const source = await openFileSource(LIBC_A);
    try {
      const kept = await readArchiveMembers(source);
      const every: MemberSymbols[] = [];
      for await (const member of readArMembers(source)) {
        const bytes = slice(source, member.offset, member.size);
        if (!hasElfMagic(await bytes.readAt(0, 4))) continue;
        const object = await readObjectContents(bytes);
        every.push({ name: member.name, machine: object.elf.machine, undefined: object.undefined, defined: object.defined });
      }
      const keptSymbols = kept.flatMap((m) => (m.object === undefined ? [] : [{ name: m.name, machine: m.object.elf.machine, undefined: m.object.undefined, defined: m.object.defined }]));
      expect(keptSymbols.length).toBe(every.length);
      // What is dropped is most of it (or the filter would not be worth having)...
      const count = (members: readonly MemberSymbols[]) => members.reduce((n, m) => n + m.undefined.length + m.defined.length, 0);
      expect(count(keptSymbols)).toBeLessThan(count(every));
      // ...and the needs, whole and per member, are the same.
      expect(archiveNeeds('x86_64', keptSymbols)).toEqual(archiveNeeds('x86_64', every));
    } finally {
      await source.close();
    }
  }, 60_000);
});
