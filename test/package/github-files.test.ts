import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/action-parser';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/fixtures.js';

// GitHub's own parser and schema for workflows and action.yml (@actions/workflow-parser, from
// actions/languageservices): what the runner would reject, these tests reject.
const errors = (result: { context: { errors: { getErrors(): { message: string }[] } } }) => result.context.errors.getErrors().map((error) => error.message);
const file = (path: string) => ({ name: path, content: readFileSync(join(repoRoot, path), 'utf8') });

describe('GitHub files parse with GitHub\'s workflow parser', () => {
  test.each(['.github/workflows/release.yml', 'examples/github/glibc-floor.yml'])('%s is a valid workflow', (path) => {
    expect(errors(parseWorkflow(file(path), new NoOperationTraceWriter()))).toEqual([]);
  });

  test('action.yml is a valid action', () => {
    expect(errors(parseAction(file('action.yml'), new NoOperationTraceWriter()))).toEqual([]);
  });

  test('the parser does reject a broken workflow (the check can fail)', () => {
    const broken = { name: 'broken.yml', content: 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: true\n        uses: actions/checkout@v4\n' };
    expect(errors(parseWorkflow(broken, new NoOperationTraceWriter())).length).toBeGreaterThan(0);
  });
});

describe('.github/workflows/release.yml', () => {
  const workflow = parse(readFileSync(join(repoRoot, '.github/workflows/release.yml'), 'utf8'));
  const runs = (workflow.jobs.release.steps as { run?: string }[]).map((step) => step.run ?? '').join('\n');

  test('runs on version tags, builds with npm run release, tests, and attaches every release file', () => {
    expect(workflow.on.push.tags).toEqual(['v*']);
    expect(workflow.permissions).toEqual({ contents: 'write' });
    expect(runs.indexOf('npm ci')).toBeLessThan(runs.indexOf('npm run release'));
    expect(runs.indexOf('npm run release')).toBeLessThan(runs.indexOf('npm test'));
    expect(runs).toContain('release/glibc-floor-linux-*');
    expect(runs).toContain('release/SHA256SUMS');
    expect(runs).toContain('--notes-file release/RELEASE-NOTES.md');
  });
});
