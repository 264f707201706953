import { ArchiveFormatError } from './archive-error.js';
import type { ArchiveLimits } from './limits.js';

/**
 * Meter counts what reading one archive costs, nested archives included, and throws ArchiveFormatError
 * the moment a bound of `ArchiveLimits` is passed: it is charged as bytes come out of a
 * decompressor, so a bomb stops after at most one decompressor chunk past the bound, never after
 * the whole member is in memory.
 */
export class Meter {
  /** Bytes produced by decompressors so far. */
  decompressed = 0;
  /** Members seen so far. */
  members = 0;
  /** Bytes of members held in memory now. */
  kept = 0;

  readonly limits: ArchiveLimits;

  constructor(limits: ArchiveLimits) {
    this.limits = limits;
  }

  /** addDecompressed charges `bytes` of decompressor output; throws past `maxTotalBytes`. */
  addDecompressed(bytes: number): void {
    this.decompressed += bytes;
    if (this.decompressed > this.limits.maxTotalBytes) {
      throw new ArchiveFormatError(`more than ${this.limits.maxTotalBytes} bytes decompressed (the limit on one archive)`);
    }
  }

  /** addMember counts one member; throws past `maxMembers`. */
  addMember(): void {
    if (++this.members > this.limits.maxMembers) throw new ArchiveFormatError(`more than ${this.limits.maxMembers} members (the limit on one archive)`);
  }

  /** keep reserves `bytes` of memory for a member about to be held; throws past `maxKeptBytes`. */
  keep(bytes: number): void {
    if (this.kept + bytes > this.limits.maxKeptBytes) {
      throw new ArchiveFormatError(`holding ${bytes} more bytes would pass ${this.limits.maxKeptBytes} bytes of members held in memory`);
    }
    this.kept += bytes;
  }

  /** release gives back what `keep` reserved. */
  release(bytes: number): void {
    this.kept = Math.max(0, this.kept - bytes);
  }

  /**
   * checkRatio throws when `output` bytes came from `input` compressed bytes at more than
   * `maxRatio` to 1, once past `ratioGraceBytes`. `what` names the member or stream for the message.
   */
  checkRatio(what: string, output: number, input: number): void {
    if (output <= this.limits.ratioGraceBytes) return;
    if (output > this.limits.maxRatio * Math.max(1, input)) {
      throw new ArchiveFormatError(
        `${what} is a compression bomb: ${output} bytes from ${input} compressed bytes, past the ${this.limits.maxRatio}:1 limit`,
      );
    }
  }
}
