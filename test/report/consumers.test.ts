/**
 * Each CI report checked against its consumer's own requirements on a real scan with failures:
 * this machine's /usr/bin (Debian 12's binaries need glibc 2.32-2.36) against a 2.31 floor, every
 * format written by one run, so the counts can be compared across formats.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliPath, runCli, type CliRun } from '../helpers/cli.js';
import { copyFixture, fixturePath as fixture, tempDir } from '../helpers/fixtures.js';
import { multitoolValidate, readWithJunitparser, schemaValidate, xmllintSchemaErrors } from '../helpers/validators.js';

const SCANNED = '/usr/bin';
const out = tempDir();
const file = (name: string) => join(out, name);
let run: CliRun;
let json: { summary: { files: number; passed: number; failed: number; errors: number; skipped: number }; files: { path: string; status: string; reason?: string }[] };

interface SarifResult {
  ruleId: string;
  partialFingerprints: Record<string, string>;
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number } } }[];
  properties?: { library?: string; version?: string };
}
interface SarifRun {
  automationDetails: { id: string };
  originalUriBaseIds: Record<string, { uri: string }>;
  invocations: { toolExecutionNotifications: { message: { text: string } }[] }[];
  tool: { driver: { rules: { help: { text: string; markdown: string }; properties: Record<string, unknown> }[] } };
  properties: { summary: Record<string, number> };
  results: SarifResult[];
}
/**
 * scanCli runs the CLI like runCli, but without blocking the test worker: a scan of /usr/bin on a
 * loaded machine can take longer than vitest waits for a blocked worker to answer.
 */
function scanCli(args: readonly string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliPath, ...args], { cwd: out, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', NO_COLOR: '1', ...env }, maxBuffer: 1 << 28 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
  });
}

const sarifRun = () => (JSON.parse(readFileSync(file('scan.sarif'), 'utf8')) as { runs: SarifRun[] }).runs[0]!;

beforeAll(async () => {
  // One run, every format: the source root is / so /usr/bin paths are inside it.
  writeFileSync(file('summary.md'), '');
  run = await scanCli(
    ['check', SCANNED, '--no-config', '--floor', '2.31', '--source-root', '/', '--format', 'github',
      ...['json', 'sarif', 'junit', 'text', 'markdown'].map((format) => `--report=${format}=${file(`scan.${format}`)}`)],
    { GITHUB_STEP_SUMMARY: file('summary.md') },
  );
  json = JSON.parse(readFileSync(file('scan.json'), 'utf8')) as typeof json;
}, 120_000);

describe(`check ${SCANNED} --floor 2.31, a real scan with failures`, () => {
  it('fails with enough failing files to exceed GitHub\'s annotation limit', () => {
    expect(run.code).toBe(1);
    expect(json.summary.failed).toBeGreaterThan(10);
  });

  it('every format says the same counts, from the one run summary', () => {
    const s = json.summary;
    const counts = `${s.files} files: ${s.passed} passed, ${s.failed} failed, ${s.errors} errors, ${s.skipped} skipped`;
    expect(run.stdout.trimEnd().split('\n').at(-1)).toMatch(new RegExp(`^glibc-floor: fail: ${counts}`));
    expect(readFileSync(file('scan.text'), 'utf8').trimEnd().split('\n').at(-1)).toMatch(new RegExp(`^${counts}( \\([^)]*\\))? - floor GLIBC 2\\.31`));
    expect(readFileSync(file('scan.markdown'), 'utf8')).toContain(`${counts}.`);
    expect(readFileSync(file('summary.md'), 'utf8')).toContain(`${counts}.`);
    expect(sarifRun().properties.summary).toEqual(s);
    const suite = readWithJunitparser(file('scan.junit')).suites[0]!;
    const notElf = json.files.filter((entry) => entry.reason === 'not-elf').length;
    expect({ tests: suite.tests, failures: suite.failures, errors: suite.errors, skipped: suite.skipped, notElf: Number(suite.properties['skipped.not-elf']) })
      .toEqual({ tests: s.files - notElf, failures: s.failed, errors: s.errors, skipped: s.skipped - notElf, notElf });
  });
});

