import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readElf } from '../../src/elf/read-elf.js';
import { ToolError } from '../../src/errors/tool-error.js';
import { openImageFilesystem } from '../../src/image/image-filesystem.js';
import { readFixture } from '../helpers/fixtures.js';
import { tarBytes } from '../image/helpers.js';
import { setTarChecksum } from '../helpers/tar-header.js';

/**
 * Property: whatever bytes an image archive holds, opening it (the outer tar's walk, the manifests,
 * every layer, streamed through gzip or walked in place) and reading its ELF entries settles within
 * a deadline, and every failure is one of the tool's own errors in one line, never a TypeError, a
 * hang, or Node's silent exit (a directory entry with a size once hung the gzip path: see
 * scan-layers.ts skip). Seeds: a docker-archive (plain layer) and an OCI archive (gzip layer) made
 * here, each with an ELF file, a directory, links and a whiteout; mutations set a byte anywhere,
 * set a field of a tar header (of the archive, of the docker-archive's plain layer, or of the layer
 * before it is gzipped into an OCI archive) with its checksum made right again, or cut the archive.
 */
const FUZZ_SEED = Number(process.env['FUZZ_SEED'] ?? 0x1ea9);
const RANDOM_RUNS = Number(process.env['FUZZ_RUNS'] ?? 300);
const DEADLINE_MS = Number(process.env['FUZZ_DEADLINE_MS'] ?? 10_000);

let work: string;
const seeds: { name: string; bytes: Uint8Array; headers: number[] }[] = [];

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

/** tarHeaders finds the offsets of the 512-byte blocks that hold a tar header's "ustar" magic. */
function tarHeaders(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (let at = 0; at + 512 <= bytes.length; at += 512) if (Buffer.from(bytes.subarray(at + 257, at + 262)).toString('latin1') === 'ustar') out.push(at);
  return out;
}

/** The docker-archive's layer, and the offsets of its headers: mutated, then gzipped into an OCI archive. */
let layerTar: Uint8Array;
let layerHeaders: number[];

