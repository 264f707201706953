import picomatch from 'picomatch';
import type { SkipReason } from '../scan/skip-reason.js';
import { createContentStore, DEFAULT_CONTENT_LIMITS, type ContentLimits, type OpenContent } from './content-store.js';
import { detectImage, type ImageFormat, type ImageLocation } from './detect.js';
import { normalizeEntryName } from './entry-path.js';
import { newTree, type FileMagic, type FileNode } from './filesystem.js';
import { ImageError } from './image-error.js';
import { walkTree } from './image-walk.js';
import { resolveImage } from './manifest.js';
import { hostPlatform, type Platform } from './platform.js';
import { applyLayers, recaptureFiles } from './scan-layers.js';

/** How to read an image. */
export interface ImageReadOptions {
  /** `--platform`: which manifest of a multi-platform image to read. */
  readonly platform?: Platform;
  /** `--path`: glob patterns on image paths (`/usr/local/bin/*`); only matching entries are listed. */
  readonly paths?: readonly string[];
  readonly limits?: ContentLimits;
  /** The platform chosen when the image has several and none was asked for (default: this host's). */
  readonly host?: Platform;
}

/** One entry of an image's final filesystem, at its image path (`/usr/bin/x`). */
export type ImageEntry =
  | {
      readonly kind: 'file';
      readonly path: string;
      readonly size: number;
      /** What its first bytes say it is; only ELF files' and ar archives' bytes are kept, so only they can be opened. */
      readonly magic: FileMagic;
      /** The file's own path, whatever link led to it; `linkTarget` repeats it when a link did. */
      readonly own: string;
      readonly linkTarget?: string;
      open(): Promise<OpenContent>;
    }
  | { readonly kind: 'skipped'; readonly path: string; readonly reason: SkipReason };

/** An image's final filesystem, listed; `dispose` frees the kept bytes and the temporary directory. */
export interface ImageFilesystem {
  readonly format: ImageFormat;
  readonly platform?: Platform;
  /** Things the user should know (which platform was chosen and why). */
  readonly notes: readonly string[];
  /** Every entry, in the order scan/walk.ts would list the extracted tree. */
  readonly entries: readonly ImageEntry[];
  /** The most ELF bytes held at once in memory and in the temporary directory. */
  readonly peak: { readonly memory: number; readonly disk: number };
  dispose(): Promise<void>;
}

/** pathMatcher compiles `--path` patterns (picomatch, dotfiles included); no pattern matches all. */
export function pathMatcher(patterns: readonly string[] | undefined): (path: string) => boolean {
  if (patterns === undefined || patterns.length === 0) return () => true;
  return picomatch(
    patterns.map((pattern) => (pattern.startsWith('/') ? pattern : `/${pattern}`)),
    { dot: true },
  );
}

/**
 * openImageFilesystem reads the image at `path` (docker-archive, OCI archive or OCI layout
 * directory) into its final filesystem: layers applied in order with whiteouts, links resolved
 * inside the image, the bytes of its ELF files kept for reading. This is also what `--floor-from
 * IMAGE` needs: the image's libraries as entries with `open()`. Throws ImageError when `path` is
 * not an image or the image cannot be read.
 */
export async function openImageFilesystem(path: string, options: ImageReadOptions = {}): Promise<ImageFilesystem> {
  const location = await detectImage(path);
  if (location === undefined) throw new ImageError('not a container image (no OCI index.json or docker manifest.json)');
  return readImageFilesystem(location, options);
}

/** readImageFilesystem is openImageFilesystem for an image already detected; it closes the location's store. */
export async function readImageFilesystem(location: ImageLocation, options: ImageReadOptions = {}): Promise<ImageFilesystem> {
  const content = createContentStore(options.limits ?? DEFAULT_CONTENT_LIMITS);
  try {
    const image = await resolveImage(location, options.platform, options.host ?? hostPlatform());
    const matches = pathMatcher(options.paths);
    const tree = newTree((file) => {
      if (file.content !== undefined) content.release(file.content);
    });
    await applyLayers(location.store, image.layers, tree, content, (name) => matches(`/${normalizeEntryName(name)}`));
    const items = walkTree(tree.root, matches, (options.paths?.length ?? 0) > 0);
    // A link under a matching path may lead to a file whose own path did not match: fetch those bytes now.
    const missing = new Map<string, FileNode>();
    for (const item of items) if (item.kind === 'file' && item.file.magic !== 'none' && item.file.content === undefined) missing.set(item.file.id, item.file);
    if (missing.size > 0) await recaptureFiles(location.store, image.layers, missing, content);
    const entries = items.map((item): ImageEntry => {
      if (item.kind === 'skipped') return item;
      const file = item.file;
      return {
        kind: 'file',
        path: item.path,
        size: file.size,
        magic: file.magic,
        own: item.own,
        ...(item.linkTarget === undefined ? {} : { linkTarget: item.linkTarget }),
        open: () =>
          file.content === undefined
            ? Promise.reject(new ImageError(`${item.path}: its bytes were not kept (not an ELF file)`))
            : content.open(file.content),
      };
    });
    return {
      format: location.format,
      ...(image.platform === undefined ? {} : { platform: image.platform }),
      notes: image.notes,
      entries,
      peak: content.peak,
      dispose: () => content.dispose(),
    };
  } catch (error) {
    await content.dispose();
    throw error;
  } finally {
    await location.store.close().catch(() => undefined);
  }
}
