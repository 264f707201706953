/**
 * Where in an input a problem was found. Each part is optional: a usage error has none, an ELF
 * format error has at least the offset, and the pipeline adds the file it was reading.
 */
export interface ErrorLocation {
  /** The input as the user sees it (a path, or `image!/path` inside an image). */
  readonly file?: string | undefined;
  /** The byte offset in the file of the offending record. */
  readonly offset?: number | undefined;
  /** The field or structure that is wrong, e.g. `sh_entsize`, `.gnu.version_r`. */
  readonly field?: string | undefined;
  /** The value read there. */
  readonly value?: string | number | bigint | undefined;
}

/**
 * ToolError is the one error type of glibc-floor: a problem it reports as one line and exit code 2,
 * never as a stack trace. `kind` says whose mistake it is: `usage` (how the tool was called: a bad
 * floor, an unknown target, a bad config file) or `input` (a file that cannot be read or parsed).
 * The reader, image and kind errors are subclasses only to keep their names; they are all this.
 * Anything thrown that is not a ToolError is a bug (describeError calls it an internal error).
 */
export class ToolError extends Error {
  override readonly name: string = 'ToolError';
  readonly kind: 'usage' | 'input';
  readonly location: ErrorLocation;

  constructor(kind: 'usage' | 'input', message: string, location: ErrorLocation = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.location = location;
  }
}
