import { describeError } from '../errors/describe-error.js';
import { hasElfMagic } from '../elf/header.js';
import { bufferSource, type ByteSource } from '../io/byte-source.js';
import { readArMembers } from './ar.js';
import { ArchiveFormatError, quoted } from './archive-error.js';
import { concat, readFirst, sourceChunks } from './byte-stream.js';
import { cpioMembers } from './cpio.js';
import { decompress, type StreamCount } from './decompress.js';
import { DEFAULT_ARCHIVE_LIMITS, MAX_NESTING_DEPTH, type ArchiveLimits } from './limits.js';
import { detectFormat, FORMAT_PROBE_BYTES, isCompression, type Compression, type ContainerFormat } from './magic.js';
import { displayMemberName, type ArchiveMember } from './member.js';
import { Meter } from './meter.js';
import { readRpm } from './rpm.js';
import { tarMembers } from './tar.js';

/** MEMBER_SEPARATOR joins an archive's path and a member's: `dist.tar.gz!/pkg/_x.so`, as for images. */
export const MEMBER_SEPARATOR = '!';
/**
 * How far a stream decoder may read its input ahead of its output: xz-decompress takes whole
 * input chunks before it yields, so a member can come out while the input count stands still.
 * A member's ratio in a compressed tar is judged with this much input allowed for (the whole
 * stream's ratio, judged in decompress(), has no such slack).
 */
export const DECODER_READ_AHEAD = 1 << 20;
/** A metadata file (WHEEL, package.json, a .deb control file) larger than this is not one. */
export const MAX_METADATA_BYTES = 1 << 20;

/** The package format an archive was read as. */
export type ArtifactFormat = 'zip' | 'tar' | 'deb' | 'rpm';

/** Why a member was not checked. */
export type MemberSkip = 'not-elf' | 'not-regular-file' | 'archive-too-deep' | 'broken-symlink' | 'symlink-outside-tree' | 'symlink-loop';

/** One thing found in an artifact, in archive order. */
export type ArtifactEntry =
  | { readonly kind: 'elf'; readonly path: string; readonly bytes: Uint8Array }
  | { readonly kind: 'skipped'; readonly path: string; readonly reason: MemberSkip }
  | { readonly kind: 'error'; readonly path: string; readonly error: string }
  | { readonly kind: 'artifact'; readonly artifact: Artifact };

/** What a package says about itself, as found: parsed into claims by src/declared/. */
export interface ArtifactMetadata {
  /** Small text members by stored name: `*.dist-info/WHEEL`, `package.json`, a .deb's `control`. */
  readonly texts: Map<string, string>;
  /** An RPM's `Requires:` names. */
  rpmRequires?: readonly string[];
  /** An RPM's ARCH tag. */
  rpmArch?: string | undefined;
  /** The member paths of the artifact (for npm prebuild folder names), at most `maxMembers`. */
  readonly names: string[];
}

/** Artifact is one archive read: its entries (nested artifacts among them) and its metadata. */
export interface Artifact {
  /** The path as reported: the user's path, or `outer!/member` for a nested archive. */
  readonly path: string;
  readonly format: ArtifactFormat;
  /** The compression around a tar (or an RPM's payload), if any. */
  readonly compression: Compression | undefined;
  readonly entries: ArtifactEntry[];
  readonly metadata: ArtifactMetadata;
  /** Set when reading stopped early (truncated, corrupt, a limit): the entries before it stand. */
  error?: string;
}

/** Options of readArtifact; tests lower the limits to reach them. */
export interface ReadArtifactOptions {
  readonly limits?: ArchiveLimits;
}

/**
 * detectArtifact says whether the first bytes of an input are an archive this module reads:
 * zip, tar, a compressed stream (read as a tar), an RPM, or an ar archive whose first member is
 * `debian-binary` (a .deb; other ar archives are static libraries, not packages). Absent is undefined.
 */
export async function detectArtifact(source: ByteSource): Promise<ContainerFormat | undefined> {
  const head = await source.readAt(0, FORMAT_PROBE_BYTES);
  const format = detectFormat(head);
  if (format === 'ar') return isDeb(head) ? 'ar' : undefined;
  return format;
}

