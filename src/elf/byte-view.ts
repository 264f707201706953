import { ElfFormatError } from './errors.js';

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
    const value = this.view.getBigUint64(at, this.littleEndian);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new ElfFormatError('{field} {value:hex} is out of range', { field, value, offset: this.base + at });
    }
    return Number(value);
  }

  /** u64Loose reads a 64-bit field whose exact value matters only when small (d_tag, addresses). */
  u64Loose(at: number, field: string): number {
    this.check(at, 8, field);
    const value = this.view.getBigUint64(at, this.littleEndian);
    return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
  }

  /** word reads a class-width field: 4 bytes in ELF32, 8 in ELF64. */
  word(at: number, width: 4 | 8, field: string): number {
    return width === 4 ? this.u32(at, field) : this.u64(at, field);
  }
}
