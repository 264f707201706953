import { ArchiveFormatError } from './archive-error.js';
import { ChunkReader } from './byte-stream.js';

/**
 * The largest zstd window we let a decoder allocate: 128 MiB, zstd's own default decoder limit
 * (ZSTD_WINDOWLOG_LIMIT_DEFAULT = 27 in lib/zstd.h; `zstd -d` refuses larger windows unless given
 * --memory). fzstd allocates the window a frame header declares, up to 2 GiB, before it decodes a
 * byte, and copies it once per block: a hostile header must not get that far.
 */
export const MAX_ZSTD_WINDOW = 1 << 27;

const ZSTD_MAGIC = 0xfd2fb528;
const isSkippableMagic = (magic: number): boolean => magic >>> 4 === 0x184d2a5;

/**
 * checkZstdFrames passes a zstd stream through unchanged while it walks the frame and block
 * headers (RFC 8878 3.1: frame header, 3-byte block headers, optional checksum; skippable frames
 * 3.1.2), and throws ArchiveFormatError for a frame whose window is larger than MAX_ZSTD_WINDOW, a
 * reserved block type, bad magic, or a stream that ends inside a frame. Only headers are parsed;
 * the decoder still checks the blocks' contents.
 */
export async function* checkZstdFrames(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = new ChunkReader(chunks);
  try {
    for (let frame = 0; !(await reader.atEnd()); frame++) {
      const magicBytes = await reader.read(4, `zstd frame ${frame} magic`);
      yield magicBytes;
      const magic = view(magicBytes).getUint32(0, true);
      if (isSkippableMagic(magic)) {
        const sizeBytes = await reader.read(4, `zstd skippable frame ${frame} size`);
        yield sizeBytes;
        yield* reader.stream(view(sizeBytes).getUint32(0, true), `zstd skippable frame ${frame}`);
        continue;
      }
      if (magic !== ZSTD_MAGIC) throw new ArchiveFormatError(`corrupt zstd stream: frame ${frame} has magic 0x${magic.toString(16)}`);
      const descriptor = await reader.read(1, `zstd frame ${frame} header`);
      yield descriptor;
      const fhd = descriptor[0]!;
      const singleSegment = (fhd >> 5) & 1;
      const contentSizeFlag = fhd >> 6;
      const dictionaryBytes = [0, 1, 2, 4][fhd & 3]!;
      const contentSizeBytes = contentSizeFlag === 0 ? singleSegment : 1 << contentSizeFlag;
      const rest = await reader.read((singleSegment ? 0 : 1) + dictionaryBytes + contentSizeBytes, `zstd frame ${frame} header`);
      yield rest;
      let window: number;
      if (singleSegment) {
        const at = dictionaryBytes;
        let size = 0;
        for (let i = contentSizeBytes - 1; i >= 0; i--) size = size * 256 + rest[at + i]!;
        window = contentSizeFlag === 1 ? size + 256 : size;
      } else {
        const exponent = rest[0]! >> 3;
        const base = 2 ** (10 + exponent);
        window = base + (base / 8) * (rest[0]! & 7);
      }
      if (window > MAX_ZSTD_WINDOW) {
        throw new ArchiveFormatError(`zstd frame ${frame} needs a ${window}-byte window, more than the ${MAX_ZSTD_WINDOW} bytes zstd itself allows by default`);
      }
      for (let block = 0; ; block++) {
        const headerBytes = await reader.read(3, `zstd frame ${frame} block ${block} header`);
        yield headerBytes;
        const header = headerBytes[0]! | (headerBytes[1]! << 8) | (headerBytes[2]! << 16);
        const type = (header >> 1) & 3;
        if (type === 3) throw new ArchiveFormatError(`corrupt zstd stream: frame ${frame} block ${block} has the reserved block type`);
        yield* reader.stream(type === 1 ? 1 : header >>> 3, `zstd frame ${frame} block ${block}`);
        if ((header & 1) === 1) break;
      }
      if ((fhd >> 2) & 1) yield await reader.read(4, `zstd frame ${frame} checksum`);
    }
  } finally {
    await reader.close();
  }
}

const view = (bytes: Uint8Array): DataView => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
