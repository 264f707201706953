import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixtures = join(repoRoot, 'fixtures');

/** runCli spawns the built CLI as a user would, without color (explain and compare tests). */
export function runCli(args: readonly string[], cwd = repoRoot): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(repoRoot, 'bin', 'glibc-floor'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function validator(path: string) {
  const ajv = new Ajv2020.default({ allErrors: true, strict: false });
  return ajv.compile(JSON.parse(readFileSync(path, 'utf8')) as object);
}

/** validateReport checks a check/show document against the repository's schema/report.schema.json. */
export const validateReport = validator(join(repoRoot, 'schema', 'report.schema.json'));
/** validateDiff checks a diff document against the repository's schema/diff.schema.json. */
export const validateDiff = validator(join(repoRoot, 'schema', 'diff.schema.json'));
