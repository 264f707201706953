import type { FileReader } from '../elf/file-reader.js';

/** A file range to scan: where it starts and how many bytes it has in the file. */
export interface ScanRange {
  readonly offset: number;
  readonly length: number;
}

/** Bytes read per step; consecutive chunks overlap by the longest needle less one byte. */
const CHUNK = 1024 * 1024;

/** ScanResult lists which needles were found, and whether the byte budget cut the scan short. */
export interface ScanResult {
  readonly found: ReadonlySet<string>;
  readonly scannedBytes: number;
  readonly truncated: boolean;
}

/**
 * scanForStrings looks for byte strings (ASCII needles) in the given file ranges, reading at most
 * `budget` bytes in 1 MiB positioned reads and stopping early once every needle is found. Ranges
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
    for (let at = Math.max(0, range.offset); at < end && found.size < encoded.length; ) {
      const want = Math.min(CHUNK, end - at, budget - scanned);
      if (want <= 0) {
        truncated = true;
        break;
      }
      const bytes = Buffer.from((await reader.view(at, want, 'scanned data')).bytes);
      scanned += want;
      for (const { needle, bytes: pattern } of encoded) if (!found.has(needle) && bytes.includes(pattern)) found.add(needle);
      if (at + want >= end) break;
      at += Math.max(1, want - overlap);
    }
    if (truncated || found.size === encoded.length) break;
  }
  return { found, scannedBytes: scanned, truncated };
}
