import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';

/** repoRoot is the checkout this test runs in; fixtures and bin/ are resolved from it. */
export const repoRoot = resolve(import.meta.dirname, '../..');
export const cliPath = join(repoRoot, 'bin', 'glibc-floor');

export function fixture(name: string): string {
  return join(repoRoot, 'fixtures', name);
}

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** runCli spawns the built CLI as a user would, without color. */
export function runCli(args: readonly string[], cwd = repoRoot, env: Record<string, string> = {}): CliRun {
  const result = spawnSync(process.execPath, [cliPath, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', NO_COLOR: '1', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** tempDir makes a fresh directory under the system's temporary directory. */
export function tempDir(prefix = 'glibc-floor-ci-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** copyFixture copies a fixture into `directory` under `name`; returns the new path. */
export function copyFixture(fixtureName: string, directory: string, name = fixtureName): string {
  const target = join(directory, name);
  copyFileSync(fixture(fixtureName), target);
  return target;
}

/** validateReportJson checks a JSON report against the repository's schema/report.schema.json. */
export function validateReportJson(report: unknown): string[] {
  const schema = JSON.parse(readFileSync(resolve(repoRoot, 'schema/report.schema.json'), 'utf8')) as object;
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
  return validate(report) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
}

/** noStackTrace: stderr must never show a JavaScript stack trace. */
export function hasStackTrace(stderr: string): boolean {
  return /^\s+at /m.test(stderr) || /TypeError|RangeError|ReferenceError/.test(stderr);
}

