/**
 * Types for tar-stream's header codec (`tar-stream/headers.js`, tar-stream 3.1.7, pinned in
 * package.json). The package has no `exports` map, so the module is importable; @types/tar-stream
 * does not describe it. We use it to read an archive's headers by positioned reads (outer-tar.ts).
 */
declare module 'tar-stream/headers.js' {
  import type { Headers } from 'tar-stream';
  /** decode parses one 512-byte header block; null for an all-zero block; throws on a bad checksum. */
  export function decode(block: Uint8Array, filenameEncoding?: string, allowUnknownFormat?: boolean): (Headers & { name: string; size: number }) | null;
  /** decodePax parses the records of a pax extended header. */
  export function decodePax(data: Uint8Array): Record<string, string>;
  /** decodeLongPath decodes a GNU long-name body. */
  export function decodeLongPath(data: Uint8Array, encoding?: string): string;
}
