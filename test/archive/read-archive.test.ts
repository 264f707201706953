import { describe, expect, test } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { archiveFixture, flatten, readBytes, readFixtureArtifact } from './helpers.js';

const HELLO = statSync(archiveFixture('../hello-x86_64')).size;
const sizes = (artifact: Awaited<ReturnType<typeof readFixtureArtifact>>) => artifact.entries.flatMap((e) => (e.kind === 'elf' ? [e.bytes.length] : [])).sort();

describe('readArtifact on each archive kind built by fixtures/archives/build.sh', () => {
  test.each([
    ['payload.tar', 'tar', undefined],
    ['payload.tar.gz', 'tar', 'gzip'],
    ['payload.tar.xz', 'tar', 'xz'],
    ['payload.tar.zst', 'tar', 'zstd'],
    ['payload.tar.bz2', 'tar', 'bzip2'],
    ['payload.zip', 'zip', undefined],
  ])('%s lists the payload tree', async (name, format, compression) => {
    const artifact = await readFixtureArtifact(name);
    expect(artifact.format).toBe(format);
    expect(artifact.compression).toBe(compression);
    expect(artifact.error).toBeUndefined();
    expect(flatten(artifact).map((line) => line.replace(/ elf \d+$/, ' elf')).sort()).toEqual([
      `${name}!/payload/bin/hello-x86_64 elf`,
      `${name}!/payload/lib/libplain.so elf`,
      `${name}!/payload/lib/libplain.so.1 elf`,
      `${name}!/payload/share/README skipped not-elf`,
    ]);
    expect(sizes(artifact)).toContain(HELLO);
  });
});

describe('packages', () => {
  test.each(['gf-demo_1.0_amd64.deb', 'gf-demo-zstd_1.0_amd64.deb'])('%s: data.tar members and the control file', async (name) => {
    const artifact = await readFixtureArtifact(name);
    expect(artifact.format).toBe('deb');
    expect(flatten(artifact).map((line) => line.replace(/ elf \d+$/, ' elf'))).toEqual([
      `${name}!/usr/bin/hello-x86_64 elf`,
      `${name}!/usr/lib/libplain.so elf`,
    ]);
    expect(artifact.metadata.texts.get('control')).toContain('Depends: libc6 (>= 2.17)');
  });

  test('a real .deb from Debian 12 (hostname)', async () => {
    const artifact = await readFixtureArtifact('hostname_3.23+nmu1_amd64.deb');
    expect(artifact.error).toBeUndefined();
    expect(artifact.compression).toBe('xz');
    // bin/hostname, and the links to it (dnsdomainname, domainname, nisdomainname, ypdomainname) as it.
    const elves = flatten(artifact).filter((line) => / elf /.test(line));
    expect(elves[0]).toMatch(/^hostname_3\.23\+nmu1_amd64\.deb!\/bin\/hostname elf \d+$/);
    expect(elves.map((line) => line.replace(/^.*!\/bin\/(\w+) elf \d+$/, '$1')).sort()).toEqual(['dnsdomainname', 'domainname', 'hostname', 'nisdomainname', 'ypdomainname']);
    expect(artifact.metadata.texts.get('control')).toContain('Pre-Depends: libc6 (>= 2.34)');
  });

  test('an rpm with an xz payload: the known gap, one clear line (rpm checks xz with SHA-256)', async () => {
    const artifact = await readFixtureArtifact('gf-demo-xz.x86_64.rpm');
    expect(artifact.error).toBe('xz stream with a SHA-256 integrity check (as rpm writes), which the bundled xz decoder (xz-decompress) cannot read');
    expect(artifact.metadata.rpmRequires).toContain('libc.so.6(GLIBC_2.34)(64bit)');
  });

  test.each([['gf-demo-zstd.x86_64.rpm', 'zstd']])('%s: cpio payload (%s) and Requires', async (name, compression) => {
    const artifact = await readFixtureArtifact(name);
    expect(artifact.format).toBe('rpm');
    expect(artifact.compression).toBe(compression);
    expect(flatten(artifact).filter((line) => !line.includes('/.build-id/')).map((line) => line.replace(/ elf \d+$/, ' elf'))).toEqual([
      `${name}!/usr/bin/hello-x86_64 elf`,
      `${name}!/usr/lib64/libplain.so elf`,
    ]);
    expect(artifact.metadata.rpmRequires).toContain('libc.so.6(GLIBC_2.34)(64bit)');
  });

  test('a wheel keeps its WHEEL file; an npm tarball its package.json', async () => {
    const wheel = await readFixtureArtifact('demo-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl');
    expect(wheel.metadata.texts.get('demo-1.0.dist-info/WHEEL')).toContain('Tag: cp311-cp311-manylinux_2_17_x86_64');
    const npm = await readFixtureArtifact('gf-addon-1.0.0.tgz');
    expect(JSON.parse(npm.metadata.texts.get('package/package.json')!)).toMatchObject({ libc: ['glibc'] });
    expect(npm.metadata.names).toContain('package/prebuilds/linux-x64-musl/gf-addon.node');
  });
});

