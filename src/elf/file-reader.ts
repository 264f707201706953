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
    if (length > MAX_TABLE_BYTES) {
      throw new ElfFormatError(`${what} claims {value} bytes, more than the ${MAX_TABLE_BYTES}-byte limit`, { field: what, value: length, offset });
    }
    if (!this.inFile(offset, length)) {
      throw new ElfFormatError(`{field} ({value:hex}..${hex(offset + length)}) runs past the end of the file (${this.source.size} bytes)`, { field: what, value: offset });
    }
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
}

/** readHead reads the first HEAD_BYTES of a file (less for a smaller file): the header and usually more. */
export function readHead(source: ByteSource): Promise<Uint8Array> {
  return source.readAt(0, Math.min(HEAD_BYTES, source.size));
}
