import type { ByteSource } from './byte-source.js';

/** The head size the ELF reader asks for first (FileReader's HEAD_BYTES). */
const HEAD = 64 * 1024;

/**
 * withHeadCache wraps a source so that reads inside its first 64 KiB are served from one cached
 * read. The version reader and the binary-kind detectors each start by reading the head; with
 * this they share it instead of reading it twice.
 */
export function withHeadCache(source: ByteSource): ByteSource {
  let head: Promise<Uint8Array> | undefined;
  const limit = Math.min(HEAD, source.size);
  return {
    size: source.size,
    async readAt(offset, length) {
      if (offset < 0 || offset + length > limit) return source.readAt(offset, length);
      head ??= source.readAt(0, limit);
      return (await head).subarray(offset, offset + length);
    },
  };
}
