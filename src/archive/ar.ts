/**
 * The Unix `ar` container: static libraries (`.a`), Rust `.rlib` and Debian packages (`.deb`).
 *
 * Hand-written rather than taken from npm: the format is a few dozen lines, and the npm readers
 * (`ar`, `ar-async`, `arjs`) load the whole archive into memory, ignore the symbol index, and do
 * not bound sizes against the input; this reader walks a ByteSource with one 60-byte read per
 * member and checks every size against the input before using it.
 *
 * Layout (FreeBSD ar(5); GNU binutils `bfd/archive.c`): the magic `!<arch>\n`, then members, each
 * a 60-byte header (name[16] date[12] uid[6] gid[6] mode[8] size[10] "`\n") and `size` bytes of
 * data, padded with `\n` to an even offset. Member names follow one of two conventions:
 * - GNU/System V: `name/`; `/` is the symbol index, `/SYM64/` its 64-bit form, `//` the table of
 *   long names, and `/123` a long name at byte 123 of that table (each ended by `/\n`);
 * - BSD (and macOS): a name without `/`, or `#1/LEN`, whose LEN-byte name opens the data (and is
 *   counted in `size`); the symbol index is `__.SYMDEF` (`__.SYMDEF SORTED`, `__.SYMDEF_64`).
 * Thin archives (`!<thin>\n`) keep only paths to member files outside the archive: they are
 * refused with a clear error, since reading them would mean opening files the archive names.
 */
import type { ByteSource } from '../io/byte-source.js';
import { ArchiveFormatError, printable } from './archive-error.js';

export const AR_MAGIC = '!<arch>\n';
export const AR_THIN_MAGIC = '!<thin>\n';
const HEADER_SIZE = 60;
/** A long-name table or a symbol index larger than this is not real (LLVM's own archives stay below 8 MiB). */
export const MAX_AR_TABLE_BYTES = 64 * 1024 * 1024;
/** A BSD `#1/LEN` name longer than this is not a file name. */
export const MAX_AR_NAME = 4096;

/** ArMember is one file stored in an archive. */
export interface ArMember {
  /** The member's name, with GNU's trailing `/` removed and long names resolved. */
  readonly name: string;
  /** Where the member's data starts in the source (after a BSD `#1/LEN` name). */
  readonly offset: number;
  /** The size of the member's data in bytes. */
  readonly size: number;
  /** Where the member's 60-byte header starts: the offset symbol indexes refer to. */
  readonly headerOffset: number;
}

/** ArSymbol is one entry of an archive's symbol index: a symbol some member defines. */
export interface ArSymbol {
  readonly name: string;
  /** The header offset of the member that defines it (ArMember.headerOffset). */
  readonly memberHeaderOffset: number;
}

/**
 * hasArMagicPrefix reads a 4-byte probe: `!<ar` starts `!<arch>\n` and `!<th` starts `!<thin>\n`,
 * and nothing else a tree or an image holds by chance does; isArArchive checks the full magic once
 * the file is open.
 */
export function hasArMagicPrefix(probe: Uint8Array): boolean {
  return probe[0] === 0x21 && probe[1] === 0x3c && ((probe[2] === 0x61 && probe[3] === 0x72) || (probe[2] === 0x74 && probe[3] === 0x68));
}

/** isArArchive says whether the bytes start with the magic of an ar archive (regular or thin). */
export function isArArchive(head: Uint8Array): boolean {
  const magic = ascii(head.subarray(0, 8));
  return magic === AR_MAGIC || magic === AR_THIN_MAGIC;
}

/** A raw member: its header decoded, its name not yet resolved. */
interface RawMember {
  readonly rawName: string;
  readonly headerOffset: number;
  readonly dataOffset: number;
  readonly size: number;
}

/**
 * readArMembers yields the files stored in an ar archive, in archive order. The symbol index and
 * the long-name table are not yielded (see readArSymbolIndex). Throws ArchiveFormatError for a
 * thin archive, a bad magic, a malformed header, or a member that runs past the end of the source.
 */
export async function* readArMembers(source: ByteSource): AsyncGenerator<ArMember> {
  let longNames: Uint8Array | undefined;
  for await (const raw of rawMembers(source)) {
    if (raw.rawName === '//') {
      if (raw.size > MAX_AR_TABLE_BYTES) throw new ArchiveFormatError(`ar long-name table claims ${raw.size} bytes`, raw.headerOffset);
      longNames = await readExactly(source, raw.dataOffset, raw.size, 'ar long-name table');
      continue;
    }
    if (isSymbolIndexName(raw.rawName)) continue;
    const member = await resolveName(source, raw, longNames);
    if (isSymbolIndexName(member.name)) continue; // BSD `#1/20` + `__.SYMDEF SORTED`
    yield member;
  }
}

