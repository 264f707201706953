import { ArchiveFormatError, quoted } from './archive-error.js';
import { ChunkReader } from './byte-stream.js';
import type { ArchiveMember, MemberType } from './member.js';

const HEADER = 110;
/** A cpio name longer than PATH_MAX (4096) is not a path. */
export const MAX_CPIO_NAME = 4096;
const S_IFMT = 0o170000;
const TYPES: Record<number, MemberType> = { 0o100000: 'file', 0o120000: 'symlink', 0o040000: 'directory' };

/**
 * cpioMembers yields the members of a cpio stream in the "new ASCII" (newc, `070701`) format or
 * its CRC variant (`070702`), the payload format of RPM packages (rpm lib/cpio.c; the format is
 * described in cpio(5) of libarchive). Each header is 110 ASCII bytes: the magic and 13 8-digit hex
 * fields, then the name (with its NUL) padded to 4 bytes, then the data padded to 4 bytes; the
 * member named `TRAILER!!!` ends the archive. Hand-written: the format is this paragraph, and the
 * npm cpio readers are unmaintained. Throws ArchiveFormatError for another magic, a bad field, or
 * a stream that ends inside a member.
 */
export async function* cpioMembers(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<ArchiveMember> {
  const reader = new ChunkReader(chunks);
  try {
    for (;;) {
      const at = reader.position;
      const header = ascii(await reader.read(HEADER, 'cpio header'));
      const magic = header.slice(0, 6);
      if (magic !== '070701' && magic !== '070702') {
        throw new ArchiveFormatError(`unsupported or corrupt cpio header (magic ${quoted(magic)})`, at);
      }
      const field = (index: number): number => {
        const text = header.slice(6 + index * 8, 14 + index * 8);
        if (!/^[0-9a-fA-F]{8}$/.test(text)) throw new ArchiveFormatError(`corrupt cpio header field ${index}`, at);
        return parseInt(text, 16);
      };
      const mode = field(1);
      const size = field(6);
      const nameSize = field(11);
      if (nameSize === 0 || nameSize > MAX_CPIO_NAME) throw new ArchiveFormatError(`cpio name of ${nameSize} bytes`, at);
      const nameBytes = await reader.read(nameSize, 'cpio name');
      const name = new TextDecoder().decode(nameBytes.subarray(0, nameSize - 1));
      await reader.skip(pad4(HEADER + nameSize), 'cpio name padding');
      if (name === 'TRAILER!!!') return;
      const type = TYPES[mode & S_IFMT] ?? 'other';
      let linkname: string | undefined;
      let consumed = 0;
      if (type === 'symlink' && size <= MAX_CPIO_NAME) {
        linkname = new TextDecoder().decode(await reader.read(size, 'cpio link target'));
        consumed = size;
      }
      const what = `cpio member ${quoted(name)}`;
      async function* body(): AsyncGenerator<Uint8Array> {
        // Pull chunk by chunk so that a caller stopping early leaves `consumed` exact.
        while (consumed < size) {
          const chunk = await reader.read(Math.min(size - consumed, 256 << 10), what);
          consumed += chunk.length;
          yield chunk;
        }
      }
      yield { name, type, size, ...(linkname !== undefined ? { linkname } : {}), body };
      // Whatever the caller left of the body, and all of it when it never asked, comes next.
      await reader.skip(size - consumed, what);
      await reader.skip(pad4(size), 'cpio data padding');
    }
  } finally {
    await reader.close();
  }
}

const pad4 = (length: number): number => (4 - (length % 4)) % 4;
const ascii = (bytes: Uint8Array): string => String.fromCharCode(...bytes);
