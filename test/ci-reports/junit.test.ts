import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeXmlAttribute, escapeXmlText, stripInvalidXmlChars } from '../../src/report/xml.js';
import { runCli } from '../helpers/cli.js';
import { copyFixture, fixture, repoRoot, tempDir } from './helpers.js';

/** The real consumer: Debian's python3-junitparser, run by the system python that apt installs it for. */
const SYSTEM_PYTHON = '/usr/bin/python3';

interface JunitResult { kind: string; message: string | null; type: string | null; text: string | null }
interface JunitCase { name: string; classname: string; results: JunitResult[]; system_out: string | null; passed: boolean; skipped: boolean }
interface JunitSuite { name: string; tests: number; failures: number; errors: number; skipped: number; time: number; timestamp: string | null; properties: Record<string, string>; cases: JunitCase[] }
interface JunitDocument { tests: number; failures: number; errors: number; skipped: number; time: number; suites: JunitSuite[] }

function readWithJunitparser(file: string): JunitDocument {
  const result = spawnSync(SYSTEM_PYTHON, [join(repoRoot, 'test/ci-reports/read_junit.py'), file], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`junitparser could not read ${file}: ${result.stderr}`);
  return JSON.parse(result.stdout) as JunitDocument;
}

describe('--format junit, read back by python3-junitparser', () => {
  it('has one suite, one test case per file, failures naming versions and symbols, errors and skips', () => {
    const dir = tempDir();
    copyFixture('hello-x86_64', dir, 'metis');
    copyFixture('versioned-x86_64', dir, 'versioned');
    copyFixture('malformed/trunc-40-x86_64', dir, 'truncated');
    copyFixture('nover-x86_64', dir, 'passing');
    writeFileSync(join(dir, 'README'), 'not an ELF file\n');
    const out = join(tempDir(), 'junit.xml');
    const run = runCli(['check', dir, '--floor', '2.35', '--format', 'junit', '--output', out]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');

    const doc = readWithJunitparser(out);
    expect(doc.suites).toHaveLength(1);
    const suite = doc.suites[0]!;
    expect({ tests: suite.tests, failures: suite.failures, errors: suite.errors, skipped: suite.skipped }).toEqual({ tests: 5, failures: 2, errors: 1, skipped: 1 });
    expect({ tests: doc.tests, failures: doc.failures, errors: doc.errors, skipped: doc.skipped }).toEqual({ tests: 5, failures: 2, errors: 1, skipped: 1 });
    expect(suite.time).toBeGreaterThan(0);
    expect(suite.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect(suite.properties).toEqual({ 'glibc-floor.version': expect.any(String), 'floor.GLIBC': '2.35' });

    const byName = new Map(suite.cases.map((entry) => [entry.name, entry]));
    expect([...byName.keys()].sort()).toEqual(['README', 'metis', 'passing', 'truncated', 'versioned'].map((name) => `${dir}/${name}`).sort());

    const metis = byName.get(`${dir}/metis`)!;
    expect(metis.results).toHaveLength(1);
    expect(metis.results[0]).toMatchObject({ kind: 'failure', message: 'GLIBC_2.36 > 2.35: arc4random', type: 'above-floor' });

    const versioned = byName.get(`${dir}/versioned`)!;
    expect(versioned.results).toHaveLength(1);
    const failure = versioned.results[0]!;
    expect(failure.kind).toBe('failure');
    expect(failure.message).toContain('GLIBC_2.99 > 2.35: newfunc, newweak');
    expect(failure.message).toContain('GLIBC_PRIVATE (private glibc ABI): privfunc');
    expect(failure.message).toContain('GLIBC_2.36 > 2.35: func236');
    expect(failure.text!.split('\n')).toHaveLength(3);

    expect(byName.get(`${dir}/truncated`)!.results[0]).toMatchObject({ kind: 'error', type: 'unreadable-file' });
    expect(byName.get(`${dir}/truncated`)!.results[0]!.message).toMatch(/truncated/);
    expect(byName.get(`${dir}/README`)!.skipped).toBe(true);
    expect(byName.get(`${dir}/passing`)!.passed).toBe(true);
  });

  it('carries warnings (weak needs) in system-out, never in the failure', () => {
    const dir = tempDir();
    const out = join(dir, 'junit.xml');
    // weak-need-unused needs GLIBC_2.35 weakly, for the weak symbol weakonly only: a warning.
    const run = runCli(['check', fixture('weak-need-unused-x86_64'), '--floor', '2.34', '--format', 'junit', '-o', out]);
    expect(run.code).toBe(1);
    const testCase = readWithJunitparser(out).suites[0]!.cases[0]!;
    expect(testCase.results[0]!.message).toContain('GLIBC_2.36 > 2.34: func236');
    expect(testCase.results[0]!.message).not.toContain('GLIBC_2.35');
    expect(testCase.system_out).toMatch(/^warning \(weak need.*\): GLIBC_2\.35 from libc\.so\.6 is above the GLIBC floor 2\.34; symbols: weakonly$/m);
  });

  it('escapes paths with XML metacharacters and drops characters XML cannot carry', () => {
    const dir = tempDir();
    const name = 'a&b<c>"d\'e\u0001f';
    copyFixture('hello-x86_64', dir, name);
    const out = join(dir, 'junit.xml');
    runCli(['check', dir, '--floor', '2.35', '--format', 'junit', '-o', out]);
    const doc = readWithJunitparser(out);
    expect(doc.suites[0]!.cases.map((entry) => entry.name)).toEqual([`${dir}/a&b<c>"d'ef`]);
  });
});

describe('XML escaping', () => {
  it('escapes text and attributes and keeps newlines in attributes as references', () => {
    expect(escapeXmlText('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
    expect(escapeXmlAttribute('say "hi"\nnow\tthen')).toBe('say &quot;hi&quot;&#10;now&#9;then');
  });
  it('strips the characters XML 1.0 does not allow, lone surrogates included', () => {
    expect(stripInvalidXmlChars('a\u0000b\u0008c\u000bd\u001fe\ufffef\ud800g\t\n\rh\u{1f600}')).toBe('abcdefg\t\n\rh\u{1f600}');
  });
});
