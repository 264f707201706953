import { describe, expect, it } from 'vitest';
import { expectValidReport, runCli } from '../helpers/cli.js';

const many = ['fixtures/hello-x86_64', 'fixtures/hash-sysv-x86_64', 'fixtures/hash-both-x86_64', 'fixtures/relr-x86_64', 'fixtures/hello-aarch64', 'fixtures/hello-armhf'];

describe('text report grouped by cause', async () => {
  const run = await runCli(['check', '--floor', '2.31', ...many, 'fixtures/tree'], { inProcess: true });
  const lines = run.stdout.trimEnd().split('\n');

  it('prints one line per failing file plus a few dozen, and no advice line twice', () => {
    expect(run.code).toBe(1);
    const fileLines = lines.filter((line) => line.startsWith('FAIL  '));
    expect(fileLines.map((line) => line.split(' ')[2]).slice(0, many.length)).toEqual(many);
    expect(fileLines.length).toBe(many.length + 1); // and the mips program of fixtures/tree (its second path is a duplicate)
    expect(lines.length).toBeLessThan(fileLines.length + 40);
    const advice = lines.filter((line) => /^\s+(why|fix \d+):/.test(line) || /^\s+(x86_64|aarch64|armhf):/.test(line));
    expect(advice.length).toBeGreaterThan(5);
    expect(new Set(advice).size).toBe(advice.length);
  });

  it('names each cause once with its file count and symbols, and the build advice once per machine', () => {
    expect(run.stdout).toContain('GLIBC_2.34 > 2.31 from libc.so.6, 7 files: __libc_start_main');
    expect(run.stdout).toContain('GLIBC_ABI_DT_RELR (= GLIBC 2.36) > 2.31 from libc.so.6, 1 file: no symbol: the need itself');
    const machines = lines.filter((line) => /^ {2}(x86_64|aarch64|armhf): /.test(line)).map((line) => line.trim().split(':')[0]);
    expect(machines).toEqual(['aarch64', 'armhf', 'x86_64']);
    expect(run.stdout).toContain('  mips: build with a cross compiler whose sysroot has the oldest glibc you support');
    expect(run.stdout).toContain('  aarch64: build in quay.io/pypa/manylinux_2_28_aarch64 (glibc 2.28)');
  });

  it('writes a machine-specific fix for a group of machines with each machine\'s value', async () => {
    const mixed = await runCli(['check', '--floor', '2.27', 'fixtures/hello-x86_64', 'fixtures/hello-armhf'], { inProcess: true });
    expect(mixed.stdout).toContain('pow@GLIBC_<oldest: x86_64 2.2.5, armhf 2.4>');
    expect(mixed.stdout).toContain('  armhf: `zig cc -target arm-linux-gnueabihf.2.27`\n  x86_64: build in quay.io/pypa/manylinux2014_x86_64 (glibc 2.17)');
  });

  it('lists a failing file on one line with its versions and leading symbols', () => {
    expect(lines).toContain('FAIL  fixtures/hello-aarch64 (aarch64) GLIBC_2.36 GLIBC_2.34 GLIBC_2.33: arc4random, __libc_start_main, pthread_create +2 more');
  });

  it('counts skipped files by reason and closes with the floor the files need', () => {
    expect(run.stdout).toMatch(/^skipped: 5 \(duplicate 2, broken-symlink 1, not-elf 1, symlink-loop 1\)$/m);
    expect(lines.at(-3)).toMatch(/^these files need glibc >= 2\.36; the top cause is GLIBC_2\.36 \(arc4random\) in 7 files; to keep 2\.31/);
  });

  it('keeps the detailed form for one failing file and with --verbose', async () => {
    const one = await runCli(['check', '--floor', '2.31', 'fixtures/hello-x86_64'], { inProcess: true });
    expect(one.stdout).toContain('FAIL  fixtures/hello-x86_64 (x86_64, GLIBC 2.36)\n      GLIBC_2.36 > 2.31 from libc.so.6\n        arc4random\n');
    const verbose = await runCli(['check', '--floor', '2.31', '--verbose', ...many], { inProcess: true });
    expect(verbose.stdout.split('\n').filter((line) => line.startsWith('FAIL  ')).length).toBe(many.length);
    expect(verbose.stdout).not.toContain('Causes');
  });
});