/** A .deb's first ar member is `debian-binary` (deb(5)): name field at byte 8. */
function isDeb(head: Uint8Array): boolean {
  return String.fromCharCode(...head.subarray(8, 8 + 14)) === 'debian-binary ' || String.fromCharCode(...head.subarray(8, 8 + 14)) === 'debian-binary/';
}

/**
 * readArtifact reads an archive from `source` with nothing written to disk: every member is
 * listed, ELF members are kept in memory (to be checked), a nested archive is read one level deep,
 * and metadata files are kept as text. It never throws for bad input: a truncated or corrupt
 * archive, a bomb or a limit becomes `error` on the artifact (or an error entry for one member),
 * after the entries read before it. Returns undefined when the source is not an archive.
 */
export async function readArtifact(source: ByteSource, path: string, options: ReadArtifactOptions = {}): Promise<Artifact | undefined> {
  const meter = new Meter(options.limits ?? DEFAULT_ARCHIVE_LIMITS);
  return readLevel(source, path, meter, 0);
}

async function readLevel(source: ByteSource, path: string, meter: Meter, depth: number): Promise<Artifact | undefined> {
  const format = await detectArtifact(source);
  if (format === undefined) return undefined;
  const artifact: Artifact = {
    path,
    format: format === 'ar' ? 'deb' : format === 'rpm' ? 'rpm' : format === 'zip' ? 'zip' : 'tar',
    compression: isCompression(format) ? format : undefined,
    entries: [],
    metadata: { texts: new Map(), names: [] },
  };
  const visitor = new MemberVisitor(artifact, meter, depth);
  try {
    switch (format) {
      case 'zip': {
        // Loaded here, not at start-up: yauzl loads node:stream and node:zlib as it is evaluated.
        const { zipMembers } = await import('./zip.js');
        await visitor.visitAll(zipMembers(source, meter.limits.maxMembers), undefined);
        break;
      }
      case 'tar':
        await visitor.visitAll(tarMembers(sourceChunks(source)), undefined);
        break;
      case 'ar':
        await readDeb(source, artifact, visitor, meter);
        break;
      case 'rpm':
        await readRpmPayload(source, artifact, visitor, meter);
        break;
      default: {
        const count: StreamCount = { input: 0, output: 0 };
        const stream = decompress(format, sourceChunks(source), count, meter, `${format} stream`);
        await visitor.visitAll(tarMembers(await requireTar(stream, `the ${format} stream`)), count);
      }
    }
  } catch (error) {
    artifact.error = describeError(error, 'reading the archive');
  }
  return artifact;
}

/**
 * requireTar peeks at the first block of a decompressed stream and hands the stream back whole
 * when it is a tar; a compressed file that holds something else is not an archive we read.
 */
async function requireTar(stream: AsyncGenerator<Uint8Array>, what: string): Promise<AsyncGenerator<Uint8Array>> {
  const { first, rest } = await readFirst(stream, FORMAT_PROBE_BYTES);
  if (detectFormat(first) !== 'tar') {
    await stream.return(undefined);
    throw new ArchiveFormatError(`${what} does not hold a tar archive`);
  }
  return (async function* () {
    yield first;
    yield* rest;
  })();
}

/** readDeb reads a .deb (deb(5)): `debian-binary`, then `control.tar[.*]` (its `control` file kept as text) and `data.tar[.*]` (its members). */
async function readDeb(source: ByteSource, artifact: Artifact, visitor: MemberVisitor, meter: Meter): Promise<void> {
  let sawData = false;
  for await (const member of readArMembers(source)) {
    const part = member.name.match(/^(control|data)\.tar(\.(gz|xz|zst|bz2))?$/);
    if (part === null) continue;
    const end = member.offset + member.size;
    const count: StreamCount = { input: 0, output: 0 };
    let chunks: AsyncGenerator<Uint8Array> = sourceChunks(source, member.offset, end);
    const format = detectFormat(await source.readAt(member.offset, FORMAT_PROBE_BYTES));
    if (format !== undefined && isCompression(format)) {
      (artifact as { compression: Compression | undefined }).compression ??= part[1] === 'data' ? format : undefined;
      chunks = decompress(format, chunks, count, meter, `${member.name}`);
    }
    if (part[1] === 'control') {
      for await (const entry of tarMembers(chunks)) {
        if (entry.type === 'file' && displayMemberName(entry.name) === '/control') {
          artifact.metadata.texts.set('control', await readText(entry, meter));
        }
      }
    } else {
      sawData = true;
      await visitor.visitAll(tarMembers(chunks), format !== undefined && isCompression(format) ? count : undefined);
    }
  }
  if (!sawData) throw new ArchiveFormatError('a .deb without a data.tar member');
}

