/**
 * ArchiveFormatError is the one error the archive readers throw for bad input: a truncated,
 * corrupt or unsupported container. Its message is one line, with the byte offset when known, so
 * the CLI can print it next to the archive's name without a stack trace.
 */
export class ArchiveFormatError extends Error {
  override readonly name = 'ArchiveFormatError';
  /** The byte offset of the offending header or table, when known. */
  readonly offset: number | undefined;

  constructor(message: string, offset?: number) {
    super(offset === undefined ? message : `${message} (at byte 0x${offset.toString(16)})`);
    this.offset = offset;
  }
}
