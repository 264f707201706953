import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../helpers/fixtures.js';

// A user's clone, or the npm package, has only the repository: no file beside it. Nothing a user
// reads or runs may point outside it (the contract's reference files live next to the project's
// own clone only; CI may cross-check against them in .ci/run, never in a test).
const outside = ['../shared', "'..', 'shared'", 'CONTRACT.md', 'glibc-facts'];

/** tracked lists the repository's files under the given paths (the working tree's view of git). */
function tracked(paths: string[]): string[] {
  const result = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', ...paths], { cwd: repoRoot, encoding: 'utf8' });
  return result.stdout.split('\n').filter(Boolean);
}

describe.runIf(spawnSync('git', ['rev-parse'], { cwd: repoRoot }).status === 0)('the repository is self-contained', () => {
  test('src, tests, README, docs, examples and the action cite no file outside the repository', () => {
    // This file names the patterns it looks for; every other file is read.
    const files = tracked(['src', 'test', 'README.md', 'docs', 'examples', 'action.yml', 'package.json']).filter((file) => file !== 'test/package/self-contained.test.ts');
    expect(files.length).toBeGreaterThan(50);
    const hits = files.flatMap((file) => {
      const lines = readFileSync(join(repoRoot, file), 'utf8').split('\n');
      return lines.flatMap((line, index) => (outside.some((needle) => line.includes(needle)) ? [`${file}:${index + 1}: ${line.trim()}`] : []));
    });
    expect(hits).toEqual([]);
  });
});
