import { Readable, Transform } from 'node:stream';
import { extract as tarExtract, type Entry, type Extract } from 'tar-stream';
import { ArchiveFormatError } from './archive-error.js';
import type { ArchiveMember, MemberType } from './member.js';

/**
 * tar-stream buffers a pax or GNU long-name record whole before it parses it; a hostile archive
 * could declare one of gigabytes. With entry bodies consumed as they come, the parser never holds
 * more than a chunk or two otherwise, so more than this buffered means such a record: refuse it.
 */
export const MAX_TAR_HEADER_BUFFER = 16 << 20;

/**
 * tarMembers yields the members of a tar stream (ustar, pax, GNU long names; via tar-stream, the
 * parser the image reader uses too). Throws ArchiveFormatError for a corrupt header or a stream that ends
 * inside a member (truncated). A body left unread is drained before the next header.
 */
export async function* tarMembers(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<ArchiveMember> {
  const source = Readable.from(chunks, { objectMode: false });
  const parser = tarParser(source);
  // A member's body fails with a bare "Stream was destroyed" when the parser fails under it: keep the parser's reason.
  let parserError: unknown;
  parser.on('error', (error) => (parserError ??= error));
  try {
    for await (const entry of parser as AsyncIterable<Entry>) {
      let used = false;
      const header = entry.header;
      // A size field tar-stream cannot read (NaN) leaves its parser waiting for data forever.
      if (!validTarSize(header.size)) throw new ArchiveFormatError(`corrupt tar: invalid size in the header of "${header.name}"`);
      yield {
        name: header.name,
        type: memberType(header.type),
        size: header.size ?? 0,
        ...(header.linkname ? { linkname: header.linkname } : {}),
        body: () => {
          used = true;
          return unownedChunks(entry, () => parserError);
        },
      };
      // Drain what the caller left (all of it when it never asked): the next header follows.
      if (!used) entry.resume();
      else for await (const chunk of entry) void chunk;
    }
  } catch (error) {
    throw asArchiveError(parserError ?? error);
  } finally {
    source.destroy();
    parser.destroy();
  }
}

/**
 * tarParser feeds `source` to tar-stream's parser through the MAX_TAR_HEADER_BUFFER guard, the
 * source's errors passed on to it: the one tar-stream set-up of the archive reader (tarMembers) and
 * the image scan's compressed layers. Read its entries with for-await; check validTarSize on each.
 */
export function tarParser(source: Readable): Extract {
  const parser: Extract = tarExtract({ allowUnknownFormat: true });
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const buffered = (parser as unknown as { _buffer?: { buffered?: number } })._buffer?.buffered ?? 0;
      if (buffered > MAX_TAR_HEADER_BUFFER) callback(new ArchiveFormatError(`corrupt tar: a header record larger than ${MAX_TAR_HEADER_BUFFER} bytes`));
      else callback(null, chunk);
    },
  });
  source.on('error', (error) => parser.destroy(error));
  guard.on('error', (error) => parser.destroy(error));
  source.pipe(guard).pipe(parser);
  return parser;
}

/**
 * validTarSize says whether tar-stream read a header's size as a size: a byte it cannot parse in
 * the octal field makes it NaN, and tar-stream then neither ends the member's stream nor reads the
 * next header, so the scan would wait forever (and Node, with nothing left to do, exit 0).
 */
export function validTarSize(size: number | undefined): boolean {
  return size === undefined || (Number.isSafeInteger(size) && size >= 0);
}

/**
 * unownedChunks iterates an entry without owning it: a caller that stops early must not destroy
 * the entry (that would fail the whole archive); the rest is drained by tarMembers instead.
 */
async function* unownedChunks(entry: Entry, parserError: () => unknown): AsyncGenerator<Uint8Array> {
  const iterator = (entry as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  for (;;) {
    let step;
    try {
      step = await iterator.next();
    } catch (error) {
      throw asArchiveError(parserError() ?? error);
    }
    if (step.done === true) return;
    yield step.value;
  }
}

/** asArchiveError words what tar-stream (or the stream under it) threw as one ArchiveFormatError. */
function asArchiveError(cause: unknown): ArchiveFormatError {
  if (cause instanceof ArchiveFormatError) return cause;
  const message = cause instanceof Error ? cause.message : String(cause);
  return new ArchiveFormatError(/unexpected end of data|premature|has ended/i.test(message) ? `truncated tar (${message})` : `corrupt tar (${message})`);
}

function memberType(type: string | null | undefined): MemberType {
  if (type === 'file' || type === 'contiguous-file') return 'file';
  if (type === 'symlink' || type === 'link' || type === 'directory') return type;
  return 'other';
}