describe('SARIF for GitHub code scanning', () => {
  it('passes Microsoft\'s validator (SARIF and GitHub rules) and the SARIF 2.1.0 schema', async () => {
    expect(await multitoolValidate(file('scan.sarif'))).toEqual([]);
    expect(schemaValidate(JSON.parse(readFileSync(file('scan.sarif'), 'utf8')))).toEqual([]);
  }, 180_000);

  it('locates every result relative to %SRCROOT% with the region GitHub requires', () => {
    const sarif = sarifRun();
    expect(sarif.originalUriBaseIds['%SRCROOT%']).toEqual({ uri: 'file:///' });
    expect(sarif.results.length).toBeGreaterThan(json.summary.failed);
    for (const result of sarif.results) {
      const location = result.locations[0]!.physicalLocation;
      expect(location.region).toEqual({ startLine: 1 });
      expect(location.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(location.artifactLocation.uri).toMatch(/^usr\/bin\/[^/]/);
    }
    expect(sarif.invocations[0]!.toolExecutionNotifications).toEqual([]);
  });

  it('gives every result its own primaryLocationLineHash', () => {
    const results = sarifRun().results;
    const hashes = results.map((result) => result.partialFingerprints['primaryLocationLineHash']!);
    for (const hash of hashes) expect(hash).toMatch(/^[0-9a-f]{16}:1$/);
    expect(new Set(hashes).size).toBe(results.length);
  });

  it('has rules with help text and Markdown, tags, and no security severity; a per-architecture category', () => {
    const sarif = sarifRun();
    for (const rule of sarif.tool.driver.rules) {
      expect(rule.help.text).toMatch(/Fix: /);
      expect(rule.help.markdown).toMatch(/\*\*Fix:\*\* /);
      expect(rule.properties['tags']).toContain('portability');
      expect(rule.properties).not.toHaveProperty('security-severity');
    }
    expect(sarif.automationDetails.id).toMatch(/^glibc-floor\/check\/[a-z0-9_+-]+\/$/);
  });

  it('keeps fingerprints across runs from another directory, and names inputs outside the source root', () => {
    const repo = tempDir();
    copyFixture('hello-x86_64', repo, 'app');
    mkdirSync(join(repo, 'sub'));
    const fromRoot = runCli(['check', 'app', '--no-config', '--floor', '2.31', '--format', 'sarif'], { cwd: repo });
    const fromSub = runCli(['check', '../app', fixture('nover-x86_64'), '--no-config', '--floor', '2.31', '--format', 'sarif'], { cwd: join(repo, 'sub'), env: { GITHUB_WORKSPACE: repo } });
    const [a, b] = [fromRoot, fromSub].map((result) => (JSON.parse(result.stdout) as { runs: SarifRun[] }).runs[0]!);
    expect(a!.results[0]!.partialFingerprints).toEqual(b!.results.find((result) => result.locations[0]!.physicalLocation.artifactLocation.uri === 'app')!.partialFingerprints);
    expect(b!.invocations[0]!.toolExecutionNotifications[0]!.message.text).toContain(fixture('nover-x86_64'));
  });
});

describe('GitHub annotations and job summary', () => {
  const lines = () => run.stdout.trimEnd().split('\n');

  it('prints at most 10 ::error annotations, one per file, then one ::notice with the rest and the full report', () => {
    const errors = lines().filter((line) => line.startsWith('::error '));
    expect(errors).toHaveLength(10);
    expect(new Set(errors.map((line) => /file=([^,]*)/.exec(line)![1])).size).toBe(10);
    expect(lines().filter((line) => line.startsWith('::warning ')).length).toBeLessThanOrEqual(10);
    const notices = lines().filter((line) => line.startsWith('::notice '));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`${json.summary.failed + json.summary.errors - 10} more failing or unreadable files are not annotated`);
    expect(notices[0]).toContain(file('scan.json'));
  });

  it('writes a Markdown job summary: result, floor, a row per failing file, causes with fixes, skip reasons', () => {
    const summary = readFileSync(file('summary.md'), 'utf8');
    expect(summary).toMatch(/^## glibc-floor: fail, \d+ files above the floor\n/);
    expect(summary).toContain('Floor: GLIBC 2.31.');
    expect(summary).toContain('| File | Above the floor | Leading symbols |');
    expect(summary.split('\n').filter((line) => line.startsWith('| `/usr/bin/'))).toHaveLength(json.summary.failed);
    expect(summary).toContain('### Causes and fixes');
    expect(summary).toMatch(/Skipped: .*\d+ not-elf/);
    expect(summary).toBe(readFileSync(file('scan.markdown'), 'utf8').replace(/; the full report is [^.]*/, '') + '\n');
  });

  it('stays under GitHub\'s 1 MiB per step, cutting the table and saying so', async () => {
    const summaryFile = file('full-summary.md');
    const earlier = 1024 * 1024 - 20_000;
    writeFileSync(summaryFile, 'x'.repeat(earlier));
    const again = await scanCli(['check', SCANNED, '--no-config', '--floor', '2.31', '--format', 'github'], { GITHUB_STEP_SUMMARY: summaryFile });
    expect(again.code).toBe(1);
    expect(statSync(summaryFile).size).toBeLessThanOrEqual(1024 * 1024);
    expect(statSync(summaryFile).size).toBeGreaterThan(earlier + 1000);
    expect(readFileSync(summaryFile, 'utf8')).toMatch(/\n\d+ more files not listed \(GitHub takes 1 MiB of job summary per step\)/);
  }, 120_000);
});

describe('JUnit for Jenkins and junitparser', () => {
  it('is valid against Jenkins xUnit\'s junit-10.xsd', () => {
    expect(xmllintSchemaErrors(file('scan.junit'))).toBe('');
  });

  it('has a stable suite, a time on every test case, and no test cases for non-ELF files', () => {
    const suite = readWithJunitparser(file('scan.junit')).suites[0]!;
    expect(suite.name).toBe('glibc-floor');
    expect(suite.properties['floor.GLIBC']).toBe('2.31');
    const notElf = new Set(json.files.filter((entry) => entry.reason === 'not-elf').map((entry) => entry.path));
    expect(suite.cases.filter((testCase) => notElf.has(testCase.name))).toEqual([]);
    for (const testCase of suite.cases) expect(testCase.time).toBeGreaterThanOrEqual(0);
    expect(readFileSync(file('scan.junit'), 'utf8').match(/<testcase /g)!.length).toBe(readFileSync(file('scan.junit'), 'utf8').match(/<testcase [^>]* time="\d+\.\d{3}"/g)!.length);
  });
});
