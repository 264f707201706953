import { describe, expect, it } from 'vitest';
import { HINTS } from '../../src/hints/catalogue.js';
import { hintsFor } from '../../src/hints/match.js';
import { runCli, validateReport } from '../helpers/cli.js';
import { fixtures } from '../helpers/fixtures.js';

describe('hints catalogue', () => {
  it('has unique ids, and every entry has a why, at least one fix and a source', () => {
    expect(new Set(HINTS.map((hint) => hint.id)).size).toBe(HINTS.length);
    for (const hint of HINTS) {
      expect(hint.why.length, hint.id).toBeGreaterThan(20);
      expect(hint.fixes.length, hint.id).toBeGreaterThan(0);
      expect(hint.sources.length, hint.id).toBeGreaterThan(0);
    }
  });

  it('explains each symbol by its own entry', () => {
    const hints = hintsFor({ library: 'libc.so.6', version: 'GLIBC_2.34', symbols: ['__libc_start_main', 'dlopen', 'pthread_create', 'qsort'] });
    expect(hints.map((hint) => [hint.id, hint.symbols])).toEqual([
      ['libc-start-main-2.34', ['__libc_start_main']],
      ['libc-merge-2.34', ['dlopen', 'pthread_create']],
    ]);
  });

  it('matches version names without symbols, and narrows by library', () => {
    expect(hintsFor({ library: 'libc.so.6', version: 'GLIBC_ABI_DT_RELR', symbols: [] }).map((h) => h.id)).toEqual(['dt-relr']);
    expect(hintsFor({ library: 'libm.so.6', version: 'GLIBC_2.29', symbols: ['pow'] }).map((h) => h.id)).toEqual(['libm-2.29']);
    expect(hintsFor({ library: 'libc.so.6', version: 'GLIBC_2.29', symbols: ['pow'] })).toEqual([]);
    expect(hintsFor({ library: 'libc.so.6', version: 'GLIBC_2.38', symbols: ['__isoc23_strtol', '__isoc23_sscanf'] })[0]?.symbols).toEqual([
      '__isoc23_strtol',
      '__isoc23_sscanf',
    ]);
    expect(hintsFor({ library: 'libc.so.6', version: 'GLIBC_2.35', symbols: ['arc4random'] })).toEqual([]);
  });

  it('prints each hint under its offending version in the text report', async () => {
    const run = await runCli(['check', '--floor', '2.31', '--verbose', `${fixtures}/hello-x86_64`, `${fixtures}/relr-x86_64`], { inProcess: true });
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    const after = (head: string) => lines[lines.findIndex((line) => line.trim().startsWith(head)) + 2]?.trim();
    expect(after('GLIBC_2.33 > 2.31')).toMatch(/^why: before glibc 2\.33 the stat family/);
    expect(after('GLIBC_2.36 > 2.31')).toMatch(/^why: arc4random is new in glibc 2\.36/);
    expect(after('GLIBC_2.34 > 2.31')).toMatch(/^why \(__libc_start_main\): every dynamically linked program/);
    expect(after('GLIBC_ABI_DT_RELR (= GLIBC 2.36) > 2.31')).toMatch(/^why: the program was linked with -z pack-relative-relocs/);
    expect(run.stdout).toContain('fix: link without -z pack-relative-relocs');
    expect(run.stdout).toContain('why (pthread_create, pthread_join): glibc 2.34 merged libpthread');
  });

  it('carries hints on violations in JSON, valid against the contract schema', async () => {
    const run = await runCli(['check', '--floor', '2.31', '--format', 'json', `${fixtures}/go/hello-cgo-x86_64`], { inProcess: true });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    const [violation232, violation234] = report.files[0].violations;
    expect(violation232.version).toBe('GLIBC_2.32');
    expect(violation232.hints).toEqual([expect.objectContaining({ id: 'pthread-sigmask-2.32', symbols: ['pthread_sigmask'] })]);
    expect(violation234.hints.map((hint: { id: string }) => hint.id)).toEqual(['libc-start-main-2.34', 'libc-merge-2.34']);
    expect(violation234.hints[0].sources[0]).toContain('035c012e32');
  });
});
