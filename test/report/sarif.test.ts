import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactLocation, OUTSIDE_NAMED } from '../../src/report/sarif.js';
import { runCli } from '../helpers/cli.js';
import { copyFixture, tempDir } from '../helpers/fixtures.js';
import { multitoolValidate, schemaValidate, type SarifLog } from '../helpers/validators.js';

function failingTree(): string {
  const dir = tempDir();
  copyFixture('hello-x86_64', dir, 'metis plugin');
  copyFixture('versioned-x86_64', dir, 'versioned#1');
  copyFixture('weak-need-unused-x86_64', dir, 'weak');
  copyFixture('malformed/trunc-40-x86_64', dir, 'truncated');
  copyFixture('nover-x86_64', dir, 'passing');
  return dir;
}

describe('--format sarif', async () => {
  const dir = failingTree();
  writeFileSync(
    join(dir, '.glibc-floor.json'),
    JSON.stringify({ floors: { GLIBC: '2.34' }, waivers: [{ version: 'GLIBC_2.36', symbols: ['arc4random'], reason: 'arc4random is only called on 2.36+ hosts' }] }),
  );
  const outDir = tempDir();
  const file = join(outDir, 'glibc-floor.sarif');
  const run = await runCli(['check', '.', '--format', 'sarif', '--output', file], { inProcess: true, cwd: dir });
  const text = readFileSync(file, 'utf8');
  const log = JSON.parse(text) as SarifLog;

  it('passes Microsoft\'s validator without a single finding, with its SARIF rules and its GitHub rules', async () => {
    expect(run.code).toBe(2);
    expect(await multitoolValidate(file)).toEqual([]);
  });

  it('is valid against the SARIF 2.1.0 JSON schema (Ajv)', () => {
    expect(schemaValidate(log)).toEqual([]);
  });

  it('has one rule per kind of finding and results naming version and symbols at the artifact path', () => {
    const sarifRun = log.runs[0]!;
    expect(sarifRun.tool.driver.rules.map((rule) => [rule.id, rule.name, rule.defaultConfiguration.level])).toEqual([
      ['GF1001', 'VersionAboveFloor', 'error'],
      ['GF1002', 'PrivateGlibcSymbol', 'error'],
      ['GF1003', 'UnprovableVersion', 'error'],
      ['GF1004', 'UnreadableFile', 'error'],
      ['GF1005', 'WeakNeedAboveFloor', 'warning'],
      ['GF1006', 'VersionNotDefined', 'error'],
      ['GF1007', 'NeededLibrary', 'error'],
      ['GF1008', 'SymbolNotDefined', 'error'],
      ['GF1009', 'ExecutableStackSharedObject', 'error'],
      ['GF1010', 'IsaLevelAboveCpu', 'error'],
      ['GF1011', 'ExecutableStackProgram', 'note'],
      ['GF1012', 'ObjectWithoutGnuStackNote', 'note'],
    ]);
    for (const result of sarifRun.results) expect(sarifRun.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
    const at = (uri: string) => sarifRun.results.filter((result) => result.locations[0]!.physicalLocation.artifactLocation.uri === uri);

    const versioned = at('versioned%231');
    expect(versioned.map((result) => result.ruleId).sort()).toEqual(['GF1001', 'GF1001', 'GF1001', 'GF1002']);
    const above99 = versioned.find((result) => result.properties?.version === 'GLIBC_2.99')!;
    expect(above99.message.text).toBe('GLIBC_2.99 from libc.so.6 is above the GLIBC floor 2.34; symbols: newfunc, newweak.');
    expect(versioned.find((result) => result.ruleId === 'GF1002')!.message.text).toMatch(/^GLIBC_PRIVATE from libc\.so\.6 .*symbols: privfunc\.$/);

    const metis = at('metis%20plugin');
    expect(metis).toHaveLength(1);
    expect(metis[0]!.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'arc4random is only called on 2.36+ hosts' }]);

    const weak = at('weak').filter((result) => result.ruleId === 'GF1005');
    expect(weak.map((result) => [result.level, result.properties?.version])).toEqual([['warning', 'GLIBC_2.35']]);
    expect(at('truncated').map((result) => [result.ruleId, result.level])).toEqual([['GF1004', 'error']]);
    expect(at('passing')).toEqual([]);
  });

  it('is deterministic: the same inputs give the same bytes', async () => {
    const again = join(outDir, 'again.sarif');
    await runCli(['check', '.', '--format', 'sarif', '--output', again], { inProcess: true, cwd: dir });
    expect(readFileSync(again, 'utf8')).toBe(text);
  });
});

type Notified = { runs: { invocations: { toolExecutionNotifications: { message: { text: string } }[] }[] }[] };

describe('inputs outside the source root', () => {
  it('are counted in one warning that names the first few, however many there are', async () => {
    const outside = tempDir();
    const count = OUTSIDE_NAMED + 5;
    for (let i = 0; i < count; i++) copyFixture('nover-x86_64', outside, `f${String(i).padStart(2, '0')}`);
    const run = await runCli(['check', outside, '--no-config', '--floor', '2.31', '--format', 'sarif'], { inProcess: true, cwd: tempDir() });
    expect(run.code).toBe(0);
    const [notification, ...others] = (JSON.parse(run.stdout) as Notified).runs[0]!.invocations[0]!.toolExecutionNotifications;
    expect(others).toEqual([]);
    const text = notification!.message.text;
    expect(text).toMatch(new RegExp(`^${count} inputs are outside the source root `));
    expect(text.endsWith(` and 5 more`)).toBe(true);
    expect(text.match(/f\d\d/g)).toEqual(Array.from({ length: OUTSIDE_NAMED }, (_, i) => `f${String(i).padStart(2, '0')}`));
  });
});

describe('artifactLocation', () => {
  const location = { cwd: '/work/repo/sub', sourceRoot: '/work/repo' };
  it('makes paths inside the source root relative to %SRCROOT%, percent-encoding each segment', () => {
    expect(artifactLocation('./bin/metis plugin', location)).toEqual({ uri: 'sub/bin/metis%20plugin', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('bin/a%b#c?d', location)).toEqual({ uri: 'sub/bin/a%25b%23c%3Fd', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('c:odd/x', location)).toEqual({ uri: 'sub/c%3Aodd/x', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('/work/repo/dist/app', location)).toEqual({ uri: 'dist/app', uriBaseId: '%SRCROOT%' });
  });
  it('gives paths outside it (absolute, or above it) an absolute file: URI and no base', () => {
    expect(artifactLocation('/usr/bin/ls', location)).toEqual({ uri: 'file:///usr/bin/ls' });
    expect(artifactLocation('../../bin/ls', location)).toEqual({ uri: 'file:///work/bin/ls' });
    expect(artifactLocation('/work/repo-other/x', location)).toEqual({ uri: 'file:///work/repo-other/x' });
  });
});