describe('nesting', () => {
  test('a tarball of a wheel and a .deb is read one level deep, members named outer!/path!/inside', async () => {
    const artifact = await readFixtureArtifact('release.tar.gz');
    const lines = flatten(artifact).map((line) => line.replace(/ elf \d+$/, ' elf'));
    const wheel = 'release.tar.gz!/dist/demo-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl';
    expect(lines).toContain(`${wheel} archive zip`);
    expect(lines).toContain(`${wheel}!/demo/_native.cpython-311-x86_64-linux-gnu.so elf`);
    expect(lines).toContain('release.tar.gz!/dist/gf-demo_1.0_amd64.deb!/usr/bin/hello-x86_64 elf');
  });

  test('a second level is skipped, not read', async () => {
    const artifact = await readFixtureArtifact('deeper.tar');
    expect(flatten(artifact)).toContain('deeper.tar!/release.tar.gz!/dist/gf-demo_1.0_amd64.deb skipped archive-too-deep');
    expect(flatten(artifact).some((line) => line.includes('hello-x86_64'))).toBe(false);
  });
});

describe('hostile archives', () => {
  test('a zip bomb member is an error for that member; the other member is still read', async () => {
    const artifact = await readFixtureArtifact('bomb.zip');
    const lines = flatten(artifact);
    expect(lines).toContainEqual(expect.stringMatching(/^bomb\.zip!\/zeros\.bin error member "zeros\.bin" is a compression bomb: 52428800 bytes from \d+ compressed bytes, past the 100:1 limit$/));
    expect(lines).toContainEqual(expect.stringMatching(/^bomb\.zip!\/ok-x86_64 elf \d+$/));
  });

  test('a link inside the archive is checked as its target under its own name; chains resolve, loops and dangling links are skipped', async () => {
    const { tarOf } = await import('./tar-of.js');
    const elf = new Uint8Array(readFileSync(archiveFixture('../hello-x86_64')));
    const tar = await tarOf([
      { name: 'bin/real', bytes: elf },
      { name: 'bin/one', linkname: 'real' },
      { name: 'bin/two', linkname: '../bin/one' },
      { name: 'abs', linkname: '/bin/real' },
      { name: 'hard', linkname: 'bin/real', type: 'link' },
      { name: 'loop-a', linkname: 'loop-b' },
      { name: 'loop-b', linkname: 'loop-a' },
      { name: 'dangling', linkname: 'nowhere' },
      { name: 'text', bytes: new TextEncoder().encode('hello') },
      { name: 'to-text', linkname: 'text' },
    ]);
    const lines = flatten(await readBytes(tar, 'links.tar')).map((line) => line.replace(/ elf \d+$/, ' elf'));
    expect(lines).toEqual([
      'links.tar!/bin/real elf',
      'links.tar!/bin/one elf',
      'links.tar!/bin/two elf',
      'links.tar!/abs elf',
      'links.tar!/hard elf',
      'links.tar!/loop-a skipped symlink-loop',
      'links.tar!/loop-b skipped symlink-loop',
      'links.tar!/dangling skipped broken-symlink',
      'links.tar!/text skipped not-elf',
      'links.tar!/to-text skipped not-elf',
    ]);
  });

  test('names with ../ and / are reported as they are; a link out of the archive is not followed', async () => {
    const lines = flatten(await readFixtureArtifact('dotdot.tar')).map((line) => line.replace(/ elf \d+$/, ' elf'));
    expect(lines).toEqual([
      'dotdot.tar!/../../escape-x86_64 elf',
      'dotdot.tar!/abs/hello-x86_64 elf',
      'dotdot.tar!/ok/hello-x86_64 elf',
      'dotdot.tar!/ok/outside skipped symlink-outside-tree',
    ]);
  });

  test.each([
    ['truncated.tar', /^truncated\.tar ERROR truncated tar/],
    ['truncated.tar.gz', /^truncated\.tar\.gz ERROR gzip stream: truncated gzip stream/],
    ['truncated.zip', /^truncated\.zip ERROR corrupt or truncated zip \(/],
    ['truncated.deb', /^truncated\.deb ERROR /],
  ])('%s gives one line naming the problem', async (name, pattern) => {
    const artifact = await readFixtureArtifact(name);
    expect(artifact.error).toBeDefined();
    expect(artifact.error).not.toContain('\n');
    expect(flatten(artifact)[0]).toMatch(pattern);
  });
});
