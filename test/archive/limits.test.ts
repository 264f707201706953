import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { DEFAULT_ARCHIVE_LIMITS, MAX_COMPRESSION_RATIO, MAX_NESTING_DEPTH, type ArchiveLimits } from '../../src/archive/limits.js';
import { MAX_TAR_HEADER_BUFFER } from '../../src/archive/tar.js';
import { MAX_ZSTD_WINDOW } from '../../src/archive/zstd-frames.js';
import { readFixture } from '../helpers/fixtures.js';
import { flatten, readBytes, readFixtureArtifact } from './helpers.js';
import { tarOf } from './tar-of.js';
import { setTarChecksum } from '../helpers/tar-header.js';

const hello = readFixture('hello-x86_64');

const limits = (overrides: Partial<ArchiveLimits>): { limits: ArchiveLimits } => ({ limits: { ...DEFAULT_ARCHIVE_LIMITS, ...overrides } });

describe('each bound of ArchiveLimits is reached with a one-line error', () => {
  test('maxTotalBytes: decompressing past it stops the archive', async () => {
    const tar = await tarOf([1, 2, 3].map((i) => ({ name: `hello-${i}`, bytes: hello })));
    const artifact = await readBytes(gzipSync(tar), 'three.tar.gz', limits({ maxTotalBytes: 2 * hello.length }));
    expect(artifact.error).toBe(`more than ${2 * hello.length} bytes decompressed (the limit on one archive)`);
    expect(artifact.entries.length).toBeLessThan(3);
  });

  test('maxMembers: the member past it stops the archive', async () => {
    const tar = await tarOf([1, 2, 3].map((i) => ({ name: `file-${i}`, bytes: new Uint8Array(10) })));
    const artifact = await readBytes(tar, 'three.tar', limits({ maxMembers: 2 }));
    expect(artifact.error).toBe('more than 2 members (the limit on one archive)');
    expect(flatten(artifact).slice(1)).toEqual(['three.tar!/file-1 skipped not-elf', 'three.tar!/file-2 skipped not-elf']);
  });

  test('maxMembers on a zip: a central directory listing more is refused before any member', async () => {
    const artifact = await readFixtureArtifact('payload.zip', limits({ maxMembers: 3 }));
    expect(artifact.error).toMatch(/^zip lists \d+ members, more than 3 \(the limit on one archive\)$/);
    expect(artifact.entries).toEqual([]);
  });

  test(`maxRatio (${MAX_COMPRESSION_RATIO}:1 by default): a gzip tar bomb stops the archive at the member`, async () => {
    const tar = await tarOf([
      { name: 'hello', bytes: hello },
      { name: 'zeros', bytes: new Uint8Array(8 << 20) },
    ]);
    const artifact = await readBytes(gzipSync(tar), 'bomb.tar.gz');
    expect(artifact.error).toMatch(/is a compression bomb: \d+ bytes from \d+ compressed bytes, past the 100:1 limit/);
    expect(flatten(artifact)[1]).toMatch(/^bomb\.tar\.gz!\/hello elf /);
  });

  test('maxMemberBytes: a member larger than it is an error for that member only (zip)', async () => {
    const artifact = await readFixtureArtifact('payload.zip', limits({ maxMemberBytes: 14_300 }));
    expect(artifact.error).toBeUndefined();
    const lines = flatten(artifact);
    expect(lines).toContain('payload.zip!/payload/bin/hello-x86_64 error member "payload/bin/hello-x86_64" is larger than 14300 bytes (the limit on one member held in memory)');
    expect(lines).toContainEqual(expect.stringMatching(/^payload\.zip!\/payload\/lib\/libplain\.so elf /));
  });

  test('maxKeptBytes: holding more ELF bytes than it stops the archive', async () => {
    const tar = await tarOf([1, 2, 3].map((i) => ({ name: `hello-${i}`, bytes: hello })));
    const artifact = await readBytes(tar, 'three.tar', limits({ maxKeptBytes: 2 * hello.length + 100 }));
    expect(artifact.error).toMatch(/^holding \d+ more bytes would pass \d+ bytes of members held in memory$/);
    expect(artifact.entries.filter((entry) => entry.kind === 'elf')).toHaveLength(2);
  });

  test(`MAX_NESTING_DEPTH (${MAX_NESTING_DEPTH}): an archive two levels down is skipped`, async () => {
    const artifact = await readFixtureArtifact('deeper.tar');
    expect(flatten(artifact)).toContain('deeper.tar!/release.tar.gz!/dist/gf-demo_1.0_amd64.deb skipped archive-too-deep');
  });

  test('MAX_TAR_HEADER_BUFFER: a pax header record larger than it is refused', async () => {
    const header = new Uint8Array(512);
    const name = 'PaxHeader';
    header.set(Buffer.from(name), 0);
    header.set(Buffer.from('0000644\0'), 100);
    header.set(Buffer.from(`${(MAX_TAR_HEADER_BUFFER * 2).toString(8).padStart(11, '0')}\0`), 124);
    header.set(Buffer.from('00000000000\0'), 136);
    header[156] = 'x'.charCodeAt(0);
    header.set(Buffer.from('ustar\0' + '00'), 257);
    setTarChecksum(header);
    const body = new Uint8Array(MAX_TAR_HEADER_BUFFER * 2 + 512);
    const tar = new Uint8Array(header.length + body.length);
    tar.set(header);
    tar.set(body, 512);
    const artifact = await readBytes(tar, 'pax.tar');
    expect(artifact.error).toBe('corrupt tar: a header record larger than 16777216 bytes');
  });

  test(`MAX_ZSTD_WINDOW: a zstd frame declaring a window over ${MAX_ZSTD_WINDOW} bytes is refused before decoding`, async () => {
    // Frame header: magic, FHD 0 (no single segment), window descriptor exponent 18 -> 2^28.
    const frame = new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0x00, 18 << 3, 0x01, 0x00, 0x00]);
    const artifact = await readBytes(frame, 'big-window.tar.zst');
    expect(artifact.error).toMatch(/^(zstd frame 0 needs a 268435456-byte window, more than the 134217728 bytes zstd itself allows by default|zstd stream: )/);
  });
});
