import { ToolError } from '../errors/tool-error.js';

/**
 * ArchiveFormatError is the one error the archive readers throw for bad input: a truncated,
 * corrupt or unsupported container. Its message is one line, with the byte offset when known, so
 * the CLI can print it next to the archive's name without a stack trace.
 */
export class ArchiveFormatError extends ToolError {
  override readonly name = 'ArchiveFormatError';
  /** The byte offset of the offending header or table, when known. */
  readonly offset: number | undefined;

  constructor(message: string, offset?: number) {
    super('input', message, { offset });
    this.offset = offset;
  }
}

/**
 * quoted renders text taken from an archive (a member name, a header string) for an error
 * message: JSON-quoted, so control characters and newlines cannot break the one-line message,
 * and cut at 100 characters.
 */
export function quoted(text: string): string {
  return text.length > 100 ? `${JSON.stringify(text.slice(0, 100))}...` : JSON.stringify(text);
}

/**
 * printable shows text taken from an archive (a name, a size field) in a message: control
 * characters become `\xNN`, so a hostile name cannot break the one-line error or the terminal.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
