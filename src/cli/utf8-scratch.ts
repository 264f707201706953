/**
 * The characters of one encoding step: at most this many, so its UTF-8 (at most three bytes per
 * UTF-16 unit) fits the writer's one buffer. node:fs, given a string to write, allocates three
 * bytes per character for its UTF-8 at every write (192 KiB for a 64 Ki-character chunk of a
 * report), and Buffer.from allocates the exact size, a megabyte for a large entry: buffers above
 * glibc's mmap threshold, which once freed grow the main heap for good (TABLE_WINDOW_BYTES in
 * src/elf/file-reader.ts says how; a scan of /usr with three reports peaked 10-15 MB higher in
 * some runs). A buffer made once and kept is never freed, so it moves nothing.
 */
export const ENCODE_CHARS = 64 * 1024;

/** A text of at most this many characters is at most 96 KiB of UTF-8: below the threshold as it is. */
export const SMALL_TEXT_CHARS = 32 * 1024;

/** One encoded piece of a text: its UTF-8 bytes and the index in the text where the rest begins. */
export interface EncodedPiece {
  readonly bytes: Uint8Array;
  readonly next: number;
}

/**
 * Utf8Scratch encodes text into one buffer, reused by every write of its writer. A piece is valid
 * until the next call: write it (and wait for the write) before encoding the next one.
 */
export class Utf8Scratch {
  /** Made at the first text too long for SMALL_TEXT_CHARS: most runs (one file) never need it. */
  private buffer: Buffer | undefined;

  /**
   * encode puts up to ENCODE_CHARS characters of `text`, from index `from`, into the buffer. A
   * piece never ends between the two halves of a surrogate pair (each half alone would become
   * U+FFFD), so pieces join into Buffer.from's bytes. A short text is simply Buffer.from's: its
   * buffer is below the threshold, and making the big one cost a one-file check ~5 M instructions.
   */
  encode(text: string, from: number): EncodedPiece {
    if (from === 0 && text.length <= SMALL_TEXT_CHARS) return { bytes: Buffer.from(text, 'utf8'), next: text.length };
    this.buffer ??= Buffer.allocUnsafeSlow(3 * ENCODE_CHARS);
    let end = Math.min(text.length, from + ENCODE_CHARS);
    if (end < text.length && end - from > 1 && isHighSurrogate(text.charCodeAt(end - 1))) end--;
    const whole = from === 0 && end === text.length;
    const written = this.buffer.write(whole ? text : text.slice(from, end), 'utf8');
    return { bytes: this.buffer.subarray(0, written), next: end };
  }
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}
