import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toArtifactUri } from '../../src/report/sarif.js';
import { runCli } from '../helpers/cli.js';
import { copyFixture, multitoolValidate, schemaValidate, tempDir, type SarifLog } from './helpers.js';

function failingTree(): string {
  const dir = tempDir();
  copyFixture('hello-x86_64', dir, 'metis plugin');
  copyFixture('versioned-x86_64', dir, 'versioned#1');
  copyFixture('weak-need-unused-x86_64', dir, 'weak');
  copyFixture('malformed/trunc-40-x86_64', dir, 'truncated');
  copyFixture('nover-x86_64', dir, 'passing');
  return dir;
}

describe('--format sarif', () => {
  const dir = failingTree();
  writeFileSync(
    join(dir, '.glibc-floor.json'),
    JSON.stringify({ floors: { GLIBC: '2.34' }, waivers: [{ version: 'GLIBC_2.36', symbols: ['arc4random'], reason: 'arc4random is only called on 2.36+ hosts' }] }),
  );
  const outDir = tempDir();
  const file = join(outDir, 'glibc-floor.sarif');
  const run = runCli(['check', '.', '--format', 'sarif', '--output', file], { cwd: dir });
  const text = readFileSync(file, 'utf8');
  const log = JSON.parse(text) as SarifLog;

  it('is valid SARIF 2.1.0 for Microsoft\'s validator (no error; only the whole-file location note)', () => {
    expect(run.code).toBe(2);
    const findings = multitoolValidate(file);
    expect(findings.filter((finding) => finding.level === 'error')).toEqual([]);
    // SARIF2017 asks for a text region; a finding about a whole binary has none to give.
    expect([...new Set(findings.map((finding) => finding.ruleId))].filter((id) => id !== 'SARIF2017')).toEqual([]);
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

  it('is deterministic: the same inputs give the same bytes', () => {
    const again = join(outDir, 'again.sarif');
    runCli(['check', '.', '--format', 'sarif', '--output', again], { cwd: dir });
    expect(readFileSync(again, 'utf8')).toBe(text);
  });
});

describe('toArtifactUri', () => {
  it('keeps POSIX relative paths relative and percent-encodes each segment', () => {
    expect(toArtifactUri('./bin/metis plugin')).toBe('bin/metis%20plugin');
    expect(toArtifactUri('bin/a%b#c?d')).toBe('bin/a%25b%23c%3Fd');
    expect(toArtifactUri('c:odd/x')).toBe('c%3Aodd/x');
    expect(toArtifactUri('/usr/bin/ls')).toBe('file:///usr/bin/ls');
    expect(toArtifactUri('img.tar!/usr/bin/x')).toBe('img.tar!/usr/bin/x');
  });
});
