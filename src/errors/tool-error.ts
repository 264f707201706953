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

  /**
   * `problem` says what is wrong; where the location names the field and the value read there,
   * `{field}`, `{value}` and `{value:hex}` in it stand for them, so the message is rendered from
   * the location's fields (renderProblem) instead of having the values pasted in.
   */
  constructor(kind: 'usage' | 'input', problem: string, location: ErrorLocation = {}, options?: { cause?: unknown }) {
    super(renderProblem(problem, location), options);
    this.kind = kind;
    this.location = location;
  }
}

/**
 * renderProblem is the one line of an error with a location: the problem with `{field}`,
 * `{value}` (decimal) and `{value:hex}` filled in from the location, then `(at byte 0x...)` when
 * the offset is known. The file is not part of it: the caller names the file before the line.
 */
export function renderProblem(problem: string, location: ErrorLocation): string {
  const { field, value, offset } = location;
  const text =
    field === undefined && value === undefined
      ? problem
      : problem.replace(/\{(field|value|value:hex)\}/g, (token: string, name: string) => {
          if (name === 'field') return field ?? token;
          if (value === undefined) return token;
          return name === 'value:hex' && typeof value !== 'string' ? `0x${value.toString(16)}` : String(value);
        });
  return offset === undefined ? text : `${text} (at byte 0x${offset.toString(16)})`;
}
