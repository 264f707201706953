import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { expectNoStackTrace, expectValidReport, runCli } from '../helpers/cli.js';
import { fixturePath, repoRoot } from '../helpers/fixtures.js';

const json = async (...args: string[]) => {
  const run = await runCli([...args, '--format', 'json'], { inProcess: true });
  expectNoStackTrace(run.stderr);
  return { ...run, report: expectValidReport(run.stdout) };
};

describe('check: verdicts and exit codes', () => {
  test('a binary needing GLIBC_2.36 fails a 2.35 floor with the symbol named, and passes 2.36', async () => {
    const fail = await json('check', 'fixtures/hello-x86_64', '--floor', '2.35');
    expect(fail.code).toBe(1);
    expect(fail.report).toMatchObject({ command: 'check', floors: { GLIBC: '2.35' }, result: 'fail', summary: { files: 1, failed: 1 } });
    expect(fail.report['files'][0]).toMatchObject({
      path: 'fixtures/hello-x86_64',
      status: 'fail',
      elf: { class: 64, endian: 'little', machine: 'x86_64', type: 'DYN', interpreter: '/lib64/ld-linux-x86-64.so.2', static: false },
      maxVersions: { GLIBC: '2.36' },
      violations: [{ library: 'libc.so.6', version: 'GLIBC_2.36', family: 'GLIBC', floor: '2.35', weak: false, symbols: ['arc4random'] }],
    });
    const pass = await json('check', 'fixtures/hello-x86_64', '--floor', '2.36');
    expect(pass.code).toBe(0);
    expect(pass.report['result']).toBe('pass');
    expect(pass.report['files'][0]['violations']).toEqual([]);
  });

  test.each([
    ['hello-s390x', 's390x', 'big', 64],
    ['hello-ppc', 'ppc', 'big', 32],
    ['hello-i386', 'i386', 'little', 32],
    ['hello-aarch64-noshdr', 'aarch64', 'little', 64],
    ['hello-mips-noshdr', 'mips', 'big', 32],
  ])('%s (%s, %s-endian, %i-bit) fails 2.35 on arc4random@GLIBC_2.36', async (name, machine, endian, bits) => {
    const run = await json('check', `fixtures/${name}`, '--floor', '2.35');
    expect(run.code).toBe(1);
    const file = run.report['files'][0];
    expect(file['elf']).toMatchObject({ machine, endian, class: bits });
    expect(file['violations'].map((v: any) => `${v.version}:${v.symbols.join(',')}`)).toContain('GLIBC_2.36:arc4random');
  });

  test('every family is checked against its own floor; GLIBC_PRIVATE and non-numeric names fail', async () => {
    const run = await json('check', 'fixtures/versioned-x86_64', '--floor', '2.99', '--floor', 'GLIBCXX=3.4.99', '--floor', 'FOO=1.0', '--floor', 'OPENSSL=1.0.2');
    expect(run.code).toBe(1);
    const violations = run.report['files'][0]['violations'].map((v: any) => `${v.version}:${v.reason}`);
    expect(violations.sort()).toEqual(['FOO_PRIVATE:unprovable', 'GLIBC_PRIVATE:private', 'OPENSSL_1_1_0:above-floor']);
  });

  test('a weak need used only by weak symbols is a warning; used by a strong symbol it fails', async () => {
    const low = await json('check', 'fixtures/weak-need-unused-x86_64', '--floor', '2.34');
    expect(low.report['files'][0]['warnings'].map((w: any) => `${w.version}:${w.weak}:${w.symbols}`)).toEqual(['GLIBC_2.35:true:weakonly']);
    expect(low.report['files'][0]['violations'].map((v: any) => v.version)).not.toContain('GLIBC_2.35');
    // The same need, not weak, in the unpatched build fails.
    const strong = await json('check', 'fixtures/versioned-x86_64', '--floor', '2.34');
    expect(strong.report['files'][0]['violations'].map((v: any) => v.version)).toContain('GLIBC_2.35');
    const used = await json('check', 'fixtures/weak-need-used-x86_64', '--floor', '2.98');
    const violation = used.report['files'][0]['violations'].find((v: any) => v.version === 'GLIBC_2.99');
    expect(violation).toMatchObject({ weak: true, symbols: ['newfunc', 'newweak'] });
  });

  test('a family given twice on the command line is a usage error', async () => {
    const run = await runCli(['check', 'fixtures/hello-x86_64', '--floor', '2.34', '--floor', 'GLIBC=2.35'], { inProcess: true });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('glibc-floor: the GLIBC floor is given twice in --floor\n');
  });

  test('GLIBC_ABI_DT_RELR needs no symbol and is checked as 2.36', async () => {
    const run = await json('check', 'fixtures/relr-x86_64', '--floor', '2.35');
    const relr = run.report['files'][0]['violations'].find((v: any) => v.version === 'GLIBC_ABI_DT_RELR');
    expect(relr).toMatchObject({ symbols: [], standsFor: '2.36', reason: 'above-floor' });
  });

  test('static binaries have no requirements and pass', async () => {
    const run = await json('check', 'fixtures/static-x86_64', 'fixtures/static-pie-x86_64', 'fixtures/static-glibc-armhf', '--floor', '2.17');
    expect(run.code).toBe(0);
    for (const file of run.report['files']) expect(file).toMatchObject({ status: 'pass', requirements: [], elf: { static: true, interpreter: null } });
  });

  test('a failing file does not hide the others; the worst exit code wins', async () => {
    const run = await json('check', 'fixtures/hello-x86_64', '/nonexistent/file', 'fixtures/malformed/trunc-phdrs-x86_64', 'fixtures/nover-x86_64', '--floor', '2.35');
    expect(run.code).toBe(2);
    expect(run.report['files'].map((f: any) => f.status)).toEqual(['fail', 'error', 'error', 'pass']);
    expect(run.report['files'][1]['error']).toBe('no such file or directory');
    expect(run.report['summary']).toEqual({ files: 4, passed: 1, failed: 1, errors: 2, skipped: 0 });
    const lines = run.stderr.trim().split('\n');
    expect(lines).toEqual([
      'glibc-floor: /nonexistent/file: no such file or directory',
      expect.stringMatching(/^glibc-floor: fixtures\/malformed\/trunc-phdrs-x86_64: program header table .* runs past the end of the file/),
    ]);
  });

  test('a non-ELF file named on the command line is an error', async () => {
    const run = await json('check', 'fixtures/malformed/not-elf.txt', '--floor', '2.35');
    expect(run.code).toBe(2);
    expect(run.report['files'][0]).toEqual({ path: 'fixtures/malformed/not-elf.txt', status: 'error', error: 'not an ELF file (no \\x7fELF magic)' });
  });

  test('no fixture makes the CLI print a stack trace, and every JSON report validates', async () => {
    const all = readdirSync(fixturePath()).filter((name) => !/\.(md|sh)$/.test(name)).map((name) => `fixtures/${name}`);
    const malformed = readdirSync(fixturePath('malformed')).map((name) => `fixtures/malformed/${name}`);
    const run = await json('check', ...all, ...malformed, '--floor', '2.35');
    expect(run.code).toBe(2);
    expect(run.report['summary']['files']).toBeGreaterThan(100);
  });
});

