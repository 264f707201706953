import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { readArtifact, type Artifact } from '../../src/archive/read-archive.js';
import { DEFAULT_ARCHIVE_LIMITS } from '../../src/archive/limits.js';
import { bufferSource, type ByteSource } from '../../src/io/byte-source.js';
import { isTarHeader } from '../../src/archive/magic.js';
import { extremes } from './mutate.js';
import { gunzipSync, gzipSync } from 'node:zlib';
import { setTarField } from '../helpers/tar-header.js';

/**
 * Property: whatever bytes it is given, readArtifact settles (an artifact, or undefined for "not
 * an archive") without throwing, every error is one line that is not an internal error, and the
 * bytes it reads and keeps stay bounded. Seeds are every archive under fixtures/archives/ (each
 * kind, packages, hostile ones); mutations aim at their container headers: tar header fields,
 * zip local and central records, ar headers, RPM header intros, compressed stream headers.
 */
const FUZZ_SEED = Number(process.env['FUZZ_SEED'] ?? 0xa7c1);
// ~1,000 runs take some 20 s (the bzip2 and zstd decoders allocate per block); FUZZ_RUNS runs longer.
const RANDOM_RUNS = Number(process.env['FUZZ_RUNS'] ?? 1_000);
/** Small limits, so that a mutation that inflates a size meets a bound quickly instead of allocating. */
const LIMITS = { ...DEFAULT_ARCHIVE_LIMITS, maxTotalBytes: 64 << 20, maxMemberBytes: 16 << 20, maxKeptBytes: 32 << 20, maxMembers: 10_000 };

const archivesDir = join(import.meta.dirname, '..', '..', 'fixtures', 'archives');
const seeds = readdirSync(archivesDir)
  .filter((name) => !name.endsWith('.sh') && name !== 'src' && name !== 'bomb.zip')
  .sort()
  .map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(archivesDir, name))) }));

/** interestingOffsets are the starts of the records a container reader parses, found by scanning for their magic. */
function interestingOffsets(bytes: Uint8Array): number[] {
  const offsets = new Set<number>([0, 1, 2, 3, 4, 7, 8, 12, 16, 60, 68, 96, 100, 112, 124, 136, 148, 156, 257, 345, 512]);
  const magics = [
    [0x50, 0x4b, 0x03, 0x04], [0x50, 0x4b, 0x01, 0x02], [0x50, 0x4b, 0x05, 0x06], // zip local, central, end
    [0x8e, 0xad, 0xe8, 0x01], // rpm header
    [0x1f, 0x8b], [0xfd, 0x37, 0x7a, 0x58], [0x28, 0xb5, 0x2f, 0xfd], [0x42, 0x5a, 0x68], // gzip, xz, zstd, bzip2
    [0x30, 0x37, 0x30, 0x37, 0x30], // cpio newc
  ];
  for (let i = 0; i < bytes.length; i++) {
    for (const magic of magics) {
      if (magic.every((byte, j) => bytes[i + j] === byte)) for (let k = 0; k < 48; k += 2) offsets.add(i + k);
    }
    if (i % 512 === 0 && isTarHeader(bytes.subarray(i, i + 512))) for (const field of [0, 100, 124, 136, 148, 156, 157, 257, 345]) offsets.add(i + field);
  }
  return [...offsets].filter((offset) => offset < bytes.length).sort((a, b) => a - b);
}

/** A byte source that counts what is read, to bound it. */
function countingSource(bytes: Uint8Array): ByteSource & { read: number } {
  const inner = bufferSource(bytes);
  const source = {
    size: inner.size,
    read: 0,
    async readAt(offset: number, length: number) {
      const out = await inner.readAt(offset, length);
      source.read += out.length;
      return out;
    },
  };
  return source;
}

/** A read that waits longer than this waits forever (a parser that stopped: see archive/tar.ts validTarSize). */
const DEADLINE_MS = 10_000;

