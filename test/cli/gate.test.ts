import { mkdirSync, mkdtempSync, symlinkSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { expectValidReport, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';

/** The gate fails closed: misspelled families, empty scans, links and partial systems (issue 12). */

const temp = (): string => mkdtempSync(join(tmpdir(), 'glibc-floor-gate-'));
const hello = fixturePath('hello-x86_64');

const json = async (...args: string[]) => {
  const run = await runCli([...args, '--format', 'json'], { inProcess: true });
  return { ...run, report: expectValidReport(run.stdout) };
};

describe('floor families match exactly', () => {
  test.each([
    ['glibc=2.17', 'GLIBC'],
    ['Glibc=2.17', 'GLIBC'],
    ['glibcxx=3.4.20', 'GLIBCXX'],
    ['cxxabi=1.3', 'CXXABI'],
    ['gcc=3.0', 'GCC'],
  ])('--floor %s is a usage error naming %s', async (spec, family) => {
    const run = await runCli(['check', hello, '--floor', spec, '--no-config'], { inProcess: true });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`glibc-floor: unknown floor family '${spec.split('=')[0]}'; did you mean ${family}?\n`);
  });

  test('in the config file too, naming the file and key', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'floor.json'), JSON.stringify({ floors: { glibc: '2.17' } }));
    const run = await runCli(['check', hello, '--config', join(dir, 'floor.json')], { inProcess: true });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^glibc-floor: config file .*floor\.json: "floors\.glibc" unknown floor family 'glibc'; did you mean GLIBC\?\n$/);
  });

  test('an unknown family in its own spelling is still a floor; one that matched nothing is reported', async () => {
    const run = await json('check', hello, '--floor', '2.36', '--floor', 'OPENSSL=3.0', '--floor', 'GLIBCXX=3.4.30', '--no-config');
    expect(run.code).toBe(0);
    expect(run.report['warnings']).toEqual([
      'the GLIBCXX 3.4.30 floor (--floor) matched no requirement in the 1 file checked',
      'the OPENSSL 3.0 floor (--floor) matched no requirement in the 1 file checked',
    ]);
    const text = await runCli(['check', hello, '--floor', '2.36', '--floor', 'GLIBCXX=3.4.30', '--no-config'], { inProcess: true });
    expect(text.stdout).toMatch(/\nwarning: the GLIBCXX 3\.4\.30 floor \(--floor\) matched no requirement in the 1 file checked\n$/);
  });
});

describe('a check that checked nothing fails', () => {
  test('an empty directory: exit 2, result error, naming the input', async () => {
    const dir = temp();
    const run = await json('check', dir, '--floor', '2.35', '--no-config');
    expect(run.code).toBe(2);
    expect(run.report['result']).toBe('error');
    expect(run.report['error']).toBe(`checked no ELF file in ${dir} (nothing found); pass --allow-empty if that is expected`);
  });

  test('a directory without ELF files names what was skipped; --allow-empty passes it', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'README'), 'text');
    writeFileSync(join(dir, 'notes.txt'), 'text');
    const text = await runCli(['check', dir, '--floor', '2.35', '--no-config'], { inProcess: true });
    expect(text.code).toBe(2);
    expect(text.stdout).toContain('0 files, 0 passed, 0 failed, 2 skipped (2 not ELF) - floor GLIBC 2.35');
    expect(text.stdout).toContain(`error: checked no ELF file in ${dir} (2 skipped: 2 not ELF); pass --allow-empty if that is expected`);
    const allowed = await json('check', dir, '--floor', '2.35', '--no-config', '--allow-empty');
    expect(allowed.code).toBe(0);
    expect(allowed.report['result']).toBe('pass');
    expect(allowed.report['error']).toBeUndefined();
  });

  test('allowEmpty in the config file; show keeps exit 0 with a warning', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'cfg.json'), JSON.stringify({ floors: { GLIBC: '2.35' }, allowEmpty: true }));
    const run = await runCli(['check', dir, '--config', join(dir, 'cfg.json')], { inProcess: true });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('warning: checked no ELF file');
    const show = await runCli(['show', dir, '--no-config'], { inProcess: true });
    expect(show.code).toBe(0);
    expect(show.stderr).toContain('glibc-floor: warning: checked no ELF file');
  });
});
