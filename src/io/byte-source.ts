import { open, type FileHandle } from 'node:fs/promises';

/**
 * ByteSource is random access to the bytes of one input, in the spirit of Go's `io.ReaderAt`.
 *
 * The ELF reader asks only for the few ranges it needs (headers, the dynamic segment, the
 * version tables), so a 100 MB unstripped binary costs a handful of small reads instead of a
 * whole-file load. Implementations return fewer bytes than asked only at the end of the input.
 */
export interface ByteSource {
  /** The size of the input in bytes. */
  readonly size: number;
  /** readAt returns the bytes in [offset, offset + length), clipped to the end of the input. */
  readAt(offset: number, length: number): Promise<Uint8Array>;
}

/** bufferSource serves reads from bytes already in memory (tests, entries pulled from an image). */
export function bufferSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.byteLength,
    readAt(offset, length) {
      const start = Math.min(Math.max(0, offset), bytes.byteLength);
      const end = Math.min(start + Math.max(0, length), bytes.byteLength);
      return Promise.resolve(bytes.subarray(start, end));
    },
  };
}

/** FileByteSource serves positioned reads from an open file; close it when done. */
export interface FileByteSource extends ByteSource {
  /** How many bytes have been read through this source (for benchmarks and tests). */
  readonly bytesRead: number;
  /** How many read calls were made. */
  readonly reads: number;
  close(): Promise<void>;
}

/** openFileSource opens `path` for positioned reads. It never reads the whole file. */
export async function openFileSource(path: string): Promise<FileByteSource> {
  const handle: FileHandle = await open(path, 'r');
  try {
    const stat = await handle.stat();
    return fileHandleSource(handle, stat.size);
  } catch (error) {
    await handle.close();
    throw error;
  }
}

function fileHandleSource(handle: FileHandle, size: number): FileByteSource {
  let bytesRead = 0;
  let reads = 0;
  return {
    size,
    get bytesRead() {
      return bytesRead;
    },
    get reads() {
      return reads;
    },
    async readAt(offset, length) {
      const start = Math.min(Math.max(0, offset), size);
      const want = Math.min(Math.max(0, length), size - start);
      if (want === 0) return new Uint8Array(0);
      const buffer = new Uint8Array(want);
      let filled = 0;
      // A positioned read may return short (for example on a file still being written);
      // loop until the range is filled or the file ends.
      while (filled < want) {
        const { bytesRead: n } = await handle.read(buffer, filled, want - filled, start + filled);
        reads++;
        if (n === 0) break;
        filled += n;
      }
      bytesRead += filled;
      return filled === want ? buffer : buffer.subarray(0, filled);
    },
    close: () => handle.close(),
  };
}
