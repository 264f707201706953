import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeXmlAttribute, escapeXmlText, stripInvalidXmlChars } from '../../src/report/xml.js';
import { runCli } from '../helpers/cli.js';
import { copyFixture, fixturePath as fixture, tempDir } from '../helpers/fixtures.js';
import { readWithJunitparser, xmllintSchemaErrors } from '../helpers/validators.js';

describe('--format junit, read back by python3-junitparser', () => {
  it('is valid for Jenkins\' junit-10.xsd; one stable suite, a test case per ELF-looking file, failures naming versions and symbols', async () => {
    const dir = tempDir();
    copyFixture('hello-x86_64', dir, 'metis');
    copyFixture('versioned-x86_64', dir, 'versioned');
    copyFixture('malformed/trunc-40-x86_64', dir, 'truncated');
    copyFixture('nover-x86_64', dir, 'passing');
    writeFileSync(join(dir, 'README'), 'not an ELF file\n');
    const out = join(tempDir(), 'junit.xml');
    const run = await runCli(['check', dir, '--floor', '2.35', '--format', 'junit', '--output', out], { inProcess: true });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(xmllintSchemaErrors(out)).toBe('');

    const doc = readWithJunitparser(out);
    expect(doc.suites).toHaveLength(1);
    const suite = doc.suites[0]!;
    expect({ tests: suite.tests, failures: suite.failures, errors: suite.errors, skipped: suite.skipped }).toEqual({ tests: 4, failures: 2, errors: 1, skipped: 0 });
    expect({ tests: doc.tests, failures: doc.failures, errors: doc.errors }).toEqual({ tests: 4, failures: 2, errors: 1 });
    expect(suite.name).toBe('glibc-floor');
    expect(suite.time).toBeGreaterThan(0);
    // Ant's form: local time, no zone.
    expect(suite.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect(suite.properties).toEqual({ 'glibc-floor.version': expect.any(String), 'glibc-floor.command': 'check', 'floor.GLIBC': '2.35', 'skipped.not-elf': '1' });
    // Each case's own time, in the schema's milliseconds: a small file is read and judged in well
    // under one (blocking reads on a warm cache), so 0.000 is a true answer; the attribute is always there.
    for (const testCase of suite.cases) expect(testCase.time).toBeGreaterThanOrEqual(0);
    expect(readFileSync(out, 'utf8').match(/<testcase [^>]*\btime="\d+\.\d{3}"/g)).toHaveLength(suite.cases.length);

    const byName = new Map(suite.cases.map((entry) => [entry.name, entry]));
    // README is not ELF: counted in a property, not a test case.
    expect([...byName.keys()].sort()).toEqual(['metis', 'passing', 'truncated', 'versioned'].map((name) => `${dir}/${name}`).sort());

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
    expect(byName.get(`${dir}/passing`)!.passed).toBe(true);
  });

  it('carries warnings (weak needs) in system-out, never in the failure', async () => {
    const dir = tempDir();
    const out = join(dir, 'junit.xml');
    // weak-need-unused needs GLIBC_2.35 weakly, for the weak symbol weakonly only: a warning.
    const run = await runCli(['check', fixture('weak-need-unused-x86_64'), '--floor', '2.34', '--format', 'junit', '-o', out], { inProcess: true });
    expect(run.code).toBe(1);
    const testCase = readWithJunitparser(out).suites[0]!.cases[0]!;
    expect(testCase.results[0]!.message).toContain('GLIBC_2.36 > 2.34: func236');
    expect(testCase.results[0]!.message).not.toContain('GLIBC_2.35');
    expect(testCase.system_out).toMatch(/^warning \(weak need.*\): GLIBC_2\.35 from libc\.so\.6 is above the GLIBC floor 2\.34; symbols: weakonly$/m);
  });

  it('escapes paths with XML metacharacters and drops characters XML cannot carry', async () => {
    const dir = tempDir();
    const name = 'a&b<c>"d\'e\u0001f';
    copyFixture('hello-x86_64', dir, name);
    const out = join(dir, 'junit.xml');
    await runCli(['check', dir, '--floor', '2.35', '--format', 'junit', '-o', out], { inProcess: true });
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
