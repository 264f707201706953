import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import { describe, expect, test } from 'vitest';
import { expectValidReport } from '../helpers/cli.js';
import { fixturePath, repoRoot } from '../helpers/fixtures.js';

// The standalone executables of `npm run release`. Building them takes a minute or two, so this
// file runs only where release/ exists: `.ci/run` builds it before `npm test`, so CI always runs
// it. Rebuild release/ after changing src/, or the comparisons below compare two versions.
const release = join(repoRoot, 'release');
const x64 = join(release, 'glibc-floor-linux-x64');
const arm64 = join(release, 'glibc-floor-linux-arm64');
const qemu = '/usr/bin/qemu-aarch64';
const aarch64Sysroot = '/usr/aarch64-linux-gnu';
const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** exact runs a program with an empty environment (`env -i`: no PATH, so no node either). */
function exact(program: string, args: readonly string[], cwd = repoRoot): Run {
  const result = spawnSync(program, args, { cwd, encoding: 'utf8', env: {}, maxBuffer: 1 << 26 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** bin runs bin/glibc-floor the same way, for the expected output. */
const bin = (args: readonly string[], cwd = repoRoot): Run => exact(process.execPath, [join(repoRoot, 'bin/glibc-floor'), ...args], cwd);
const runX64 = (args: readonly string[], cwd = repoRoot): Run => exact(x64, args, cwd);
const runArm64 = (args: readonly string[], cwd = repoRoot): Run => exact(qemu, ['-L', aarch64Sysroot, arm64, ...args], cwd);

/** The CLI tests' core cases: each must give the same exit code, stdout and stderr as bin/glibc-floor. */
function coreCases(): [string, string[]][] {
  const work = mkdtempSync(join(tmpdir(), 'glibc-floor-release-'));
  const config = join(work, 'waivers.json');
  writeFileSync(config, JSON.stringify({ floors: { GLIBC: '2.35' }, waivers: [{ paths: ['**/hello-x86_64'], version: 'GLIBC_2.36', reason: 'tracked in the release test' }] }));
  const badConfig = join(work, 'bad.json');
  writeFileSync(badConfig, JSON.stringify({ floors: { GLIBC: '2.35' }, waivers: [{ version: 'GLIBC_2.36' }] }));
  return [
    ['a pass', ['check', fixturePath('nover-x86_64'), '--floor', '2.35']],
    ['a fail, with symbols and hints', ['check', fixturePath('hello-x86_64'), '--floor', '2.35']],
    ['a real binary of this machine', ['check', '/bin/ls', '--floor', '2.17', '--floor', 'GLIBCXX=3.4.21']],
    ['a directory as JSON', ['check', fixturePath('go'), '--floor', '2.31', '--format', 'json']],
    ['show, stripped section headers', ['show', fixturePath('hello-aarch64-noshdr')]],
    ['a missing input', ['check', '/nonexistent/glibc-floor-input', '--floor', '2.35']],
    ['a usage error', ['check', fixturePath('hello-x86_64'), '--floor', 'abc']],
    ['an unknown target', ['check', fixturePath('hello-x86_64'), '--target', 'no-such-os']],
    ['the targets catalogue', ['targets', '--format', 'json']],
    ['a config file with a waiver (the schema validator is loaded)', ['check', fixturePath('hello-x86_64'), '--config', config]],
    ['an invalid config file', ['check', fixturePath('hello-x86_64'), '--config', badConfig]],
    ['SARIF on stdout', ['check', fixturePath('hello-x86_64'), '--floor', '2.35', '--format', 'sarif']],
    ['diff of two builds', ['diff', fixturePath('nover-x86_64'), fixturePath('hello-x86_64')]],
  ];
}

describe.skipIf(!existsSync(x64))('release/glibc-floor-linux-x64 under env -i (no PATH, no node)', () => {
  test('prints its version', () => {
    expect(runX64(['--version'])).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
  });

  test.each(coreCases())('behaves as bin/glibc-floor: %s', (_, args) => {
    const expected = bin(args);
    const actual = runX64(args);
    expect(actual).toEqual(expected);
    expect([0, 1, 2]).toContain(actual.status);
  });

  test('its JSON report validates against schema/report.schema.json', () => {
    const run = runX64(['check', fixturePath('hello-x86_64'), '--floor', '2.35', '--format', 'json']);
    expect(run.status).toBe(1);
    expect(expectValidReport(run.stdout)['result']).toBe('fail');
  });

  test('writes the same report files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'glibc-floor-release-'));
    const args = (name: string) => ['check', fixturePath('hello-x86_64'), '--floor', '2.35', '--report', `sarif=${join(dir, `${name}.sarif`)}`];
    expect(bin(args('bin')).status).toBe(1);
    expect(runX64(args('x64')).status).toBe(1);
    expect(readFileSync(join(dir, 'x64.sarif'), 'utf8')).toBe(readFileSync(join(dir, 'bin.sarif'), 'utf8'));
  });

  test('runs from another directory', () => {
    const run = runX64(['check', 'ls', '--floor', '2.2.5'], '/bin');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^FAIL {2}ls \(x86_64/m);
  });
});

describe.skipIf(!existsSync(arm64) || !existsSync(qemu) || !existsSync(aarch64Sysroot))('release/glibc-floor-linux-arm64 under qemu-aarch64', () => {
  test('is an aarch64 executable (checked by the x64 CLI) that prints its version', () => {
    const shown = bin(['show', arm64, '--format', 'json']);
    expect(JSON.parse(shown.stdout).files[0].elf.machine).toBe('aarch64');
    expect(runArm64(['--version'])).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
  });

  test.each(coreCases().filter(([name]) => ['a fail, with symbols and hints', 'a directory as JSON', 'a usage error', 'a config file with a waiver (the schema validator is loaded)'].includes(name)))(
    'behaves as bin/glibc-floor: %s',
    (_, args) => {
      expect(runArm64(args)).toEqual(bin(args));
    },
  );
});

/** readArchive reads a .tar.gz in one pass: each entry's name, mode, owner and content sha256. */
async function readArchive(file: string): Promise<{ name: string; mode: number; uid: number; gid: number; sha256: string }[]> {
  const entries: { name: string; mode: number; uid: number; gid: number; sha256: string }[] = [];
  const extract = tarExtract();
  extract.on('entry', (header, stream, next) => {
    const hash = createHash('sha256');
    stream.on('data', (chunk: Buffer) => hash.update(chunk));
    stream.on('end', () => {
      entries.push({ name: header.name, mode: header.mode ?? 0, uid: header.uid ?? -1, gid: header.gid ?? -1, sha256: hash.digest('hex') });
      next();
    });
  });
  await pipeline(createReadStream(file), createGunzip(), extract);
  return entries;
}

describe.skipIf(!existsSync(x64))('release/ artifacts', () => {
  const names = ['glibc-floor-linux-x64', 'glibc-floor-linux-arm64', 'glibc-floor-linux-x64.tar.gz', 'glibc-floor-linux-arm64.tar.gz', `glibc-floor-${version}.tgz`];

  test('each file has a .sha256 that sha256sum -c accepts, and SHA256SUMS lists them all', () => {
    for (const name of names) {
      const check = spawnSync('sha256sum', ['-c', `${name}.sha256`], { cwd: release, encoding: 'utf8' });
      expect(check.stdout, name).toBe(`${name}: OK\n`);
      expect(check.status, name).toBe(0);
    }
    const sums = readFileSync(join(release, 'SHA256SUMS'), 'utf8');
    for (const name of names) {
      expect(sums).toContain(`${createHash('sha256').update(readFileSync(join(release, name))).digest('hex')}  ${name}\n`);
    }
  });

  test('each archive holds the executable as glibc-floor (mode 755, owner 0), with Node.js licence', async () => {
    for (const arch of ['x64', 'arm64']) {
      const entries = await readArchive(join(release, `glibc-floor-linux-${arch}.tar.gz`));
      expect(entries.map((entry) => entry.name).sort()).toEqual([`glibc-floor-linux-${arch}/`, `glibc-floor-linux-${arch}/LICENSE.node`, `glibc-floor-linux-${arch}/glibc-floor`]);
      const executable = entries.find((entry) => entry.name.endsWith('/glibc-floor'))!;
      expect({ mode: executable.mode, uid: executable.uid, gid: executable.gid }).toEqual({ mode: 0o755, uid: 0, gid: 0 });
      expect(executable.sha256).toBe(createHash('sha256').update(readFileSync(join(release, `glibc-floor-linux-${arch}`))).digest('hex'));
    }
  });

  test('the release notes record each executable floor, as glibc-floor reads it now', () => {
    const notes = readFileSync(join(release, 'RELEASE-NOTES.md'), 'utf8');
    for (const [arch, executable] of [['x64', x64], ['arm64', arm64]] as const) {
      const maxVersions = JSON.parse(bin(['show', executable, '--format', 'json']).stdout).files[0].maxVersions as Record<string, string>;
      expect(maxVersions['GLIBC']).toBe('2.28');
      const needs = Object.entries(maxVersions).map(([family, value]) => `${family} ${value}`).join(', ');
      expect(notes).toContain(`| \`glibc-floor-linux-${arch}\` |`);
      expect(notes).toContain(needs);
    }
  });
});
