import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cliPath } from '../helpers/cli.js';
import { copyFixture, repoRoot, tempDir } from '../helpers/fixtures.js';

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

/**
 * fakeRelease lays out what a GitHub release of this version serves, under a file:// URL: a
 * stand-in for glibc-floor-linux-x64 (a script that runs this checkout's CLI, so its verdicts are
 * real) and its .sha256. Returns the base URL (GLIBC_FLOOR_RELEASES) and the executable's sha256.
 */
function fakeRelease(): { base: string; sha256: string } {
  const base = tempDir();
  const dir = join(base, `v${packageVersion}`);
  mkdirSync(dir, { recursive: true });
  const executable = join(dir, 'glibc-floor-linux-x64');
  writeFileSync(executable, `#!/bin/sh\nexec ${localCli} "$@"\n`);
  const sha256 = createHash('sha256').update(readFileSync(executable)).digest('hex');
  writeFileSync(`${executable}.sha256`, `${sha256}  glibc-floor-linux-x64\n`);
  return { base: `file://${base}`, sha256 };
}

describe('examples/Makefile: the release executable (the default GLIBC_FLOOR)', () => {
  function makeDefault(dir: string, variables: string[]) {
    copyFixture('hello-x86_64', dir, 'metis');
    return spawnSync('make', ['-f', join(repoRoot, 'examples/Makefile'), 'test-glibc-floor', 'GLIBC_FLOOR_ARCH=x64', 'GLIBC_FLOOR_BINARIES=metis', ...variables], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', NO_COLOR: '1' },
    });
  }
  const executable = `_tools/glibc-floor-${packageVersion}-linux-x64`;

  it('downloads it, checks it against the release .sha256, and runs it', () => {
    const dir = tempDir();
    const release = fakeRelease();
    const run = makeDefault(dir, [`GLIBC_FLOOR_RELEASES=${release.base}`]);
    expect(run.stdout).toMatch(/GLIBC_2\.36 > 2\.35 from libc\.so\.6\n\s+arc4random/);
    expect(run.stderr).toMatch(/test-glibc-floor\] Error 1/);
    expect(existsSync(join(dir, executable))).toBe(true);
    // A second run uses the verified file without downloading again.
    expect(makeDefault(dir, ['GLIBC_FLOOR_RELEASES=file:///nonexistent']).stdout).toContain('arc4random');
  });

  it('accepts a pinned GLIBC_FLOOR_SHA256 that matches', () => {
    const dir = tempDir();
    const release = fakeRelease();
    const run = makeDefault(dir, [`GLIBC_FLOOR_RELEASES=${release.base}`, `GLIBC_FLOOR_SHA256=${release.sha256}`]);
    expect(run.stdout).toContain('arc4random');
  });

  it('refuses a download whose sha256 does not match, and leaves nothing to run', () => {
    const dir = tempDir();
    const release = fakeRelease();
    const run = makeDefault(dir, [`GLIBC_FLOOR_RELEASES=${release.base}`, `GLIBC_FLOOR_SHA256=${'0'.repeat(64)}`]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('glibc-floor: sha256 mismatch');
    expect(run.stdout).not.toContain('arc4random');
    expect(existsSync(join(dir, executable))).toBe(false);
    expect(existsSync(join(dir, `${executable}.download`))).toBe(false);
  });

  it('fails when the release cannot be downloaded', () => {
    const dir = tempDir();
    const run = makeDefault(dir, ['GLIBC_FLOOR_RELEASES=file:///nonexistent']);
    expect(run.status).not.toBe(0);
    expect(existsSync(join(dir, executable))).toBe(false);
  });
});

const exampleFiles = ['examples/Makefile', 'examples/prow/presubmit.yaml', 'examples/github/glibc-floor.yml', 'examples/gitlab/.gitlab-ci.yml'];