/** readRpmPayload reads an RPM's headers (its `Requires:` kept) and its cpio payload, decompressed as its magic says. */
async function readRpmPayload(source: ByteSource, artifact: Artifact, visitor: MemberVisitor, meter: Meter): Promise<void> {
  const rpm = await readRpm(source);
  artifact.metadata.rpmRequires = rpm.requires;
  artifact.metadata.rpmArch = rpm.arch;
  if (rpm.payloadFormat !== undefined && rpm.payloadFormat !== 'cpio') throw new ArchiveFormatError(`rpm payload format ${quoted(rpm.payloadFormat)} is not cpio`);
  const format = detectFormat(await source.readAt(rpm.payloadOffset, FORMAT_PROBE_BYTES));
  const count: StreamCount = { input: 0, output: 0 };
  let chunks: AsyncGenerator<Uint8Array> = sourceChunks(source, rpm.payloadOffset);
  if (format !== undefined && isCompression(format)) {
    (artifact as { compression: Compression | undefined }).compression = format;
    chunks = decompress(format, chunks, count, meter, 'rpm payload');
  } else if (rpm.compressor !== undefined && rpm.compressor !== 'none' && rpm.compressor !== 'identity') {
    throw new ArchiveFormatError(`rpm payload compressed with ${quoted(rpm.compressor)}, which this tool does not read`);
  }
  await visitor.visitAll(cpioMembers(chunks), format !== undefined && isCompression(format) ? count : undefined);
}

/** Names whose text is kept for the declared-floor readers. */
function isMetadataName(name: string): boolean {
  const display = displayMemberName(name);
  return /^\/[^/]+\.dist-info\/WHEEL$/.test(display) || /^\/(package\/)?package\.json$/.test(display);
}

async function readText(member: ArchiveMember, meter: Meter): Promise<string> {
  if (member.size > MAX_METADATA_BYTES) throw new ArchiveFormatError(`${quoted(member.name)} is ${member.size} bytes, more than ${MAX_METADATA_BYTES} for a metadata file`);
  const bytes = await readBody(member, meter, MAX_METADATA_BYTES, undefined, () => true);
  return new TextDecoder().decode(bytes);
}

/**
 * readBody reads a member's bytes into memory, at most `cap`, judging the member's compression
 * ratio as it goes: against its own compressed size (zip) or against what the archive's
 * decompressor took in meanwhile (a compressed tar). `wantAll` sees the first FORMAT_PROBE_BYTES
 * (or all of a shorter member) and says whether to read on; if not, what was read is returned.
 */
async function readBody(
  member: ArchiveMember,
  meter: Meter,
  cap: number,
  stream: StreamCount | undefined,
  wantAll: (head: Uint8Array) => boolean,
): Promise<Uint8Array> {
  const what = `member ${quoted(member.name)}`;
  if (member.compressedSize !== undefined) meter.checkRatio(what, member.size, member.compressedSize);
  const start = stream === undefined ? undefined : { input: stream.input, output: stream.output };
  const parts: Uint8Array[] = [];
  let have = 0;
  let decided = false;
  for await (const chunk of member.body()) {
    have += chunk.length;
    if (have > cap) throw new ArchiveFormatError(`${what} is larger than ${cap} bytes (the limit on one member held in memory)`);
    if (member.compressedSize !== undefined) meter.checkRatio(what, have, member.compressedSize);
    else if (start !== undefined && stream !== undefined) meter.checkRatio(what, stream.output - start.output, stream.input - start.input + DECODER_READ_AHEAD);
    parts.push(chunk);
    if (!decided && have >= FORMAT_PROBE_BYTES) {
      decided = true;
      if (!wantAll(concat(parts, have))) break;
    }
  }
  return concat(parts, have);
}

