import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMATS } from '../../src/report/index.js';
import { expectNoStackTrace, expectValidReport, runCli } from '../helpers/cli.js';
import { copyFixture, tempDir } from '../helpers/fixtures.js';

interface JsonReport {
  floors: Record<string, string>;
  result: string;
  summary: { files: number; passed: number; failed: number };
  files: { path: string; status: string; violations?: { version: string }[]; waivedViolations?: { version: string; waived: { reason: string } }[] }[];
}

/** project makes a tree with a config file at its root, binaries in bin/ and an empty sub/ directory. */
function project(config: unknown): string {
  const root = tempDir();
  mkdirSync(join(root, 'bin'));
  mkdirSync(join(root, 'sub', 'deeper'), { recursive: true });
  copyFixture('hello-x86_64', join(root, 'bin'), 'metis');
  copyFixture('nover-x86_64', join(root, 'bin'), 'plain');
  writeFileSync(join(root, '.glibc-floor.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return root;
}

describe('.glibc-floor.json', () => {
  it('is found from the working directory upward; its paths are relative to the file', async () => {
    const root = project({ floors: { GLIBC: '2.35' }, paths: ['bin'] });
    const run = await runCli(['check', '--format', 'json'], { inProcess: true, cwd: join(root, 'sub', 'deeper') });
    expect(run.code).toBe(1);
    const report = expectValidReport(run.stdout) as JsonReport;
    expect(report.floors).toEqual({ GLIBC: '2.35' });
    expect(report.files.map((file) => [file.path, file.status])).toEqual([['../../bin/metis', 'fail'], ['../../bin/plain', 'pass']]);
  });

  it('loses to the command line per family', async () => {
    const root = project({ floors: ['2.30', 'GLIBCXX=3.4.20'], paths: ['bin'] });
    const run = await runCli(['check', 'bin/metis', '--floor', '2.36', '--format', 'json'], { inProcess: true, cwd: root });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as JsonReport).floors).toEqual({ GLIBC: '2.36', GLIBCXX: '3.4.20' });
  });

  it('is read from --config, and ignored with --no-config', async () => {
    const root = project({ floors: { GLIBC: '2.99' } });
    const other = join(root, 'strict.json');
    writeFileSync(other, JSON.stringify({ floors: { GLIBC: '2.17' } }));
    expect((await runCli(['check', 'bin/metis'], { inProcess: true, cwd: root })).code).toBe(0);
    expect((await runCli(['check', 'bin/metis', '--config', other], { inProcess: true, cwd: root })).code).toBe(1);
    const none = await runCli(['check', 'bin/metis', '--no-config'], { inProcess: true, cwd: root });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no floor given/);
  });

  it('without a path on the command line or in the file, is a usage error (exit 2)', async () => {
    const root = project({ floors: { GLIBC: '2.35' } });
    const run = await runCli(['check'], { inProcess: true, cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('glibc-floor: no path given: name the files or directories to check, or list them under "paths" in .glibc-floor.json\n');
  });

  const badConfigs: [string, unknown, string][] = [
    ['a waiver without a reason', { waivers: [{ version: 'GLIBC_2.36', symbols: ['arc4random'] }] }, '"waivers[0].reason" is required'],
    ['an empty reason', { waivers: [{ version: 'GLIBC_2.36', reason: ' ' }] }, '"waivers[0].reason" must say why'],
    ['a floor that is not a version', { floors: { GLIBC: '2.x' } }, '"floors.GLIBC" must be a dotted version'],
    ['a floor spec that does not parse', { floors: ['2.35', 'GLIBCXX='] }, '"floors[1]" invalid floor'],
    ['an unknown key', { flors: {} }, '"flors" is not a known key'],
    ['an unknown waiver key', { waivers: [{ version: 'GLIBC_2.36', reason: 'r', symbol: ['x'] }] }, '"waivers[0].symbol" is not a known key'],
    ['an unknown target', { targets: ['ubuntu-22.4'] }, '"targets": unknown target "ubuntu-22.4"; did you mean ubuntu-22.04'],
    ['an empty library policy', { allowLibraries: [] }, '"allowLibraries" must be a non-empty list'],
    ['floors of the wrong type', { floors: 2.35 }, '"floors" must be an object of FAMILY'],
    ['not JSON', '{"floors": ', 'is not valid JSON'],
  ];
  for (const [what, config, expected] of badConfigs) {
    it(`with ${what} gives one error naming the file and the key (exit 2)`, async () => {
      const root = project(config);
      const run = await runCli(['check', 'bin/metis', '--floor', '2.35'], { inProcess: true, cwd: root });
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(join(root, '.glibc-floor.json'));
      expect(lines[0]).toContain(expected);
      expectNoStackTrace(run.stderr);
    });
  }
});

describe('waivers', () => {
  it('move the waived violation out of the failing set, with its reason, never dropping it', async () => {
    const root = project({
      floors: { GLIBC: '2.35' },
      paths: ['bin'],
      waivers: [
        { version: 'GLIBC_2.36', library: 'libc.so.6', symbols: ['arc4random'], paths: ['bin/*'], reason: 'arc4random only runs on 2.36+ hosts (checked at run time)' },
        { version: 'GLIBC_2.99', reason: 'matches nothing here' },
      ],
    });
    const run = await runCli(['check', '--format', 'json'], { inProcess: true, cwd: root });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`glibc-floor: note: the waiver for GLIBC_2.99 in ${join(root, '.glibc-floor.json')} waivers[1] matched no violation\n`);
    const report = expectValidReport(run.stdout) as JsonReport;
    expect(report.result).toBe('pass');
    const metis = report.files.find((file) => file.path === 'bin/metis')!;
    expect(metis.status).toBe('pass');
    expect(metis.violations).toEqual([]);
    expect(metis.waivedViolations).toMatchObject([{ version: 'GLIBC_2.36', waived: { reason: 'arc4random only runs on 2.36+ hosts (checked at run time)' } }]);
  });

  it('do not apply when a symbol outside the list needs the version, or in other paths', async () => {
    for (const waiver of [
      { version: 'GLIBC_2.36', symbols: ['getrandom'], reason: 'other symbol' },
      { version: 'GLIBC_2.36', paths: ['lib/**'], reason: 'other path' },
      { version: 'GLIBC_2.36', library: 'libm.so.6', reason: 'other library' },
    ]) {
      const root = project({ floors: { GLIBC: '2.35' }, waivers: [waiver] });
      const run = await runCli(['check', 'bin/metis', '--format', 'json'], { inProcess: true, cwd: root });
      expect(run.code).toBe(1);
      expect((JSON.parse(run.stdout) as JsonReport).files[0]!.violations!.map((entry) => entry.version)).toEqual(['GLIBC_2.36']);
    }
  });
});