describe('directories', () => {
  test('walks recursively in sorted order, skips non-ELF files, follows file links, checks each real file once, survives link loops', async () => {
    const run = await json('check', 'fixtures/tree', '--floor', '2.35');
    const rows = run.report['files'].map((f: any) => `${f.path} ${f.status}${f.reason ? ` ${f.reason}` : ''}${f.duplicateOf ? ` of ${f.duplicateOf}` : ''}`);
    expect(rows).toEqual([
      'fixtures/tree/bin/hello-link fail',
      'fixtures/tree/bin/hello-mips skipped duplicate of fixtures/tree/bin/hello-link',
      'fixtures/tree/loop skipped symlink-loop',
      'fixtures/tree/nested/broken skipped broken-symlink',
      'fixtures/tree/nested/deeper/nover-x86_64 pass',
      'fixtures/tree/nested/outside fail',
      'fixtures/tree/notes.txt skipped not-elf',
    ]);
    expect(run.report['files'][5]['linkTarget']).toBe(fixturePath('hello-x86_64'));
    expect(run.code).toBe(1);
    expect(run.report['summary']).toEqual({ files: 7, passed: 1, failed: 2, errors: 0, skipped: 4 });
  });

  test('a tree with no ELF file fails closed (exit 2) unless --allow-empty', async () => {
    const run = await runCli(['check', 'fixtures/src', '--floor', '2.35', '--format', 'json'], { inProcess: true });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^glibc-floor: checked no ELF file in fixtures\/src \(\d+ skipped: \d+ not ELF\); pass --allow-empty if that is expected\n$/);
    const allowed = await runCli(['check', 'fixtures/src', '--floor', '2.35', '--allow-empty'], { inProcess: true });
    expect(allowed.code).toBe(0);
  });

  test('keeps the directory as the user spelled it', async () => {
    const run = await json('check', './fixtures/tree/nested/', '--floor', '2.35');
    expect(run.report['files'].map((f: any) => f.path)).toContain('./fixtures/tree/nested/deeper/nover-x86_64');
  });
});

