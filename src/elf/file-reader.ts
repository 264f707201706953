import type { ByteSource } from '../io/byte-source.js';
import { ByteView } from './byte-view.js';
import { ElfFormatError, hex } from './errors.js';

/**
 * The most bytes the reader asks for in one table. Version tables, `.dynsym` and `.dynstr` of
 * real programs are far below this (libLLVM's `.dynstr` is ~10 MiB); a header claiming more is
 * treated as malformed rather than allocated.
 */
export const MAX_TABLE_BYTES = 64 * 1024 * 1024;

/** The first bytes read from every file; headers, program headers and often the tables sit in them. */
export const HEAD_BYTES = 64 * 1024;

/** The most prefetch() reads ahead: far more than any real version table (a few KiB). */
export const PREFETCH_BYTES = 64 * 1024;

/**
 * The most one window of a table holds (tableWindows). A table read whole is one buffer as large
 * as the table (1.8 MB for node's `.dynsym`). glibc serves a buffer above its mmap threshold
 * (128 KiB at start) with mmap, and when such a buffer is freed it raises the threshold to that
 * buffer's size for the rest of the process: later buffers up to that size come from the main
 * heap, which does not give memory back. A tree scan's peak grew by tens of MB that way
 * (docs/benchmarks.md, stop 25); the project's other buffers stay under it for the same reason.
 */
export const TABLE_WINDOW_BYTES = 64 * 1024;

/** A window of a table: the index of its first entry and its bytes (whole entries). */
export interface TableWindow {
  readonly first: number;
  readonly view: ByteView;
}

/**
 * FileReader wraps a ByteSource with the checks every table read needs: the range must lie in the
 * file and under MAX_TABLE_BYTES before anything is allocated. It keeps the file's first 64 KiB,
 * which hold the ELF and program headers and, in most programs, the dynamic tables too, so a
 * typical file costs two or three reads.
 */
export class FileReader {
  private readonly head: Uint8Array | undefined;
  /** A range read ahead by prefetch(): the version tables, walked record by record. */
  private window: { readonly offset: number; readonly bytes: Uint8Array } | undefined;
  readonly source: ByteSource;
  /** The file's byte order (EI_DATA), fixed when the reader is made: every view decodes with it. */
  readonly littleEndian: boolean;

  /**
   * `head` is the file's first bytes when the caller already read them (readHead) to parse the
   * header; views inside it are served from memory.
   */
  constructor(source: ByteSource, littleEndian: boolean, head?: Uint8Array) {
    this.source = source;
    this.littleEndian = littleEndian;
    this.head = head;
  }

  get size(): number {
    return this.source.size;
  }

  /**
   * prefetch reads up to PREFETCH_BYTES at `offset` in one read and serves later views inside it
   * from memory. The version tables are walked one 16-byte record at a time; past the head, each
   * record was a read of its own (44 reads for /usr/bin/node's `.gnu.version_r`).
   */
  async prefetch(offset: number, length: number): Promise<void> {
    const head = this.head;
    const want = Math.min(length, PREFETCH_BYTES, this.source.size - offset);
    if (!(want > 0) || !this.inFile(offset, want)) return;
    if (head !== undefined && offset + want <= head.byteLength) return;
    const bytes = await this.source.readAt(offset, want);
    this.window = { offset, bytes };
  }

  /** inFile says whether [offset, offset + length) lies inside the file. */
  inFile(offset: number, length: number): boolean {
    return Number.isSafeInteger(offset) && Number.isSafeInteger(length) && offset >= 0 && length >= 0 && offset + length <= this.source.size;
  }

  /**
   * view returns the bytes [offset, offset + length) as a ByteView, or throws ElfFormatError
   * naming `what` when the range runs past the end of the file or is implausibly large.
   */
  async view(offset: number, length: number, what: string): Promise<ByteView> {
    this.checkRange(offset, length, what);
    const head = this.head;
    let bytes: Uint8Array;
    const window = this.window;
    if (head !== undefined && offset + length <= head.byteLength) {
      bytes = head.subarray(offset, offset + length);
    } else if (window !== undefined && offset >= window.offset && offset + length <= window.offset + window.bytes.byteLength) {
      bytes = window.bytes.subarray(offset - window.offset, offset - window.offset + length);
    } else {
      bytes = await this.source.readAt(offset, length);
      if (bytes.byteLength < length) {
        throw new ElfFormatError(`${what} could not be read: the file ended early`, { field: what, offset });
      }
    }
    return new ByteView(bytes, this.littleEndian, offset);
  }

  /**
   * tableWindows checks that a table of `count` entries of `entsize` bytes lies in the file, as
   * view() would for the whole table, then yields it in windows of whole entries of at most
   * TABLE_WINDOW_BYTES (one entry at least), so that no table is ever one large buffer. The
   * windows start at entry `from`.
   */
  async *tableWindows(offset: number, count: number, entsize: number, what: string, from = 0): AsyncGenerator<TableWindow> {
    this.checkRange(offset, count * entsize, what);
    const step = Math.max(1, Math.floor(TABLE_WINDOW_BYTES / entsize));
    for (let first = from; first < count; first += step) {
      yield { first, view: await this.view(offset + first * entsize, Math.min(step, count - first) * entsize, what) };
    }
  }

  /** checkRange throws ElfFormatError naming `what` when [offset, offset + length) is implausibly large or runs past the file. */
  private checkRange(offset: number, length: number, what: string): void {
    if (length > MAX_TABLE_BYTES) {
      throw new ElfFormatError(`${what} claims {value} bytes, more than the ${MAX_TABLE_BYTES}-byte limit`, { field: what, value: length, offset });
    }
    if (!this.inFile(offset, length)) {
      throw new ElfFormatError(`{field} ({value:hex}..${hex(offset + length)}) runs past the end of the file (${this.source.size} bytes)`, { field: what, value: offset });
    }
  }
}

/** readHead reads the first HEAD_BYTES of a file (less for a smaller file): the header and usually more. */
export function readHead(source: ByteSource): Promise<Uint8Array> {
  return source.readAt(0, Math.min(HEAD_BYTES, source.size));
}