describe('the floor a set needs', () => {
  it('show names it per family with the file that sets it, in text and JSON', async () => {
    const text = await runCli(['show', 'fixtures/cxx-x86_64', 'fixtures/hello-aarch64'], { inProcess: true });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('this set needs glibc >= 2.36 because of fixtures/hello-aarch64; CXXABI >= 1.3 because of fixtures/cxx-x86_64; GCC >= 3.0 because of fixtures/cxx-x86_64; GLIBCXX >= 3.4.21 because of fixtures/cxx-x86_64');
    const json = expectValidReport((await runCli(['show', '--format', 'json', 'fixtures/cxx-x86_64', 'fixtures/hello-aarch64', 'fixtures/hello-armhf'], { inProcess: true })).stdout);
    expect(json.neededFloors.GLIBC).toEqual({ version: '2.36', files: ['fixtures/hello-aarch64', 'fixtures/hello-armhf'], fileCount: 2 });
  });

  it('--min-floor prints just the number, per family', async () => {
    const glibc = await runCli(['show', '--min-floor', 'fixtures/cxx-x86_64', 'fixtures/relr-x86_64'], { inProcess: true });
    expect([glibc.code, glibc.stdout]).toEqual([0, '2.36\n']);
    const cxx = await runCli(['show', 'fixtures/cxx-x86_64', '--min-floor', 'GLIBCXX'], { inProcess: true });
    expect([cxx.code, cxx.stdout]).toEqual([0, '3.4.21\n']);
  });

  it('--min-floor fails closed: no need of the family, an unreadable input, GLIBC_PRIVATE', async () => {
    const none = await runCli(['show', '--min-floor', 'fixtures/static-x86_64'], { inProcess: true });
    expect([none.code, none.stdout, none.stderr]).toEqual([2, '', 'glibc-floor: no checked file needs GLIBC: there is no floor to print\n']);
    const broken = await runCli(['show', '--min-floor', 'fixtures/hello-x86_64', 'fixtures/does-not-exist'], { inProcess: true });
    expect(broken.code).toBe(2);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toMatch(/^glibc-floor: cannot tell the floor: fixtures\/does-not-exist: /);
    const private_ = await runCli(['show', '--min-floor', 'fixtures/versioned-x86_64'], { inProcess: true });
    expect([private_.code, private_.stderr]).toEqual([2, 'glibc-floor: no GLIBC floor can be met: fixtures/versioned-x86_64 needs GLIBC_PRIVATE\n']);
  });
});

describe('width on a terminal', () => {
  it('cuts the per-file lines to the terminal width, and leaves them whole in a pipe', async () => {
    const { run } = await import('../../src/cli/program.js');
    const { repoRoot } = await import('../helpers/fixtures.js');
    const runWith = async (columns: number | undefined): Promise<string> => {
      let out = '';
      const stream = (tty: boolean) => ({ isTTY: tty, ...(columns === undefined ? {} : { columns }), write: async (text: string) => void (out += tty ? text : '') });
      const io = { stdout: stream(columns !== undefined), stderr: { isTTY: false, write: async () => undefined }, env: { NO_COLOR: '1' }, cwd: repoRoot, appendFile: async () => undefined, fileSize: async () => 0 };
      if (columns === undefined) io.stdout = { isTTY: false, write: async (text: string) => void (out += text) };
      expect(await run(['node', 'glibc-floor', 'check', '--floor', '2.31', 'fixtures/hello-x86_64', 'fixtures/hello-aarch64'], io)).toBe(1);
      return out;
    };
    const narrow = (await runWith(50)).split('\n').filter((line) => line.startsWith('FAIL'));
    expect(narrow).toHaveLength(2);
    for (const line of narrow) expect(line.length).toBeLessThanOrEqual(50);
    expect(narrow[0]!.endsWith('…')).toBe(true);
    const piped = (await runWith(undefined)).split('\n').filter((line) => line.startsWith('FAIL'));
    expect(piped[0]).toBe('FAIL  fixtures/hello-x86_64 (x86_64) GLIBC_2.36 GLIBC_2.34 GLIBC_2.33: arc4random, __libc_start_main, pthread_create +2 more');
  });
});
