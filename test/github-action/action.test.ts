import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { action, runAction } from '../helpers/action-runner.js';
import { cliPath } from '../helpers/cli.js';
import { copyFixture, repoRoot, tempDir } from '../helpers/fixtures.js';

function workspace(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'bin'), { recursive: true });
  copyFixture('hello-x86_64', join(dir, 'bin'), 'metis');
  copyFixture('nover-x86_64', join(dir, 'bin'), 'plain');
  return dir;
}

/** script writes an executable shell script into `dir` and returns its path. */
function script(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

const command = `${process.execPath} ${cliPath}`;

describe('action.yml (composite action)', () => {
  it('is a composite action whose inputs are only passed through the environment', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['paths', 'floor', 'targets', 'format', 'output', 'report', 'command']));
    for (const step of action.runs.steps) expect(step.run ?? '').not.toMatch(/\$\{\{/);
  });

  it('runs the tool from its own repository, never from a package registry', () => {
    const text = readFileSync(join(repoRoot, 'action.yml'), 'utf8');
    expect(text).not.toMatch(/npx|glibc-floor@/);
    expect(action.runs.steps.find((step) => step.id === 'install')!.run).toContain('cd "$GITHUB_ACTION_PATH" && npm ci');
  });

  it('fails the step (exit 1) above the floor, prints annotations, and leaves JUnit and SARIF files', () => {
    const dir = workspace();
    const run = runAction({ paths: 'bin/', floor: '2.35', report: 'junit=junit.xml\nsarif=glibc-floor.sarif', command }, { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('::error file=bin/metis,title=glibc-floor%3A GLIBC_2.36 > 2.35::GLIBC_2.36 from libc.so.6 is above the GLIBC floor 2.35; symbols: arc4random');
    expect(run.outputs['exit-code']).toBe('1');
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toContain('GLIBC_2.36 &gt; 2.35: arc4random');
    expect(JSON.parse(readFileSync(join(dir, 'glibc-floor.sarif'), 'utf8')).runs[0].results[0].ruleId).toBe('GF1001');
  });

  it('passes (exit 0) within the floor, with several floors and the --format output file', () => {
    const dir = workspace();
    const run = runAction({ paths: 'bin/plain', floor: '2.35 GLIBCXX=3.4.30', format: 'junit', output: 'junit.xml', command }, { cwd: dir });
    expect(run.status).toBe(0);
    expect(run.outputs['exit-code']).toBe('0');
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toMatch(/<testsuite name="glibc-floor" /);
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toContain('<property name="floor.GLIBCXX" value="3.4.30"/>');
  });

  it('fails the step (exit 2) on a usage or input error', () => {
    const dir = workspace();
    const run = runAction({ paths: 'bin/missing', floor: '2.35', command }, { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.outputs['exit-code']).toBe('2');
    expect(run.stdout).toContain('::error file=bin/missing,title=glibc-floor%3A unreadable file::no such file or directory');
  });

  it('does not let an input inject shell code', () => {
    const dir = workspace();
    const run = runAction({ paths: 'bin/plain', floor: '2.35; touch pwned', command }, { cwd: dir });
    expect(run.status).toBe(2);
    expect(spawnSync('test', ['-e', join(dir, 'pwned')]).status).toBe(1);
  });
});

describe('action.yml when the tool cannot be installed or started: exit 2, never a floor breach', () => {
  it('a command that does not exist', () => {
    const dir = workspace();
    const run = runAction({ paths: 'bin/', floor: '2.35', command: join(dir, 'no-such-glibc-floor') }, { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.outputs['exit-code']).toBe('2');
    expect(run.stdout).toMatch(/::error title=glibc-floor::glibc-floor could not start: '.*no-such-glibc-floor --version' exited 127 .*nothing was checked \(exit 2\)/);
  });

  it('a node script that is not built (node itself exits 1: "Cannot find module")', () => {
    const dir = workspace();
    const run = runAction({ paths: 'bin/', floor: '2.35', command: `${process.execPath} ${join(dir, 'dist/cli.js')}` }, { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.outputs['exit-code']).toBe('2');
    expect(run.stdout).toContain('glibc-floor could not start');
    expect(run.stdout).toContain('exited 1 and printed:');
    expect(run.stdout).toContain('Cannot find module');
  });

  it('a command that starts but is not glibc-floor (no version printed)', () => {
    const dir = workspace();
    const run = runAction({ paths: 'bin/', floor: '2.35', command: 'true' }, { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stdout).toContain("could not start: 'true --version' exited 0");
  });

  it('a tool that dies during the check (exit 134) is reported as exit 2', () => {
    const dir = workspace();
    const crashing = script(dir, 'crashing', 'case "$1" in --version) echo 0.1.0 ;; *) exit 134 ;; esac');
    const run = runAction({ paths: 'bin/', floor: '2.35', command: crashing }, { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.outputs['exit-code']).toBe('2');
    expect(run.stdout).toContain('stopped with exit 134, which is not a verdict');
  });

  it('npm ci failing in the action directory', () => {
    const dir = workspace();
    const emptyAction = tempDir();
    const run = runAction({ paths: 'bin/', floor: '2.35' }, { cwd: dir, actionPath: emptyAction });
    expect(run.status).toBe(2);
    expect(run.outputs['exit-code']).toBe('2');
    expect(run.steps['check']).toBeUndefined();
    expect(run.stdout).toMatch(/::error title=glibc-floor::could not install glibc-floor in .* \(npm ci exited \d+\); nothing was checked \(exit 2\)/);
  });
});

describe('action.yml sets up Node.js only when the runner lacks Node.js >= 20', () => {
  const setupStep = action.runs.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));

  it('has a conditional actions/setup-node step for Node.js 20', () => {
    expect(setupStep?.if).toBe("steps.node.outputs.setup == 'true'");
    expect(String(setupStep?.with?.['node-version'])).toBe('20');
  });

  /** probe runs the first step (the Node.js probe) with the given PATH. */
  function probe(path: string, inputs: Record<string, string> = {}) {
    const dir = tempDir();
    // An action directory that cannot install stops the run right after the probe and setup.
    return runAction({ paths: 'bin/', ...inputs }, { cwd: dir, actionPath: tempDir(), path });
  }

  it('no node on PATH: sets it up', () => {
    const run = probe('/nonexistent');
    expect(run.steps['node']).toEqual({ setup: 'true' });
    expect(run.used).toEqual([setupStep!.uses]);
  });

  it('node 18 on PATH: sets it up', () => {
    const bin = tempDir();
    script(bin, 'node', 'echo 18');
    const run = probe(`${bin}:/usr/bin:/bin`);
    expect(run.steps['node']).toEqual({ setup: 'true' });
  });

  it('node 20 or newer on PATH: keeps it', () => {
    const run = probe(`${join(process.execPath, '..')}:/usr/bin:/bin`);
    expect(run.steps['node']).toEqual({ setup: 'false' });
    expect(run.used).toEqual([]);
  });

  it('a command given: neither sets up Node.js nor installs', () => {
    const dir = workspace();
    const run = runAction({ paths: 'bin/plain', floor: '2.35', command }, { cwd: dir, path: `${join(process.execPath, '..')}:/usr/bin:/bin` });
    expect(run.steps['node']).toEqual({ setup: 'false' });
    expect(run.steps['install']).toBeUndefined();
    expect(run.status).toBe(0);
  });
});
