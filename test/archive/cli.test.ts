/**
 * Archives through the CLI: each kind built by fixtures/archives/build.sh gives the same findings
 * as the same files extracted with the real tools; declared floors are the floor when none is
 * given; hostile archives give one line and the other inputs are still reported.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import { expectNoStackTrace, expectValidReport, runCli } from '../helpers/cli.js';
import { archiveFixture } from './helpers.js';
import { tarBytes } from '../image/helpers.js';
import { setTarField } from '../helpers/tar-header.js';

const work = mkdtempSync(join(tmpdir(), 'glibc-floor-archive-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const WRONG_WHEEL = 'demo-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl';

/** extract unpacks an archive with the real tool into a fresh directory and returns it. */
function extract(name: string): string {
  const into = join(work, name.replace(/[^a-z0-9]/gi, '_'));
  mkdirSync(into, { recursive: true });
  const file = archiveFixture(name);
  const command = name.endsWith('.zip') || name.endsWith('.whl')
    ? ['unzip', '-q', file, '-d', into]
    : name.endsWith('.deb')
      ? ['dpkg-deb', '-x', file, into]
      : name.endsWith('.rpm')
        ? ['sh', '-c', `cd "${into}" && rpm2cpio "${file}" | cpio -idm --quiet`]
        : ['tar', '-xf', file, '-C', into];
  const result = spawnSync(command[0]!, command.slice(1), { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return into;
}

/** findings keeps what a check found per ELF file, keyed by the path inside the archive or tree. */
function findings(report: Record<string, any>, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const file of report['files'] as Record<string, any>[]) {
    if (file['status'] === 'skipped') continue;
    const path = (file['path'] as string).slice(prefix.length).replace(/^\.?\/+/, '');
    out[path] = { status: file['status'], elf: file['elf'], requirements: file['requirements'], maxVersions: file['maxVersions'], violations: file['violations'] };
  }
  return out;
}

describe('an archive gives the findings of the same files extracted', () => {
  test.each(['payload.tar', 'payload.tar.gz', 'payload.tar.xz', 'payload.tar.zst', 'payload.tar.bz2', 'payload.zip', 'gf-demo_1.0_amd64.deb', 'gf-demo-zstd_1.0_amd64.deb', 'gf-demo-zstd.x86_64.rpm', WRONG_WHEEL, 'hostname_3.23+nmu1_amd64.deb'])(
    '%s',
    async (name) => {
      const tree = extract(name);
      const fromArchive = await runCli(['check', archiveFixture(name), '--floor', '2.31', '--format', 'json'], { inProcess: true });
      const fromTree = await runCli(['check', tree, '--floor', '2.31', '--format', 'json'], { inProcess: true });
      expect(fromArchive.code).toBe(fromTree.code);
      const archived = findings(expectValidReport(fromArchive.stdout), `${archiveFixture(name)}!`);
      expect(Object.keys(archived).length).toBeGreaterThan(0);
      expect(archived).toEqual(findings(expectValidReport(fromTree.stdout), tree));
    },
  );
});

describe('declared floors', () => {
  test('a wheel tagged manylinux_2_17 whose extension needs 2.36 fails without --floor, with the suggested tag', async () => {
    const result = await runCli(['check', archiveFixture(WRONG_WHEEL), '--format', 'json'], { inProcess: true });
    expect(result.code).toBe(1);
    const report = expectValidReport(result.stdout);
    expect(report['result']).toBe('fail');
    expect(report['declared']).toEqual([
      expect.objectContaining({ claim: 'manylinux_2_17_x86_64', status: 'broken', needs: { GLIBC: '2.36' }, suggestion: 'manylinux_2_36_x86_64' }),
    ]);
    expect(report['files'].find((file: Record<string, any>) => file['status'] === 'fail')['violations'][0]).toMatchObject({ version: 'GLIBC_2.36', failsOn: [`manylinux_2_17_x86_64 (file name, demo-1.0.dist-info/WHEEL)`] });
  });

  test("Debian's hostname package passes on its own Pre-Depends: libc6 (>= 2.34)", async () => {
    const result = await runCli(['check', archiveFixture('hostname_3.23+nmu1_amd64.deb')], { inProcess: true });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('holds hostname_3.23+nmu1_amd64.deb: libc6 (>= 2.34) (Pre-Depends) holds (the members need GLIBC 2.34)'.replace('hostname_3', `${archiveFixture('hostname_3')}`.replace(/hostname_3$/, 'hostname_3')));
  });

  test('with --floor the floor decides the files, the claim is reported beside it (and a wrong one still fails)', async () => {
    const result = await runCli(['check', archiveFixture('plain-1.0-py3-none-manylinux_2_28_x86_64.whl'), '--floor', '2.17', '--format', 'json'], { inProcess: true });
    expect(result.code).toBe(0);
    const report = expectValidReport(result.stdout);
    expect(report['floors']).toEqual({ GLIBC: '2.17' });
    expect(report['declared']).toEqual([expect.objectContaining({ claim: 'manylinux_2_28_x86_64', status: 'higher', suggestion: 'manylinux_2_5_x86_64' })]);
  });

  test('a plain tarball declares nothing: without --floor its members are errors, never a pass', async () => {
    const result = await runCli(['check', archiveFixture('payload.tar.gz')], { inProcess: true });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('no floor to check against: ');
    expectNoStackTrace(result.stderr);
  });

  test('without --floor and without any package it stays a usage error', async () => {
    const result = await runCli(['check', join(archiveFixture('..'), 'hello-x86_64')], { inProcess: true });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^glibc-floor: no floor given/);
  });

  test('show suggests the honest claim of a package', async () => {
    const result = await runCli(['show', archiveFixture('gf-demo_1.0_amd64.deb')], { inProcess: true });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/declared .*gf-demo_1\.0_amd64\.deb: libc6 \(>= 2\.17\) \(Depends\) is wrong: the members need GLIBC 2\.36; declare libc6 \(>= 2\.36\)/);
  });
});

