import { ElfFormatError } from './errors.js';

/** A 64-bit value is a safe integer (at most 2^53 - 1) exactly when its high 32 bits are at most this. */
const MAX_SAFE_HIGH = 0x1fffff;

/**
 * ByteView decodes fixed-width integers from a slice of the file in the file's byte order.
 *
 * It owns the one DataView over the slice and all bounds checks: a read past the slice throws
 * ElfFormatError naming the field and its file offset, never a bare RangeError. `base` is the
 * file offset of the slice's first byte, so messages speak in file offsets.
 */
export class ByteView {
  private readonly view: DataView;
  readonly length: number;
  readonly bytes: Uint8Array;
  readonly littleEndian: boolean;
  readonly base: number;

  constructor(bytes: Uint8Array, littleEndian: boolean, base = 0) {
    this.bytes = bytes;
    this.littleEndian = littleEndian;
    this.base = base;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.length = bytes.byteLength;
  }

  private check(at: number, width: number, field: string): void {
    if (!(at >= 0 && at + width <= this.length)) {
      throw new ElfFormatError('{field} lies past the end of the data read', { field, offset: this.base + at });
    }
  }

  u8(at: number, field: string): number {
    this.check(at, 1, field);
    return this.view.getUint8(at);
  }

  u16(at: number, field: string): number {
    this.check(at, 2, field);
    return this.view.getUint16(at, this.littleEndian);
  }

  u32(at: number, field: string): number {
    this.check(at, 4, field);
    return this.view.getUint32(at, this.littleEndian);
  }

  i32(at: number, field: string): number {
    this.check(at, 4, field);
    return this.view.getInt32(at, this.littleEndian);
  }

  /**
   * u64 reads an unsigned 64-bit field as a number. Values beyond 2^53 cannot be file offsets
   * or sizes of a real file, so they are reported as malformed rather than rounded.
   */
  u64(at: number, field: string): number {
    this.check(at, 8, field);
    const high = this.high32(at);
    if (high > MAX_SAFE_HIGH) {
      throw new ElfFormatError('{field} {value:hex} is out of range', { field, value: this.view.getBigUint64(at, this.littleEndian), offset: this.base + at });
    }
    return high * 2 ** 32 + this.low32(at);
  }

  /** u64Loose reads a 64-bit field whose exact value matters only when small (d_tag, addresses). */
  u64Loose(at: number, field: string): number {
    this.check(at, 8, field);
    const high = this.high32(at);
    return high > MAX_SAFE_HIGH ? Number.MAX_SAFE_INTEGER : high * 2 ** 32 + this.low32(at);
  }

  // A 64-bit field as two 32-bit halves: getBigUint64 allocates a BigInt for every field of every
  // section and program header, and the value is wanted as a number anyway.
  private high32(at: number): number {
    return this.view.getUint32(this.littleEndian ? at + 4 : at, this.littleEndian);
  }

  private low32(at: number): number {
    return this.view.getUint32(this.littleEndian ? at : at + 4, this.littleEndian);
  }

  /** word reads a class-width field: 4 bytes in ELF32, 8 in ELF64. */
  word(at: number, width: 4 | 8, field: string): number {
    return width === 4 ? this.u32(at, field) : this.u64(at, field);
  }
}
