/** What kind of thing a member is; links and directories are listed, never followed. */
export type MemberType = 'file' | 'symlink' | 'link' | 'directory' | 'other';

/**
 * ArchiveMember is one member of an archive as a reader finds it. Readers yield members one at a
 * time; `body()` may be called at most once and only before the reader is asked for the next
 * member (tar and cpio are streams: the next header comes after this body). A body not read is
 * skipped by the reader.
 */
export interface ArchiveMember {
  /** The name exactly as stored (`./usr/bin/x`, `../../etc/passwd`, `/abs`): reported, never resolved. */
  readonly name: string;
  readonly type: MemberType;
  /** The size the archive declares for the member's data. */
  readonly size: number;
  /** The compressed size, where the member is compressed on its own (zip); else undefined. */
  readonly compressedSize?: number;
  /** A link's target as stored; undefined for other types. */
  readonly linkname?: string;
  /** body streams the member's (decompressed) bytes. */
  body(): AsyncIterable<Uint8Array>;
}

/** displayMemberName turns a stored name into the part after `!`: `./usr/bin/x` -> `/usr/bin/x`, `lib/x.so` -> `/lib/x.so`; `..` is kept as it is. */
export function displayMemberName(name: string): string {
  const trimmed = name.replace(/^(\.\/)+/, '');
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}
