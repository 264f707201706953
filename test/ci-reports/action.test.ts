import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cliPath, copyFixture, repoRoot, tempDir } from './helpers.js';

interface ActionStep { id?: string; shell?: string; run?: string; env?: Record<string, string> }
interface Action { inputs: Record<string, { default?: string; required?: boolean }>; runs: { using: string; steps: ActionStep[] } }

const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as Action;

/** substitute replaces `${{ inputs.x }}` as the Actions runner would, with the given or default value. */
function substitute(text: string, inputs: Record<string, string>): string {
  return text.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, name: string) => inputs[name] ?? action.inputs[name]?.default ?? '');
}

/** runAction runs every shell step of the composite action with bash, in `cwd`, as the runner would. */
function runAction(inputs: Record<string, string>, cwd: string) {
  const outputFile = join(cwd, 'github_output');
  let last;
  for (const step of action.runs.steps) {
    expect(step.shell).toBe('bash');
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, substitute(value, inputs)]));
    // `shell: bash` runs `bash --noprofile --norc -eo pipefail {0}` (GitHub's workflow syntax docs).
    last = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', substitute(step.run!, inputs)], {
      cwd,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', NO_COLOR: '1', GITHUB_OUTPUT: outputFile, ...env },
    });
  }
  return { ...last!, outputs: readFileSync(outputFile, 'utf8') };
}

function workspace(): string {
  const dir = tempDir();
  spawnSync('mkdir', ['-p', join(dir, 'bin')]);
  copyFixture('hello-x86_64', join(dir, 'bin'), 'metis');
  copyFixture('nover-x86_64', join(dir, 'bin'), 'plain');
  return dir;
}

const command = `${process.execPath} ${cliPath}`;

describe('action.yml (composite action)', () => {
  it('is a composite action whose inputs are only passed through the environment', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['paths', 'floor', 'targets', 'format', 'output', 'report']));
    for (const step of action.runs.steps) expect(step.run).not.toMatch(/\$\{\{/);
  });

  it('fails the step (exit 1) above the floor, prints annotations, and leaves JUnit and SARIF files', () => {
    const dir = workspace();
    const run = runAction({ paths: 'bin/', floor: '2.35', report: 'junit=junit.xml\nsarif=glibc-floor.sarif', command }, dir);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('::error file=bin/metis,title=glibc-floor%3A GLIBC_2.36 > 2.35::GLIBC_2.36 from libc.so.6 is above the GLIBC floor 2.35; symbols: arc4random');
    expect(run.outputs).toBe('exit-code=1\n');
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toContain('GLIBC_2.36 &gt; 2.35: arc4random');
    expect(JSON.parse(readFileSync(join(dir, 'glibc-floor.sarif'), 'utf8')).runs[0].results[0].ruleId).toBe('GF1001');
  });

  it('passes (exit 0) within the floor, with several floors and the --format output file', () => {
    const dir = workspace();
    const run = runAction({ paths: 'bin/plain', floor: '2.35 GLIBCXX=3.4.30', format: 'junit', output: 'junit.xml', command }, dir);
    expect(run.status).toBe(0);
    expect(run.outputs).toBe('exit-code=0\n');
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toMatch(/<testsuite name="glibc-floor check \(floor GLIBC 2\.35, GLIBCXX 3\.4\.30\)"/);
  });

  it('fails the step (exit 2) on a usage or input error', () => {
    const dir = workspace();
    const run = runAction({ paths: 'bin/missing', floor: '2.35', command }, dir);
    expect(run.status).toBe(2);
    expect(run.outputs).toBe('exit-code=2\n');
    expect(run.stdout).toContain('::error file=bin/missing,title=glibc-floor%3A unreadable file::no such file or directory');
  });

  it('does not let an input inject shell code', () => {
    const dir = workspace();
    const run = runAction({ paths: 'bin/plain', floor: '2.35; touch pwned', command }, dir);
    expect(run.status).toBe(2);
    expect(spawnSync('test', ['-e', join(dir, 'pwned')]).status).toBe(1);
  });
});