/**
 * readArSymbolIndex returns the archive's symbol index (the defined symbols of its members, as
 * `ar s`/`ranlib` wrote it), or undefined when the archive has none. GNU `/` (32-bit, big-endian)
 * and `/SYM64/` (64-bit) tables and BSD `__.SYMDEF` tables are read; each count and offset is
 * checked against the table's size.
 */
export async function readArSymbolIndex(source: ByteSource): Promise<ArSymbol[] | undefined> {
  for await (const raw of rawMembers(source)) {
    if (raw.rawName === '/' || raw.rawName === '/SYM64/') {
      const data = await readTable(source, raw);
      return parseGnuIndex(data, raw.rawName === '/SYM64/' ? 8 : 4, raw.dataOffset);
    }
    if (raw.rawName === '//') continue; // a GNU archive without `/` first has no index
    const member = await resolveName(source, raw, undefined).catch(() => undefined);
    if (member !== undefined && isSymbolIndexName(member.name)) {
      const data = await readExactly(source, member.offset, checkedTableSize(member.size, raw.headerOffset), 'ar symbol index');
      return parseBsdIndex(data, member.name.startsWith('__.SYMDEF_64') ? 8 : 4, member.offset);
    }
    return undefined; // the index, when present, is the first member
  }
  return undefined;
}

async function* rawMembers(source: ByteSource): AsyncGenerator<RawMember> {
  const magic = ascii(await source.readAt(0, 8));
  if (magic === AR_THIN_MAGIC) {
    throw new ArchiveFormatError('thin ar archive (!<thin>): it holds only the paths of members stored outside it, which are not read; rebuild it without T (ar rc, not ar rcT)');
  }
  if (magic !== AR_MAGIC) throw new ArchiveFormatError('not an ar archive (no !<arch> magic)');
  let at = 8;
  while (at < source.size) {
    // A lone `\n` padding byte before the end is tolerated, as GNU ar does.
    if (at + 1 === source.size) break;
    if (at + HEADER_SIZE > source.size) {
      throw new ArchiveFormatError(`ar member header is cut short: ${source.size - at} of ${HEADER_SIZE} bytes`, at);
    }
    const header = await source.readAt(at, HEADER_SIZE);
    if (header[58] !== 0x60 || header[59] !== 0x0a) throw new ArchiveFormatError('ar member header does not end with `\\n', at);
    const sizeText = ascii(header.subarray(48, 58));
    if (!/^\d+ *$/.test(sizeText)) throw new ArchiveFormatError(`ar member size "${printable(sizeText.trimEnd())}" is not a decimal number`, at + 48);
    const size = Number.parseInt(sizeText, 10);
    const dataOffset = at + HEADER_SIZE;
    if (size > source.size - dataOffset) {
      throw new ArchiveFormatError(`ar member of ${size} bytes runs past the end of the archive (${source.size - dataOffset} bytes left)`, at);
    }
    yield { rawName: ascii(header.subarray(0, 16)).trimEnd(), headerOffset: at, dataOffset, size };
    at = dataOffset + size + (size % 2);
  }
}

async function resolveName(source: ByteSource, raw: RawMember, longNames: Uint8Array | undefined): Promise<ArMember> {
  const { rawName, headerOffset, dataOffset, size } = raw;
  const bsd = /^#1\/(\d+)$/.exec(rawName);
  if (bsd !== null) {
    const length = Number.parseInt(bsd[1]!, 10);
    if (length > MAX_AR_NAME || length > size) {
      throw new ArchiveFormatError(`ar member name of ${length} bytes does not fit its ${size}-byte member`, headerOffset);
    }
    const bytes = await readExactly(source, dataOffset, length, 'ar member name');
    const nul = bytes.indexOf(0);
    return { name: utf8(nul < 0 ? bytes : bytes.subarray(0, nul)), offset: dataOffset + length, size: size - length, headerOffset };
  }
  const gnuLong = /^\/(\d+)$/.exec(rawName);
  if (gnuLong !== null) {
    if (longNames === undefined) throw new ArchiveFormatError(`ar member name ${printable(rawName)} refers to a long-name table the archive does not have`, headerOffset);
    const start = Number.parseInt(gnuLong[1]!, 10);
    if (start >= longNames.length) throw new ArchiveFormatError(`ar member name ${printable(rawName)} lies past the long-name table (${longNames.length} bytes)`, headerOffset);
    let end = longNames.indexOf(0x0a, start);
    if (end < 0) end = longNames.length;
    if (end > start && longNames[end - 1] === 0x2f) end--; // the `/` before `\n`
    return { name: utf8(longNames.subarray(start, end)), offset: dataOffset, size, headerOffset };
  }
  const name = rawName.endsWith('/') && rawName.length > 1 ? rawName.slice(0, -1) : rawName;
  return { name, offset: dataOffset, size, headerOffset };
}

