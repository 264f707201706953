import { mkdtempSync, rmSync } from 'node:fs';
import { rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bufferSource, closeDescriptor, openFileRange, openFileSource, type ByteSource } from '../io/byte-source.js';
import { createExclusive, writeAll } from '../io/write-file.js';
import { ImageError } from './image-error.js';

/** The bounds of a ContentStore; see docs/images.md for what they mean in practice. */
export interface ContentLimits {
  /** A file up to this size is kept in memory... */
  readonly memoryPerFile: number;
  /** ...while all in-memory files together stay under this. */
  readonly memoryTotal: number;
  /** Bytes spilled to the temporary directory at once, at most; beyond it the image is an error. */
  readonly diskTotal: number;
}

/**
 * The defaults: 8 MiB of ELF bytes in memory (1 MiB per file at most), 16 GiB on disk. Memory
 * saves a small file the open, write and close of a temporary file, which is most of what such a
 * file costs; a large file costs its bytes either way (page cache), so memory goes to small ones.
 * 64 MiB (8 MiB per file) put the 919 MB benchmark image at ~185 MB peak RSS, 16 MiB at 137-155 MB,
 * none at 126-138 MB, with no difference in time the benchmark could tell (docs/benchmarks-images.md).
 */
export const DEFAULT_CONTENT_LIMITS: ContentLimits = { memoryPerFile: 1 << 20, memoryTotal: 8 << 20, diskTotal: 16 * 2 ** 30 };

/**
 * Captured bytes of one file: in memory, in a file of the store's own temporary directory, or
 * where they already lie uncompressed (a range of an image's layer file or archive, which costs
 * neither budget: nothing is copied).
 */
export type Content =
  | { readonly kind: 'memory'; readonly bytes: Uint8Array }
  | { readonly kind: 'disk'; readonly path: string; readonly size: number }
  | { readonly kind: 'in-place'; readonly path: string; readonly offset: number; readonly size: number };

/** An open captured file: the ELF reader's byte source, to be closed after reading. */
export type OpenContent = ByteSource & { close(): Promise<void> };

/**
 * ContentStore keeps the bytes of the ELF files and static libraries an image scan will read.
 * Small files stay in memory under a total budget; the rest go to a temporary directory the store
 * creates (mkdtemp, mode 0700) under names it makes up (`0.elf`, `1.elf`), never names from the
 * image, so no entry can write anywhere else. `dispose` removes the directory; a process exit does too.
 */
export interface ContentStore {
  /**
   * capture reads one file's bytes: `first` already read, `rest` the remainder of the entry
   * stream. Throws ImageError when they would pass the disk budget; `uncounted` bytes on disk are
   * left out of that count (files of image layers read ahead of their turn, see scan-layers.ts).
   */
  capture(size: number, first: Uint8Array, rest: AsyncIterable<Uint8Array>, uncounted?: number): Promise<Content>;
  /** Whether capturing `size` bytes now would pass the disk budget (so capture would throw). */
  overflows(size: number, uncounted?: number): boolean;
  /** Whether capture would put `size` bytes on disk now (decided when capture is called). */
  spills(size: number): boolean;
  /** checkBudget throws capture's ImageError if the bytes on disk, less `uncounted`, already pass the budget. */
  checkBudget(uncounted: number): void;
  open(content: Content): Promise<OpenContent>;
  release(content: Content): void;
  /** The most bytes held in memory and on disk at any one time (for tests and benchmarks). */
  readonly peak: { readonly memory: number; readonly disk: number };
  dispose(): Promise<void>;
}

/** createContentStore makes an empty store with the given limits. */
export function createContentStore(limits: ContentLimits = DEFAULT_CONTENT_LIMITS): ContentStore {
  let directory: string | undefined;
  let counter = 0;
  let memory = 0;
  let disk = 0;
  const peak = { memory: 0, disk: 0 };
  const removeOnExit = () => {
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  };
  const tempDirectory = () => {
    if (directory === undefined) {
      directory = mkdtempSync(join(tmpdir(), 'glibc-floor-'));
      process.once('exit', removeOnExit);
    }
    return directory;
  };

  async function toMemory(size: number, first: Uint8Array, rest: AsyncIterable<Uint8Array>): Promise<Content> {
    const bytes = new Uint8Array(size);
    let filled = copyInto(bytes, 0, first);
    for await (const chunk of rest) filled = copyInto(bytes, filled, chunk);
    if (filled !== size) throw new ImageError(`an entry ended after ${filled} of its ${size} bytes`);
    memory += size;
    peak.memory = Math.max(peak.memory, memory);
    return { kind: 'memory', bytes };
  }

  const overBudget = () => new ImageError(`its ELF files need more than ${limits.diskTotal} bytes of temporary space`);

  async function toDisk(size: number, first: Uint8Array, rest: AsyncIterable<Uint8Array>, uncounted: number): Promise<Content> {
    if (disk - uncounted + size > limits.diskTotal) throw overBudget();
    disk += size;
    peak.disk = Math.max(peak.disk, disk);
    const path = join(tempDirectory(), `${counter++}.elf`);
    const fd = await createExclusive(path, 0o600);
    try {
      await writeAll(fd, first);
      for await (const chunk of rest) await writeAll(fd, chunk);
    } finally {
      await closeDescriptor(fd);
    }
    return { kind: 'disk', path, size };
  }

  const fitsInMemory = (size: number) => size <= limits.memoryPerFile && memory + size <= limits.memoryTotal;

  return {
    peak,
    capture(size, first, rest, uncounted = 0) {
      return fitsInMemory(size) ? toMemory(size, first, rest) : toDisk(size, first, rest, uncounted);
    },
    spills: (size) => !fitsInMemory(size),
    overflows: (size, uncounted = 0) => !fitsInMemory(size) && disk - uncounted + size > limits.diskTotal,
    checkBudget(uncounted) {
      if (disk - uncounted > limits.diskTotal) throw overBudget();
    },
    async open(content) {
      if (content.kind === 'memory') return { ...bufferSource(content.bytes), close: () => Promise.resolve() };
      if (content.kind === 'in-place') return openFileRange(content.path, content.offset, content.size);
      return openFileSource(content.path);
    },
    release(content) {
      if (content.kind === 'memory') {
        memory -= content.bytes.byteLength;
      } else if (content.kind === 'disk') {
        disk -= content.size;
        // An open reader keeps its descriptor; unlinking under it is safe on POSIX.
        unlink(content.path).catch(() => undefined);
      }
    },
    async dispose() {
      if (directory === undefined) return;
      process.removeListener('exit', removeOnExit);
      await rm(directory, { recursive: true, force: true });
      directory = undefined;
    },
  };
}

function copyInto(target: Uint8Array, at: number, chunk: Uint8Array): number {
  if (at + chunk.byteLength > target.byteLength) throw new ImageError(`an entry holds more bytes than its header says (${target.byteLength})`);
  target.set(chunk, at);
  return at + chunk.byteLength;
}
