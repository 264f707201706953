import type { ByteSource } from './byte-source.js';

/** The head size the ELF reader asks for first (FileReader's HEAD_BYTES). */
const HEAD = 64 * 1024;
/** How many reads past the head are kept for a second asker, and the largest kept. */
const KEPT_READS = 4;
const MAX_KEPT_BYTES = 64 * 1024;

/**
 * withHeadCache wraps a source so that the version reader and the binary-kind detectors, which
 * both parse a file's headers, read it once: reads inside the first 64 KiB come from one cached
 * read, and the last few small reads past it (up to 64 KiB each: the section header table at the
 * end of the file, the section names) are kept and served again when the same range is asked for.
 * Larger reads (a big `.dynsym`) are not kept: with 16 files in flight that cost ~50 MB of peak
 * memory over /usr/bin and /usr/lib and saved no time.
 */
export function withHeadCache(source: ByteSource): ByteSource {
  let head: Promise<Uint8Array> | undefined;
  const kept = new Map<string, Promise<Uint8Array>>();
  const limit = Math.min(HEAD, source.size);
  return {
    size: source.size,
    async readAt(offset, length) {
      if (offset >= 0 && offset + length <= limit) {
        head ??= source.readAt(0, limit);
        return (await head).subarray(offset, offset + length);
      }
      if (length > MAX_KEPT_BYTES) return source.readAt(offset, length);
      const key = `${offset}:${length}`;
      let bytes = kept.get(key);
      if (bytes === undefined) {
        bytes = source.readAt(offset, length);
        kept.set(key, bytes);
        if (kept.size > KEPT_READS) kept.delete(kept.keys().next().value!);
      }
      return bytes;
    },
  };
}
