/**
 * What an archive or stream is, told by its first bytes, never by its name: a wheel renamed to
 * `.zip`, a `.tgz` or a `.tar.gz` read the same, and a file named `.tar.gz` that is not one is not
 * read as one.
 */
export type ContainerFormat = 'zip' | 'tar' | 'ar' | 'rpm' | 'gzip' | 'xz' | 'zstd' | 'bzip2';

/** Compressed stream formats: each wraps one stream (a tar, usually). */
export type Compression = 'gzip' | 'xz' | 'zstd' | 'bzip2';

/** How many leading bytes `detectFormat` looks at (a tar header block). */
export const FORMAT_PROBE_BYTES = 512;

const startsWith = (bytes: Uint8Array, magic: readonly number[], at = 0): boolean =>
  bytes.length >= at + magic.length && magic.every((byte, i) => bytes[at + i] === byte);

/** ascii turns a magic string into its bytes. */
const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

/**
 * detectFormat names the container format of `head` (its first FORMAT_PROBE_BYTES bytes, or all of
 * a shorter input). Sources: zip APPNOTE 6.3.10 4.3.7 (local file header `PK\3\4`) and 4.3.16 (end
 * of central directory `PK\5\6`, the whole of an empty zip); RFC 1952 2.3.1 (gzip `1f 8b`); the xz
 * file format 2.1.1.1 (`fd 37 7a 58 5a 00`); RFC 8878 3.1.1 (zstd frame `28 b5 2f fd`); bzip2's
 * `BZh` + block size digit; ar's `!<arch>\n`; the RPM lead (`ed ab ee db`, LSB 22.2.1); a tar
 * header is a 512-byte block whose checksum field matches (POSIX pax, ustar). Absent (anything
 * else, an ELF file included) is undefined.
 */
export function detectFormat(head: Uint8Array): ContainerFormat | undefined {
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  if (startsWith(head, [0x1f, 0x8b])) return 'gzip';
  if (startsWith(head, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return 'xz';
  if (startsWith(head, [0x28, 0xb5, 0x2f, 0xfd])) return 'zstd';
  if (startsWith(head, ascii('BZh')) && head.length >= 4 && head[3]! >= 0x31 && head[3]! <= 0x39) return 'bzip2';
  if (startsWith(head, ascii('!<arch>\n'))) return 'ar';
  if (startsWith(head, [0xed, 0xab, 0xee, 0xdb])) return 'rpm';
  if (isTarHeader(head)) return 'tar';
  return undefined;
}

/** isCompression says whether a format is a compressed stream rather than an archive. */
export function isCompression(format: ContainerFormat): format is Compression {
  return format === 'gzip' || format === 'xz' || format === 'zstd' || format === 'bzip2';
}

/**
 * isTarHeader checks a tar header block's checksum (POSIX ustar: the sum of the header's bytes
 * with the 8-byte checksum field taken as spaces, stored in octal at byte 148). Old tars (v7) have
 * no `ustar` magic, so the checksum is the test, as GNU tar and tar-stream do. A zero block is not a header.
 */
export function isTarHeader(block: Uint8Array): boolean {
  if (block.length < 512) return false;
  let unsigned = 0;
  let zero = true;
  for (let i = 0; i < 512; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : block[i]!;
    if (block[i] !== 0) zero = false;
    unsigned += byte;
  }
  if (zero) return false;
  const field = String.fromCharCode(...block.subarray(148, 156)).replace(/[\0 ]+$/, '').trim();
  return /^[0-7]{1,7}$/.test(field) && parseInt(field, 8) === unsigned;
}
