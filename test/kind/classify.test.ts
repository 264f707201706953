import { describe, expect, it } from 'vitest';
import { FileReader } from '../../src/elf/file-reader.js';
import { bufferSource } from '../../src/io/byte-source.js';
import { classifyKind, type KindFacts } from '../../src/kind/classify.js';
import { CHUNK, scanForStrings } from '../../src/kind/string-scan.js';

const base: KindFacts = {
  type: 'EXEC',
  static: false,
  interpreter: null,
  needed: [],
  families: [],
  symtabMarkers: new Set(),
  strings: new Set(),
  scan: 'none',
  goWithoutCgo: false,
};

describe('classifyKind', () => {
  it.each([
    [{ interpreter: '/lib/ld-musl-aarch64.so.1', needed: ['libc.musl-aarch64.so.1'] }, 'musl-dynamic', 'PT_INTERP /lib/ld-musl-aarch64.so.1'],
    [{ type: 'DYN', needed: ['libz.so.1', 'libc.musl-x86_64.so.1'] }, 'musl-dynamic', 'DT_NEEDED libc.musl-x86_64.so.1'],
    [{ needed: ['libm.so.6', 'libc.so.6'], interpreter: '/lib64/ld-linux-x86-64.so.2' }, 'glibc-dynamic', 'DT_NEEDED libc.so.6'],
    [{ needed: ['libc.so.6.1'] }, 'glibc-dynamic', 'DT_NEEDED libc.so.6.1'],
    [{ interpreter: '/lib/ld64.so.1', needed: ['libfoo.so'] }, 'glibc-dynamic', 'PT_INTERP /lib/ld64.so.1'],
    [{ type: 'DYN', needed: ['libfoo.so'], families: ['GLIBC'] }, 'glibc-dynamic', 'GLIBC_* version needs'],
    [{ type: 'DYN', needed: ['libfoo.so'] }, 'dynamic', 'no C library among DT_NEEDED'],
    [{ type: 'REL' }, 'other', 'ELF type REL'],
  ] as const)('%o is %s', (facts, name, evidence) => {
    expect(classifyKind({ ...base, ...facts })).toEqual({ name, evidence });
  });

  it('tells static glibc by its note, its symbols or its data, in that order, and always warns about NSS', () => {
    const byNote = classifyKind({ ...base, static: true, abiTag: 'Linux 3.2.0', scan: 'complete', strings: new Set(['GLIBC_TUNABLES', 'libnss_']) });
    expect(byNote.name).toBe('glibc-static');
    expect(byNote.evidence).toBe("NT_GNU_ABI_TAG note (Linux 3.2.0) from glibc's start files");
    expect(byNote.warning).toContain('this file contains NSS code ("libnss_")');
    const bySymbol = classifyKind({ ...base, static: true, symtabMarkers: new Set(['_dl_relocate_static_pie']), scan: 'truncated' });
    expect(bySymbol).toMatchObject({ name: 'glibc-static', evidence: '.symtab defines _dl_relocate_static_pie' });
    expect(bySymbol.warning).toContain('whether this file uses NSS was not determined');
    const byString = classifyKind({ ...base, static: true, strings: new Set(['GLIBC_TUNABLES']), scan: 'complete' });
    expect(byString).toMatchObject({ name: 'glibc-static', evidence: 'the data holds "GLIBC_TUNABLES"' });
    expect(byString.warning).toContain('no NSS code was found');
  });

  it('calls a static file with no marker plain static, and says when the scan was cut short', () => {
    expect(classifyKind({ ...base, static: true, symtabMarkers: new Set(['__init_libc']) }).name).toBe('musl-static');
    expect(classifyKind({ ...base, static: true, scan: 'truncated' }).evidence).toContain('stopped at its byte budget');
    expect(classifyKind({ ...base, static: true, goWithoutCgo: true, abiTag: 'Linux 3.2.0' }).name).toBe('static');
  });
});

describe('scanForStrings', () => {
  it('finds a needle that straddles two chunks, and stops at its budget', async () => {
    const bytes = new Uint8Array(3 * 1024 * 1024);
    const needle = Buffer.from('/etc/nsswitch.conf');
    bytes.set(needle, 5 * CHUNK - 5);
    const reader = new FileReader(bufferSource(bytes), true);
    const found = await scanForStrings(reader, [{ offset: 0, length: bytes.length }], ['/etc/nsswitch.conf', 'absent'], 64 * 1024 * 1024);
    expect([...found.found]).toEqual(['/etc/nsswitch.conf']);
    expect(found.truncated).toBe(false);
    const cut = await scanForStrings(reader, [{ offset: 0, length: bytes.length }], ['absent'], 1024 * 1024);
    expect(cut).toEqual({ found: new Set(), scannedBytes: 1024 * 1024, truncated: true });
  });

  it('counts distinct bytes against its budget, whatever the chunk size: a needle ending at the budget is found', async () => {
    const budget = 2 * 1024 * 1024;
    const bytes = new Uint8Array(budget + CHUNK);
    const needle = Buffer.from('/etc/nsswitch.conf');
    bytes.set(needle, budget - needle.length);
    const reader = new FileReader(bufferSource(bytes), true);
    const hit = await scanForStrings(reader, [{ offset: 0, length: bytes.length }], ['/etc/nsswitch.conf'], budget);
    expect(hit).toEqual({ found: new Set(['/etc/nsswitch.conf']), scannedBytes: budget, truncated: false });
    const shortOfIt = await scanForStrings(reader, [{ offset: 0, length: bytes.length }], ['/etc/nsswitch.conf'], budget - 1);
    expect(shortOfIt).toEqual({ found: new Set(), scannedBytes: budget - 1, truncated: true });
  });

  it('never asks for more than one chunk at a time', async () => {
    const bytes = new Uint8Array(1024 * 1024);
    const source = bufferSource(bytes);
    const asked: number[] = [];
    const reader = new FileReader({ size: source.size, readAt: (offset, length) => (asked.push(length), source.readAt(offset, length)) }, true);
    await scanForStrings(reader, [{ offset: 0, length: bytes.length }], ['absent'], 64 * 1024 * 1024);
    expect(Math.max(...asked)).toBe(CHUNK);
    expect(CHUNK).toBeLessThanOrEqual(128 * 1024);
  });

  it('clips ranges to the file', async () => {
    const reader = new FileReader(bufferSource(new TextEncoder().encode('xxGLIBC_TUNABLES')), true);
    const found = await scanForStrings(reader, [{ offset: 0, length: 1e9 }, { offset: 1e9, length: 10 }], ['GLIBC_TUNABLES'], 1e6);
    expect([...found.found]).toEqual(['GLIBC_TUNABLES']);
  });
});
