/**
 * Record layouts per ELF class, written once as data (offsets in bytes) so every parser indexes
 * into one table instead of repeating a 32-bit and a 64-bit branch. Sources: gABI and glibc
 * `elf/elf.h`. Note that Elf32_Sym and Elf64_Sym order their fields differently.
 */
export interface Layout {
  /** Width of addresses and offsets (Elf32_Addr/Off = 4, Elf64 = 8). */
  readonly word: 4 | 8;
  readonly ehdrSize: number;
  readonly ehdr: {
    readonly type: number; readonly machine: number; readonly phoff: number; readonly shoff: number;
    readonly phentsize: number; readonly phnum: number; readonly shentsize: number;
    readonly shnum: number; readonly shstrndx: number;
  };
  readonly phdrSize: number;
  readonly phdr: {
    readonly type: number; readonly flags: number; readonly offset: number; readonly vaddr: number;
    readonly filesz: number; readonly memsz: number;
  };
  readonly shdrSize: number;
  readonly shdr: {
    readonly name: number; readonly type: number; readonly addr: number; readonly offset: number;
    readonly size: number; readonly link: number; readonly info: number; readonly entsize: number;
  };
  readonly dynSize: number;
  readonly symSize: number;
  readonly sym: { readonly name: number; readonly info: number; readonly shndx: number };
}

export const LAYOUTS = {
  32: {
    word: 4,
    ehdrSize: 52,
    ehdr: { type: 16, machine: 18, phoff: 28, shoff: 32, phentsize: 42, phnum: 44, shentsize: 46, shnum: 48, shstrndx: 50 },
    phdrSize: 32,
    phdr: { type: 0, flags: 24, offset: 4, vaddr: 8, filesz: 16, memsz: 20 },
    shdrSize: 40,
    shdr: { name: 0, type: 4, addr: 12, offset: 16, size: 20, link: 24, info: 28, entsize: 36 },
    dynSize: 8,
    symSize: 16,
    sym: { name: 0, info: 12, shndx: 14 },
  },
  64: {
    word: 8,
    ehdrSize: 64,
    ehdr: { type: 16, machine: 18, phoff: 32, shoff: 40, phentsize: 54, phnum: 56, shentsize: 58, shnum: 60, shstrndx: 62 },
    phdrSize: 56,
    phdr: { type: 0, flags: 4, offset: 8, vaddr: 16, filesz: 32, memsz: 40 },
    shdrSize: 64,
    shdr: { name: 0, type: 4, addr: 16, offset: 24, size: 32, link: 40, info: 44, entsize: 56 },
    dynSize: 16,
    symSize: 24,
    sym: { name: 0, info: 4, shndx: 6 },
  },
} as const satisfies Record<32 | 64, Layout>;
