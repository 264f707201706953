import { decode, decodeLongPath, decodePax } from 'tar-stream/headers.js';
import type { ByteSource } from '../io/byte-source.js';
import { eventLoopTurn } from '../io/event-loop.js';
import type { EntryHeader } from './filesystem.js';

/**
 * Reading an uncompressed layer where it lies (a blob of an OCI layout, a byte range of a
 * `docker save` archive) instead of streaming it through tar-stream: the walk reads each header
 * with a positioned read and jumps over the data, so a layer costs its headers and the first
 * bytes of each file, and the ELF files are later read in place too (no copy into memory or the
 * temporary directory). tar-stream only parses streams, so the walk is ours; it uses tar-stream's
 * header decoder and follows its extract's rules, so both paths hand out the same entries:
 *
 * - an all-zero block is skipped, not taken as the end: the walk goes on to the end of the layer;
 * - GNU long names and pax records apply to the next entry; a pax global header's fields apply
 *   only through a later pax record, merged under it;
 * - a directory or a zero-size entry has no data, whatever its header's size says;
 * - the layer must end on a block boundary after the last member's padding (tar-stream: "Unexpected
 *   end of data"), and a header or member running past the end is a truncated layer.
 *
 * The image archive around the layers is walked by outer-tar.ts's indexTar, which stops at the
 * first zero block as GNU tar does: it has no streamed twin to agree with, and what follows an
 * archive's end is not the image's.
 */

const BLOCK = 512;
/** Headers and small files are read in windows of this many bytes (under glibc's mmap threshold: see TABLE_WINDOW_BYTES). */
const WINDOW = 64 << 10;

/** One entry of an uncompressed layer: its header, and where its data starts in the layer. */
export interface PlacedEntry {
  readonly header: EntryHeader;
  readonly dataOffset: number;
}

/** LayerWalkLimits bounds what a hostile layer can make the walk read. */
export interface LayerWalkLimits {
  /** The largest pax or GNU long-name record (tar-stream would buffer it whole). */
  readonly maxLongHeader: number;
}

/**
 * InPlaceLayer walks the tar of `size` bytes at `offset` of `source` (an open layer file or
 * archive), reading through one window so that headers and the first bytes of small files that
 * lie together cost one read.
 */
export class InPlaceLayer {
  private readonly reader: WindowReader;
  private readonly offset: number;
  private readonly size: number;
  private readonly limits: LayerWalkLimits;

  constructor(source: ByteSource, offset: number, size: number, limits: LayerWalkLimits) {
    this.reader = new WindowReader(source, offset, size);
    this.offset = offset;
    this.size = size;
    this.limits = limits;
  }

  /**
   * entries yields the layer's entries in order. Throws when a header is corrupt (tar-stream's
   * decoder error), a long-header record passes the limit, or the layer is truncated; stops with
   * an error once `signal` is aborted.
   */
  async *entries(signal?: AbortSignal): AsyncGenerator<PlacedEntry> {
    const { reader, size, limits } = this;
    let at = 0;
    let pax: Record<string, string> | null = null;
    let paxGlobal: Record<string, string> | null = null;
    let longPath: string | null = null;
    let longLink: string | null = null;
    while (at < size) {
      // Headers come from one window after another with blocking reads: let signals in.
      await eventLoopTurn();
      if (signal?.aborted === true) throw new Error('stopped: an earlier layer failed');
      if (at + BLOCK > size) throw truncated(`the header at byte ${at}`, size);
      const header = decode(await reader.read(at, BLOCK), 'utf-8', true);
      at += BLOCK;
      if (header === null) continue;
      const declared = header.size;
      switch (header.type) {
        case 'gnu-long-path':
        case 'gnu-long-link-path':
        case 'pax-global-header':
        case 'pax-header': {
          if (declared > limits.maxLongHeader) throw new Error(`a tar header record larger than ${limits.maxLongHeader} bytes`);
          if (at + padded(declared) > size) throw truncated(`a ${header.type} record at byte ${at}`, size);
          const body = await reader.read(at, declared);
          if (header.type === 'gnu-long-path') longPath = decodeLongPath(body, 'utf-8');
          else if (header.type === 'gnu-long-link-path') longLink = decodeLongPath(body, 'utf-8');
          else if (header.type === 'pax-global-header') paxGlobal = decodePax(body);
          else pax = paxGlobal === null ? decodePax(body) : { ...paxGlobal, ...decodePax(body) };
          at += padded(declared);
          continue;
        }
      }
      let name = header.name;
      let linkname = header.linkname;
      let entrySize = declared;
      // Truthy, as tar-stream tests them: an empty long name leaves the header's name.
      if (longPath) name = longPath;
      if (longLink) linkname = longLink;
      if (pax !== null) {
        if (pax['path']) name = pax['path'];
        if (pax['linkpath']) linkname = pax['linkpath'];
        if (pax['size']) entrySize = parseInt(pax['size'], 10);
      }
      longPath = longLink = pax = null;
      if (!Number.isSafeInteger(entrySize) || entrySize < 0) throw new Error(`invalid size in the header of "${name}" at byte ${at - BLOCK}`);
      const dataSize = entrySize === 0 || header.type === 'directory' ? 0 : entrySize;
      if (at + padded(dataSize) > size) throw truncated(`member "${name}" (${dataSize} bytes at byte ${at})`, size);
      yield { header: { name, type: header.type, size: entrySize, linkname }, dataOffset: at };
      at += padded(dataSize);
    }
  }

  /** head returns the first `length` bytes of an entry's data (fewer for a shorter entry). */
  head(entry: PlacedEntry, length: number): Promise<Uint8Array> {
    return this.reader.read(entry.dataOffset, Math.min(length, entry.header.size));
  }

  /** fileOffset is where an entry's data lies in the file the layer is in. */
  fileOffset(entry: PlacedEntry): number {
    return this.offset + entry.dataOffset;
  }
}

const padded = (size: number): number => Math.ceil(size / BLOCK) * BLOCK;

/** Worded as a streamed layer's truncation reads once scan-layers.ts has named the layer: "truncated (...)". */
const truncated = (what: string, size: number): Error => new Error(`truncated (${what} runs past the end of the layer, ${size} bytes)`);

/**
 * WindowReader serves the walk's reads of one layer from windows of WINDOW bytes: consecutive
 * headers and the first bytes of small files come from one read, and the data of large files is
 * never read at all.
 */
class WindowReader {
  private readonly source: ByteSource;
  private readonly base: number;
  private readonly size: number;
  private window: Uint8Array = new Uint8Array(0);
  private windowAt = 0;

  constructor(source: ByteSource, base: number, size: number) {
    this.source = source;
    this.base = base;
    this.size = size;
  }

  async read(at: number, length: number): Promise<Uint8Array> {
    if (at >= this.windowAt && at + length <= this.windowAt + this.window.length) return this.window.subarray(at - this.windowAt, at - this.windowAt + length);
    if (length > WINDOW) return this.readExactly(at, length);
    this.window = await this.source.readAt(this.base + at, Math.min(WINDOW, this.size - at));
    this.windowAt = at;
    if (this.window.length < length) throw truncated(`the file's bytes at ${at}`, this.size);
    return this.window.subarray(0, length);
  }

  private async readExactly(at: number, length: number): Promise<Uint8Array> {
    const bytes = await this.source.readAt(this.base + at, length);
    if (bytes.length < length) throw truncated(`the file's bytes at ${at}`, this.size);
    return bytes;
  }
}
