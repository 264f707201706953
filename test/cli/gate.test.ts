import { mkdirSync, mkdtempSync, symlinkSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { expectValidReport, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { buildLibrary, buildProgram } from '../helpers/stubs.js';

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
    expect(text.stdout).toContain('2 files: 0 passed, 0 failed, 0 errors, 2 skipped (2 not ELF) - floor GLIBC 2.35');
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

describe('symbolic links', () => {
  test('a bin/ of links to build outputs elsewhere is checked, at the links\' paths, with their targets', async () => {
    const out = temp();
    const bin = temp();
    copyFileSync(hello, join(out, 'prog'));
    copyFileSync(fixturePath('tree', 'nested', 'deeper', 'nover-x86_64'), join(out, 'tool'));
    symlinkSync(join(out, 'prog'), join(bin, 'prog'));
    symlinkSync(join(out, 'tool'), join(bin, 'tool'));
    symlinkSync(join(out, 'prog'), join(bin, 'prog-again'));
    const run = await json('check', bin, '--floor', '2.35', '--no-config');
    expect(run.code).toBe(1);
    expect(run.report['files'].map((f: any) => [f.path, f.status, f.linkTarget ?? f.duplicateOf])).toEqual([
      [join(bin, 'prog'), 'fail', join(out, 'prog')],
      [join(bin, 'prog-again'), 'skipped', join(bin, 'prog')],
      [join(bin, 'tool'), 'pass', join(out, 'tool')],
    ]);
    expect(run.report['files'][1]['reason']).toBe('duplicate');
  });

  test('the same file named twice is checked once; directory links outside the tree are still skipped', async () => {
    const dir = temp();
    mkdirSync(join(dir, 'tree'));
    symlinkSync(fixturePath('tree', 'nested'), join(dir, 'tree', 'elsewhere'));
    writeFileSync(join(dir, 'tree', 'README'), 'text');
    const run = await runCli(['check', hello, hello, join(dir, 'tree'), '--floor', '2.36', '--no-config'], { inProcess: true });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('4 files: 1 passed, 0 failed, 0 errors, 3 skipped (1 duplicate, 1 not ELF, 1 directory link outside the tree)');
  });
});

describe('deep trees', () => {
  test('a 3,000-level tree ends with a refusal for what lies below the depth bound, not a stack overflow', () => {
    const root = temp();
    // Built in a child process by relative steps: absolute paths this deep pass PATH_MAX.
    const made = spawnSync(process.execPath, ['-e', DEEP_TREE, root, '3000', hello], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    try {
      const run = runCli(['check', root, '--floor', '2.35', '--format', 'json', '--no-config']);
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(run.code).toBe(2);
      const report = expectValidReport(run.stdout);
      expect(report['files']).toEqual([{ path: `${root}${'/d'.repeat(257)}`, status: 'skipped', reason: 'too-deep' }]);
      expect(report['error']).toMatch(/checked no ELF file .*1 too deep/);
      // Within the bound, the file is found and checked.
      const shallow = temp();
      expect(spawnSync(process.execPath, ['-e', DEEP_TREE, shallow, '200', hello]).status).toBe(0);
      const found = runCli(['check', shallow, '--floor', '2.35', '--format', 'json', '--no-config']);
      expect(found.code).toBe(1);
      expect(expectValidReport(found.stdout)['files'][0]['path']).toBe(`${shallow}${'/d'.repeat(200)}/hello`);
    } finally {
      spawnSync('rm', ['-rf', root]);
    }
  }, 60_000);
});

/** DEEP_TREE makes `depth` nested directories `d` under a root and copies a file to the bottom. */
const DEEP_TREE = `
const { mkdirSync, copyFileSync } = require('node:fs');
const [root, depth, file] = process.argv.slice(1);
process.chdir(root);
for (let i = 0; i < Number(depth); i++) { mkdirSync('d'); process.chdir('d'); }
copyFileSync(file, 'hello');
`;

describe('--floor-from a single library is a partial system', () => {
  /** A program needing libc.so.6 GLIBC_2.31 and libm.so.6 GLIBC_2.29, and two libc.so.6 to check it against. */
  const build = () => {
    const dir = temp();
    const libc = buildLibrary(join(dir, 'build'), { soname: 'libc.so.6', nodes: [{ name: 'GLIBC_2.2.5', symbols: ['oldfunc'] }, { name: 'GLIBC_2.31', symbols: ['newfunc'] }] });
    const libm = buildLibrary(join(dir, 'build'), { soname: 'libm.so.6', nodes: [{ name: 'GLIBC_2.2.5', symbols: ['sqrt_old'] }, { name: 'GLIBC_2.29', symbols: ['pow_new'] }] });
    const program = buildProgram(dir, 'prog', ['oldfunc', 'newfunc', 'pow_new'], [libc, libm]);
    const oldLibc = buildLibrary(join(dir, 'old'), { soname: 'libc.so.6', nodes: [{ name: 'GLIBC_2.2.5', symbols: ['oldfunc'] }] });
    return { program, libc, oldLibc };
  };

  test('the libc it was built against passes it; the libm need is listed as unchecked, never missing', async () => {
    const { program, libc } = build();
    const run = await json('check', program, '--floor-from', libc, '--no-config');
    expect(run.code).toBe(0);
    const file = run.report['files'][0];
    expect(file['libraryFindings']).toBeUndefined();
    expect(file['unchecked']).toEqual([{ library: 'libm.so.6', version: 'GLIBC_2.29', family: 'GLIBC', weak: false, symbols: ['pow_new'], uncheckedOn: [libc] }]);
    const text = await runCli(['check', program, '--floor-from', libc, '--no-config'], { inProcess: true });
    expect(text.stdout).toContain(`GLIBC_2.29 from libm.so.6 - not checked: not in ${libc}, and no --floor for GLIBC`);
  });

  test('its own soname is still checked exactly, and a numeric floor judges the other libraries', async () => {
    const { program, oldLibc } = build();
    const run = await json('check', program, '--floor-from', oldLibc, '--floor', '2.35', '--no-config');
    expect(run.code).toBe(1);
    const file = run.report['files'][0];
    expect(file['violations']).toEqual([expect.objectContaining({ library: 'libc.so.6', version: 'GLIBC_2.31', reason: 'not-defined', failsOn: [oldLibc] })]);
    expect(file['unchecked']).toBeUndefined();
    const low = await json('check', program, '--floor-from', oldLibc, '--floor', '2.28', '--no-config');
    expect(low.report['files'][0]['violations'].map((v: any) => `${v.library} ${v.version} ${v.reason}`).sort()).toEqual([
      'libc.so.6 GLIBC_2.31 above-floor',
      'libm.so.6 GLIBC_2.29 above-floor',
    ]);
  });
});

describe('a named pipe', () => {
  test('named on the command line is an error at once, not a wait for a writer (check and show)', () => {
    const dir = temp();
    const fifo = join(dir, 'pipe');
    spawnSync('mkfifo', [fifo]);
    for (const args of [['check', fifo, '--floor', '2.35', '--no-config'], ['show', fifo]]) {
      // Spawned with a deadline, not in process: a wait in open() would block this test's own thread.
      const run = spawnSync(process.execPath, [fileURLToPath(new URL('../../bin/glibc-floor', import.meta.url)), ...args], { encoding: 'utf8', timeout: 20000, killSignal: 'SIGKILL' });
      expect(run.signal).toBeNull();
      expect(run.status).toBe(2);
      expect(run.stdout).toContain(`error ${fifo}: not a regular file or directory`);
    }
  });
});

describe('a run that can never finish', () => {
  test('is an internal error, exit 2, not the exit 0 Node gives when its event loop empties', () => {
    const preload = fileURLToPath(new URL('../helpers/preload/wedged-stdout.cjs', import.meta.url));
    const run = spawnSync(process.execPath, ['--require', preload, fileURLToPath(new URL('../../bin/glibc-floor', import.meta.url)), 'check', hello, '--floor', '2.17', '--no-config'], {
      encoding: 'utf8',
      timeout: 20000,
      killSignal: 'SIGKILL',
    });
    expect(run.signal).toBeNull();
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^glibc-floor: internal error: the run stopped with work pending and no result .*\(this is a bug in glibc-floor: .*\)\n$/);
  });
});
