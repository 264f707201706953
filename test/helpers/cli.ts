import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect } from 'vitest';
import { repoRoot, reportSchemaPath } from './fixtures.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** runCli spawns bin/glibc-floor as a user would (built dist/), with color off unless env says otherwise. */
export function runCli(args: string[], env: Record<string, string> = {}, cwd = repoRoot): CliRun {
  const result = spawnSync(process.execPath, [join(repoRoot, 'bin', 'glibc-floor'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', ...env },
    maxBuffer: 1 << 28,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile(JSON.parse(readFileSync(reportSchemaPath, 'utf8')) as object);

/** expectValidReport parses JSON output, validates it against schema/report.schema.json and returns it. */
export function expectValidReport(text: string): Record<string, any> {
  const report = JSON.parse(text) as Record<string, any>;
  const ok = validate(report);
  expect(ok ? [] : validate.errors).toEqual([]);
  return report;
}

/** expectNoStackTrace asserts stderr has no JavaScript stack trace or internal error names. */
export function expectNoStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at .+\(.*:\d+:\d+\)$/m);
  expect(stderr).not.toMatch(/TypeError|RangeError|ReferenceError|SyntaxError|internal error/);
}
