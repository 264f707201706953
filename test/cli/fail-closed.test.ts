import { describe, expect, test } from 'vitest';
import { expectValidReport, runCli } from '../helpers/cli.js';

/** Internal errors and usage errors end in one line and exit 2, and JSON runs still print a document. */

const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

describe('internal errors exit 2 in one line', () => {
  test('a forced exception (test seam) is one line naming it a bug, exit 2, no stack', async () => {
    const run = await runCli(['check', 'fixtures/hello-x86_64', '--floor', '2.35'], { inProcess: true, env: { GLIBC_FLOOR_TEST_FAULT: 'throw' } });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^glibc-floor: internal error: forced internal error \(GLIBC_FLOOR_TEST_FAULT=throw\) \(this is a bug in glibc-floor: please report it/);
    expect(run.stderr).not.toMatch(STACK_FRAME);
  });

  test('with --format json the forced error is also a JSON document with result "error"', async () => {
    const run = await runCli(['check', 'fixtures/hello-x86_64', '--floor', '2.35', '--format', 'json'], { inProcess: true, env: { GLIBC_FLOOR_TEST_FAULT: 'throw' } });
    expect(run.code).toBe(2);
    const report = expectValidReport(run.stdout);
    expect(report).toMatchObject({ command: 'check', result: 'error', files: [] });
    expect(report['error']).toMatch(/^internal error: forced internal error/);
  });

  test('GLIBC_FLOOR_DEBUG=1 adds the stack', async () => {
    const run = await runCli(['show', 'fixtures/hello-x86_64'], { inProcess: true, env: { GLIBC_FLOOR_TEST_FAULT: 'throw', GLIBC_FLOOR_DEBUG: '1' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(STACK_FRAME);
  });

  test('an unhandled rejection in the real process ends in one line and exit 2, never a verdict', () => {
    const run = runCli(['check', 'fixtures/hello-x86_64', '--floor', '2.35'], { env: { GLIBC_FLOOR_TEST_FAULT: 'reject' } });
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^glibc-floor: internal error: forced unhandled rejection/)]);
  });

  // Below about 66 KiB, Node 20's own module loader fails before any line of glibc-floor runs
  // (measured: exit 0, 1 or 13 with Node's trace); from there up the tool must end cleanly.
  test.each([70, 80, 120])('under --stack-size=%i a check ends in its verdict or exit 2, without a trace', (size) => {
    const run = runCli(['check', 'fixtures', '--floor', '2.35', '--format', 'json'], { nodeArgs: [`--stack-size=${size}`] });
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(run.stderr).not.toMatch(/Maximum call stack/);
    expect(run.code).toBe(2); // fixtures/ holds malformed files: the verdict is 2
    expect(expectValidReport(run.stdout)['result']).toBe('error');
  });
});

describe('--format json prints a document on every run', () => {
  test.each([
    ['a bad floor', ['check', 'fixtures/hello-x86_64', '--floor', 'abc'], /invalid floor "abc"/],
    ['an unknown option', ['check', 'fixtures/hello-x86_64', '--floor', '2.35', '--bogus'], /unknown option '--bogus'/],
    ['an unknown target', ['check', 'fixtures/hello-x86_64', '--target', 'ubuntu-99.99'], /ubuntu-99\.99/],
    ['no path', ['show', '--no-config'], /no path given/],
  ])('%s: exit 2, result "error" and the message on stdout', async (_name, args, message) => {
    for (const format of [['--format', 'json'], ['--format=json'], ['-f', 'json']]) {
      const run = await runCli([...args, ...format], { inProcess: true });
      expect(run.code).toBe(2);
      const report = expectValidReport(run.stdout);
      expect(report['result']).toBe('error');
      expect(report['command']).toBe(args[0]);
      expect(report['error']).toMatch(message);
    }
  });

  test('the spawned CLI prints it too, and text runs print nothing on stdout', () => {
    const json = runCli(['check', 'fixtures/hello-x86_64', '--floor', 'abc', '--format', 'json']);
    expect(json.code).toBe(2);
    expect(expectValidReport(json.stdout)['result']).toBe('error');
    const text = runCli(['check', 'fixtures/hello-x86_64', '--floor', 'abc']);
    expect(text.code).toBe(2);
    expect(text.stdout).toBe('');
  });

  test('diff keeps its own document shape', async () => {
    const run = await runCli(['diff', 'fixtures/hello-x86_64', '--format', 'json', '--bogus'], { inProcess: true });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ command: 'diff', result: 'error', files: [] });
  });
});
