import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { readElf } from '../../src/elf/read-elf.js';
import { openFileSource } from '../../src/io/byte-source.js';
import { librarySymbols, type MachineLibraries } from '../../src/libraries/library-set.js';
import { readSystemLibraries } from '../../src/libraries/read-tree.js';
import { loaderMessage, missingSymbols } from '../../src/libraries/symbol-check.js';
import { fixturePath } from '../helpers/fixtures.js';

const PROGRAM = fixturePath('objects', 'standin', 'prog-x86_64');

async function program() {
  const source = await openFileSource(PROGRAM);
  try {
    return (await readElf(source)).elf;
  } finally {
    await source.close();
  }
}

async function missingOn(system: 'full' | 'partial') {
  const { libraries } = await readSystemLibraries(fixturePath('objects', 'standin', system));
  const elf = await program();
  return missingSymbols(elf.needed, elf.versionNeeds, libraries.byMachine.get(elf.machine));
}

describe('symbols a version node lacks (fixtures/objects/standin)', () => {
  test('the partial library defines VERS_2 without two_c: that symbol is missing, named with its need', async () => {
    expect(await missingOn('partial')).toEqual([{ library: 'libstandin.so.1', version: 'VERS_2', symbols: ['two_c'] }]);
  });

  test('the full library defines them all', async () => {
    expect(await missingOn('full')).toEqual([]);
  });

  // The real loader, in trace mode: it maps and relocates the program (LD_BIND_NOW) and reports
  // what it cannot bind (LD_WARN), without running it.
  const loader = '/lib64/ld-linux-x86-64.so.2';
  test.skipIf(process.arch !== 'x64' || !existsSync(loader))('glibc\'s loader reports the same symbols, in the same words', async () => {
    const report = (system: string) =>
      spawnSync(PROGRAM, [], {
        env: { LD_LIBRARY_PATH: fixturePath('objects', 'standin', system), LD_TRACE_LOADED_OBJECTS: '1', LD_BIND_NOW: '1', LD_WARN: '1' },
        encoding: 'utf8',
      }).stderr;
    const lines = (text: string) => text.split('\n').filter((line) => line.startsWith('undefined symbol:')).map((line) => line.split('\t')[0]);
    const ours = (await missingOn('partial')).flatMap((group) => group.symbols.map((symbol) => loaderMessage(symbol, group.version)));
    expect(lines(report('partial'))).toEqual(ours);
    expect(ours).toEqual(['undefined symbol: two_c, version VERS_2']);
    expect(lines(report('full'))).toEqual([]);
  });
});

describe('the loader\'s matching rules', () => {
  const need = (library: string, version: string, ...symbols: string[]) => ({ library, version, weak: false, index: 2, symbols: symbols.map((name) => ({ name, weak: name.startsWith('weak_') })) });
  const system: MachineLibraries = new Map([
    ['libpthread.so.0', { soname: 'libpthread.so.0', versions: new Set(['GLIBC_2.2.5']), needed: ['libc.so.6'], symbols: librarySymbols([]) }],
    ['libc.so.6', {
      soname: 'libc.so.6', versions: new Set(['GLIBC_2.2.5', 'GLIBC_2.34']), needed: [],
      symbols: librarySymbols([
        { name: 'pthread_create', version: 'GLIBC_2.2.5', hidden: true },
        { name: 'pthread_create', version: 'GLIBC_2.34', hidden: false },
        { name: 'plain', version: null, hidden: false },
      ]),
    }],
  ]);

  test('a symbol moved to another library in scope still binds (libpthread -> libc in 2.34), hidden definitions included', () => {
    expect(missingSymbols(['libpthread.so.0'], [need('libpthread.so.0', 'GLIBC_2.2.5', 'pthread_create')], system)).toEqual([]);
  });

  test('an unversioned definition satisfies a versioned reference; a weak reference is never missing', () => {
    expect(missingSymbols(['libc.so.6'], [need('libc.so.6', 'GLIBC_2.34', 'plain', 'weak_gone')], system)).toEqual([]);
  });

  test('a node without the symbol, the loader\'s way: grouped by the need', () => {
    expect(missingSymbols(['libc.so.6'], [need('libc.so.6', 'GLIBC_2.34', '__libc_start_main', 'pthread_create')], system)).toEqual([
      { library: 'libc.so.6', version: 'GLIBC_2.34', symbols: ['__libc_start_main'] },
    ]);
  });

  test('needs on a missing library or node are left to the other checks', () => {
    expect(missingSymbols(['libfoo.so.1'], [need('libfoo.so.1', 'FOO_1', 'foo'), need('libc.so.6', 'GLIBC_2.99', 'bar')], system)).toEqual([]);
  });
});