describe('CI examples', () => {
  it('pin this package version wherever they name a release', () => {
    for (const file of exampleFiles) {
      const text = readFileSync(join(repoRoot, file), 'utf8');
      const pins = [...text.matchAll(/glibc-floor@v?(\d+\.\d+\.\d+)|GLIBC_FLOOR_VERSION \?= (\S+)|download\/v(\d+\.\d+\.\d+)|glibc-floor-(\d+\.\d+\.\d+)\.tgz/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]);
      expect(pins.length, file).toBeGreaterThan(0);
      for (const pin of pins) expect(pin, file).toBe(packageVersion);
    }
  });

  it('leave no placeholder for the user to fill in', () => {
    for (const file of [...exampleFiles, 'action.yml', 'README.md', 'docs/distribution.md']) {
      const text = readFileSync(join(repoRoot, file), 'utf8');
      expect(text, file).not.toMatch(/\bOWNER\b|example-org|example-repo|your-org|<owner>|TODO/);
    }
  });

  it('are valid YAML with the keys each CI system reads', () => {
    const prow = parse(readFileSync(join(repoRoot, 'examples/prow/presubmit.yaml'), 'utf8'));
    const job = prow.presubmits['glibc-floor/glibc-floor'][0];
    expect(job.decorate).toBe(true);
    expect(job.spec.containers[0].args[0]).toContain('--report junit="${ARTIFACTS}/junit_glibc_floor.xml"');
    const gitlab = parse(readFileSync(join(repoRoot, 'examples/gitlab/.gitlab-ci.yml'), 'utf8'));
    expect(gitlab['glibc-floor'].artifacts).toEqual({ when: 'always', reports: { junit: 'junit_glibc_floor.xml' } });
    expect(gitlab['glibc-floor'].script.join('\n')).toContain('--report junit=junit_glibc_floor.xml');
    const github = parse(readFileSync(join(repoRoot, 'examples/github/glibc-floor.yml'), 'utf8'));
    const steps = github.jobs['glibc-floor'].steps as { uses?: string; run?: string; with?: Record<string, string> }[];
    expect(steps.some((step) => step.run?.includes('--format github --report sarif=glibc-floor.sarif'))).toBe(true);
    expect(steps.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif'))!.with!['sarif_file']).toBe('glibc-floor.sarif');
    expect(github.jobs['glibc-floor-action'].steps.some((step: { uses?: string }) => step.uses === `glibc-floor/glibc-floor@v${packageVersion}`)).toBe(true);
  });

  /** The GitLab, Prow and GitHub scripts as written, `make build` and GitHub's expressions aside. */
  function exampleScripts(dir: string): [string, string, string][] {
    const gitlab = parse(readFileSync(join(repoRoot, 'examples/gitlab/.gitlab-ci.yml'), 'utf8'));
    const prow = parse(readFileSync(join(repoRoot, 'examples/prow/presubmit.yaml'), 'utf8'));
    const github = parse(readFileSync(join(repoRoot, 'examples/github/glibc-floor.yml'), 'utf8'));
    const githubJob = github.jobs['glibc-floor'];
    const githubEnv = Object.entries(githubJob.env as Record<string, string>)
      .map(([name, value]) => `export ${name}="${value.replace('${{ github.workspace }}', dir)}"`)
      .join('\n');
    const githubRuns = (githubJob.steps as { run?: string }[]).flatMap((step) => (step.run === undefined ? [] : [step.run]));
    return [
      // GitLab's bash runs the script lines with `set -eo pipefail`.
      ['gitlab', `set -eo pipefail\n${gitlab['glibc-floor'].script.join('\n')}`, 'junit_glibc_floor.xml'],
      ['prow', prow.presubmits['glibc-floor/glibc-floor'][0].spec.containers[0].args[0], 'artifacts/junit_glibc_floor.xml'],
      ['github', `set -eo pipefail\n${githubEnv}\n${githubRuns.join('\n')}`, 'junit_glibc_floor.xml'],
    ];
  }

  function runExample(script: string, dir: string, env: Record<string, string>) {
    mkdirSync(join(dir, 'bin'), { recursive: true });
    mkdirSync(join(dir, 'artifacts'), { recursive: true });
    copyFixture('hello-x86_64', join(dir, 'bin'), 'metis');
    const runnable = script.replace(/^make build$/m, 'true');
    return spawnSync('bash', ['-c', runnable], { cwd: dir, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', ARTIFACTS: join(dir, 'artifacts'), ...env } });
  }

  it('run as written with the release executable: download, sha256 check, then the CI gets its JUnit file', () => {
    const release = fakeRelease();
    for (const [name, script, junit] of exampleScripts('')) {
      const dir = tempDir();
      const [, withDir] = exampleScripts(dir).find(([other]) => other === name)!;
      // GitHub's URL is a job env value: point it at the same stand-in release.
      const env = { GLIBC_FLOOR_RELEASES: release.base };
      const text = name === 'github' ? withDir.replace(/https:\/\/github\.com\/glibc-floor\/glibc-floor\/releases\/download/g, release.base) : script;
      const run = runExample(text, dir, env);
      expect(run.status, `${name}: ${run.stdout}${run.stderr}`).toBe(1);
      expect(readFileSync(join(dir, junit), 'utf8'), name).toContain('<failure message="GLIBC_2.36 &gt; 2.35: arc4random"');
    }
  });

  it('stop before checking anything when the executable does not match its sha256', () => {
    const release = fakeRelease();
    for (const [name, script, junit] of exampleScripts('')) {
      if (name === 'github') continue; // takes no pinned value; the .sha256 path is covered above
      const dir = tempDir();
      const run = runExample(script, dir, { GLIBC_FLOOR_RELEASES: release.base, GLIBC_FLOOR_SHA256: '0'.repeat(64) });
      expect(run.status, name).not.toBe(0);
      expect(run.stderr, name).toMatch(/FAILED|did NOT match/);
      expect(existsSync(join(dir, junit)), name).toBe(false);
    }
  });

  it('take the tool command from GLIBC_FLOOR: a git checkout of the CLI', () => {
    for (const [name, script, junit] of exampleScripts('')) {
      if (name === 'github') continue; // its GLIBC_FLOOR is set in the job env and downloaded to
      const dir = tempDir();
      const run = runExample(script, dir, { GLIBC_FLOOR: localCli, GLIBC_FLOOR_RELEASES: 'file:///nonexistent' });
      expect(run.status, name).toBe(1);
      expect(readFileSync(join(dir, junit), 'utf8'), name).toContain('<failure message="GLIBC_2.36 &gt; 2.35: arc4random"');
    }
  });
});
