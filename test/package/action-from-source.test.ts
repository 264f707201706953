import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { runAction } from '../helpers/action-runner.js';
import { fixturePath, repoRoot } from '../helpers/fixtures.js';

// The composite action as a workflow gets it: the runner checks out this repository (its tracked
// files, nothing built) into GITHUB_ACTION_PATH, and the action's install step runs npm ci there
// (prepare builds dist/), with no package registry asked for glibc-floor itself. The dependencies
// come from npm's cache, which this checkout's own npm ci filled.
const isGitCheckout = spawnSync('git', ['rev-parse'], { cwd: repoRoot }).status === 0;

/** checkout copies the repository's tracked files, as they are in the working tree, to a new directory. */
function checkout(): string {
  const into = mkdtempSync(join(tmpdir(), 'glibc-floor-action-'));
  const files = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' }).stdout;
  const tar = spawnSync('tar', ['--null', '-T', '-', '-cf', '-'], { cwd: repoRoot, input: files, maxBuffer: 1 << 28 });
  expect(tar.status).toBe(0);
  expect(spawnSync('tar', ['-xf', '-', '-C', into], { input: tar.stdout }).status).toBe(0);
  return into;
}

describe.runIf(isGitCheckout)('action.yml from a fresh checkout of the action (npm ci at action time)', () => {
  test('installs, builds and checks: exit 1 above the floor, with the annotations and a valid JSON report', () => {
    const actionPath = checkout();
    const workspace = mkdtempSync(join(tmpdir(), 'glibc-floor-workspace-'));
    mkdirSync(join(workspace, 'bin'));
    spawnSync('cp', [fixturePath('hello-x86_64'), join(workspace, 'bin', 'metis')]);
    const run = runAction(
      { paths: 'bin/', floor: '2.35', format: 'github', report: 'json=report.json' },
      { cwd: workspace, actionPath, path: `${join(process.execPath, '..')}:${process.env['PATH'] ?? '/usr/bin:/bin'}` },
    );
    expect(run.steps['node']).toEqual({ setup: 'false' });
    expect(run.stderr).not.toMatch(/could not install/);
    expect(run.status).toBe(1);
    expect(run.outputs['exit-code']).toBe('1');
    expect(run.stdout).toContain('::error file=bin/metis,title=glibc-floor%3A GLIBC_2.36 > 2.35::');
    const report = JSON.parse(readFileSync(join(workspace, 'report.json'), 'utf8')) as { result: string; tool: { version: string } };
    expect(report.result).toBe('fail');
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(actionPath, 'schema/report.schema.json'), 'utf8')) as object);
    expect(validate(report) ? [] : validate.errors).toEqual([]);
    expect(report.tool.version).toBe(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version);
  });
});