/** MemberVisitor turns each member into entries of one artifact. */
class MemberVisitor {
  private readonly artifact: Artifact;
  private readonly meter: Meter;
  private readonly depth: number;
  /** ELF members by normalized name, for links to resolve to. */
  private readonly files = new Map<string, Uint8Array>();
  /** Other regular members by normalized name (a link to one is a link to a non-ELF file). */
  private readonly others = new Set<string>();
  private readonly links: { index: number; name: string; type: 'symlink' | 'link'; target: string }[] = [];

  constructor(artifact: Artifact, meter: Meter, depth: number) {
    this.artifact = artifact;
    this.meter = meter;
    this.depth = depth;
  }

  /** visitAll visits every member; a member's own problem becomes its error entry, the archive's stops the walk (thrown). */
  async visitAll(members: AsyncIterable<ArchiveMember>, stream: StreamCount | undefined): Promise<void> {
    try {
      for await (const member of members) await this.visit(member, stream);
    } finally {
      // Links found before a truncation still resolve to what was read.
      this.resolveLinks();
    }
  }

  private async visit(member: ArchiveMember, stream: StreamCount | undefined): Promise<void> {
    this.meter.addMember();
    const { artifact, meter } = this;
    if (artifact.metadata.names.length < meter.limits.maxMembers) artifact.metadata.names.push(member.name);
    if (member.type === 'directory') return;
    const path = `${artifact.path}${MEMBER_SEPARATOR}${displayMemberName(member.name)}`;
    if (member.type === 'symlink' || member.type === 'link') {
      // Resolved once every member is known (resolveLinks); never outside the archive.
      const target = member.linkname ?? (member.size <= MAX_LINK_BYTES ? new TextDecoder().decode(await readBody(member, meter, MAX_LINK_BYTES, stream, () => true)) : undefined);
      const index = artifact.entries.push({ kind: 'skipped', path, reason: 'broken-symlink' }) - 1;
      if (target !== undefined) this.links.push({ index, name: member.name, type: member.type, target });
      return;
    }
    if (member.type !== 'file') {
      artifact.entries.push({ kind: 'skipped', path, reason: 'not-regular-file' });
      return;
    }
    if (isMetadataName(member.name) && member.size <= MAX_METADATA_BYTES) {
      try {
        artifact.metadata.texts.set(member.name, await readText(member, meter));
      } catch (error) {
        if (isArchiveWide(error)) throw error;
        artifact.entries.push({ kind: 'error', path, error: describeError(error, 'reading the archive') });
        return;
      }
      artifact.entries.push({ kind: 'skipped', path, reason: 'not-elf' });
      this.others.add(memberKey(member.name) ?? '');
      return;
    }
    let bytes: Uint8Array;
    let kind: 'elf' | 'archive' | 'other' = 'other';
    try {
      meter.keep(Math.min(member.size, meter.limits.maxMemberBytes));
      try {
        bytes = await readBody(member, meter, meter.limits.maxMemberBytes, stream, (head) => {
          if (hasElfMagic(head)) kind = 'elf';
          else if (detectFormat(head) !== undefined) kind = 'archive';
          return kind !== 'other';
        });
      } finally {
        meter.release(Math.min(member.size, meter.limits.maxMemberBytes));
      }
    } catch (error) {
      if (isArchiveWide(error) || stream !== undefined) throw inMember(error, path);
      artifact.entries.push({ kind: 'error', path, error: describeError(error, 'reading the archive') });
      return;
    }
    // A member shorter than the probe was never judged inside readBody.
    if (bytes.length < FORMAT_PROBE_BYTES) kind = hasElfMagic(bytes) ? 'elf' : detectFormat(bytes) !== undefined ? 'archive' : 'other';
    if (kind === 'elf') {
      meter.keep(bytes.length);
      artifact.entries.push({ kind: 'elf', path, bytes });
      this.files.set(memberKey(member.name) ?? '', bytes);
    } else if (kind === 'archive' && (await detectArtifact(bufferSource(bytes))) !== undefined) {
      if (this.depth >= MAX_NESTING_DEPTH) {
        artifact.entries.push({ kind: 'skipped', path, reason: 'archive-too-deep' });
        return;
      }
      const nested = await readLevel(bufferSource(bytes), path, meter, this.depth + 1);
      if (nested !== undefined && nested.error !== undefined && /does not hold a tar archive/.test(nested.error)) {
        artifact.entries.push({ kind: 'skipped', path, reason: 'not-elf' });
      } else if (nested !== undefined) {
        artifact.entries.push({ kind: 'artifact', artifact: nested });
      }
    } else {
      artifact.entries.push({ kind: 'skipped', path, reason: 'not-elf' });
      this.others.add(memberKey(member.name) ?? '');
    }
  }

