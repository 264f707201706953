import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { FileByteSource } from '../io/byte-source.js';
import { normalizeEntryName } from './entry-path.js';
import { ImageError } from './image-error.js';
import { resolveMember, type TarMember } from './outer-tar.js';

/** Layers are read in 1 MiB chunks: tar parsing costs per chunk, and 64 KiB chunks made it the bottleneck. */
const STREAM_CHUNK = 1 << 20;

/** Blob is one file of an image (a manifest, a config, a layer), readable at its start or as a stream. */
export interface Blob {
  readonly name: string;
  readonly size: number;
  /** head returns the first `length` bytes (fewer if the blob is shorter). */
  head(length: number): Promise<Uint8Array>;
  /** stream reads the whole blob, in order, with the stream's own bounded buffer. */
  stream(): Readable;
  /**
   * Where the blob's bytes lie in a file on disk: a file of the layout directory, or a byte range
   * of the archive. An uncompressed layer is read there in place (layer-in-place.ts).
   */
  readonly file: BlobFile;
}

/** BlobFile locates a blob's bytes: `size` bytes at `offset` of the file at `path`. */
export interface BlobFile {
  readonly path: string;
  readonly offset: number;
}

/**
 * BlobStore reads the files of an image by name (`index.json`, `blobs/sha256/<hex>`,
 * `<hex>.tar`), whether the image is a directory or an uncompressed tar archive. Names are
 * normalized onto the store's root, so none can reach outside it.
 */
export interface BlobStore {
  /** has says whether a file of that name exists. */
  has(name: string): Promise<boolean>;
  /** blob opens a file; throws ImageError naming it when it is missing. */
  blob(name: string): Promise<Blob>;
  close(): Promise<void>;
}

/** readSmallBlob reads a whole blob of at most `limit` bytes (manifests and configs). */
export async function readSmallBlob(store: BlobStore, name: string, limit: number): Promise<Uint8Array> {
  const blob = await store.blob(name);
  if (blob.size > limit) throw new ImageError(`${name} is ${blob.size} bytes, more than the ${limit} a manifest may have`);
  const bytes = await blob.head(blob.size);
  if (bytes.length !== blob.size) throw new ImageError(`${name} is truncated`);
  return bytes;
}

/** directoryStore serves blobs from an OCI layout directory. */
export function directoryStore(root: string): BlobStore {
  const pathOf = (name: string) => join(root, normalizeEntryName(name));
  return {
    async has(name) {
      return (await stat(pathOf(name)).catch(() => undefined))?.isFile() === true;
    },
    async blob(name) {
      const path = pathOf(name);
      const info = await stat(path).catch(() => undefined);
      if (info?.isFile() !== true) throw new ImageError(`${name} is missing from the image`);
      return {
        name,
        size: info.size,
        async head(length) {
          const handle = await open(path, 'r');
          try {
            const buffer = new Uint8Array(Math.min(length, info.size));
            const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
            return buffer.subarray(0, bytesRead);
          } finally {
            await handle.close();
          }
        },
        stream: () => createReadStream(path, { highWaterMark: STREAM_CHUNK }),
        file: { path, offset: 0 },
      };
    },
    close: () => Promise.resolve(),
  };
}

/**
 * tarStore serves blobs from an uncompressed image archive whose members were indexed by
 * indexTar: each blob is a byte range of the archive, read in place (nothing is extracted).
 */
export function tarStore(archivePath: string, source: FileByteSource, members: ReadonlyMap<string, TarMember>): BlobStore {
  return {
    has: (name) => Promise.resolve(resolveMember(members, name) !== undefined),
    blob(name) {
      const member = resolveMember(members, name);
      if (member === undefined) return Promise.reject(new ImageError(`${name} is missing from the archive`));
      return Promise.resolve({
        name,
        size: member.size,
        head: (length: number) => source.readAt(member.offset, Math.min(length, member.size)),
        stream: () =>
          member.size === 0
            ? Readable.from([])
            : createReadStream(archivePath, { start: member.offset, end: member.offset + member.size - 1, highWaterMark: STREAM_CHUNK }),
        file: { path: archivePath, offset: member.offset },
      });
    },
    close: () => source.close(),
  };
}
