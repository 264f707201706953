import { ElfFormatError, hex } from './errors.js';
import type { FileReader } from './file-reader.js';

const PAGE = 64 * 1024;
/** Symbol and version names longer than this are not real; a longer run is reported as malformed. */
export const MAX_NAME = 64 * 1024;
/**
 * Distinct names decoded from one table may total at most this many characters per byte of the
 * table, plus NAME_BUDGET_SLACK. Names of a real table barely overlap (linkers share a few
 * suffixes), so their total is about the table's size; a hostile table whose entries all point
 * into one long string would otherwise turn a 1 MB file into gigabytes of strings.
 */
export const NAME_BUDGET_PER_BYTE = 4;
export const NAME_BUDGET_SLACK = 1024 * 1024;

/**
 * StringTable reads NUL-terminated names from a string table (`.dynstr`) on demand, a 64 KiB page
 * at a time, so a large table of a big C++ library is not loaded to look up a few names.
 */
export class StringTable {
  private readonly pages = new Map<number, Uint8Array>();
  /** Names already decoded: a Verneed's file name is looked up once per Vernaux, GLIBC_2.2.5 in every file. */
  private readonly names = new Map<number, string>();
  private static readonly decoder = new TextDecoder('utf-8');
  /** Characters of distinct names still allowed (see NAME_BUDGET_PER_BYTE). */
  private nameBudget: number;

  private readonly reader: FileReader;
  /** File offset of the table. */
  readonly offset: number;
  /** Size of the table in bytes (sh_size or DT_STRSZ). */
  readonly size: number;
  private readonly what: string;

  constructor(reader: FileReader, offset: number, size: number, what = '.dynstr') {
    this.reader = reader;
    this.offset = offset;
    this.size = size;
    this.what = what;
    this.nameBudget = NAME_BUDGET_PER_BYTE * size + NAME_BUDGET_SLACK;
    if (!reader.inFile(offset, size)) {
      throw new ElfFormatError(`{field} (${hex(offset)}, {value} bytes) runs past the end of the file (${reader.size} bytes)`, { field: what, value: size });
    }
  }

  private async page(index: number): Promise<Uint8Array> {
    let bytes = this.pages.get(index);
    if (bytes === undefined) {
      const start = index * PAGE;
      const view = await this.reader.view(this.offset + start, Math.min(PAGE, this.size - start), this.what);
      bytes = view.bytes;
      this.pages.set(index, bytes);
    }
    return bytes;
  }

  /** get returns the name at `index` bytes into the table, or throws when it is out of bounds or unterminated. */
  async get(index: number, field: string): Promise<string> {
    const known = this.names.get(index);
    if (known !== undefined) return known;
    if (!(index >= 0 && index < this.size)) {
      throw new ElfFormatError(`{field} {value:hex} is outside ${this.what} (${this.size} bytes)`, { field, value: index });
    }
    return this.remember(index, await this.read(index, field));
  }

  /**
   * getLoaded is get() without waiting: the name at `index` when it was decoded before or lies
   * whole in a page already read, else undefined (then get() reads, or throws what is wrong). A
   * symbol table's names are looked up one after another, thousands per file, nearly all in pages
   * read for the names before them; through get() each cost three promises and a few views, and
   * they were the largest share of a tree scan's allocations (docs/benchmarks.md).
   */
  getLoaded(index: number): string | undefined {
    const known = this.names.get(index);
    if (known !== undefined) return known;
    if (!(index >= 0 && index < this.size)) return undefined;
    const page = this.pages.get(Math.floor(index / PAGE));
    if (page === undefined) return undefined;
    const from = index % PAGE;
    const nul = page.indexOf(0, from);
    // A name that runs on into the next page is read by get(), as one decode of both parts.
    if (nul < 0) return undefined;
    return this.remember(index, StringTable.decode([page.subarray(from, nul)]));
  }

  /** remember counts a newly decoded name against the budget and keeps it. */
  private remember(index: number, name: string): string {
    this.nameBudget -= name.length;
    if (this.nameBudget < 0) {
      throw new ElfFormatError(`names in ${this.what} overlap: more than ${NAME_BUDGET_PER_BYTE} characters per byte of the table were decoded`);
    }
    this.names.set(index, name);
    return name;
  }

  private async read(index: number, field: string): Promise<string> {
    const parts: Uint8Array[] = [];
    let position = index;
    let length = 0;
    while (position < this.size) {
      const page = await this.page(Math.floor(position / PAGE));
      const from = position % PAGE;
      const nul = page.indexOf(0, from);
      if (nul >= 0) {
        parts.push(page.subarray(from, nul));
        return StringTable.decode(parts);
      }
      parts.push(page.subarray(from));
      length += page.length - from;
      position += page.length - from;
      if (length > MAX_NAME) break;
    }
    throw new ElfFormatError(`{field} {value:hex} names a string with no terminating NUL in ${this.what}`, { field, value: index });
  }

  private static decode(parts: Uint8Array[]): string {
    if (parts.length === 1) return StringTable.decoder.decode(parts[0]);
    return StringTable.decoder.decode(Buffer.concat(parts));
  }
}
