import { stat } from '../io/fs-async.js';
import { hasElfMagic } from '../elf/header.js';
import { openFileSource } from '../io/byte-source.js';
import { directoryStore, tarStore, type BlobStore } from './blob-store.js';
import { indexTar, looksLikeTar } from './outer-tar.js';

/** The three ways an image is stored on disk. */
export type ImageFormat = 'oci-layout' | 'oci-archive' | 'docker-archive';

/** An image found at a path, with a store to read its files. Close the store when done. */
export interface ImageLocation {
  readonly format: ImageFormat;
  readonly store: BlobStore;
}

/**
 * detectImage says whether `path` is a container image: a directory holding an OCI layout
 * (`oci-layout` and `index.json`), or an uncompressed tar holding one, or a docker-archive
 * (`docker save`, `skopeo copy ... docker-archive:`) with `manifest.json`. An archive with both
 * (Docker 25 and later write both) is read as OCI, which carries the platforms. Absent (not an
 * image: an ELF file, a plain directory, any other file) is undefined. A tar that is an image but
 * is corrupt or truncated throws ImageError.
 */
export async function detectImage(path: string): Promise<ImageLocation | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) return undefined;
  if (info.isDirectory()) {
    const store = directoryStore(path);
    return (await store.has('oci-layout')) && (await store.has('index.json')) ? { format: 'oci-layout', store } : undefined;
  }
  if (!info.isFile()) return undefined;
  const source = await openFileSource(path).catch(() => undefined);
  if (source === undefined) return undefined;
  let keep = false;
  try {
    const head = await source.readAt(0, 512);
    if (hasElfMagic(head) || !looksLikeTar(head)) return undefined;
    const members = await indexTar(source);
    const store = tarStore(path, source, members);
    const format: ImageFormat | undefined =
      members.has('oci-layout') && members.has('index.json') ? 'oci-archive' : members.has('manifest.json') ? 'docker-archive' : undefined;
    if (format === undefined) return undefined;
    keep = true;
    return { format, store };
  } finally {
    if (!keep) await source.close().catch(() => undefined);
  }
}
