import { PassThrough, Readable, type Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import { ArchiveFormatError } from './archive-error.js';
import type { Compression } from './magic.js';
import type { Meter } from './meter.js';
import { checkZstdFrames } from './zstd-frames.js';

/** StreamCount is what a decompressor has taken in and given out so far (for per-member ratios). */
export interface StreamCount {
  input: number;
  output: number;
}

/** gzip output chunk size: zlib's 16 KiB default means four times the per-chunk work downstream. */
const GUNZIP_CHUNK = 256 << 10;

/**
 * decompress yields the decompressed bytes of a gzip, xz, zstd or bzip2 stream, counting input and
 * output in `count`, charging output to `meter` (the archive's total), and judging the whole
 * stream's ratio as it goes. `what` names the stream in messages. A truncated or corrupt stream
 * throws ArchiveFormatError.
 *
 * Node.js 20 has gzip only. The others come from npm, each pure JavaScript or WebAssembly (no
 * compiler at install time) and each a stream, so output is bounded as it is produced:
 * - zstd: Node's own decoder where the runtime has it (22.15+), else `fzstd` (by the author of
 *   fflate: pure JS, ~400k downloads a month, the fastest pure-JS zstd decoder in its benchmarks;
 *   zstd-codec and @bokuweb/zstd-wasm decode whole buffers only). fzstd allocates the window a
 *   frame declares, so frame headers are checked first (zstd-frames.ts).
 * - xz: `xz-decompress` (xz-embedded compiled to WebAssembly, a WHATWG stream, kept by HTTP
 *   Toolkit); `lzma` and `lzma-purejs` are LZMA-alone decoders over whole buffers, and
 *   `node-liblzma`/`@napi-rs/lzma` are native modules.
 * - bzip2: `unbzip2-stream` (pure JS, a stream, 40M downloads a month); `seek-bzip` decodes a
 *   whole buffer at once.
 * These decoders are imported only when an archive needs them, so a plain ELF check never loads them.
 */
export async function* decompress(format: Compression, chunks: AsyncIterable<Uint8Array>, count: StreamCount, meter: Meter, what: string): AsyncGenerator<Uint8Array> {
  const counted = countInput(chunks, count);
  const output = await decoder(format, counted);
  try {
    for await (const chunk of output) {
      const bytes = chunk instanceof Uint8Array ? chunk : new Uint8Array(chunk as ArrayBuffer);
      count.output += bytes.length;
      meter.addDecompressed(bytes.length);
      meter.checkRatio(what, count.output, count.input);
      yield bytes;
    }
  } catch (error) {
    throw error instanceof ArchiveFormatError ? error : new ArchiveFormatError(`${what}: ${describeDecoderError(format, error)}`);
  } finally {
    if ('destroy' in output && typeof output.destroy === 'function') output.destroy();
  }
}

async function* countInput(chunks: AsyncIterable<Uint8Array>, count: StreamCount): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    count.input += chunk.length;
    yield chunk;
  }
}

/** describeDecoderError turns a decoder's complaint into words: most mean truncated or corrupt. */
function describeDecoderError(format: Compression, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/unexpected end|end of (file|data|stream)|truncated|premature/i.test(message)) return `truncated ${format} stream (${message})`;
  return `corrupt ${format} stream (${message})`;
}

type ZstdFactory = () => Transform;

function nodeZstd(): ZstdFactory | undefined {
  const factory = (zlib as unknown as { createZstdDecompress?: ZstdFactory }).createZstdDecompress;
  return typeof factory === 'function' ? factory : undefined;
}

async function decoder(format: Compression, input: AsyncIterable<Uint8Array>): Promise<AsyncIterable<Uint8Array> & { destroy?: () => void }> {
  switch (format) {
    case 'gzip':
      return Readable.from(input, { objectMode: false }).pipe(zlib.createGunzip({ chunkSize: GUNZIP_CHUNK }));
    case 'zstd': {
      const native = nodeZstd();
      if (native !== undefined) return Readable.from(input, { objectMode: false }).pipe(native());
      return fzstdStream(checkZstdFrames(input));
    }
    case 'xz': {
      // A webpack-built CommonJS module: Node's import() finds no named exports in it, only `default`.
      const xz = (await import('xz-decompress')) as typeof import('xz-decompress') & { default?: typeof import('xz-decompress') };
      const XzReadableStream = xz.XzReadableStream ?? xz.default!.XzReadableStream;
      const web = new XzReadableStream(ReadableStream.from(refuseSha256Check(input)) as ReadableStream<Uint8Array>);
      return web as unknown as AsyncIterable<Uint8Array>;
    }
    case 'bzip2': {
      const { default: unbzip2 } = await import('unbzip2-stream');
      // unbzip2-stream is an old-style `through` stream, not async-iterable: pipe it into one that is.
      const out = new PassThrough();
      const decoder = unbzip2();
      decoder.on('error', (error: Error) => out.destroy(error));
      Readable.from(input, { objectMode: false }).on('error', (error) => out.destroy(error)).pipe(decoder).pipe(out);
      return out;
    }
  }
}

/** The xz stream header's check ID for SHA-256 (xz file format 1.2.0, 2.1.1.2: low nibble of the second flags byte). */
const XZ_CHECK_SHA256 = 0x0a;

/**
 * refuseSha256Check throws for an xz stream whose integrity check is SHA-256 (rpm's xz payloads
 * use it: rpmio/rpmio.c `lzma_easy_encoder(..., LZMA_CHECK_SHA256)`): xz-decompress is built
 * without SHA-256 support, and its own error there is a bare "error code 6".
 */
async function* refuseSha256Check(input: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let first = true;
  for await (const chunk of input) {
    if (first && chunk.length >= 8 && (chunk[7]! & 0x0f) === XZ_CHECK_SHA256) {
      throw new ArchiveFormatError('xz stream with a SHA-256 integrity check (as rpm writes), which the bundled xz decoder (xz-decompress) cannot read');
    }
    first = false;
    yield chunk;
  }
}

/** An input slice fed to fzstd at a time: its output per slice is bounded by the ratio checks. */
const FZSTD_SLICE = 64 << 10;

async function* fzstdStream(input: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const { Decompress } = await import('fzstd');
  let out: Uint8Array[] = [];
  const stream = new Decompress((chunk) => {
    // fzstd reuses nothing it hands out, but copy anyway: the window buffer is shifted per block.
    if (chunk.length > 0) out.push(chunk.slice());
  });
  let fed = false;
  for await (const chunk of input) {
    for (let at = 0; at < chunk.length; at += FZSTD_SLICE) {
      stream.push(chunk.subarray(at, at + FZSTD_SLICE));
      fed = true;
      const ready = out;
      out = [];
      yield* ready;
    }
  }
  if (!fed) throw new Error('unexpected end of stream');
  stream.push(new Uint8Array(0), true);
  yield* out;
}
