import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tempDir } from '../helpers/fixtures.js';
import { multitoolValidate, schemaValidate, type SarifLog } from '../helpers/validators.js';
import { expectNoStackTrace, expectValidReport, runCli } from '../helpers/cli.js';

/** Issue 17's "done when", end to end through bin/glibc-floor, on fixtures/objects/build.sh's files. */
const F = 'fixtures/objects';

const json = async (...args: string[]) => {
  const run = await runCli([...args, '--format', 'json'], { inProcess: true });
  expectNoStackTrace(run.stderr);
  return { ...run, report: expectValidReport(run.stdout) };
};

describe('objects and archives calling arc4random (glibc 2.36)', () => {
  test.each([`${F}/arc4random-x86_64.o`, `${F}/arc4random-aarch64.o`, `${F}/libvendored-x86_64.a`, `${F}/libvendored-x86_64.rlib`])('%s fails a 2.35 floor, passes 2.36', async (path) => {
    const fail = await json('check', path, '--floor', '2.35');
    expect(fail.code).toBe(1);
    const file = fail.report['files'][0];
    expect(file['violations'].map((v: any) => [v.library, v.version, v.symbols])).toEqual([['libc.so.6', 'GLIBC_2.36', ['arc4random']]]);
    expect(file['violations'][0]['hints'].map((h: any) => h.id)).toContain('arc4random-2.36');
    expect(file['notes'].join(' ')).toMatch(/a link against glibc 2\.\d+ binds/);
    expect((await json('check', path, '--floor', '2.36')).code).toBe(0);
  });

  test('show lists an archive per member; its symbols resolved inside the archive bring nothing', async () => {
    const text = await runCli(['show', `${F}/libvendored-x86_64.a`], { inProcess: true });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('members');
    expect(text.stdout).toMatch(/ {4}arc4random-x86_64\.o\n {6}libc\.so\.6 GLIBC_2\.36 {2}arc4random\n/);
    expect(text.stdout).toMatch(/ {4}parse-x86_64\.o\n {6}libc\.so\.6 GLIBC_2\.25 {2}getrandom\n {6}libc\.so\.6 GLIBC_2\.2\.5 {2}printf, strtol\n/);
    const report = (await json('show', `${F}/libvendored-x86_64.rlib`)).report;
    expect(report['files'][0]['archive']['members'].map((m: any) => m.requirements.map((r: any) => r.version))).toEqual([[], ['GLIBC_2.36']]);
  });

  test('an archive without objects (glibc\'s empty libdl.a): skipped in a tree, an error when named', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'libempty.a'), '!<arch>\n');
    expect((await json('show', dir)).report['files']).toEqual([{ path: join(dir, 'libempty.a'), status: 'skipped', reason: 'not-elf' }]);
    const named = await runCli(['check', join(dir, 'libempty.a'), '--floor', '2.35'], { inProcess: true });
    expect(named.code).toBe(2);
    expect(named.stdout).toContain('ar archive with no ELF object among its members: nothing to check');
  });

  test('a thin archive is one error line naming it; exit 2', async () => {
    const run = await runCli(['check', 'fixtures/ar/thin.a', '--floor', '2.35'], { inProcess: true });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('error fixtures/ar/thin.a: thin ar archive (!<thin>): it holds only the paths of members stored outside it, which are not read; rebuild it without T (ar rc, not ar rcT)\n');
    expectNoStackTrace(run.stderr);
  });
});

describe('executable stack: dlopen refuses it since glibc 2.41', () => {
  test('a shared object with -z execstack fails Debian 13 and passes Debian 12 (with a note)', async () => {
    const trixie = await json('check', `${F}/libexecstack-x86_64.so`, '--target', 'debian-13');
    expect(trixie.code).toBe(1);
    expect(trixie.report['files'][0]['loaderFindings']).toEqual([
      expect.objectContaining({ code: 'exec-stack-dlopen', failsOn: ['debian-13'], fix: expect.stringContaining('-Wl,-z,noexecstack') }),
    ]);
    const bookworm = await json('check', `${F}/libexecstack-x86_64.so`, '--target', 'debian-12');
    expect(bookworm.code).toBe(0);
    expect(bookworm.report['files'][0]['loaderFindings'][0]['failsOn']).toEqual([]);
    expect((await json('check', `${F}/libexecstack-x86_64.so`, '--floor', '2.41')).code).toBe(1);
    expect((await json('check', `${F}/libplugin-x86_64.so`, '--target', 'debian-13')).code).toBe(0);
  });

  test('a program with an executable stack is a note; an object without .note.GNU-stack too', async () => {
    const run = await runCli(['check', `${F}/execstack-x86_64`, `${F}/nostack-x86_64.o`, '--target', 'debian-13'], { inProcess: true });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/note: asks for an executable stack \(its PT_GNU_STACK is executable \(RWE\)\); glibc still grants/);
    expect(run.stdout).toMatch(/note: has no \.note\.GNU-stack section/);
  });
});