function isSymbolIndexName(name: string): boolean {
  return name === '/' || name === '/SYM64/' || name === '__.SYMDEF' || name.startsWith('__.SYMDEF ') || name.startsWith('__.SYMDEF_64');
}

function checkedTableSize(size: number, headerOffset: number): number {
  if (size > MAX_AR_TABLE_BYTES) throw new ArchiveFormatError(`ar symbol index claims ${size} bytes`, headerOffset);
  return size;
}

function readTable(source: ByteSource, raw: RawMember): Promise<Uint8Array> {
  return readExactly(source, raw.dataOffset, checkedTableSize(raw.size, raw.headerOffset), 'ar symbol index');
}

/** GNU index: count, then `count` member offsets, then `count` NUL-terminated names; all big-endian. */
function parseGnuIndex(data: Uint8Array, width: 4 | 8, base: number): ArSymbol[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.length < width) throw new ArchiveFormatError('ar symbol index is shorter than its count', base);
  const count = readWord(view, 0, width, false);
  if (count > (data.length - width) / width) throw new ArchiveFormatError(`ar symbol index claims ${count} symbols in ${data.length} bytes`, base);
  const names = splitNames(data.subarray(width + count * width), count, base);
  return names.map((name, i) => ({ name, memberHeaderOffset: readWord(view, width + i * width, width, false) }));
}

/**
 * BSD index (`ranlib.h`): the byte size of an array of (ran_strx, ran_off) pairs, the pairs, the
 * byte size of the string table, the strings. Its integers are in the byte order of the machine
 * that wrote it; the order under which the sizes fit the table is taken.
 */
function parseBsdIndex(data: Uint8Array, width: 4 | 8, base: number): ArSymbol[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (const littleEndian of [true, false]) {
    if (data.length < width) break;
    const arrayBytes = readWord(view, 0, width, littleEndian);
    if (arrayBytes % (2 * width) !== 0 || arrayBytes > data.length - 2 * width) continue;
    const stringsSize = readWord(view, width + arrayBytes, width, littleEndian);
    const stringsAt = 2 * width + arrayBytes;
    if (stringsSize > data.length - stringsAt) continue;
    const strings = data.subarray(stringsAt, stringsAt + stringsSize);
    const symbols: ArSymbol[] = [];
    for (let at = width; at < width + arrayBytes; at += 2 * width) {
      const strx = readWord(view, at, width, littleEndian);
      if (strx >= strings.length) throw new ArchiveFormatError(`ar symbol index name offset ${strx} lies past its ${strings.length}-byte string table`, base + at);
      const nul = strings.indexOf(0, strx);
      symbols.push({ name: utf8(strings.subarray(strx, nul < 0 ? strings.length : nul)), memberHeaderOffset: readWord(view, at + width, width, littleEndian) });
    }
    return symbols;
  }
  throw new ArchiveFormatError('ar __.SYMDEF index sizes do not fit the index in either byte order', base);
}

function splitNames(bytes: Uint8Array, count: number, base: number): string[] {
  const names: string[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const nul = bytes.indexOf(0, at);
    if (nul < 0) throw new ArchiveFormatError(`ar symbol index has ${i} of its ${count} names`, base);
    names.push(utf8(bytes.subarray(at, nul)));
    at = nul + 1;
  }
  return names;
}

function readWord(view: DataView, at: number, width: 4 | 8, littleEndian: boolean): number {
  if (at + width > view.byteLength) throw new ArchiveFormatError('ar symbol index is cut short');
  if (width === 4) return view.getUint32(at, littleEndian);
  const value = view.getBigUint64(at, littleEndian);
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}

async function readExactly(source: ByteSource, offset: number, length: number, what: string): Promise<Uint8Array> {
  const bytes = await source.readAt(offset, length);
  if (bytes.length < length) throw new ArchiveFormatError(`${what} is cut short: ${bytes.length} of ${length} bytes`, offset);
  return bytes;
}

function ascii(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

const decoder = new TextDecoder('utf-8');
function utf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
