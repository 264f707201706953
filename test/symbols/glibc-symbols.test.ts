import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { readElf } from '../../src/elf/read-elf.js';
import { openFileSource } from '../../src/io/byte-source.js';
import { GLIBC_SYMBOLS, GLIBC_SYMBOLS_DIGEST } from '../../src/symbols/glibc-symbols.generated.js';
import { glibcSymbolTable, lookupGlibcSymbol, glibcSymbolsRelease } from '../../src/symbols/glibc-symbols.js';
import { compareVersions, parseVersionName } from '../../src/versions/version-name.js';

describe('the glibc symbol database', () => {
  test('is the generator output it says it is (digest of the data, release and commit recorded)', () => {
    expect(createHash('sha256').update(JSON.stringify(GLIBC_SYMBOLS)).digest('hex')).toBe(GLIBC_SYMBOLS_DIGEST);
    expect(glibcSymbolsRelease()).toMatch(/^2\.\d+$/);
    expect(GLIBC_SYMBOLS.tag).toBe(`glibc-${glibcSymbolsRelease()}`);
    expect(GLIBC_SYMBOLS.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(GLIBC_SYMBOLS.baseTag).toBe('glibc-2.33');
  });

  test.each([
    ['x86_64', '__isoc23_strtol', 'libc.so.6', 'GLIBC_2.38'],
    ['aarch64', '__isoc23_strtol', 'libc.so.6', 'GLIBC_2.38'],
    ['x86_64', 'getrandom', 'libc.so.6', 'GLIBC_2.25'],
    ['ppc64le', 'getrandom', 'libc.so.6', 'GLIBC_2.25'],
    ['x86_64', 'arc4random', 'libc.so.6', 'GLIBC_2.36'],
    // Below a machine's first glibc, a symbol binds to that machine's oldest version.
    ['loongarch64', 'getrandom', 'libc.so.6', 'GLIBC_2.36'],
    ['aarch64', 'memcpy', 'libc.so.6', 'GLIBC_2.17'],
    // The oldest version: a link on any glibc from it on works (memcpy@GLIBC_2.14 is what 2.14+ binds).
    ['x86_64', 'memcpy', 'libc.so.6', 'GLIBC_2.2.5'],
    ['i386', 'memcpy', 'libc.so.6', 'GLIBC_2.0'],
    ['x86_64', 'fmod', 'libm.so.6', 'GLIBC_2.2.5'],
    ['x86_64', 'stat', 'libc.so.6', 'GLIBC_2.33'],
    ['x86_64', 'fcntl64', 'libc.so.6', 'GLIBC_2.28'],
    // Libraries before glibc 2.34 moved them into libc (from the base release's ABI lists).
    ['x86_64', 'pthread_create', 'libpthread.so.0', 'GLIBC_2.2.5'],
    ['x86_64', 'pthread_clockjoin_np', 'libpthread.so.0', 'GLIBC_2.31'],
    // Moved into libc before 2.33 with a compat version there: libc's.
    ['x86_64', 'clock_gettime', 'libc.so.6', 'GLIBC_2.2.5'],
    ['x86_64', 'pow', 'libm.so.6', 'GLIBC_2.2.5'],
    ['x86_64', '__tls_get_addr', 'ld-linux-x86-64.so.2', 'GLIBC_2.3'],
    ['aarch64', '__tls_get_addr', 'ld-linux-aarch64.so.1', 'GLIBC_2.17'],
    // Per-machine differences: alpha's libc is libc.so.6.1.
    ['alpha', 'printf', 'libc.so.6.1', 'GLIBC_2.0'],
    ['x86_64', 'printf', 'libc.so.6', 'GLIBC_2.2.5'],
    ['aarch64_be', 'arc4random', 'libc.so.6', 'GLIBC_2.36'],
  ])('%s %s -> %s %s', (machine, symbol, library, version) => {
    expect(lookupGlibcSymbol(machine, symbol)).toEqual({ library, version });
  });

  test('a symbol glibc does not define, and a machine glibc has no port for, give nothing', () => {
    expect(lookupGlibcSymbol('x86_64', 'my_own_function')).toBeUndefined();
    expect(lookupGlibcSymbol('EM_9999', 'printf')).toBeUndefined();
    expect(lookupGlibcSymbol('x86_64', '__cxa_thread_atexit_impl')?.version).toBe('GLIBC_2.18');
  });

  test('every machine glibc-floor names that glibc supports decodes to a few thousand symbols', () => {
    for (const machine of Object.keys(GLIBC_SYMBOLS.arches)) {
      const size = glibcSymbolTable(machine)?.size ?? 0;
      expect(size, machine).toBeGreaterThan(1500);
    }
  });
});

const LIBDIR = '/lib/x86_64-linux-gnu';
// libc_malloc_debug.so.0 holds malloc_get_state and malloc_set_state since glibc 2.34 took them out of libc.
const MACHINE_LIBRARIES = ['libc.so.6', 'libm.so.6', 'libpthread.so.0', 'libdl.so.2', 'librt.so.1', 'libresolv.so.2', 'libutil.so.1', 'libanl.so.1', 'libmvec.so.1', 'ld-linux-x86-64.so.2', 'libc_malloc_debug.so.0'];
const hasMachineGlibc = MACHINE_LIBRARIES.every((library) => existsSync(`${LIBDIR}/${library}`));

describe.skipIf(!hasMachineGlibc)("against this machine's glibc (x86_64, read with our own reader)", () => {
  test('every symbol it defines binds where the database says; every older entry of the database is there', async () => {
    const defined = new Map<string, { library: string; version: string; hidden: boolean }[]>();
    let release: readonly number[] = [];
    for (const library of MACHINE_LIBRARIES) {
      const source = await openFileSource(`${LIBDIR}/${library}`);
      try {
        const { elf } = await readElf(source, { definedSymbols: true });
        for (const symbol of elf.definedSymbols ?? []) {
          const parts = symbol.version === null ? null : parseVersionName(symbol.version).parts;
          // GLIBC_PRIVATE is not in the ABI lists; nor are the absolute symbols named after each version node.
          if (symbol.version === null || parts === null || !symbol.version.startsWith('GLIBC_') || symbol.name === symbol.version) continue;
          if (compareVersions(parts, release) > 0) release = parts;
          defined.set(symbol.name, [...(defined.get(symbol.name) ?? []), { library, version: symbol.version, hidden: symbol.hidden }]);
        }
      } finally {
        await source.close();
      }
    }
    const table = glibcSymbolTable('x86_64')!;
    const wrong: string[] = [];
    for (const [name, definitions] of defined) {
      // What any link from the symbol's first glibc on can bind: its oldest version, hidden or not.
      const oldest = Math.min(...definitions.map((d) => versionRank(d.version)));
      const expected = definitions.filter((d) => versionRank(d.version) === oldest);
      const got = table.get(name);
      // A symbol glibc moved into libc (libpthread, libdl, librt, libresolv in 2.34; some libm ones) keeps
      // its old version there as a hidden compat definition; the database names its library before the move.
      const agrees = got !== undefined && expected.some((d) => d.version === got.version && (d.library === got.library || got.library === 'libc.so.6' || (d.library === 'libc.so.6' && d.hidden)));
      if (!agrees) wrong.push(`${name}: machine ${JSON.stringify(expected)}, database ${JSON.stringify(got)}`);
    }
    expect(wrong).toEqual([]);
    expect(defined.size).toBeGreaterThan(3000);
    const absent = [...table].filter(([name, binding]) => compareVersions(parseVersionName(binding.version).parts ?? [], release) <= 0 && !defined.has(name)).map(([name]) => name);
    expect(absent).toEqual([]);
  });
});

function versionRank(version: string): number {
  const parts = parseVersionName(version).parts ?? [];
  return parts.reduce((rank, part) => rank * 1000 + part, 0) * 1000 ** (4 - parts.length);
}