describe('x86-64 ISA level from the GNU property note', () => {
  test.each([`${F}/isa-v3-used-x86_64.o`, `${F}/isa-v3-needed-x86_64.o`, `${F}/libisa-v3-x86_64.so`])('%s fails --cpu-level x86-64-v2, passes x86-64-v3', async (path) => {
    const fail = await json('check', path, '--cpu-level', 'x86-64-v2');
    expect(fail.code).toBe(1);
    expect(fail.report['files'][0]['loaderFindings'][0]).toMatchObject({ code: 'isa-level', failsOn: ['--cpu-level'] });
    expect(fail.report['files'][0]['loader']).toEqual({ stack: 'not-executable', x86Level: 'x86-64-v3' });
    expect((await json('check', path, '--cpu-level', 'x86-64-v3')).code).toBe(0);
  });

  test('the catalogue\'s CPU baselines: RHEL 9 (x86-64-v2) fails it, RHEL 10 (x86-64-v3) does not', async () => {
    const run = await json('check', `${F}/libisa-v3-x86_64.so`, '--target', 'rhel-9,rhel-10');
    expect(run.report['files'][0]['loaderFindings'].map((f: any) => f.failsOn)).toEqual([['rhel-9']]);
  });

  test('a --cpu-level that is not a level is a usage error', async () => {
    const run = await runCli(['check', `${F}/libisa-v3-x86_64.so`, '--cpu-level', 'haswell'], { inProcess: true });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('glibc-floor: invalid --cpu-level "haswell": use x86-64 (the baseline), x86-64-v2, x86-64-v3 or x86-64-v4\n');
  });
});

describe('symbol-level --floor-from: a version node without one of the binary\'s symbols', () => {
  test('the loader\'s words, grouped by library and version', async () => {
    const text = await runCli(['check', `${F}/standin/prog-x86_64`, '--floor-from', `${F}/standin/partial`], { inProcess: true });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/VERS_2 from libstandin\.so\.1 - the system defines this version node without these symbols; on fixtures\/objects\/standin\/partial\n {8}undefined symbol: two_c, version VERS_2\n/);
    const report = (await json('check', `${F}/standin/prog-x86_64`, '--floor-from', `${F}/standin/partial`)).report;
    expect(report['files'][0]['violations']).toEqual([
      expect.objectContaining({ reason: 'symbol-not-defined', library: 'libstandin.so.1', version: 'VERS_2', symbols: ['two_c'], failsOn: [`${F}/standin/partial`] }),
    ]);
    const full = (await json('check', `${F}/standin/prog-x86_64`, '--floor-from', `${F}/standin/full`)).report;
    expect(full['files'][0]['violations']).toEqual([]);
  });
});

describe('show: which targets can run it, the loader-era rules included', () => {
  test('an executable-stack plugin cannot run on Debian 13; a v3 library not on RHEL 9', async () => {
    const report = (await json('show', `${F}/libexecstack-x86_64.so`, `${F}/libisa-v3-x86_64.so`)).report;
    const [execstack, isa] = report['files'].map((file: any) => file['platforms']);
    expect(execstack.cannotRun).toContain('debian-13');
    expect(execstack.runsOn).toContain('debian-12');
    expect(execstack.newestBlocked.find((line: any) => line.line === 'debian').loader.map((f: any) => f.code)).toEqual(['exec-stack-dlopen']);
    expect(isa.cannotRun).toEqual(['rhel-9']);
    expect(isa.runsOn).toContain('rhel-10');
  });
});

describe('every format carries the new findings', () => {
  const args = ['check', `${F}/libexecstack-x86_64.so`, `${F}/libisa-v3-x86_64.so`, `${F}/execstack-x86_64`, `${F}/standin/prog-x86_64`, '--target', 'debian-13,rhel-9', '--floor-from', `${F}/standin/partial`];

  test('SARIF: valid for Microsoft\'s validator and the schema, one result per finding with its rule', async () => {
    const file = join(tempDir(), 'out.sarif');
    const run = await runCli([...args, '--format', 'sarif', '--output', file], { inProcess: true });
    expect(run.code).toBe(1);
    expect((await multitoolValidate(file)).filter((finding) => finding.level === 'error')).toEqual([]);
    const log = JSON.parse(readFileSync(file, 'utf8')) as SarifLog;
    expect(schemaValidate(log)).toEqual([]);
    const rules = log.runs[0]!.results.map((result) => [result.ruleId, result.level]);
    expect(rules).toEqual(expect.arrayContaining([['GF1008', 'error'], ['GF1009', 'error'], ['GF1010', 'error'], ['GF1011', 'note']]));
  });

  test('JUnit and GitHub annotations', async () => {
    const junit = await runCli([...args, '--format', 'junit'], { inProcess: true });
    expect(junit.stdout).toMatch(/type="exec-stack-dlopen"/);
    expect(junit.stdout).toMatch(/IsaLevelAboveCpu on rhel-9/);
    expect(junit.stdout).toMatch(/undefined symbol: two_c, version VERS_2/);
    const github = await runCli([...args, '--format', 'github'], { inProcess: true });
    expect(github.stdout).toMatch(/^::error file=fixtures\/objects\/libexecstack-x86_64\.so,title=glibc-floor%3A ExecutableStackSharedObject on debian-13::/m);
    expect(github.stdout).toMatch(/^::notice file=fixtures\/objects\/execstack-x86_64,title=glibc-floor%3A ExecutableStackProgram::/m);
  });

  test('a waiver cannot accept a loader-era failure', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.glibc-floor.json'), JSON.stringify({ waivers: [{ version: 'GLIBC_2.36', reason: 'not this one' }] }));
    const run = await runCli(['check', join(process.cwd(), F, 'libexecstack-x86_64.so'), '--target', 'debian-13', '--config', join(dir, '.glibc-floor.json')], { inProcess: true });
    expect(run.code).toBe(1);
  });
});
