import fc from 'fast-check';
import { ElfFormatError, NotElfError } from '../../src/elf/errors.js';
import { readElf } from '../../src/elf/read-elf.js';
import { bufferSource, type ByteSource } from '../../src/io/byte-source.js';
import type { Seed } from './elf-map.js';

/** Mutation is one change to a seed file, described so a failing case prints readably. */
export type Mutation =
  | { readonly kind: 'set'; readonly field: string; readonly offset: number; readonly width: 1 | 2 | 4 | 8; readonly value: bigint }
  | { readonly kind: 'flip'; readonly region: string; readonly offset: number; readonly xor: number }
  | { readonly kind: 'truncate'; readonly at: number };

/** extremes are the values hostile or broken files put in counts, offsets and sizes. */
export function extremes(size: number, width: 1 | 2 | 4 | 8): bigint[] {
  const max = (1n << BigInt(width * 8)) - 1n;
  const values = [0n, 1n, 2n, 0x7fn, 0x80n, 0xffn, 0xffffn, 0x7fffffffn, 0xffffffffn, BigInt(size) - 1n, BigInt(size), BigInt(size) + 1n, max, max - 1n];
  return [...new Set(values.map((v) => (v < 0n ? 0n : v & max)))];
}

/** mutationOf returns an arbitrary for the mutations of one seed, aimed at the parts its map found. */
export function mutationOf(seed: Seed): fc.Arbitrary<Mutation> {
  const size = seed.bytes.length;
  const options: fc.Arbitrary<Mutation>[] = [];
  if (seed.map.fields.length > 0) {
    options.push(
      fc.constantFrom(...seed.map.fields).chain((field) =>
        fc.constantFrom(...extremes(size, field.width)).map((value): Mutation => ({ kind: 'set', field: field.name, offset: field.offset, width: field.width, value })),
      ),
    );
  }
  if (seed.map.regions.length > 0) {
    options.push(
      fc.constantFrom(...seed.map.regions).chain((region) =>
        fc.record({ delta: fc.nat({ max: region.length - 1 }), xor: fc.integer({ min: 1, max: 255 }) })
          .map(({ delta, xor }): Mutation => ({ kind: 'flip', region: region.name, offset: region.offset + delta, xor })),
      ),
    );
  }
  if (size > 0) {
    options.push(fc.constantFrom(...seed.map.cuts).map((at): Mutation => ({ kind: 'truncate', at })));
    options.push(fc.nat({ max: size - 1 }).map((at): Mutation => ({ kind: 'truncate', at })));
  }
  return fc.oneof(...options);
}

/** applyMutations returns a mutated copy of `bytes` (the seed itself is never changed). */
export function applyMutations(bytes: Uint8Array, mutations: readonly Mutation[], littleEndian: boolean): Uint8Array {
  let out = bytes.slice();
  for (const m of mutations) {
    if (m.kind === 'truncate') {
      out = out.slice(0, Math.min(m.at, out.length));
    } else if (m.kind === 'flip') {
      if (m.offset < out.length) out[m.offset]! ^= m.xor;
    } else if (m.offset + m.width <= out.length) {
      const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
      if (m.width === 1) view.setUint8(m.offset, Number(m.value));
      else if (m.width === 2) view.setUint16(m.offset, Number(m.value), littleEndian);
      else if (m.width === 4) view.setUint32(m.offset, Number(m.value), littleEndian);
      else view.setBigUint64(m.offset, m.value, littleEndian);
    }
  }
  return out;
}

/** ReadStats is what a CountingSource saw: how often and how much the reader asked for. */
export interface ReadStats {
  reads: number;
  bytesRequested: number;
  largestRequest: number;
}

/** countingSource wraps a ByteSource and counts every read and the bytes it asks for (before clipping). */
export function countingSource(inner: ByteSource): { source: ByteSource; stats: ReadStats } {
  const stats: ReadStats = { reads: 0, bytesRequested: 0, largestRequest: 0 };
  return {
    stats,
    source: {
      size: inner.size,
      readAt(offset, length) {
        stats.reads++;
        stats.bytesRequested += length;
        stats.largestRequest = Math.max(stats.largestRequest, length);
        return inner.readAt(offset, length);
      },
    },
  };
}

/** Outcome is how one read of one input ended. */
export type Outcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'format-error' | 'not-elf'; readonly message: string }
  | { readonly kind: 'other'; readonly error: unknown };

/** readOutcome runs readElf over `bytes` and classifies how it ended, with the read statistics. */
export async function readOutcome(bytes: Uint8Array): Promise<{ outcome: Outcome; stats: ReadStats }> {
  const { source, stats } = countingSource(bufferSource(bytes));
  try {
    await readElf(source);
    return { outcome: { kind: 'ok' }, stats };
  } catch (error) {
    if (error instanceof ElfFormatError) return { outcome: { kind: 'format-error', message: error.message }, stats };
    if (error instanceof NotElfError) return { outcome: { kind: 'not-elf', message: error.message }, stats };
    return { outcome: { kind: 'other', error }, stats };
  }
}

/**
 * The read budget every input must stay within. The reader's design is a handful of positioned
 * reads (head, section headers, tables, string pages); version records outside the first 64 KiB
 * cost one read each, so the count scales with the (bounded) record walk, not with file size.
 */
export const READ_BUDGET = { reads: 64, bytesPerFileSize: 4, bytesConstant: 256 * 1024 } as const;

/** withinBudget says whether a read of a `size`-byte input stayed within READ_BUDGET. */
export function withinBudget(stats: ReadStats, size: number): boolean {
  return stats.reads <= READ_BUDGET.reads && stats.bytesRequested <= READ_BUDGET.bytesPerFileSize * size + READ_BUDGET.bytesConstant;
}
