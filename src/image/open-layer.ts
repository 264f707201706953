import { Readable } from 'node:stream';
import { decompress } from '../archive/decompress.js';
import { DEFAULT_ARCHIVE_LIMITS } from '../archive/limits.js';
import { Meter } from '../archive/meter.js';
import * as zlib from 'node:zlib';
import type { BlobFile, BlobStore } from './blob-store.js';
import type { LayerRef } from './manifest.js';

/** How a layer blob is compressed, told by its first bytes (media types lie: docker-archive has none). */
export type LayerCompression = 'gzip' | 'zstd' | 'none';

/** compressionOf reads the magic number: gzip `1f 8b`, zstd `28 b5 2f fd`; anything else is taken as a plain tar. */
export function compressionOf(head: Uint8Array): LayerCompression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

/** gzip output chunk size: zlib's 16 KiB default means four times the per-chunk work downstream. */
const GUNZIP_CHUNK = 256 << 10;

/**
 * A layer's tar bytes as the scan reads them: a stream (gzip and zstd layers, inflated as they are
 * read), or for an uncompressed layer the file range it lies in, whose entries are then read in
 * place (layer-in-place.ts): only their headers and the first bytes of each file, never the rest.
 */
export type LayerBytes =
  | { readonly kind: 'stream'; readonly stream: Readable }
  | { readonly kind: 'in-place'; readonly file: BlobFile; readonly size: number };

/**
 * openLayer opens a layer for reading: uncompressed in place, else as a stream that decompresses
 * gzip and zstd (zstd through the archive reader's decoder: Node's own where the runtime has it,
 * else fzstd, with the frame headers checked first). Errors of a returned stream (a truncated
 * member) are the caller's.
 */
export async function openLayer(store: BlobStore, layer: LayerRef): Promise<LayerBytes> {
  const blob = await store.blob(layer.name);
  const compression = compressionOf(await blob.head(4));
  if (compression === 'none') return { kind: 'in-place', file: blob.file, size: blob.size };
  const raw = blob.stream();
  if (compression === 'zstd') {
    // A layer is streamed, never held, and its entries have their own bound (MAX_ENTRIES): of the
    // archive limits only the compression ratio applies (no total: gzip layers have none either).
    const count = { input: 0, output: 0 };
    const meter = new Meter({ ...DEFAULT_ARCHIVE_LIMITS, maxTotalBytes: Number.MAX_SAFE_INTEGER });
    return { kind: 'stream', stream: Readable.from(decompress('zstd', raw, count, meter, `layer ${layer.name}`), { objectMode: false }) };
  }
  const decompressor = zlib.createGunzip({ chunkSize: GUNZIP_CHUNK });
  // Errors of the raw file stream must reach the reader too, or a failed read would hang the scan.
  raw.on('error', (error) => (decompressor as unknown as Readable).destroy(error));
  return { kind: 'stream', stream: raw.pipe(decompressor) as unknown as Readable };
}
