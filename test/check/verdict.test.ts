import { describe, expect, test } from 'vitest';
import { parseFloorSpec } from '../../src/check/floors.js';
import { compileLibraryPolicy, isMuslBinary } from '../../src/check/library-policy.js';
import { judge, type CheckTarget, type JudgeMode } from '../../src/check/verdict.js';
import type { SystemLibraries } from '../../src/libraries/library-set.js';
import { findTarget } from '../../src/targets/resolve.js';
import { checkTargetOf, combineFleet } from '../../src/targets/fleet.js';
import { exactSetFor } from '../../src/targets/exact-sets.js';
import { toRequirement, type Requirement } from '../../src/versions/requirement.js';

const need = (library: string, version: string, symbols: string[] = [], weak = false): Requirement =>
  toRequirement({ library, version, weak, index: 2, symbols: symbols.map((name) => ({ name, weak: false })) });

const file = (requirements: Requirement[], needed = [...new Set(requirements.map((r) => r.library))], interpreter: string | null = '/lib64/ld-linux-x86-64.so.2') =>
  ({ machine: 'x86_64', interpreter, needed, requirements });

const target = (name: string) => checkTargetOf(findTarget(name)!);

const policy = (targets: CheckTarget[], floors: string[] = [], allow: string[] = []): JudgeMode => ({
  kind: 'policy',
  policy: {
    floors: new Map(floors.map((spec) => parseFloorSpec(spec)).map((floor) => [floor.family, floor])),
    targets,
    allowLibraries: compileLibraryPolicy(allow),
  },
});

/** A hand-made system: Debian 11's libc.so.6 as the generated data records it. */
const debian11 = exactSetFor('debian-11')!;
const system = (label: string, libraries: Record<string, string[] | null>, complete = true): SystemLibraries => ({
  label,
  complete,
  byMachine: new Map([['x86_64', new Map(Object.entries(libraries).map(([soname, names]) => [soname, { soname, versions: names === null ? null : new Set(names) }]))]]),
});

