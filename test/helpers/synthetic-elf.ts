/**
 * SyntheticElf builds small ELF64 little-endian images byte by byte, for tests that need one
 * specific odd value (a huge count, a string without NUL) in an otherwise plausible file.
 * Addresses equal file offsets: one PT_LOAD maps the whole image at address 0.
 */
export class SyntheticElf {
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
    this.bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]); // \x7fELF, ELFCLASS64, ELFDATA2LSB, EV_CURRENT
    this.u16(16, 3); // ET_DYN
    this.u16(18, 62); // EM_X86_64
    this.u32(20, 1);
    this.u16(52, 64); // e_ehsize
    this.u16(54, 56); // e_phentsize
    this.u16(58, 64); // e_shentsize
  }

  u16(at: number, value: number): this {
    this.view.setUint16(at, value, true);
    return this;
  }

  u32(at: number, value: number): this {
    this.view.setUint32(at, value, true);
    return this;
  }

  u64(at: number, value: number | bigint): this {
    this.view.setBigUint64(at, BigInt(value), true);
    return this;
  }

  text(at: number, value: string): this {
    this.bytes.set(new TextEncoder().encode(value), at);
    return this;
  }

  /** programHeaders writes the program header table at 64 and points e_phoff/e_phnum at it. */
  programHeaders(segments: readonly { type: number; offset: number; filesz: number }[]): this {
    this.u64(32, 64).u16(56, segments.length);
    segments.forEach((segment, i) => {
      const at = 64 + i * 56;
      this.u32(at, segment.type).u64(at + 8, segment.offset).u64(at + 16, segment.offset);
      this.u64(at + 32, segment.filesz).u64(at + 40, segment.filesz);
    });
    return this;
  }

  /**
   * dynamic writes a dynamic array at `offset` (terminated by DT_NULL) and the PT_LOAD + PT_DYNAMIC
   * program headers that find it. Tags and values are [d_tag, d_val] pairs.
   */
  dynamic(offset: number, entries: readonly (readonly [number, number])[]): this {
    entries.forEach(([tag, value], i) => this.u64(offset + i * 16, tag).u64(offset + i * 16 + 8, value));
    return this.programHeaders([
      { type: 1, offset: 0, filesz: this.bytes.length },
      { type: 2, offset, filesz: (entries.length + 1) * 16 },
    ]);
  }
}