/** ociArchive makes an OCI archive of one gzip layer holding `layer`. */
async function ociArchive(layer: Uint8Array): Promise<Uint8Array> {
  const config = json({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [`sha256:${sha256(layer)}`] } });
  const gz = gzipSync(layer);
  const manifest = json({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${sha256(config)}`, size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${sha256(gz)}`, size: gz.length }],
  });
  return new Uint8Array(await tarBytes([
    { header: { name: 'oci-layout' }, body: json({ imageLayoutVersion: '1.0.0' }) },
    { header: { name: 'index.json' }, body: json({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${sha256(manifest)}`, size: manifest.length }] }) },
    { header: { name: `blobs/sha256/${sha256(manifest)}` }, body: manifest },
    { header: { name: `blobs/sha256/${sha256(config)}` }, body: config },
    { header: { name: `blobs/sha256/${sha256(gz)}` }, body: gz },
  ]));
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'glibc-floor-image-fuzz-'));
  const layer = await tarBytes([
    { header: { name: 'usr', type: 'directory' } },
    { header: { name: 'usr/bin/hello', mode: 0o755 }, body: readFixture('hello-x86_64') },
    { header: { name: 'usr/bin/hi', type: 'symlink', linkname: 'hello' } },
    { header: { name: 'usr/bin/again', type: 'link', linkname: 'usr/bin/hello' } },
    { header: { name: 'usr/.wh.gone' } },
    { header: { name: 'etc/notes.txt' }, body: Buffer.from('not an ELF file\n') },
  ]);
  const config = json({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [`sha256:${sha256(layer)}`] } });
  const docker = await tarBytes([
    { header: { name: 'manifest.json' }, body: json([{ Config: 'config.json', RepoTags: ['fuzz:latest'], Layers: ['layer.tar'] }]) },
    { header: { name: 'config.json' }, body: config },
    { header: { name: 'layer.tar' }, body: layer },
  ]);
  layerTar = new Uint8Array(layer);
  layerHeaders = tarHeaders(layerTar);
  const oci = await ociArchive(layerTar);
  // Plain Uint8Arrays: a Buffer's slice() is a view, and the mutations would pile up in the seed.
  for (const [name, bytes] of [['docker-archive.tar', docker], ['oci-archive.tar', oci]] as const) seeds.push({ name, bytes: new Uint8Array(bytes), headers: tarHeaders(bytes) });
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

let file = 0;
/** check opens the image in `bytes` and reads its ELF entries; a failure must be the tool's own, in one line. */
async function check(bytes: Uint8Array, story: () => string): Promise<'read' | 'refused'> {
  const path = join(work, `image-${file++ % 4}.tar`);
  writeFileSync(path, bytes);
  const attempt = async (): Promise<'read' | 'refused'> => {
    let image;
    try {
      image = await openImageFilesystem(path);
    } catch (error) {
      expectToolError(error, story);
      if (process.env['FUZZ_DEBUG']) console.log(story(), (error as Error).message);
      return 'refused';
    }
    try {
      for (const entry of image.entries) {
        if (entry.kind !== 'file' || entry.magic !== 'elf') continue;
        const source = await entry.open();
        try {
          await readElf(source);
        } catch (error) {
          expectToolError(error, story);
        } finally {
          await source.close();
        }
      }
    } finally {
      await image.dispose();
    }
    return 'read';
  };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no result within ${DEADLINE_MS} ms for ${story()}`)), DEADLINE_MS)));
  try {
    return await Promise.race([attempt(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function expectToolError(error: unknown, story: () => string): void {
  if (!(error instanceof ToolError) || error.message.includes('\n') || error.message === '') {
    throw new Error(`not the tool's own one-line error for ${story()}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
}

describe('images under fuzzing', () => {
  test('the seeds are read whole: each has its ELF file', async () => {
    for (const seed of seeds) {
      const image = await openImageFilesystem((writeFileSync(join(work, seed.name), seed.bytes), join(work, seed.name)));
      expect(image.entries.filter((entry) => entry.kind === 'file' && entry.magic === 'elf').map((entry) => entry.path)).toContain('/usr/bin/hello');
      await image.dispose();
      expect(seed.headers.length).toBeGreaterThanOrEqual(3);
    }
  });

  test(`random sets, flips and cuts settle with the tool's own errors (${RANDOM_RUNS} runs, seed ${FUZZ_SEED})`, async () => {
    const outcomes = { read: 0, refused: 0 };
    const field = fc.constantFrom(0, 100, 124, 125, 130, 134, 136, 148, 156, 157, 257, 345);
    const mutation = fc.record({
      seed: fc.nat({ max: 1 }),
      kind: fc.constantFrom('header-field', 'gzip-layer-header', 'anywhere', 'cut'),
      at: fc.nat(),
      field,
      value: fc.integer({ min: 0, max: 255 }),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        if (m.kind === 'gzip-layer-header') {
          // A header of the layer set before it is gzipped: what the streamed (tar-stream) path then reads.
          const layer = layerTar.slice();
          const header = layerHeaders[m.at % layerHeaders.length]!;
          layer[header + m.field] = m.value;
          if (m.field < 148 || m.field >= 156) setTarChecksum(layer, header);
          outcomes[await check(await ociArchive(layer), () => `gzip layer: ${JSON.stringify(m)}`)]++;
          return;
        }
        const seed = seeds[m.seed]!;
        let bytes = seed.bytes.slice();
        if (m.kind === 'cut') bytes = bytes.subarray(0, m.at % bytes.length);
        else if (m.kind === 'anywhere') bytes[m.at % bytes.length] = m.value;
        else {
          // The header's checksum made right again, so that the header decodes and what follows it is tried.
          const header = seed.headers[m.at % seed.headers.length]!;
          bytes[header + m.field] = m.value;
          if (m.field < 148 || m.field >= 156) setTarChecksum(bytes, header);
        }
        outcomes[await check(bytes, () => `${seed.name}: ${JSON.stringify(m)}`)]++;
      }),
      { seed: FUZZ_SEED, numRuns: RANDOM_RUNS, endOnFailure: true },
    );
    // Both outcomes happen: the mutations are neither all harmless nor all fatal.
    expect(outcomes.read).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });
});
