import { ToolError } from '../errors/tool-error.js';

/** Where in the file the reader met the problem, the field it read and the value found there. */
export interface ElfProblemAt {
  readonly offset?: number | undefined;
  readonly field?: string;
  readonly value?: number | bigint;
}

/**
 * ElfFormatError is the only error the ELF reader throws for bad input: the file is truncated,
 * corrupt or hostile. It says what is wrong and where, in one line, so the CLI can print it
 * next to the file name without a stack trace.
 */
export class ElfFormatError extends ToolError {
  override readonly name = 'ElfFormatError';
  /** The file offset of the offending record, when known. */
  readonly offset: number | undefined;

  /** `problem` as ToolError takes it: `{field}`, `{value}`, `{value:hex}` stand for `at`'s field and value. */
  constructor(problem: string, at: ElfProblemAt = {}, options?: { cause?: unknown }) {
    super('input', problem, at, options);
    this.offset = at.offset;
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
