/**
 * Layers are read several at once (scan-layers.ts layersInFlight()) but must decide the final
 * filesystem, and which error is reported, exactly as reading them one after another does. The
 * image here has more layers than are read at once, and its first layer is the slowest to read while the second is read beside it
 * (16 MiB of incompressible data), so an implementation that applied or failed layers in the order
 * they finish would give a different answer.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openImageFilesystem, type ImageEntry } from '../../src/image/image-filesystem.js';
import { layersInFlight } from '../../src/image/scan-layers.js';
import { expectNoStackTrace } from '../helpers/cli.js';
import { buildBinaries, cli, run, tarBytes, type Binaries } from './helpers.js';

let work: string;
let binaries: Binaries;
let image: string;
/** The layer blobs' names (`blobs/sha256/<hex>`), lowest layer first. */
let layerBlobs: string[];

const LAYERS = 6;

async function addLayer(dir: string, entries: Parameters<typeof tarBytes>[0]): Promise<void> {
  const layer = join(work, `layer-${readdirSync(work).length}.tar`);
  writeFileSync(layer, await tarBytes(entries));
  run('umoci', ['raw', 'add-layer', '--image', `${dir}:layers`, layer]);
}

function layerNames(dir: string): string[] {
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
  const blob = (digest: string) => join(dir, 'blobs/sha256', digest.replace('sha256:', ''));
  const manifest = JSON.parse(readFileSync(blob(index.manifests[0]!.digest), 'utf8')) as { layers: { digest: string }[] };
  return manifest.layers.map((layer) => `blobs/sha256/${layer.digest.replace('sha256:', '')}`);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'glibc-floor-layer-order-test-'));
  binaries = buildBinaries(join(work, 'bin'));
  const [hello, metis, libfoo] = [binaries.hello, binaries.metis, binaries.libfoo].map((path) => readFileSync(path)) as [Buffer, Buffer, Buffer];
  image = join(work, 'oci');
  run('umoci', ['init', '--layout', image]);
  run('umoci', ['new', '--image', `${image}:layers`]);
  const file = (name: string, body: Uint8Array) => ({ header: { name, mode: 0o755 }, body });
  const whiteout = (name: string) => ({ header: { name, size: 0, mode: 0o644 } });
  // 0: the slowest layer to read; everything it puts in is overridden, removed or hidden later.
  await addLayer(image, [
    file('bin/tool', hello),
    file('bin/gone', hello),
    file('opt/old', hello),
    file('lib/liba.so', libfoo),
    file('srv/filler.bin', randomBytes(16 << 20)),
  ]);
  await addLayer(image, [file('bin/tool', libfoo), whiteout('bin/.wh.gone')]);
  await addLayer(image, [whiteout('opt/.wh..wh..opq'), file('opt/new', metis), { header: { name: 'lib/libb.so', type: 'link', linkname: 'lib/liba.so' } }]);
  await addLayer(image, [file('bin/tool', metis), whiteout('lib/.wh.liba.so')]);
  await addLayer(image, [file('bin/late', hello)]);
  await addLayer(image, [file('bin/late', libfoo)]);
  layerBlobs = layerNames(image);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

async function bytesOf(entry: ImageEntry): Promise<Buffer> {
  if (entry.kind !== 'file') throw new Error(`${entry.path} is ${entry.kind}`);
  const source = await entry.open();
  try {
    return Buffer.from(await source.readAt(0, source.size));
  } finally {
    await source.close();
  }
}