let checked = 0;
async function check(bytes: Uint8Array, story: () => string): Promise<void> {
  if (++checked % 64 === 0) await new Promise((resolve) => setImmediate(resolve));
  const source = countingSource(bytes);
  let artifact: Artifact | undefined;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no result within ${DEADLINE_MS} ms`)), DEADLINE_MS)));
  try {
    artifact = await Promise.race([readArtifact(source, 'fuzz', { limits: LIMITS }), deadline]);
  } catch (error) {
    throw new Error(`readArtifact threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)} for ${story()}`);
  } finally {
    clearTimeout(timer);
  }
  for (const message of errorsOf(artifact)) {
    if (message.includes('\n') || message.length === 0 || message.startsWith('internal error')) {
      throw new Error(`bad error message for ${story()}: ${JSON.stringify(message)}`);
    }
  }
  // Every byte is read at most a few times (the probe, the stream, a nested archive).
  if (source.read > 8 * bytes.length + 1024 * 1024) throw new Error(`read ${source.read} bytes of ${bytes.length} for ${story()}`);
}

function errorsOf(artifact: Artifact | undefined): string[] {
  if (artifact === undefined) return [];
  const out = artifact.error === undefined ? [] : [artifact.error];
  for (const entry of artifact.entries) {
    if (entry.kind === 'error') out.push(entry.error);
    if (entry.kind === 'artifact') out.push(...errorsOf(entry.artifact));
  }
  return out;
}

function setValue(bytes: Uint8Array, offset: number, width: 1 | 2 | 4, value: bigint, little: boolean): Uint8Array {
  const out = bytes.slice();
  if (offset + width > out.length) return out;
  const view = new DataView(out.buffer);
  if (width === 1) view.setUint8(offset, Number(value & 0xffn));
  else if (width === 2) view.setUint16(offset, Number(value & 0xffffn), little);
  else view.setUint32(offset, Number(value & 0xffffffffn), little);
  return out;
}

describe('archive readers under fuzzing', () => {
  test('the seed corpus holds every archive kind', () => {
    expect(seeds.length).toBeGreaterThanOrEqual(20);
  });

  test('truncation at every record boundary and field of every seed settles', async () => {
    let cases = 0;
    for (const seed of seeds) {
      for (const at of interestingOffsets(seed.bytes)) {
        await check(seed.bytes.subarray(0, at), () => `${seed.name} cut at ${at}`);
        cases++;
      }
    }
    expect(cases).toBeGreaterThan(1_000);
  });

  test('interesting fields set to extreme values (both byte orders) settle', async () => {
    let cases = 0;
    // Each read costs ~5 ms (decoders allocate per block): 24 record offsets per seed, spread over
    // the file, and the values that break sizes, counts and offsets, keep this near 20 s.
    for (const seed of seeds.filter((s) => s.bytes.length < 20_000)) {
      const offsets = interestingOffsets(seed.bytes);
      const step = Math.max(1, Math.floor(offsets.length / 24));
      for (const offset of offsets.filter((_, index) => index % step === 0).slice(0, 24)) {
        const size = BigInt(seed.bytes.length);
        const values: [1 | 2 | 4, bigint][] = [[4, 0n], [4, 0xffffffffn], [4, 0x7fffffffn], [4, size + 1n], [2, 0xffffn]];
        for (const [width, value] of values) {
          for (const little of [true, false]) {
            await check(setValue(seed.bytes, offset, width, value, little), () => `${seed.name} with ${width} bytes at ${offset} = 0x${value.toString(16)} (${little ? 'LE' : 'BE'})`);
            cases++;
          }
        }
      }
    }
    expect(cases).toBeGreaterThan(3_000);
  });

  test('tar header fields set to values that break sizes and kinds, checksum made right, settle (plain and gzip tars)', async () => {
    const values: Record<number, string[]> = {
      124: ['\x01', '77777777777', '\x80\0\0\0\0\0\0\0\xff\xff\xff', '00000000001', '           '],
      156: ['1', '2', '5', 'x', 'g', 'L', 'K', '\0'],
      157: ['../../../etc/passwd', ''],
      0: ['', '../x', '/'],
    };
    let cases = 0;
    for (const seed of seeds.filter((s) => s.name.endsWith('.tar') || s.name === 'payload.tar.gz')) {
      const tar = seed.name.endsWith('.gz') ? new Uint8Array(gunzipSync(seed.bytes)) : seed.bytes;
      const headers = [...Array(Math.floor(tar.length / 512)).keys()].map((block) => block * 512).filter((at) => isTarHeader(tar.subarray(at, at + 512)));
      for (const header of headers) {
        for (const [field, list] of Object.entries(values)) {
          for (const value of list) {
            const mutated = setTarField(tar.slice(), header, Number(field), value);
            const bytes = seed.name.endsWith('.gz') ? new Uint8Array(gzipSync(mutated)) : mutated;
            await check(bytes, () => `${seed.name}: header at ${header}, field ${field} = ${JSON.stringify(value)}`);
            cases++;
          }
        }
      }
    }
    expect(cases).toBeGreaterThan(200);
  });

  test(`random flips, extremes and truncations settle (${RANDOM_RUNS} runs, seed ${FUZZ_SEED})`, async () => {
    const mutation = (size: number) =>
      fc.oneof(
        fc.record({ kind: fc.constant('flip' as const), at: fc.nat({ max: size - 1 }), xor: fc.integer({ min: 1, max: 255 }) }),
        fc.record({ kind: fc.constant('cut' as const), at: fc.nat({ max: size - 1 }) }),
        fc.record({ kind: fc.constant('set' as const), at: fc.nat({ max: size - 1 }), value: fc.constantFrom(...extremes(size, 4)) }),
      );
    const input = fc.constantFrom(...seeds).chain((seed) => fc.tuple(fc.constant(seed), fc.array(mutation(seed.bytes.length), { minLength: 1, maxLength: 4 })));
    await fc.assert(
      fc.asyncProperty(input, async ([seed, mutations]) => {
        let bytes: Uint8Array = seed.bytes.slice();
        for (const m of mutations) {
          if (m.kind === 'flip') bytes[m.at]! ^= m.xor;
          else if (m.kind === 'cut') bytes = bytes.slice(0, m.at);
          else bytes = setValue(bytes, m.at, 4, m.value, true);
        }
        await check(bytes, () => `${seed.name} with ${JSON.stringify(mutations, (_, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v))}`);
      }),
      { seed: FUZZ_SEED, numRuns: RANDOM_RUNS, endOnFailure: true },
    );
  });
});