describe('show', () => {
  test('prints the same document with command show, empty floors and no violations', async () => {
    const run = await json('show', 'fixtures/cxx-x86_64', 'fixtures/malformed/not-elf.txt');
    expect(run.code).toBe(2);
    expect(run.report).toMatchObject({ command: 'show', floors: {}, result: 'error' });
    const file = run.report['files'][0];
    expect(file).not.toHaveProperty('violations');
    expect(file['maxVersions']).toMatchObject({ GLIBC: '2.34', GLIBCXX: '3.4.21', CXXABI: '1.3', GCC: '3.0' });
    expect(file['needed']).toEqual(['libstdc++.so.6', 'libgcc_s.so.1', 'libc.so.6']);
    expect((await json('show', 'fixtures/cxx-x86_64')).code).toBe(0);
  });

  test('the text form lists needs by library, newest first, with symbols', async () => {
    const run = await runCli(['show', 'fixtures/hello-x86_64'], { inProcess: true });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/fixtures\/hello-x86_64 \(x86_64, GLIBC 2\.36;/);
    expect(run.stdout).toMatch(/libc\.so\.6\n\s+GLIBC_2\.36\s+arc4random\n\s+GLIBC_2\.34\s+/);
  });
});

describe('text report', () => {
  test('names each offending version and its symbols, one line per passing file, a summary line; no color off a terminal', async () => {
    const run = await runCli(['check', 'fixtures/hello-x86_64', 'fixtures/nover-x86_64', 'fixtures/relr-x86_64', '--floor', '2.35', '--verbose'], { inProcess: true });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('FAIL  fixtures/hello-x86_64 (x86_64, GLIBC 2.36)\n      GLIBC_2.36 > 2.35 from libc.so.6\n        arc4random\n');
    expect(run.stdout).toMatch(/^pass  fixtures\/nover-x86_64/m);
    expect(run.stdout).toContain('GLIBC_ABI_DT_RELR (= GLIBC 2.36) > 2.35 from libc.so.6');
    expect(run.stdout.trim().split('\n').at(-1)).toBe('3 files: 1 passed, 2 failed, 0 errors, 0 skipped - floor GLIBC 2.35');
    expect(run.stdout).not.toMatch(/\x1b\[/);
    expect(run.stderr).toBe('');
  });

  test('FORCE_COLOR colors it; NO_COLOR alone keeps it plain', async () => {
    expect((await runCli(['check', 'fixtures/hello-x86_64', '--floor', '2.35'], { inProcess: true, env: { FORCE_COLOR: '1' } })).stdout).toMatch(/\x1b\[31m/);
    expect((await runCli(['check', 'fixtures/hello-x86_64', '--floor', '2.35'], { inProcess: true, env: { NO_COLOR: '1' } })).stdout).not.toMatch(/\x1b\[/);
  });
});

describe('--output and usage errors', () => {
  test('--output writes the report to a file and nothing to standard output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'glibc-floor-'));
    const out = join(dir, 'report.json');
    const run = await runCli(['check', 'fixtures/hello-x86_64', '--floor', '2.36', '--format', 'json', '--output', out], { inProcess: true });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(existsSync(out)).toBe(true);
    expect(expectValidReport(readFileSync(out, 'utf8'))['result']).toBe('pass');
  });

  test.each([
    [['check', 'fixtures/hello-x86_64'], /no floor given/],
    [['check', 'fixtures/hello-x86_64', '--floor', '2.x'], /invalid floor "2\.x"/],
    [['check', 'fixtures/hello-x86_64', '--floor', '2.35', '--format', 'xml'], /argument 'xml' is invalid/],
    [['check', '--floor', '2.35'], /no path given/],
    [['frobnicate'], /unknown command/],
    [['check', 'fixtures/hello-x86_64', '--floor', '2.35', '--output', '/nonexistent-dir/x.json'], /cannot write the report/],
  ])('%j is a usage error with exit code 2', async (args, message) => {
    const run = await runCli(args as string[], { inProcess: true });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message as RegExp);
    expectNoStackTrace(run.stderr);
  });

  test('--help and --version exit 0', async () => {
    expect((await runCli(['--help'], { inProcess: true })).code).toBe(0);
    const version = await runCli(['--version'], { inProcess: true });
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version);
  });
});