describe('hostile archives through the CLI', () => {
  test.each([
    ['bomb.zip', /zeros\.bin: member "zeros\.bin" is a compression bomb: 52428800 bytes from \d+ compressed bytes, past the 100:1 limit/],
    ['truncated.tar.gz', /truncated\.tar\.gz: gzip stream: truncated gzip stream/],
    ['truncated.zip', /truncated\.zip: corrupt or truncated zip/],
  ])('%s: one line naming it, exit 2, the next input still reported', async (name, pattern) => {
    const result = await runCli(['check', archiveFixture(name), archiveFixture('hostname_3.23+nmu1_amd64.deb'), '--floor', '2.36'], { inProcess: true });
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(pattern);
    // The package holds bin/hostname and its links; the sorted walk meets bin/dnsdomainname first.
    expect(result.stdout).toMatch(/pass +\S*hostname_3\.23\+nmu1_amd64\.deb!\/bin\/dnsdomainname/);
    expectNoStackTrace(result.stderr);
  });

  test('a tar with ../ and absolute names: reported as they are, nothing written', async () => {
    const result = await runCli(['check', archiveFixture('dotdot.tar'), '--floor', '2.36', '--format', 'json'], { inProcess: true, cwd: work });
    const paths = (expectValidReport(result.stdout)['files'] as Record<string, string>[]).map((file) => file['path']!.slice(archiveFixture('dotdot.tar').length));
    expect(paths).toEqual(['!/../../escape-x86_64', '!/abs/hello-x86_64', '!/ok/hello-x86_64', '!/ok/outside']);
    expect(spawnSync('ls', ['-A', work], { encoding: 'utf8' }).stdout.split('\n')).not.toContain('escape-x86_64');
  });
});

describe('declared floors in CI formats', () => {
  test('github: a wrong declared floor is an error annotation on the package', async () => {
    const result = await runCli(['check', archiveFixture(WRONG_WHEEL), '--format', 'github'], { inProcess: true });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^::error file=[^\n]*demo-1\.0-cp311[^\n]*\.whl,title=glibc-floor%3A wrong declared floor::manylinux_2_17_x86_64 \(file name, demo-1\.0\.dist-info\/WHEEL\) is wrong: the members need GLIBC 2\.36; declare manylinux_2_36_x86_64: /m);
  });
});

/** plainAndGzip writes `tar` as NAME.tar and NAME.tar.gz in the work directory; returns both paths. */
function plainAndGzip(name: string, tar: Uint8Array): [string, string] {
  const plain = join(work, `${name}.tar`);
  const gzip = join(work, `${name}.tar.gz`);
  writeFileSync(plain, tar);
  writeFileSync(gzip, gzipSync(tar));
  return [plain, gzip];
}

const hello = () => readFileSync(join(import.meta.dirname, '../../fixtures/hello-x86_64'));

describe('a tar whose directory header declares a size', () => {
  test('reads as GNU tar and tar-stream read it (a directory carries no data), plain or gzip', async () => {
    const tar = await tarBytes([{ header: { name: 'opt', type: 'directory' } }, { header: { name: 'opt/hello', mode: 0o755 }, body: hello() }]);
    const archives = plainAndGzip('sized-dir', setTarField(tar, 0, 124, '00000000001\0'));
    const listed = spawnSync('tar', ['-tf', archives[0]], { encoding: 'utf8' });
    expect(listed.stdout.split('\n').filter(Boolean)).toEqual(['opt', 'opt/hello']);
    for (const archive of archives) {
      const run = await runCli(['check', archive, '--floor', '2.36', '--no-config', '--format', 'json'], { inProcess: true });
      expect(run.code, run.stderr).toBe(0);
      expect(expectValidReport(run.stdout).files.map((file: { path: string; status: string }) => [file.path.slice(archive.length), file.status])).toEqual([['!/opt/hello', 'pass']]);
    }
  });
});

describe('a tar whose size field cannot be read', () => {
  test('is a corrupt archive in one line, exit 2 (tar-stream waited forever, and the check exited 0 with no output)', async () => {
    const tar = await tarBytes([{ header: { name: 'a.txt' }, body: Buffer.from('hello') }, { header: { name: 'opt/hello', mode: 0o755 }, body: hello() }]);
    // A control byte at the start of the octal size field: tar-stream reads the size as NaN.
    for (const archive of plainAndGzip('nan-size', setTarField(tar, 0, 124, '\x01'))) {
      // Spawned: in process, a wait that never ends would hold this test, not end it.
      const run = spawnSync(process.execPath, [join(import.meta.dirname, '../../bin/glibc-floor'), 'check', archive, '--floor', '2.36', '--no-config'], { encoding: 'utf8', timeout: 30_000 });
      expect(run.status).toBe(2);
      expect(run.stdout).toMatch(new RegExp(`^error ${archive.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: corrupt (archive|tar): invalid size in the header of "a\\.txt"`));
      expectNoStackTrace(run.stderr);
      expect(run.stderr).not.toContain('internal error');
    }
  });
});
