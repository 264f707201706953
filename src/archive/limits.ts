/**
 * The bounds on reading one archive. An archive is hostile input like any other: each bound turns
 * what would be an unbounded allocation or loop into a one-line error. Each is a named constant
 * with a test that reaches it (test/archive/limits.test.ts); tests pass smaller values through
 * `ArchiveLimits` to reach the byte bounds without writing gigabytes.
 */
export interface ArchiveLimits {
  /** Bytes produced by decompression over the whole archive, nested archives included. */
  readonly maxTotalBytes: number;
  /** Members (files, links, directories) over the whole archive, nested archives included. */
  readonly maxMembers: number;
  /** Decompressed bytes per compressed byte of one member, past `ratioGraceBytes`. */
  readonly maxRatio: number;
  /** Output a member may reach before the ratio applies: small files of zeros compress 1000:1 honestly. */
  readonly ratioGraceBytes: number;
  /** Bytes of one member held in memory to be read (an ELF file, a nested archive). */
  readonly maxMemberBytes: number;
  /** Bytes held in memory at once over all kept members. */
  readonly maxKeptBytes: number;
}

/** 8 GiB decompressed: a large release tarball is a few GiB; past this, reading takes minutes. */
export const MAX_TOTAL_BYTES = 8 * 1024 ** 3;
/** 200,000 members: a TeX Live or a JDK tarball has ~100,000; the member list costs ~200 B each. */
export const MAX_MEMBERS = 200_000;
/**
 * 100:1. Binaries compress 2:1 to 10:1, sparse data files rarely past 50:1; a zip bomb's member
 * is 1,000:1 (deflate's ceiling is 1,032:1), and xz/zstd on zeros reach 10,000:1 and more.
 */
export const MAX_COMPRESSION_RATIO = 100;
/** The ratio is judged only once a member has produced 1 MiB. */
export const RATIO_GRACE_BYTES = 1 << 20;
/** 1 GiB: the largest ELF files shipped (a debug-info libxul, a CUDA library) are a few hundred MiB. */
export const MAX_MEMBER_BYTES = 1024 ** 3;
/** 2 GiB kept at once, below what Node.js lets one process hold in buffers comfortably. */
export const MAX_KEPT_BYTES = 2 * 1024 ** 3;
/**
 * One level of nesting: a tarball of wheels is read, a wheel inside a wheel inside a tarball is
 * reported and skipped. Deeper nesting buys little and each level multiplies the bomb surface.
 */
export const MAX_NESTING_DEPTH = 1;

/** DEFAULT_ARCHIVE_LIMITS are the limits every real run uses. */
export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxTotalBytes: MAX_TOTAL_BYTES,
  maxMembers: MAX_MEMBERS,
  maxRatio: MAX_COMPRESSION_RATIO,
  ratioGraceBytes: RATIO_GRACE_BYTES,
  maxMemberBytes: MAX_MEMBER_BYTES,
  maxKeptBytes: MAX_KEPT_BYTES,
};
