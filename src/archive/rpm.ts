import type { ByteSource } from '../io/byte-source.js';
import { ArchiveFormatError } from './archive-error.js';

/** The RPM lead: 96 bytes, obsolete but still written first (LSB 4.1 Core, 22.2.1 "Lead Section"). */
const LEAD_SIZE = 96;
const HEADER_MAGIC = [0x8e, 0xad, 0xe8, 0x01];
const INTRO_SIZE = 16;
const INDEX_ENTRY_SIZE = 16;
/** rpm's own bounds on a header (lib/header_internal.h: hdrchkTags `il > 0xffff`, hdrchkData `dl > 0x0fffffff`). */
export const MAX_RPM_TAGS = 0xffff;
export const MAX_RPM_DATA = 0x0fffffff;

/** Header tags we read (rpm include/rpm/rpmtag.h). */
export const RpmTag = {
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  ARCH: 1022,
  REQUIRENAME: 1049,
  REQUIREVERSION: 1050,
  PAYLOADFORMAT: 1124,
  PAYLOADCOMPRESSOR: 1125,
} as const;

const RPM_STRING = 6;
const RPM_STRING_ARRAY = 8;
const RPM_I18NSTRING = 9;

/** RpmPackage is what the headers of an RPM say, and where its payload starts. */
export interface RpmPackage {
  readonly name: string | undefined;
  readonly arch: string | undefined;
  /** `Requires:` names as rpm stores them (`libc.so.6(GLIBC_2.34)(64bit)`, `rtld(GNU_HASH)`). */
  readonly requires: readonly string[];
  /** PAYLOADCOMPRESSOR as stored (`gzip`, `xz`, `zstd`, `bzip2`, `lzma`); the payload's magic decides. */
  readonly compressor: string | undefined;
  readonly payloadFormat: string | undefined;
  /** The byte offset of the (compressed) cpio payload. */
  readonly payloadOffset: number;
}

/**
 * readRpm reads an RPM's lead, signature header and main header (LSB 4.1 Core 22.2: lead, then
 * two header structures, each an 8-byte magic+reserved, index count and data size, 16-byte index
 * entries {tag, type, offset, count} and the data store; the signature header is padded to 8
 * bytes). Hand-written: npm has no maintained RPM reader, and we need only a few tags. Throws
 * ArchiveFormatError for a bad magic, counts past rpm's own bounds, or data past the end.
 */
export async function readRpm(source: ByteSource): Promise<RpmPackage> {
  const lead = await source.readAt(0, LEAD_SIZE);
  if (lead.length < LEAD_SIZE) throw new ArchiveFormatError(`truncated rpm: the ${LEAD_SIZE}-byte lead is cut at ${lead.length}`);
  const signature = await readHeaderStructure(source, LEAD_SIZE, 'signature header');
  const mainOffset = signature.end + ((8 - (signature.end % 8)) % 8);
  const main = await readHeaderStructure(source, mainOffset, 'header');
  return {
    name: main.string(RpmTag.NAME),
    arch: main.string(RpmTag.ARCH),
    requires: main.strings(RpmTag.REQUIRENAME),
    compressor: main.string(RpmTag.PAYLOADCOMPRESSOR),
    payloadFormat: main.string(RpmTag.PAYLOADFORMAT),
    payloadOffset: main.end,
  };
}

interface HeaderStructure {
  readonly end: number;
  string(tag: number): string | undefined;
  strings(tag: number): string[];
}

async function readHeaderStructure(source: ByteSource, offset: number, what: string): Promise<HeaderStructure> {
  const intro = await source.readAt(offset, INTRO_SIZE);
  if (intro.length < INTRO_SIZE) throw new ArchiveFormatError(`truncated rpm: ${what} cut short`, offset);
  if (!HEADER_MAGIC.every((byte, i) => intro[i] === byte)) throw new ArchiveFormatError(`corrupt rpm: bad ${what} magic`, offset);
  const view = new DataView(intro.buffer, intro.byteOffset, intro.byteLength);
  const tags = view.getUint32(8);
  const dataSize = view.getUint32(12);
  if (tags > MAX_RPM_TAGS || dataSize > MAX_RPM_DATA) throw new ArchiveFormatError(`corrupt rpm: ${what} claims ${tags} tags and ${dataSize} bytes`, offset);
  const indexOffset = offset + INTRO_SIZE;
  const dataOffset = indexOffset + tags * INDEX_ENTRY_SIZE;
  const end = dataOffset + dataSize;
  if (end > source.size) throw new ArchiveFormatError(`truncated rpm: ${what} runs to byte ${end}, past the end (${source.size} bytes)`, offset);
  const index = await source.readAt(indexOffset, tags * INDEX_ENTRY_SIZE);
  const data = await source.readAt(dataOffset, dataSize);
  const indexView = new DataView(index.buffer, index.byteOffset, index.byteLength);
  const entries = new Map<number, { type: number; offset: number; count: number }>();
  for (let i = 0; i < tags; i++) {
    const at = i * INDEX_ENTRY_SIZE;
    const tag = indexView.getUint32(at);
    entries.set(tag, { type: indexView.getUint32(at + 4), offset: indexView.getUint32(at + 8), count: indexView.getUint32(at + 12) });
  }
  const decoder = new TextDecoder();
  const readStrings = (tag: number, types: readonly number[]): string[] => {
    const entry = entries.get(tag);
    if (entry === undefined) return [];
    if (!types.includes(entry.type)) throw new ArchiveFormatError(`corrupt rpm: tag ${tag} has type ${entry.type}`, offset);
    if (entry.count > dataSize) throw new ArchiveFormatError(`corrupt rpm: tag ${tag} claims ${entry.count} strings`, offset);
    const out: string[] = [];
    let at = entry.offset;
    for (let i = 0; i < entry.count; i++) {
      const stop = data.indexOf(0, at);
      if (at >= data.length || stop < 0) throw new ArchiveFormatError(`corrupt rpm: tag ${tag} string ${i} runs past the ${what}`, offset);
      out.push(decoder.decode(data.subarray(at, stop)));
      at = stop + 1;
    }
    return out;
  };
  return {
    end,
    string: (tag) => readStrings(tag, [RPM_STRING, RPM_I18NSTRING, RPM_STRING_ARRAY])[0],
    strings: (tag) => readStrings(tag, [RPM_STRING_ARRAY]),
  };
}