  /**
   * resolveLinks replaces each link's placeholder, once every member is known, as the directory
   * walk treats a link in a tree: a link to an ELF member is checked as that file under the link's
   * own name (the bytes are shared, not copied); a link that leaves the archive is skipped and
   * never followed; a chain longer than MAX_LINK_HOPS is a loop.
   */
  resolveLinks(): void {
    const byName = new Map(this.links.map((link) => [memberKey(link.name) ?? '', link]));
    for (const link of this.links) {
      const entry = this.artifact.entries[link.index]!;
      if (entry.kind !== 'skipped') continue;
      let current = link;
      let reason: MemberSkip | undefined;
      let bytes: Uint8Array | undefined;
      for (let hop = 0; ; hop++) {
        if (hop >= MAX_LINK_HOPS) {
          reason = 'symlink-loop';
          break;
        }
        const target = linkTarget(current);
        if (target === undefined) {
          reason = 'symlink-outside-tree';
          break;
        }
        bytes = this.files.get(target);
        if (bytes !== undefined) break;
        if (this.others.has(target)) {
          reason = 'not-elf';
          break;
        }
        const next = byName.get(target);
        if (next === undefined) {
          reason = 'broken-symlink';
          break;
        }
        current = next;
      }
      this.artifact.entries[link.index] = bytes !== undefined ? { kind: 'elf', path: entry.path, bytes } : { ...entry, reason: reason ?? 'broken-symlink' };
    }
  }
}

/** How many links a chain may pass through, as the kernel's own limit for path resolution (40 in Linux, MAXSYMLINKS). */
export const MAX_LINK_HOPS = 40;
/** A zip stores a link's target as its data: more than PATH_MAX (4096) bytes is not a path. */
const MAX_LINK_BYTES = 4096;

/**
 * memberKey normalizes a stored name to a path inside the archive (`./a//b/` -> `a/b`); a name
 * whose `..` climbs above the archive's root has none (undefined).
 */
export function memberKey(name: string): string | undefined {
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

/** linkTarget is the normalized name a link points to: a symlink's relative to its directory (an absolute one from the archive root), a hard link's from the root. */
function linkTarget(link: { name: string; type: 'symlink' | 'link'; target: string }): string | undefined {
  if (link.type === 'link' || link.target.startsWith('/')) return memberKey(link.target);
  const directory = link.name.split('/').slice(0, -1).join('/');
  return memberKey(`${directory}/${link.target}`);
}

/** Limits over the whole archive end it; a member's own problem (its size, its ratio in a zip) does not. */
function isArchiveWide(error: unknown): boolean {
  return error instanceof ArchiveFormatError && /\(the limit on one archive\)|members held in memory/.test(error.message);
}

/** inMember names the member where a stream-wide failure happened (a bomb or truncation inside a compressed tar). */
function inMember(error: unknown, path: string): unknown {
  if (!(error instanceof ArchiveFormatError) || isArchiveWide(error)) return error;
  return new ArchiveFormatError(`${error.message} (reading ${path.slice(path.indexOf(MEMBER_SEPARATOR) + 1)})`);
}