describe('exact version sets: a membership check by (library, version), as the loader does', () => {
  test('libc.so.6 GLIBC_2.31 fails on Debian 11 although 2.31 <= 2.31: its libc.so.6 has no GLIBC_2.31 node', () => {
    const libc = debian11.byMachine.get('x86_64')!.get('libc.so.6')!;
    expect(libc.versions!.has('GLIBC_2.30')).toBe(true);
    expect(libc.versions!.has('GLIBC_2.31')).toBe(false);
    expect(debian11.byMachine.get('x86_64')!.get('libpthread.so.0')!.versions!.has('GLIBC_2.31')).toBe(true);

    const clockjoin = file([need('libc.so.6', 'GLIBC_2.2.5', ['oldfunc']), need('libc.so.6', 'GLIBC_2.31', ['pthread_clockjoin_np'])]);
    const verdict = judge(clockjoin, policy([target('debian-11')]));
    expect(verdict.violations).toHaveLength(1);
    expect(verdict.violations[0]).toMatchObject({ reason: 'not-defined', failsOn: ['debian-11'], requirement: { version: 'GLIBC_2.31', symbols: ['pthread_clockjoin_np'] } });
    // The numeric floor alone would have passed it:
    expect(judge(clockjoin, policy([], ['2.31'])).violations).toEqual([]);
    // The same need on libpthread.so.0 is defined there, and Debian 12's libc.so.6 (2.34+) has it.
    expect(judge(file([need('libpthread.so.0', 'GLIBC_2.31')]), policy([target('debian-11')])).violations).toEqual([]);
    expect(judge(clockjoin, policy([target('debian-12')])).violations).toEqual([]);
  });

  test('x86_64 libc.so.6 defines no GLIBC_2.37 node: a need for it fails on Debian 13 (2.41), unlike the numeric floor', () => {
    const needs37 = file([need('libc.so.6', 'GLIBC_2.37')]);
    expect(judge(needs37, policy([target('debian-13')])).violations[0]).toMatchObject({ reason: 'not-defined' });
    expect(judge(needs37, policy([], ['2.41'])).violations).toEqual([]);
  });

  test('marker nodes are checked by membership too: Debian 13\'s point update defines GLIBC_ABI_GNU2_TLS, which the number (2.43) would refuse', () => {
    const gnu2 = file([need('libc.so.6', 'GLIBC_ABI_GNU2_TLS')]);
    expect(judge(gnu2, policy([target('debian-13')])).violations).toEqual([]);
    expect(judge(gnu2, policy([target('debian-12')])).violations[0]).toMatchObject({ reason: 'not-defined', failsOn: ['debian-12'] });
    expect(judge(gnu2, policy([], ['2.41'])).violations[0]).toMatchObject({ reason: 'above-floor' });
    expect(judge(file([need('libc.so.6', 'GLIBC_ABI_DT_RELR')]), policy([target('debian-12')])).violations).toEqual([]);
  });

  test('a library with no version definitions satisfies any need; a library outside the data falls back to the numeric floor', () => {
    const unversioned = system('sys', { 'libfoo.so.1': null }, false);
    const foo = file([need('libfoo.so.1', 'FOO_9.9')]);
    expect(judge(foo, policy([{ name: 'sys', floorsFor: () => new Map(), libraries: unversioned }])).violations).toEqual([]);
    // libstdc++ of a target without exact sets: numeric GLIBCXX floor of ubuntu-22.04 (3.4.30).
    const cxx = file([need('libstdc++.so.6', 'GLIBCXX_3.4.32', ['_ZSt21ios_base_library_initv'])]);
    expect(judge(cxx, policy([target('ubuntu-22.04')])).violations[0]).toMatchObject({ reason: 'above-floor', floor: { version: '3.4.30', source: 'ubuntu-22.04' } });
  });

  test('GLIBC_PRIVATE fails an exact check even where the library defines it', () => {
    const libs = system('sys', { 'libc.so.6': ['GLIBC_2.2.5', 'GLIBC_PRIVATE'] });
    const verdict = judge(file([need('libc.so.6', 'GLIBC_PRIVATE')]), policy([{ name: 'sys', floorsFor: () => new Map(), libraries: libs }]));
    expect(verdict.violations[0]).toMatchObject({ reason: 'private' });
  });

  test('a complete system without a needed library reports it missing, once, naming the system', () => {
    const libs = system('/sysroot', { 'libc.so.6': ['GLIBC_2.2.5'] });
    const verdict = judge(file([need('libc.so.6', 'GLIBC_2.2.5'), need('libssl.so.3', 'OPENSSL_3.0.0')], ['libssl.so.3', 'libc.so.6']), policy([{ name: '/sysroot', floorsFor: () => new Map(), libraries: libs }]));
    expect(verdict.violations).toEqual([]);
    expect(verdict.libraryFindings).toEqual([expect.objectContaining({ library: 'libssl.so.3', reason: 'missing', failsOn: ['/sysroot'] })]);
  });

  test('weak needs used by no strong symbol are warnings, as in the core check', () => {
    const weak = toRequirement({ library: 'libc.so.6', version: 'GLIBC_2.99', weak: true, index: 3, symbols: [{ name: 'f', weak: true }] });
    const verdict = judge(file([weak]), policy([target('debian-12')]));
    expect(verdict.violations).toEqual([]);
    expect(verdict.warnings).toHaveLength(1);
  });
});

