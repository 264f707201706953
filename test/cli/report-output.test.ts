import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { expectNoStackTrace, expectValidReport, runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/fixtures.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'glibc-floor-output-'));

describe('report destinations are opened before any input is read', () => {
  test.each([
    ['a missing directory', (dir: string) => join(dir, 'missing', 'report.json'), 'no such file or directory'],
    ['a directory', (dir: string) => dir, 'is a directory'],
  ])('--output to %s is a usage error, exit 2, one line without Node\'s raw error text', async (_name, target, phrase) => {
    const dir = scratch();
    const out = target(dir);
    // The input does not exist: had it been read first, the error would name it instead.
    const run = await runCli(['check', join(dir, 'no-such-input'), '--floor', '2.35', '--format', 'json', '--output', out], { inProcess: true });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`glibc-floor: cannot write the report to ${out}: ${phrase}\n`);
    expect(run.stderr).not.toMatch(/ENOENT|EISDIR|open '/);
    expectNoStackTrace(run.stderr);
  });

  test('an unwritable --report file is named with its format, before the scan', async () => {
    const dir = scratch();
    const out = join(dir, 'nope', 'junit.xml');
    const run = await runCli(['check', 'fixtures/hello-x86_64', '--floor', '2.35', '--report', `junit=${out}`], { inProcess: true });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`glibc-floor: cannot write the junit report to ${out}: no such file or directory\n`);
  });

  test.skipIf(process.getuid?.() === 0)('a read-only directory is "permission denied"', async () => {
    const dir = scratch();
    chmodSync(dir, 0o500);
    const run = await runCli(['check', 'fixtures/hello-x86_64', '--floor', '2.35', '--output', join(dir, 'r.txt')], { inProcess: true });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot write the report to .*: permission denied\n$/);
  });
});

describe('report files are written whole, through a temporary file', () => {
  test('a report written into the tree being scanned is neither scanned nor left behind as a temporary file', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'hello'), readFileSync(join(repoRoot, 'fixtures', 'hello-x86_64')));
    const run = await runCli(['show', dir, '--format', 'json', '--output', join(dir, 'report.json'), '--report', `junit=${join(dir, 'junit.xml')}`], { inProcess: true });
    expect(run.code).toBe(0);
    const report = expectValidReport(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(report['files'].map((file: { path: string }) => file.path)).toEqual([join(dir, 'hello')]);
    expect(readdirSync(dir).sort()).toEqual(['hello', 'junit.xml', 'report.json']);
  });

  test('an existing report is replaced only when the new one is complete', async () => {
    const dir = scratch();
    const out = join(dir, 'report.json');
    writeFileSync(out, 'old');
    const run = await runCli(['check', 'fixtures/hello-x86_64', '--floor', '2.35', '--format', 'json', '--output', out], { inProcess: true });
    expect(run.code).toBe(1);
    expect(expectValidReport(readFileSync(out, 'utf8'))['result']).toBe('fail');
  });

  test('SIGTERM during a scan removes the temporary files, leaves the old report and exits 143', async () => {
    const dir = scratch();
    // A tree big enough to be still scanning when the signal comes: many small files, each probed.
    const tree = join(dir, 'tree');
    mkdirSync(tree);
    for (let i = 0; i < 20000; i++) writeFileSync(join(tree, `f${i}`), 'not elf');
    const out = join(dir, 'report.json');
    writeFileSync(out, 'old');
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'glibc-floor'), 'show', tree, '--format', 'json', '--output', out, '--report', `sarif=${join(dir, 'r.sarif')}`], { stdio: 'ignore' });
    // Wait until the run has opened its outputs (their temporary files exist), then stop it.
    const started = Date.now();
    while (!readdirSync(dir).some((name) => name.endsWith('.tmp')) && Date.now() - started < 20000) await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (exit) => resolve(exit)));
    expect(code).toBe(143);
    expect(readdirSync(dir).sort()).toEqual(['report.json', 'tree']);
    expect(readFileSync(out, 'utf8')).toBe('old');
    expect(existsSync(join(dir, 'r.sarif'))).toBe(false);
  }, 60000);
});
