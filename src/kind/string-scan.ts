import type { FileReader } from '../elf/file-reader.js';

/** A file range to scan: where it starts and how many bytes it has in the file. */
export interface ScanRange {
  readonly offset: number;
  readonly length: number;
}

/**
 * Bytes read per step; consecutive chunks overlap by the longest needle less one byte. 64 KiB
 * keeps each buffer under glibc's mmap threshold, for the reason TABLE_WINDOW_BYTES gives
 * (src/elf/file-reader.ts); 1 MiB chunks, copied once more, cost a tree scan ~15 MB of peak
 * memory. With blocking reads the extra reads cost next to nothing.
 */
export const CHUNK = 64 * 1024;

/** ScanResult lists which needles were found, and whether the byte budget cut the scan short. */
export interface ScanResult {
  readonly found: ReadonlySet<string>;
  readonly scannedBytes: number;
  readonly truncated: boolean;
}

/**
 * scanForStrings looks for byte strings (ASCII needles) in the given file ranges, reading at most
 * `budget` bytes in CHUNK positioned reads and stopping early once every needle is found. Ranges
 * outside the file are clipped. It never loads more than one chunk at a time.
 */
export async function scanForStrings(
  reader: FileReader,
  ranges: readonly ScanRange[],
  needles: readonly string[],
  budget: number,
): Promise<ScanResult> {
  const encoded = needles.map((needle) => ({ needle, bytes: Buffer.from(needle, 'latin1') }));
  const overlap = Math.max(0, ...encoded.map((e) => e.bytes.length)) - 1;
  const found = new Set<string>();
  let scanned = 0;
  let truncated = false;
  for (const range of ranges) {
    const end = Math.min(range.offset + range.length, reader.size);
    // The budget counts distinct bytes, so where it ends does not depend on the chunk size.
    let readUpTo = 0;
    for (let at = Math.max(0, range.offset); at < end && found.size < encoded.length; ) {
      const again = Math.max(0, readUpTo - at);
      const want = Math.min(CHUNK, end - at, budget - scanned + again);
      if (want <= again) {
        truncated = true;
        break;
      }
      const read = (await reader.view(at, want, 'scanned data')).bytes;
      // A Buffer over the same memory (for Buffer#includes), not a copy.
      const bytes = Buffer.from(read.buffer, read.byteOffset, read.byteLength);
      scanned += want - again;
      readUpTo = at + want;
      for (const { needle, bytes: pattern } of encoded) if (!found.has(needle) && bytes.includes(pattern)) found.add(needle);
      if (at + want >= end) break;
      at += Math.max(1, want - overlap);
    }
    if (truncated || found.size === encoded.length) break;
  }
  return { found, scannedBytes: scanned, truncated };
}
