import { ToolError } from './tool-error.js';

/** describeFsError turns a Node.js file-system error into a short phrase without the path (the caller names it). */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    case 'EIO':
      return 'input/output error';
    case 'ENOTDIR':
      return 'not a directory';
    case 'ENOSPC':
      return 'no space left on device';
    case 'EROFS':
      return 'read-only file system';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'EPIPE':
      return 'broken pipe (its reader closed it)';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

function isErrno(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code !== undefined;
}

/**
 * describeError is the one place that turns anything thrown while handling an input into the line
 * users see (after the file name): a ToolError's own message, a file-system error as a short
 * phrase, and anything else, which is a bug of ours, as an internal error `while <during>`.
 */
export function describeError(error: unknown, during = 'reading'): string {
  if (error instanceof ToolError) return error.message;
  if (isErrno(error)) return describeFsError(error);
  return `internal error while ${during}: ${error instanceof Error ? error.message : String(error)}`;
}

/** Failure is how a run that threw ends: the exit code and the one line for standard error. */
export interface Failure {
  readonly exitCode: 2;
  /** One line, `glibc-floor: ...`; with `debug`, an internal error's stack follows on the next lines. */
  readonly message: string;
  /** True when the error was a bug of ours rather than a usage or input problem. */
  readonly internal: boolean;
}

/** Where an internal error should be reported: it is a bug, and the user cannot fix it. */
export const REPORT_BUG = 'this is a bug in glibc-floor: please report it to the glibc-floor issue tracker with the command line (GLIBC_FLOOR_DEBUG=1 prints the stack)';

/**
 * describeFailure turns an error that ended a whole run into its exit code and one line (with the
 * `glibc-floor: ` prefix): a usage or input error says what is wrong; anything else is a bug,
 * `internal error: <message>` plus where to report it, still one line and exit 2 (a gate fails
 * closed: a crash must never read as exit 1, "a binary needs a version above a floor"). The stack
 * is printed only with `debug` (GLIBC_FLOOR_DEBUG=1).
 */
export function describeFailure(error: unknown, debug = false): Failure {
  if (error instanceof ToolError || isErrno(error)) return { exitCode: 2, message: `glibc-floor: ${describeError(error)}`, internal: false };
  const text = error instanceof Error ? error.message : String(error);
  const stack = debug && error instanceof Error && error.stack !== undefined ? `\n${error.stack}` : '';
  return { exitCode: 2, message: `glibc-floor: internal error: ${oneLine(text)} (${REPORT_BUG})${stack}`, internal: true };
}

/** oneLine keeps a message to one line, so a stray newline in an error cannot spill a second one. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}
