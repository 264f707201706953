import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { extract } from 'tar-stream';
import { describe, expect, test } from 'vitest';
import { InPlaceLayer } from '../../src/image/layer-in-place.js';
import { bufferSource } from '../../src/io/byte-source.js';
import { setTarField } from '../helpers/tar-header.js';

/**
 * Property: whatever a layer's bytes are, the in-place walk (src/image/layer-in-place.ts) ends
 * with its entries or one Error with a one-line message, reads a bounded number of bytes, and,
 * wherever tar-stream's extract (which reads compressed layers) reads the same bytes without
 * error, hands out the same entries. Mutations hit the fields of real tar headers (size, type, the
 * name and link fields, the ustar magic) and then fix the header's checksum, so the header still
 * decodes and the walk's own rules are what is tried; and they cut the tar anywhere.
 */
const FUZZ_SEED = Number(process.env['FUZZ_SEED'] ?? 0x1a7e);
const RANDOM_RUNS = Number(process.env['FUZZ_RUNS'] ?? 1_000);
const LIMITS = { maxLongHeader: 1 << 20 };

const archivesDir = join(import.meta.dirname, '..', '..', 'fixtures', 'archives');
const seeds = ['payload.tar', 'deeper.tar', 'dotdot.tar'].map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(archivesDir, name))) }));

/** headerOffsets are the offsets of the tar headers of a seed, found by walking it. */
async function headerOffsets(bytes: Uint8Array): Promise<number[]> {
  const layer = new InPlaceLayer(bufferSource(bytes), 0, bytes.length, LIMITS);
  const offsets: number[] = [];
  for await (const entry of layer.entries()) offsets.push(entry.dataOffset - 512);
  return offsets;
}

interface Seen {
  readonly name: string;
  readonly type: string | null | undefined;
  readonly size: number;
  readonly linkname: string | null | undefined;
}

async function viaStream(bytes: Uint8Array): Promise<Seen[] | 'error'> {
  try {
    const parser = extract({ allowUnknownFormat: true });
    Readable.from([Buffer.from(bytes)]).pipe(parser);
    const seen: Seen[] = [];
    for await (const entry of parser) {
      // As the image scan does (scan-layers.ts skip): a directory's stream never ends when its header declares a size.
      if (entry.header.type !== 'directory') for await (const chunk of entry) void chunk;
      const { name, type, size, linkname } = entry.header;
      seen.push({ name, type, size: size ?? 0, linkname });
    }
    return seen;
  } catch {
    return 'error';
  }
}

async function inPlace(bytes: Uint8Array, story: () => string): Promise<{ seen: Seen[] | 'error'; read: number }> {
  const inner = bufferSource(bytes);
  let read = 0;
  const source = { size: inner.size, readAt: async (offset: number, length: number) => { const out = await inner.readAt(offset, length); read += out.length; return out; } };
  const layer = new InPlaceLayer(source, 0, bytes.length, LIMITS);
  const seen: Seen[] = [];
  try {
    for await (const entry of layer.entries()) {
      const { name, type, size, linkname } = entry.header;
      if (size > 0 && type !== 'directory') await layer.head(entry, 4);
      seen.push({ name, type, size, linkname });
    }
    return { seen, read };
  } catch (error) {
    if (!(error instanceof Error) || error.message.includes('\n') || error.message === '') throw new Error(`bad error for ${story()}: ${String(error)}`);
    return { seen: 'error', read };
  }
}

async function check(bytes: Uint8Array, story: () => string): Promise<void> {
  const walked = await inPlace(bytes, story);
  // Headers and the first bytes of files, through 64 KiB windows: never more than a few times the layer.
  if (walked.read > 4 * bytes.length + (1 << 20)) throw new Error(`read ${walked.read} bytes of ${bytes.length} for ${story()}`);
  const streamed = await viaStream(bytes);
  if (streamed !== 'error' && walked.seen !== 'error') expect(walked.seen, story()).toEqual(streamed);
}

/** The header fields a mutation sets, with values that break sizes and kinds. */
const FIELDS = [
  { name: 'size', offset: 124, values: ['00000000000', '00000000001', '00000000777', '00000001000', '77777777777', '\x80\0\0\0\0\0\0\0\xff\xff\xff', '0000000 100', '           '] },
  { name: 'type', offset: 156, values: ['0', '1', '2', '3', '5', '7', 'x', 'g', 'L', 'K', 'V', '\0', 'Z'] },
  { name: 'linkname', offset: 157, values: ['', '../../../etc/passwd', 'a'.repeat(100)] },
  { name: 'magic', offset: 257, values: ['ustar\x0000', 'ustar  \0', '\0\0\0\0\0\0\0\0'] },
  { name: 'name', offset: 0, values: ['', '/', '../x', 'a'.repeat(100)] },
];

function setField(bytes: Uint8Array, header: number, field: (typeof FIELDS)[number], value: string): Uint8Array {
  return setTarField(bytes.slice(), header, field.offset, value);
}

describe('the in-place layer walk under fuzzing', () => {
  test('every field of every header set to each breaking value, checksum fixed, settles and agrees with tar-stream', async () => {
    let cases = 0;
    for (const seed of seeds) {
      for (const header of await headerOffsets(seed.bytes)) {
        for (const field of FIELDS) {
          for (const value of field.values) {
            await check(setField(seed.bytes, header, field, value), () => `${seed.name}: header at ${header}, ${field.name} = ${JSON.stringify(value)}`);
            cases++;
          }
        }
      }
    }
    expect(cases).toBeGreaterThan(100);
  });

  test(`random field settings, flips and cuts settle (${RANDOM_RUNS} runs, seed ${FUZZ_SEED})`, async () => {
    const offsets = await Promise.all(seeds.map((seed) => headerOffsets(seed.bytes)));
    const mutation = fc.record({
      seed: fc.nat({ max: seeds.length - 1 }),
      header: fc.nat(),
      field: fc.nat({ max: FIELDS.length - 1 }),
      value: fc.nat(),
      flip: fc.option(fc.record({ at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) })),
      cut: fc.option(fc.nat()),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const seed = seeds[m.seed]!;
        const headers = offsets[m.seed]!;
        const field = FIELDS[m.field]!;
        let bytes = setField(seed.bytes, headers[m.header % headers.length]!, field, field.values[m.value % field.values.length]!);
        if (m.flip !== null) {
          bytes = bytes.slice();
          bytes[m.flip.at % bytes.length]! ^= m.flip.xor;
        }
        if (m.cut !== null) bytes = bytes.subarray(0, m.cut % (bytes.length + 1));
        await check(bytes, () => JSON.stringify(m));
      }),
      { seed: FUZZ_SEED, numRuns: RANDOM_RUNS },
    );
  });
});
