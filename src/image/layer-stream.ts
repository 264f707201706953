import type { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import type { BlobStore } from './blob-store.js';
import { ImageError } from './image-error.js';
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

type ZstdFactory = () => NodeJS.ReadWriteStream;

/** zstdDecompressor is Node's zstd stream where the runtime has one (22.15+ / 23.8+), else undefined. */
function zstdDecompressor(): ZstdFactory | undefined {
  const factory = (zlib as unknown as { createZstdDecompress?: ZstdFactory }).createZstdDecompress;
  return typeof factory === 'function' ? factory : undefined;
}

/**
 * openLayerStream returns the layer's tar bytes as a stream, decompressing gzip (and zstd where
 * this Node.js offers it). Throws ImageError naming the layer when it is zstd and this Node.js
 * cannot decompress it. Errors of the returned stream (a truncated gzip member) are the caller's.
 */
export async function openLayerStream(store: BlobStore, layer: LayerRef): Promise<Readable> {
  const blob = await store.blob(layer.name);
  const compression = compressionOf(await blob.head(4));
  const raw = blob.stream();
  if (compression === 'none') return raw;
  const decompressor = compression === 'gzip' ? zlib.createGunzip({ chunkSize: GUNZIP_CHUNK }) : zstdDecompressor()?.();
  if (decompressor === undefined) {
    raw.destroy();
    throw new ImageError(`layer ${layer.name} is zstd-compressed, which Node.js ${process.version} cannot decompress (it needs Node.js 22.15 or newer)`);
  }
  // Errors of the raw file stream must reach the reader too, or a failed read would hang the scan.
  raw.on('error', (error) => (decompressor as unknown as Readable).destroy(error));
  return raw.pipe(decompressor) as unknown as Readable;
}
