import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixtures = join(repoRoot, 'fixtures');

function validator(path: string) {
  const ajv = new Ajv2020.default({ allErrors: true, strict: false });
  return ajv.compile(JSON.parse(readFileSync(path, 'utf8')) as object);
}

/** validateReport checks a check/show document against the project's schema/report.schema.json. */
export const validateReport = validator(join(repoRoot, 'schema', 'report.schema.json'));
/** validateDiff checks a diff document against the repository's schema/diff.schema.json. */
export const validateDiff = validator(join(repoRoot, 'schema', 'diff.schema.json'));
