import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cliPath, copyFixture, repoRoot, tempDir } from './helpers.js';

const packageVersion = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const localCli = `${process.execPath} ${cliPath}`;

function make(binary: string, artifacts: string) {
  return spawnSync('make', ['-f', join(repoRoot, 'examples/Makefile'), 'test-glibc-floor', `GLIBC_FLOOR=${localCli}`, `GLIBC_FLOOR_BINARIES=${binary}`, `ARTIFACTS=${artifacts}`], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', NO_COLOR: '1' },
  });
}

describe('examples/Makefile', () => {
  it('passes (exit 0) for a binary within the floor and leaves a JUnit file', () => {
    const dir = tempDir();
    const binary = copyFixture('nover-x86_64', dir, 'plain');
    const run = make(binary, join(dir, 'artifacts'));
    expect(run.status).toBe(0);
    expect(readFileSync(join(dir, 'artifacts/junit_glibc_floor.xml'), 'utf8')).toMatch(/<testsuite [^>]*tests="1" failures="0"/);
  });

  it('makes make fail for a binary above the floor, with the symbols in its output', () => {
    const dir = tempDir();
    const binary = copyFixture('hello-x86_64', dir, 'metis');
    const run = make(binary, join(dir, 'artifacts'));
    expect(run.status).not.toBe(0);
    expect(run.stdout).toMatch(/GLIBC_2\.36 > 2\.35 from libc\.so\.6\n\s+arc4random/);
    expect(run.stderr).toMatch(/test-glibc-floor\] Error 1/);
    expect(readFileSync(join(dir, 'artifacts/junit_glibc_floor.xml'), 'utf8')).toContain('GLIBC_2.36 &gt; 2.35: arc4random');
  });
});

describe('CI examples', () => {
  const files = ['examples/Makefile', 'examples/prow/presubmit.yaml', 'examples/github/glibc-floor.yml', 'examples/gitlab/.gitlab-ci.yml', 'action.yml'];
  it('pin the published CLI at this package version', () => {
    for (const file of files) {
      const text = readFileSync(join(repoRoot, file), 'utf8');
      const pins = [...text.matchAll(/glibc-floor@v?(\d+\.\d+\.\d+)|GLIBC_FLOOR_VERSION \?= (\S+)|default: (\d+\.\d+\.\d+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
      expect(pins.length, file).toBeGreaterThan(0);
      for (const pin of pins) expect(pin, file).toBe(packageVersion);
    }
  });

  it('are valid YAML with the keys each CI system reads', () => {
    const prow = parse(readFileSync(join(repoRoot, 'examples/prow/presubmit.yaml'), 'utf8'));
    const job = prow.presubmits['example-org/example-repo'][0];
    expect(job.decorate).toBe(true);
    expect(job.spec.containers[0].args[0]).toContain('--report junit="${ARTIFACTS}/junit_glibc_floor.xml"');
    const gitlab = parse(readFileSync(join(repoRoot, 'examples/gitlab/.gitlab-ci.yml'), 'utf8'));
    expect(gitlab['glibc-floor'].artifacts).toEqual({ when: 'always', reports: { junit: 'junit_glibc_floor.xml' } });
    expect(gitlab['glibc-floor'].script.join('\n')).toContain('--report junit=junit_glibc_floor.xml');
    const github = parse(readFileSync(join(repoRoot, 'examples/github/glibc-floor.yml'), 'utf8'));
    const steps = github.jobs['glibc-floor'].steps as { uses?: string; run?: string; with?: Record<string, string> }[];
    expect(steps.some((step) => step.run?.includes('--format github --report sarif=glibc-floor.sarif'))).toBe(true);
    expect(steps.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif'))!.with!['sarif_file']).toBe('glibc-floor.sarif');
  });

  it('run as written: the GitLab and Prow commands give the CI its JUnit file (with the local CLI for npx)', () => {
    const gitlab = parse(readFileSync(join(repoRoot, 'examples/gitlab/.gitlab-ci.yml'), 'utf8'));
    const prow = parse(readFileSync(join(repoRoot, 'examples/prow/presubmit.yaml'), 'utf8'));
    const scripts: [string, string, string][] = [
      ['gitlab', gitlab['glibc-floor'].script.join('\n'), 'junit_glibc_floor.xml'],
      ['prow', prow.presubmits['example-org/example-repo'][0].spec.containers[0].args[0], 'artifacts/junit_glibc_floor.xml'],
    ];
    for (const [name, script, junit] of scripts) {
      const dir = tempDir();
      spawnSync('mkdir', ['-p', join(dir, 'bin'), join(dir, 'artifacts')]);
      copyFixture('hello-x86_64', join(dir, 'bin'), 'metis');
      const runnable = script.replace(/^make build$/m, 'true').replace(/npx --yes glibc-floor@\S+/g, localCli);
      const run = spawnSync('bash', ['-c', runnable], { cwd: dir, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', ARTIFACTS: join(dir, 'artifacts') } });
      expect(run.status, name).toBe(1);
      expect(readFileSync(join(dir, junit), 'utf8'), name).toContain('<failure message="GLIBC_2.36 &gt; 2.35: arc4random"');
    }
  });
});