describe('layers read at once are applied in layer order', () => {
  test('the image has more layers than are read at once, the slowest first', () => {
    expect(layerBlobs).toHaveLength(LAYERS);
    expect(layersInFlight()).toBeLessThan(LAYERS);
    expect(statSync(join(image, layerBlobs[0]!)).size).toBeGreaterThan(16 << 20);
  });

  test('overrides, whiteouts, an opaque directory and a hard link come out as the last layer left them', async () => {
    const fs = await openImageFilesystem(image);
    try {
      const byPath = new Map(fs.entries.map((entry) => [entry.path, entry]));
      expect([...byPath.keys()]).toEqual(['/bin/late', '/bin/tool', '/lib/libb.so', '/opt/new', '/srv/filler.bin']);
      expect(await bytesOf(byPath.get('/bin/tool')!)).toEqual(readFileSync(binaries.metis));
      expect(await bytesOf(byPath.get('/bin/late')!)).toEqual(readFileSync(binaries.libfoo));
      expect(await bytesOf(byPath.get('/lib/libb.so')!)).toEqual(readFileSync(binaries.libfoo));
      expect(await bytesOf(byPath.get('/opt/new')!)).toEqual(readFileSync(binaries.metis));
      expect(byPath.get('/srv/filler.bin')).toMatchObject({ kind: 'file', magic: 'none' });
    } finally {
      await fs.dispose();
    }
  });

  test('the report names each file of the final filesystem, as the CLI shows it', () => {
    const result = cli(['check', '--floor', '2.35', '--format', 'json', image]);
    expect(result.status).toBe(1);
    const files = (JSON.parse(result.stdout) as { files: { path: string; status: string }[] }).files;
    expect(files.map((entry) => [entry.path.slice(image.length + 1), entry.status])).toEqual([
      ['/bin/late', 'pass'],
      ['/bin/tool', 'fail'],
      ['/lib/libb.so', 'pass'],
      ['/opt/new', 'fail'],
      ['/srv/filler.bin', 'skipped'],
    ]);
  });
});

describe('errors come out in layer order', () => {
  test('a slow truncated first layer is named, not a later corrupt layer that fails at once; nothing is left behind', () => {
    const dir = join(work, 'two-broken');
    cpSync(image, dir, { recursive: true });
    const first = join(dir, layerBlobs[0]!);
    truncateSync(first, statSync(first).size - 4096);
    writeFileSync(join(dir, layerBlobs[1]!), Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff]));
    const scratch = join(work, 'scratch-two-broken');
    mkdirSync(scratch);
    const result = cli(['show', dir], { TMPDIR: scratch });
    expect(result.status).toBe(2);
    expect(result.stdout).toContain(`error ${dir}: layer ${layerBlobs[0]}: truncated`);
    expect(result.stdout).not.toContain(layerBlobs[1]!);
    expectNoStackTrace(result.stderr);
    expect(readdirSync(scratch)).toEqual([]);
  });

  test('a corrupt later layer is named once the layers before it are read', () => {
    const dir = join(work, 'late-broken');
    cpSync(image, dir, { recursive: true });
    writeFileSync(join(dir, layerBlobs[4]!), Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff]));
    const result = cli(['show', dir]);
    expect(result.status).toBe(2);
    expect(result.stdout).toContain(`error ${dir}: layer ${layerBlobs[4]}: `);
    expectNoStackTrace(result.stderr);
    expect(existsSync(dir)).toBe(true);
  });

  test('the disk budget counts files in layer order, with what earlier layers released', async () => {
    // With nothing kept in memory, the bytes on disk read in order (a file replaced or removed is
    // released before the next is kept) peak at the largest of these; counted as layers finish
    // reading, layer 1's file would be added to all of layer 0's, and the budget passed.
    const [h, m, f] = [binaries.hello, binaries.metis, binaries.libfoo].map((path) => statSync(path).size) as [number, number, number];
    const needed = Math.max(
      3 * h + f, // layer 0
      2 * h + 2 * f, // layer 1: bin/tool replaced by libfoo
      f + 2 * m + h, // layer 4: bin/late (layer 2 hid opt/old, layer 3 replaced bin/tool by metis)
      2 * f + 2 * m, // layer 5: bin/late replaced by libfoo
    );
    const limits = (diskTotal: number) => ({ memoryPerFile: 0, memoryTotal: 0, diskTotal });
    const fs = await openImageFilesystem(image, { limits: limits(needed) });
    try {
      expect(fs.entries.map((entry) => entry.path)).toEqual(['/bin/late', '/bin/tool', '/lib/libb.so', '/opt/new', '/srv/filler.bin']);
      expect(await bytesOf(fs.entries[1]!)).toEqual(readFileSync(binaries.metis));
    } finally {
      await fs.dispose();
    }
    await expect(openImageFilesystem(image, { limits: limits(needed - 1) })).rejects.toThrow(
      new RegExp(`^layer blobs/sha256/[0-9a-f]{64}: its ELF files need more than ${needed - 1} bytes of temporary space$`),
    );
  });
});