describe('--output and --report', () => {
  for (const format of FORMATS) {
    it(`--output writes the ${format} report to a file and nothing to standard output`, async () => {
      const root = project({ floors: { GLIBC: '2.35' } });
      const out = join(root, `report.${format}`);
      const run = await runCli(['check', 'bin/metis', '--format', format, '--output', out], { inProcess: true, cwd: root });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(readFileSync(out, 'utf8')).toContain('arc4random');
    });
  }

  it('one run prints text and leaves JUnit and SARIF files, all from the same report', async () => {
    const root = project({ floors: { GLIBC: '2.35' } });
    const run = await runCli(['check', 'bin/', '--report', 'junit=junit_glibc_floor.xml', '--report', 'sarif=glibc-floor.sarif'], { inProcess: true, cwd: root });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL {2}bin\/metis/m);
    expect(readFileSync(join(root, 'junit_glibc_floor.xml'), 'utf8')).toMatch(/<testcase name="bin\/metis"[^]*GLIBC_2\.36 &gt; 2\.35: arc4random/);
    expect(JSON.parse(readFileSync(join(root, 'glibc-floor.sarif'), 'utf8')).runs[0].results).toHaveLength(1);
  });

  it('rejects an unknown format, a missing file, or two reports to one file, before any work', async () => {
    const root = project({ floors: { GLIBC: '2.35' } });
    for (const [args, message] of [
      [['--report', 'xml=out.xml'], 'the format must be one of text, json, junit, sarif, github'],
      [['--report', 'junit'], 'name the file after "="'],
      [['--report', 'junit=a.xml', '--report', 'sarif=a.xml'], 'a.xml is already the target of another report'],
    ] as const) {
      const run = await runCli(['check', 'bin/metis', ...args], { inProcess: true, cwd: root });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(message);
    }
  });
});
