/**
 * Images that try to escape, loop, or are cut short; multi-platform indexes; zstd layers; and
 * the bounded store for ELF bytes (spill to a temporary directory the tool owns, removed after).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readElf } from '../../src/elf/read-elf.js';
import { openImageFilesystem } from '../../src/image/image-filesystem.js';
import { hostPlatform } from '../../src/image/platform.js';
import { expectNoStackTrace } from '../helpers/cli.js';
import { buildBinaries, buildFixtureImage, cli, run, tarBytes, type Binaries, type FixtureImage } from './helpers.js';
import { setTarField } from '../helpers/tar-header.js';

let work: string;
let binaries: Binaries;
let image: FixtureImage;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'glibc-floor-hostile-test-'));
  binaries = buildBinaries(join(work, 'bin'));
  image = await buildFixtureImage(join(work, 'fixture'), binaries);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));


/** newImage makes an empty umoci image, ready for `umoci raw add-layer`. */
function newImage(dir: string, tag: string, architecture?: string): void {
  if (!existsSync(dir)) run('umoci', ['init', '--layout', dir]);
  run('umoci', ['new', '--image', `${dir}:${tag}`]);
  if (architecture !== undefined) run('umoci', ['config', '--image', `${dir}:${tag}`, '--architecture', architecture]);
}

async function addLayer(dir: string, tag: string, entries: Parameters<typeof tarBytes>[0]): Promise<void> {
  const layer = join(work, `layer-${tag}-${Date.now()}.tar`);
  writeFileSync(layer, await tarBytes(entries));
  run('umoci', ['raw', 'add-layer', '--image', `${dir}:${tag}`, layer]);
}

describe('a hostile layer cannot escape the image', () => {
  let hostile: string;
  let scratch: string;
  beforeAll(async () => {
    hostile = join(work, 'hostile');
    newImage(hostile, 'evil');
    const elf = readFileSync(binaries.hello);
    await addLayer(hostile, 'evil', [
      { header: { name: '../../escape/evil', mode: 0o755 }, body: elf },
      { header: { name: '/abs/evil2', mode: 0o755 }, body: elf },
      { header: { name: 'out', type: 'symlink', linkname: '../../../../etc/passwd' } },
      { header: { name: 'abs-out', type: 'symlink', linkname: '/etc/hostname' } },
      { header: { name: 'abs-in', type: 'symlink', linkname: '/abs/evil2' } },
      { header: { name: 'hl-out', type: 'link', linkname: '../../../etc/shadow' } },
      { header: { name: 'hl-in', type: 'link', linkname: 'abs/evil2' } },
      { header: { name: 'loop-a', type: 'symlink', linkname: 'loop-b' } },
      { header: { name: 'loop-b', type: 'symlink', linkname: 'loop-a' } },
      { header: { name: 'self', type: 'symlink', linkname: '.' } },
      { header: { name: 'up', type: 'symlink', linkname: '../../..' } },
      { header: { name: 'via', type: 'symlink', linkname: '/tmp' } },
      { header: { name: 'via/evil3', mode: 0o755 }, body: elf },
    ]);
    scratch = join(work, 'scratch-tmp');
    mkdirSync(scratch);
  });

  test('names are clamped to the image root, links resolve inside it, loops are skipped', () => {
    const result = cli(['show', '--format', 'json', hostile], { TMPDIR: scratch });
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { files: { path: string; status: string; reason?: string }[] };
    expect(report.files.map((file) => [file.path.slice(hostile.length + 1), file.status, file.reason])).toEqual([
      ['/abs/evil2', 'pass', undefined],
      ['/abs-in', 'skipped', 'duplicate'],
      ['/abs-out', 'skipped', 'broken-symlink'],
      ['/escape/evil', 'pass', undefined],
      ['/hl-in', 'pass', undefined],
      ['/hl-out', 'skipped', 'broken-hardlink'],
      ['/loop-a', 'skipped', 'symlink-loop'],
      ['/loop-b', 'skipped', 'symlink-loop'],
      ['/out', 'skipped', 'broken-symlink'],
      ['/self', 'skipped', 'symlink-loop'],
      ['/up', 'skipped', 'symlink-loop'],
      ['/via/evil3', 'pass', undefined],
    ]);
    expect(result.stderr).toBe('');
    // Nothing was written anywhere: not next to the image, not at the root, not in the temporary directory.
    for (const path of [join(work, 'escape'), join(hostile, 'escape'), '/escape', '/abs/evil2']) expect(existsSync(path), path).toBe(false);
    expect(readdirSync(scratch)).toEqual([]);
  });
});

