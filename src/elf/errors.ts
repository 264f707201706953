import { ToolError } from '../errors/tool-error.js';

/**
 * ElfFormatError is the only error the ELF reader throws for bad input: the file is truncated,
 * corrupt or hostile. It says what is wrong and where, in one line, so the CLI can print it
 * next to the file name without a stack trace.
 */
export class ElfFormatError extends ToolError {
  override readonly name = 'ElfFormatError';
  /** The file offset of the offending record, when known. */
  readonly offset: number | undefined;

  constructor(message: string, offset?: number, options?: { cause?: unknown }) {
    super('input', offset === undefined ? message : `${message} (at byte 0x${offset.toString(16)})`, { offset }, options);
    this.offset = offset;
  }
}

/** NotElfError says the input does not start with the ELF magic: a normal outcome for directory scans. */
export class NotElfError extends ToolError {
  override readonly name = 'NotElfError';
  constructor() {
    super('input', 'not an ELF file (no \\x7fELF magic)');
  }
}

/** hex prints a number as 0x-prefixed hex for messages. */
export function hex(value: number | bigint): string {
  return `0x${value.toString(16)}`;
}
