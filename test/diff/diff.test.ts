import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareFamilies } from '../../src/diff/compare.js';
import { runCli, validateDiff } from '../helpers/cli.js';
import { fixtures } from '../helpers/fixtures.js';

const OLD = join(fixtures, 'diff', 'old');
const NEW = join(fixtures, 'diff', 'new');

describe('glibc-floor diff', () => {
  it('reports the raise between two builds of one program and exits 1', async () => {
    const run = await runCli(['diff', OLD, NEW, '--format', 'json'], { inProcess: true });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout);
    expect(validateDiff(report), JSON.stringify(validateDiff.errors)).toBe(true);
    expect(report).toMatchObject({ schemaVersion: 1, command: 'diff', result: 'fail', failOnRaise: true });
    expect(report.summary).toEqual({ pairs: 1, raised: 1, changed: 0, unchanged: 0, onlyInOld: 0, onlyInNew: 0, errors: 0 });
    const [file] = report.files;
    expect(file.path).toBe('prog-x86_64');
    expect(file.families).toEqual([{ family: 'GLIBC', before: '2.34', after: '2.36', change: 'raised', via: ['arc4random@GLIBC_2.36'] }]);
    expect(file.raisedBy).toEqual(['GLIBC 2.34 -> 2.36, via arc4random@GLIBC_2.36']);
    expect(file.requirementsAdded.map((r: { version: string }) => r.version)).toEqual(['GLIBC_2.28', 'GLIBC_2.14', 'GLIBC_2.36']);
    expect(file.requirementsAdded[0].hints[0].id).toBe('fcntl64-2.28');
    expect(file.requirementsRemoved).toEqual([]);
    expect(file.symbolsAdded).toEqual([
      { library: 'libc.so.6', version: 'GLIBC_2.28', symbol: 'fcntl64' },
      { library: 'libc.so.6', version: 'GLIBC_2.14', symbol: 'memcpy' },
      { library: 'libc.so.6', version: 'GLIBC_2.36', symbol: 'arc4random' },
    ]);
    expect(file.symbolsRemoved).toEqual([
      { library: 'libc.so.6', version: 'GLIBC_2.2.5', symbol: 'fcntl' },
      { library: 'libc.so.6', version: 'GLIBC_2.2.5', symbol: 'memcpy' },
    ]);
  });

  it('prints the raise in text and does not fail with --no-fail-on-raise', async () => {
    const run = await runCli(['diff', '--no-fail-on-raise', `${OLD}/prog-x86_64`, `${NEW}/prog-x86_64`], { inProcess: true });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').slice(0, 3)).toEqual([
      `RAISED   ${NEW}/prog-x86_64`,
      '      GLIBC 2.34 -> 2.36, via arc4random@GLIBC_2.36',
      '      + GLIBC_2.28 from libc.so.6, via fcntl64',
    ]);
    expect(run.stdout).toContain('1 pair compared, 1 raised, 0 changed, 0 unchanged (--no-fail-on-raise: not failing)');
  });

  it('passes when NEW needs less (the reverse comparison)', async () => {
    const run = await runCli(['diff', NEW, OLD, '--format', 'json'], { inProcess: true });
    expect(run.code).toBe(0);
    const [file] = JSON.parse(run.stdout).files;
    expect(file.status).toBe('changed');
    expect(file.families[0]).toEqual({ family: 'GLIBC', before: '2.36', after: '2.34', change: 'lowered' });
  });

  it('says unchanged for the same file on both sides', async () => {
    const run = await runCli(['diff', `${OLD}/prog-x86_64`, `${OLD}/prog-x86_64`], { inProcess: true });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1 pair compared, 0 raised, 0 changed, 1 unchanged');
  });

  describe('directories', () => {
    let work: string;
    beforeAll(() => {
      work = mkdtempSync(join(tmpdir(), 'glibc-floor-diff-'));
      for (const side of ['a', 'b']) mkdirSync(join(work, side, 'bin'), { recursive: true });
      copyFileSync(join(OLD, 'prog-x86_64'), join(work, 'a', 'bin', 'prog'));
      copyFileSync(join(NEW, 'prog-x86_64'), join(work, 'b', 'bin', 'prog'));
      copyFileSync(join(fixtures, 'static-x86_64'), join(work, 'a', 'gone'));
      copyFileSync(join(fixtures, 'cxx-x86_64'), join(work, 'b', 'added'));
      copyFileSync(join(fixtures, 'go', 'hello-pure-x86_64'), join(work, 'a', 'tool'));
      copyFileSync(join(fixtures, 'go', 'hello-cgo-x86_64'), join(work, 'b', 'tool'));
    });
    afterAll(() => rmSync(work, { recursive: true, force: true }));

    it('matches files by relative path and lists files on one side only', async () => {
      const run = await runCli(['diff', '-f', 'json', 'a', 'b'], { inProcess: true, cwd: work });
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout);
      expect(validateDiff(report), JSON.stringify(validateDiff.errors)).toBe(true);
      expect(report.files.map((f: { path: string; status: string }) => [f.path, f.status])).toEqual([
        ['added', 'only-in-new'],
        ['bin/prog', 'raised'],
        ['gone', 'only-in-old'],
        ['tool', 'raised'],
      ]);
      expect(report.files[0].maxVersions).toEqual({ CXXABI: '1.3', GCC: '3.0', GLIBC: '2.34', GLIBCXX: '3.4.21' });
      const tool = report.files[3];
      expect(tool.kind).toEqual({ before: 'static', after: 'glibc-dynamic' });
      expect(tool.families).toEqual([{ family: 'GLIBC', before: null, after: '2.34', change: 'added', via: ['__libc_start_main@GLIBC_2.34', 'pthread_attr_getstacksize@GLIBC_2.34', 'pthread_create@GLIBC_2.34', 'pthread_detach@GLIBC_2.34'] }]);
      expect(report.summary).toMatchObject({ pairs: 2, raised: 2, onlyInOld: 1, onlyInNew: 1 });
    });

    it('refuses a file against a directory (exit 2, one line)', async () => {
      const run = await runCli(['diff', 'a', 'b/added'], { inProcess: true, cwd: work });
      expect(run.code).toBe(2);
      expect(run.stderr).toBe('glibc-floor: cannot compare a directory (a) with a file (b/added): give two files or two directories\n');
    });

    it('reports an unreadable side as an error (exit 2) without a stack trace', async () => {
      const run = await runCli(['diff', 'a/bin/prog', 'missing'], { inProcess: true, cwd: work });
      expect(run.code).toBe(2);
      expect(run.stdout).toContain('missing: no such file or directory');
      const json = await runCli(['diff', '-f', 'json', `${fixtures}/malformed/trunc-40-x86_64`, 'a/bin/prog'], { inProcess: true, cwd: work });
      expect(json.code).toBe(2);
      expect(validateDiff(JSON.parse(json.stdout))).toBe(true);
      expect(json.stderr).toMatch(/^glibc-floor: .*trunc-40-x86_64: file is truncated inside the ELF header \(40 of 64 bytes\)\n$/);
      expect(json.stderr).not.toMatch(/\bat .*\.js:\d+/);
    });
  });

  it('orders families numerically and names appearing and disappearing ones', () => {
    expect(compareFamilies(new Map([['GLIBC', [2, 9]], ['GCC', [3, 0]]]), new Map([['GLIBC', [2, 10]], ['GLIBCXX', [3, 4, 30]]]))).toEqual([
      { family: 'GCC', before: '3.0', after: null, change: 'removed' },
      { family: 'GLIBC', before: '2.9', after: '2.10', change: 'raised' },
      { family: 'GLIBCXX', before: null, after: '3.4.30', change: 'added' },
    ]);
  });
});