describe('a truncated or undecodable image is one error line, exit 2', () => {
  test('a truncated docker-archive', () => {
    const cut = join(work, 'cut-docker.tar');
    copyFileSync(image.dockerTar, cut);
    truncateSync(cut, Math.floor(statSync(cut).size / 2));
    const result = cli(['check', '--floor', '2.35', '--format', 'json', cut]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^glibc-floor: ${cut.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: truncated archive: .*runs past the end.*\\n$`));
    expectNoStackTrace(result.stderr);
    expect(JSON.parse(result.stdout)).toMatchObject({ result: 'error', files: [{ path: cut, status: 'error' }] });
  });

  test('a truncated gzip layer in an OCI layout names the layer', () => {
    const dir = join(work, 'cut-layer');
    cpSync(image.ociDir, dir, { recursive: true });
    const blobs = join(dir, 'blobs/sha256');
    const largest = readdirSync(blobs).sort((a, b) => statSync(join(blobs, b)).size - statSync(join(blobs, a)).size)[0]!;
    truncateSync(join(blobs, largest), Math.floor(statSync(join(blobs, largest)).size / 2));
    const result = cli(['show', dir]);
    expect(result.status).toBe(2);
    expect(result.stdout).toContain(`error ${dir}: layer blobs/sha256/${largest}: truncated`);
    expectNoStackTrace(result.stderr);
  });

  test('a zstd layer is read like a gzip one (fzstd where Node.js has no zstd)', () => {
    const dir = join(work, 'zstd-real');
    cpSync(image.ociDir, dir, { recursive: true });
    const blobs = join(dir, 'blobs/sha256');
    const before = cli(['show', dir, '--format', 'json']);
    for (const name of readdirSync(blobs)) {
      const blob = readFileSync(join(blobs, name));
      if (blob[0] !== 0x1f || blob[1] !== 0x8b) continue;
      const zstd = spawnSync('zstd', ['-q', '-c', '-3'], { input: zlib.gunzipSync(blob) });
      expect(zstd.status).toBe(0);
      writeFileSync(join(blobs, name), zstd.stdout);
    }
    const after = cli(['show', dir, '--format', 'json']);
    expect(after.status).toBe(0);
    expect(JSON.parse(after.stdout).files).toEqual(JSON.parse(before.stdout).files);
    expect(JSON.parse(after.stdout).files.length).toBeGreaterThan(0);
  });

  test('uncompressed layers in an OCI layout are read in place, with the same report; cut short, the layer is named', () => {
    const dir = join(work, 'plain-layers');
    cpSync(image.ociDir, dir, { recursive: true });
    const blobs = join(dir, 'blobs/sha256');
    const before = cli(['show', dir, '--format', 'json']);
    const plain: string[] = [];
    for (const name of readdirSync(blobs)) {
      const blob = readFileSync(join(blobs, name));
      if (blob[0] !== 0x1f || blob[1] !== 0x8b) continue;
      writeFileSync(join(blobs, name), zlib.gunzipSync(blob));
      plain.push(name);
    }
    expect(plain.length).toBeGreaterThan(0);
    // No temporary directory may be made: nothing is copied out of a plain layer.
    const scratch = mkdtempSync(join(work, 'plain-tmp-'));
    const after = cli(['show', dir, '--format', 'json'], { TMPDIR: scratch });
    expect(after.status).toBe(0);
    expect(JSON.parse(after.stdout).files).toEqual(JSON.parse(before.stdout).files);
    expect(JSON.parse(after.stdout).files.length).toBeGreaterThan(0);
    expect(readdirSync(scratch)).toEqual([]);

    const largest = plain.sort((a, b) => statSync(join(blobs, b)).size - statSync(join(blobs, a)).size)[0]!;
    truncateSync(join(blobs, largest), Math.floor(statSync(join(blobs, largest)).size / 2) + 100);
    const cut = cli(['show', dir]);
    expect(cut.status).toBe(2);
    expect(cut.stdout).toMatch(new RegExp(`error ${dir}: layer blobs/sha256/${largest}: truncated \\(.* runs past the end of the layer, \\d+ bytes\\)`));
    expectNoStackTrace(cut.stderr);
  });

  test('a corrupt zstd layer names the layer', () => {
    const dir = join(work, 'zstd-layer');
    cpSync(image.ociDir, dir, { recursive: true });
    const blobs = join(dir, 'blobs/sha256');
    const largest = readdirSync(blobs).sort((a, b) => statSync(join(blobs, b)).size - statSync(join(blobs, a)).size)[0]!;
    writeFileSync(join(blobs, largest), Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]));
    const result = cli(['show', dir]);
    expect(result.status).toBe(2);
    expect(result.stdout).toContain(`error ${dir}: layer blobs/sha256/${largest}`);
    expect(result.stdout).toMatch(/: (truncated|corrupt)/);
    expectNoStackTrace(result.stderr);
  });
});

describe('a directory entry that declares a size', () => {
  test('is read past in a gzip layer (its stream never ended: the scan hung) and in a plain one', async () => {
    const dir = join(work, 'sized-dir');
    newImage(dir, 'app');
    const tar = await tarBytes([
      { header: { name: 'opt', type: 'directory' } },
      { header: { name: 'opt/hello', mode: 0o755 }, body: readFileSync(binaries.hello) },
    ]);
    // The directory's size field says 1 byte (no data follows).
    setTarField(tar, 0, 124, '00000000001\0');
    const layer = join(work, 'sized-dir.tar');
    writeFileSync(layer, tar);
    run('umoci', ['raw', 'add-layer', '--image', `${dir}:app`, layer]);
    const gzip = spawnSync(process.execPath, [join(import.meta.dirname, '../../bin/glibc-floor'), 'show', '--format', 'json', dir], { encoding: 'utf8', timeout: 30_000 });
    expect(gzip.error).toBeUndefined();
    expect(gzip.status).toBe(0);
    const files = (JSON.parse(gzip.stdout) as { files: { path: string; status: string }[] }).files.map((file) => [file.path.slice(dir.length + 1), file.status]);
    expect(files).toEqual([['/opt/hello', 'pass']]);
    // The same layer uncompressed is walked in place, with the same result.
    const blobs = join(dir, 'blobs/sha256');
    for (const name of readdirSync(blobs)) {
      const blob = readFileSync(join(blobs, name));
      if (blob[0] === 0x1f && blob[1] === 0x8b) writeFileSync(join(blobs, name), zlib.gunzipSync(blob));
    }
    const plain = spawnSync(process.execPath, [join(import.meta.dirname, '../../bin/glibc-floor'), 'show', '--format', 'json', dir], { encoding: 'utf8', timeout: 30_000 });
    expect(plain.status).toBe(0);
    expect(JSON.parse(plain.stdout).files).toEqual(JSON.parse(gzip.stdout).files);
  });
});

describe('a multi-platform index', () => {
  let multi: string;
  beforeAll(async () => {
    multi = join(work, 'multi');
    newImage(multi, 'amd64', 'amd64');
    newImage(multi, 'arm64', 'arm64');
    const elf = readFileSync(binaries.hello);
    await addLayer(multi, 'amd64', [{ header: { name: 'amd64/hello', mode: 0o755 }, body: elf }]);
    await addLayer(multi, 'arm64', [{ header: { name: 'arm64/hello', mode: 0o755 }, body: elf }]);
    // umoci writes one tagged descriptor per image; give them platforms as a registry index does.
    const index = JSON.parse(readFileSync(join(multi, 'index.json'), 'utf8')) as { manifests: Record<string, unknown>[] };
    for (const descriptor of index.manifests) {
      const tag = (descriptor.annotations as Record<string, string>)['org.opencontainers.image.ref.name']!;
      descriptor.platform = { os: 'linux', architecture: tag };
    }
    writeFileSync(join(multi, 'index.json'), JSON.stringify(index));
  });

  const paths = (stdout: string) => (JSON.parse(stdout) as { files: { path: string }[] }).files.map((file) => file.path.slice(multi.length + 1));

  test('--platform picks one manifest', () => {
    const result = cli(['show', '--format', 'json', '--platform', 'linux/arm64', multi]);
    expect(result.status).toBe(0);
    expect(paths(result.stdout)).toEqual(['/arm64/hello']);
    expect(result.stderr).toBe('');
  });

  test("without --platform, the host's, with a note", () => {
    const host = hostPlatform();
    const result = cli(['show', '--format', 'json', multi]);
    if (host.architecture === 'amd64' || host.architecture === 'arm64') {
      expect(result.status).toBe(0);
      expect(paths(result.stdout)).toEqual([`/${host.architecture}/hello`]);
      expect(result.stderr).toBe(`glibc-floor: note: ${multi}: it holds several platforms (linux/amd64, linux/arm64); checking linux/${host.architecture}, this host's: choose another with --platform\n`);
    } else {
      expect(result.status).toBe(2);
    }
  });

  test('a platform the image does not have is an error naming those it has', () => {
    const result = cli(['show', '--platform', 'linux/s390x', multi]);
    expect(result.status).toBe(2);
    expect(result.stdout).toContain(`error ${multi}: no linux/s390x image in it (it has linux/amd64, linux/arm64)`);
    expectNoStackTrace(result.stderr);
  });

  test('a malformed --platform is a usage error', () => {
    const result = cli(['show', '--platform', 'arm64', multi]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('bad --platform "arm64"');
  });
});

/** elfTables reads every ELF entry of an image's filesystem through its open(): path and version needs. */
async function elfTables(fs: Awaited<ReturnType<typeof openImageFilesystem>>): Promise<unknown[]> {
  const out = [];
  for (const entry of fs.entries) {
    if (entry.kind !== 'file' || entry.magic !== 'elf') continue;
    const source = await entry.open();
    expect(source.size).toBe(entry.size);
    out.push([entry.path, (await readElf(source)).elf.versionNeeds]);
    await source.close();
  }
  return out;
}

describe('the store for ELF bytes', () => {
  test('spills to its own temporary directory beyond the memory budget and removes it', async () => {
    const scratch = mkdtempSync(join(work, 'spill-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = scratch;
    try {
      const limits = { memoryPerFile: 4096, memoryTotal: 8192, diskTotal: 1 << 30 };
      const spilled = await openImageFilesystem(image.ociTar, { limits });
      const inMemory = await openImageFilesystem(image.ociTar);
      expect(spilled.peak.disk).toBeGreaterThan(0);
      expect(inMemory.peak.disk).toBe(0);
      const [workDir] = readdirSync(scratch);
      expect(workDir).toMatch(/^glibc-floor-/);
      expect(readdirSync(join(scratch, workDir!)).every((name) => /^\d+\.elf$/.test(name))).toBe(true);
      const fromDisk = await elfTables(spilled);
      expect(fromDisk.length).toBeGreaterThan(5);
      expect(fromDisk).toEqual(await elfTables(inMemory));
      await spilled.dispose();
      await inMemory.dispose();
      expect(readdirSync(scratch)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });

  test('uncompressed layers (docker-archive) are read in place: no memory, no temporary file, the same ELF tables', async () => {
    const scratch = mkdtempSync(join(work, 'in-place-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = scratch;
    try {
      const none = { memoryPerFile: 0, memoryTotal: 0, diskTotal: 0 };
      const inPlace = await openImageFilesystem(image.dockerTar, { limits: none });
      const copied = await openImageFilesystem(image.ociTar);
      expect(inPlace.peak).toEqual({ memory: 0, disk: 0 });
      expect(readdirSync(scratch)).toEqual([]);
      const fromArchive = await elfTables(inPlace);
      expect(fromArchive.length).toBeGreaterThan(5);
      expect(fromArchive).toEqual(await elfTables(copied));
      await inPlace.dispose();
      await copied.dispose();
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });

  test('a disk budget too small for the ELF files is an error, and leaves nothing behind', async () => {
    const scratch = mkdtempSync(join(work, 'budget-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = scratch;
    try {
      await expect(openImageFilesystem(image.ociTar, { limits: { memoryPerFile: 0, memoryTotal: 0, diskTotal: 1000 } })).rejects.toThrow(
        /need more than 1000 bytes of temporary space/,
      );
      expect(readdirSync(scratch)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });
});