describe('fleet: several targets combine', () => {
  test('the lowest value of each family wins, and floorSources names the target that set it', () => {
    const fleet = combineFleet([findTarget('ubuntu-22.04')!, findTarget('rhel-8')!, findTarget('cos-117')!]);
    expect(Object.fromEntries([...fleet.floors].map(([family, floor]) => [family, floor.version]))).toEqual({ GLIBC: '2.28', GLIBCXX: '3.4.25', CXXABI: '1.3.11', GCC: '7.0.0' });
    expect(fleet.sources).toEqual({ GLIBC: 'rhel-8', GLIBCXX: 'rhel-8', CXXABI: 'rhel-8', GCC: 'rhel-8' });
    expect(fleet.notes.join('\n')).toMatch(/GLIBCXX, CXXABI, GCC of cos-117 are unknown: those floors come from the other targets/);
  });

  test('a family no target knows is not checked, and the note says so', () => {
    const fleet = combineFleet([findTarget('cos-117')!]);
    expect([...fleet.floors.keys()]).toEqual(['GLIBC']);
    expect(fleet.notes).toEqual(['GLIBCXX, CXXABI, GCC of cos-117 are unknown: GLIBCXX, CXXABI, GCC needs are not checked']);
  });

  test('a need broken on several targets is one violation listing all of them, with the lowest floor', () => {
    const verdict = judge(file([need('libc.so.6', 'GLIBC_2.36', ['arc4random'])]), policy([target('ubuntu-22.04'), target('cos-117'), target('debian-12')]));
    expect(verdict.violations).toHaveLength(1);
    expect(verdict.violations[0]).toMatchObject({ reason: 'above-floor', floor: { version: '2.35' }, failsOn: ['ubuntu-22.04'] });
    const older = judge(file([need('libc.so.6', 'GLIBC_2.38')]), policy([target('ubuntu-22.04'), target('cos-117'), target('debian-12')]));
    expect(older.violations[0]!.failsOn).toEqual(['ubuntu-22.04', 'cos-117', 'debian-12']);
    expect(older.violations[0]!.floor.version).toBe('2.35');
  });

  test('an explicit --floor for a family wins over the targets\' (numeric only, exact sets ignored for that family)', () => {
    const clockjoin = file([need('libc.so.6', 'GLIBC_2.31')]);
    expect(judge(clockjoin, policy([target('debian-11')], ['2.35'])).violations).toEqual([]);
    const cxx = file([need('libstdc++.so.6', 'GLIBCXX_3.4.32')]);
    expect(judge(cxx, policy([target('ubuntu-22.04')], ['GLIBCXX=3.4.32'])).violations).toEqual([]);
    expect(judge(cxx, policy([target('ubuntu-22.04')], ['GLIBCXX=3.4.31'])).violations[0]).toMatchObject({ failsOn: ['--floor'] });
  });
});

describe('library policy and musl', () => {
  test('glibc-only allows glibc\'s libraries and every loader, and names what it refuses', () => {
    const cxx = file([need('libc.so.6', 'GLIBC_2.2.5')], ['libstdc++.so.6', 'libm.so.6', 'libc.so.6', 'ld-linux-aarch64.so.1', 'ld64.so.1']);
    const verdict = judge(cxx, policy([], [], ['glibc-only']));
    expect(verdict.libraryFindings).toEqual([expect.objectContaining({ library: 'libstdc++.so.6', reason: 'not-allowed' })]);
    expect(judge(cxx, policy([], [], ['glibc-only', 'libstdc++.so.*'])).libraryFindings).toEqual([]);
  });

  test('globs match whole sonames', () => {
    const allows = (pattern: string, library: string) => compileLibraryPolicy([pattern])!.allows(library);
    expect(allows('libssl.so.*', 'libssl.so.3')).toBe(true);
    expect(allows('libssl.so.*', 'libssl.so')).toBe(false);
    expect(allows('lib[cm].so.6', 'libm.so.6')).toBe(true);
    expect(allows('lib?.so.6', 'libcc.so.6')).toBe(false);
    expect(allows('libc.so.6', 'libc.so.6.1')).toBe(false);
    expect(() => compileLibraryPolicy([' '])).toThrow(/needs a library name/);
  });

  test('a musl binary fails a glibc target with a clear message', () => {
    expect(isMuslBinary('/lib/ld-musl-x86_64.so.1', [])).toBe(true);
    expect(isMuslBinary('/lib64/ld-linux-x86-64.so.2', ['libc.musl-x86_64.so.1'])).toBe(true);
    expect(isMuslBinary('/lib64/ld-linux-x86-64.so.2', ['libc.so.6'])).toBe(false);
    const verdict = judge(file([], ['libc.musl-x86_64.so.1'], '/lib/ld-musl-x86_64.so.1'), policy([target('ubuntu-22.04')]));
    expect(verdict.libraryFindings).toEqual([expect.objectContaining({ reason: 'musl', failsOn: ['ubuntu-22.04'] })]);
    expect(verdict.libraryFindings[0]!.message).toMatch(/musl libc .*does not start on a glibc system/);
  });
});
