import type { ByteSource } from '../io/byte-source.js';
import { ArchiveFormatError } from './archive-error.js';

/** How much one read of an archive asks for: big enough that a 1 GB archive takes ~4,000 reads. */
export const READ_CHUNK = 256 << 10;

/**
 * sourceChunks streams the bytes [start, end) of a source in READ_CHUNK reads. A source shorter
 * than `end` ends the stream early (the reader of the stream reports the truncation it sees).
 */
export async function* sourceChunks(source: ByteSource, start = 0, end = source.size): AsyncGenerator<Uint8Array> {
  for (let offset = start; offset < end; ) {
    const chunk = await source.readAt(offset, Math.min(READ_CHUNK, end - offset));
    if (chunk.length === 0) return;
    offset += chunk.length;
    yield chunk;
  }
}

/**
 * ChunkReader reads exact byte counts from a stream of chunks, for the formats read front to back
 * (cpio, an RPM payload). It never holds more than the bytes asked for plus one chunk.
 */
export class ChunkReader {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private pending: Uint8Array = new Uint8Array(0);
  /** Bytes handed out so far (the stream offset of the next byte). */
  position = 0;

  constructor(chunks: AsyncIterable<Uint8Array>) {
    this.iterator = chunks[Symbol.asyncIterator]();
  }

  /** fill makes at least `length` bytes pending, or fewer at the end of the stream. */
  private async fill(length: number): Promise<void> {
    if (this.pending.length >= length) return;
    const parts: Uint8Array[] = [this.pending];
    let have = this.pending.length;
    while (have < length) {
      const step = await this.iterator.next();
      if (step.done === true) break;
      parts.push(step.value);
      have += step.value.length;
    }
    this.pending = parts.length === 1 ? parts[0]! : concat(parts, have);
  }

  /** atEnd says whether the stream has no byte left. */
  async atEnd(): Promise<boolean> {
    await this.fill(1);
    return this.pending.length === 0;
  }

  /** read returns exactly `length` bytes; throws ArchiveFormatError naming `what` when the stream ends first. */
  async read(length: number, what: string): Promise<Uint8Array> {
    await this.fill(length);
    if (this.pending.length < length) {
      throw new ArchiveFormatError(`truncated: ${what} at byte ${this.position} needs ${length} bytes, ${this.pending.length} left`);
    }
    const out = this.pending.subarray(0, length);
    this.pending = this.pending.subarray(length);
    this.position += length;
    return out;
  }

  /** stream yields the next `length` bytes as they come; throws ArchiveFormatError when the stream ends first. */
  async *stream(length: number, what: string): AsyncGenerator<Uint8Array> {
    let left = length;
    while (left > 0) {
      if (this.pending.length === 0) await this.fill(1);
      if (this.pending.length === 0) throw new ArchiveFormatError(`truncated: ${what} ends ${left} bytes early at byte ${this.position}`);
      const take = Math.min(left, this.pending.length);
      const out = this.pending.subarray(0, take);
      this.pending = this.pending.subarray(take);
      this.position += take;
      left -= take;
      yield out;
    }
  }

  /** skip discards the next `length` bytes; throws ArchiveFormatError when the stream ends first. */
  async skip(length: number, what: string): Promise<void> {
    for await (const chunk of this.stream(length, what)) void chunk;
  }

  /** rest yields whatever is left of the stream. */
  async *rest(): AsyncGenerator<Uint8Array> {
    if (this.pending.length > 0) {
      const out = this.pending;
      this.pending = new Uint8Array(0);
      this.position += out.length;
      yield out;
    }
    for (;;) {
      const step = await this.iterator.next();
      if (step.done === true) return;
      this.position += step.value.length;
      yield step.value;
    }
  }

  /** close ends the underlying stream early (its generator's finally blocks run). */
  async close(): Promise<void> {
    await this.iterator.return?.();
  }
}

/** concat joins chunks of `total` bytes into one array. */
export function concat(parts: readonly Uint8Array[], total = parts.reduce((sum, part) => sum + part.length, 0)): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * readFirst reads at least `length` bytes of a stream (fewer only at its end) and hands back the
 * rest of it, for a format probe that must not lose what it read.
 */
export async function readFirst(stream: AsyncIterable<Uint8Array>, length: number): Promise<{ first: Uint8Array; rest: AsyncIterable<Uint8Array> }> {
  const iterator = stream[Symbol.asyncIterator]();
  const chunks: Uint8Array[] = [];
  let have = 0;
  while (have < length) {
    const step = await iterator.next();
    if (step.done === true) break;
    chunks.push(step.value);
    have += step.value.byteLength;
  }
  const first = chunks.length === 1 ? chunks[0]! : concat(chunks, have);
  return { first, rest: { [Symbol.asyncIterator]: () => iterator } };
}
