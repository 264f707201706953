import { decode, decodeLongPath, decodePax } from 'tar-stream/headers.js';
import type { ByteSource } from '../io/byte-source.js';
import { ImageError } from './image-error.js';
import { normalizeEntryName } from './entry-path.js';

/** One member of an uncompressed tar archive, located by byte range. */
export interface TarMember {
  /** The name with `./` and leading `/` removed and `.`/`..` resolved (never escaping the archive root). */
  readonly name: string;
  readonly type: 'file' | 'symlink' | 'link' | 'directory' | 'other';
  /** Offset of the member's data in the archive. */
  readonly offset: number;
  readonly size: number;
  readonly linkname: string | null;
}

const BLOCK = 512;
/** An image archive has a handful of members per layer; anything far beyond this is not an image. */
const MAX_MEMBERS = 200_000;
/** pax and GNU long-name records are a few hundred bytes in practice. */
const MAX_LONG_HEADER = 1 << 20;

/**
 * looksLikeTar says whether a 512-byte block is a tar header: its checksum field matches the
 * block (tar-stream's decoder checks it). Absent (a zero block or short input) is false.
 */
export function looksLikeTar(block: Uint8Array): boolean {
  if (block.length < BLOCK) return false;
  try {
    return decode(block, 'utf-8', true) !== null;
  } catch {
    return false;
  }
}

/**
 * indexTar lists the members of an uncompressed tar by reading only its headers with positioned
 * reads, skipping each member's data: the manifest of a `docker save` archive sits after gigabytes
 * of layers, and this finds it with a few hundred small reads. tar-stream only parses streams, so
 * it cannot skip; we use its header decoder (pax and GNU long names included) and do the seeking.
 * Throws ImageError when a header is corrupt or a member runs past the end (a truncated archive).
 */
export async function indexTar(source: ByteSource): Promise<Map<string, TarMember>> {
  const members = new Map<string, TarMember>();
  let offset = 0;
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax: Record<string, string> | undefined;
  for (let count = 0; ; count++) {
    if (count > MAX_MEMBERS) throw new ImageError(`more than ${MAX_MEMBERS} archive members: not an image archive`);
    if (offset + BLOCK > source.size) {
      // A tar ends with zero blocks; ending exactly after a member is tolerated (some writers omit them).
      if (offset === source.size) return members;
      throw new ImageError(`truncated archive: a header at byte ${offset} runs past the end (${source.size} bytes)`);
    }
    let header;
    try {
      header = decode(await source.readAt(offset, BLOCK), 'utf-8', true);
    } catch {
      throw new ImageError(`corrupt archive: invalid tar header at byte ${offset}`);
    }
    if (header === null) return members;
    const declared = paxSize(pax) ?? header.size;
    // A directory carries no data whatever its header's size says, as tar-stream and GNU tar read it.
    const size = header.type === 'directory' ? 0 : declared;
    const dataOffset = offset + BLOCK;
    if (!Number.isSafeInteger(size) || size < 0) throw new ImageError(`corrupt archive: invalid size in the header of "${header.name}" at byte ${offset}`);
    if (dataOffset + size > source.size) {
      throw new ImageError(`truncated archive: member "${header.name}" (${size} bytes at byte ${dataOffset}) runs past the end (${source.size} bytes)`);
    }
    offset = dataOffset + Math.ceil(size / BLOCK) * BLOCK;
    switch (header.type) {
      case 'pax-header':
      case 'gnu-long-path':
      case 'gnu-long-link-path': {
        if (size > MAX_LONG_HEADER) throw new ImageError(`corrupt archive: ${header.type} record of ${size} bytes at byte ${dataOffset}`);
        const body = await source.readAt(dataOffset, size);
        if (header.type === 'pax-header') pax = decodePax(body);
        else if (header.type === 'gnu-long-path') longName = decodeLongPath(body, 'utf-8');
        else longLink = decodeLongPath(body, 'utf-8');
        continue;
      }
      case 'pax-global-header':
        continue;
      default:
        break;
    }
    const name = normalizeEntryName(pax?.path ?? longName ?? header.name);
    const linkname = pax?.linkpath ?? longLink ?? header.linkname ?? null;
    pax = undefined;
    longName = undefined;
    longLink = undefined;
    if (name === '') continue;
    members.set(name, { name, type: memberType(header.type), offset: dataOffset, size, linkname });
  }
}

function paxSize(pax: Record<string, string> | undefined): number | undefined {
  const text = pax?.size;
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}

function memberType(type: string | null | undefined): TarMember['type'] {
  if (type === 'file' || type === 'contiguous-file') return 'file';
  if (type === 'symlink' || type === 'link' || type === 'directory') return type;
  return 'other';
}

/**
 * resolveMember finds the regular file a member name stands for, following symbolic and hard
 * links inside the archive (docker-archive writes `<id>/layer.tar -> ../<digest>.tar`). Absent
 * (no such member, a link loop, a link to a non-file) is undefined.
 */
export function resolveMember(members: ReadonlyMap<string, TarMember>, name: string): TarMember | undefined {
  let current = members.get(normalizeEntryName(name));
  for (let hops = 0; current !== undefined && hops < 16; hops++) {
    if (current.type === 'file') return current;
    if (current.linkname === null || (current.type !== 'symlink' && current.type !== 'link')) return undefined;
    const base = current.type === 'symlink' ? current.name.split('/').slice(0, -1).join('/') : '';
    const target = current.linkname.startsWith('/') ? current.linkname : `${base}/${current.linkname}`;
    current = members.get(normalizeEntryName(target));
  }
  return undefined;
}
