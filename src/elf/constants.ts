/**
 * The numbers of the ELF format this reader needs, named as in glibc's `elf/elf.h`.
 * Sources: the System V gABI, the LSB "Symbol Versioning" chapter, and glibc `elf/elf.h`.
 */

export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const ELFDATA2MSB = 2;
export const EV_CURRENT = 1;

/** e_type values. */
export const ET_NAMES: Readonly<Record<number, string>> = {
  0: 'NONE', // ET_NONE
  1: 'REL', // ET_REL: relocatable object
  2: 'EXEC', // ET_EXEC: fixed-address executable
  3: 'DYN', // ET_DYN: shared object or PIE
  4: 'CORE', // ET_CORE
};

/** Program header types. */
export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;
/** PT_NOTE: a segment of notes (gABI "Note Section"). */
export const PT_NOTE = 4;
/** PT_GNU_STACK: its p_flags say whether the stack is executable (glibc elf/elf.h). */
export const PT_GNU_STACK = 0x6474e551;
/** PT_GNU_PROPERTY: the segment holding the NT_GNU_PROPERTY_TYPE_0 note (glibc elf/elf.h). */
export const PT_GNU_PROPERTY = 0x6474e553;

/** p_flags bits: PF_X executable, PF_W writable, PF_R readable. */
export const PF_X = 0x1;
export const PF_W = 0x2;
export const PF_R = 0x4;

/** Section header types. Note the SHT_ and DT_ numbers differ for the same table. */
/** SHT_SYMTAB: the full (link-time) symbol table, present until `strip`. */
export const SHT_SYMTAB = 2;
/** SHT_NOTE: a section of notes (`.note.gnu.property` in relocatable objects). */
export const SHT_NOTE = 7;
/** sh_flags bit: the section holds executable code; on `.note.GNU-stack` it asks for an executable stack. */
export const SHF_EXECINSTR = 0x4;
/** NT_GNU_PROPERTY_TYPE_0: the note type of GNU program properties (glibc elf/elf.h). */
export const NT_GNU_PROPERTY_TYPE_0 = 5;
/** x86 ISA level properties (glibc elf/elf.h, binutils include/elf/common.h): NEEDED is enforced by the loader, USED says what the code contains. */
export const GNU_PROPERTY_X86_ISA_1_NEEDED = 0xc0008002;
export const GNU_PROPERTY_X86_ISA_1_USED = 0xc0010002;
export const SHT_STRTAB = 3;
export const SHT_DYNAMIC = 6;
export const SHT_NOBITS = 8;
export const SHT_DYNSYM = 11;
export const SHT_GNU_verdef = 0x6ffffffd;
export const SHT_GNU_verneed = 0x6ffffffe;
export const SHT_GNU_versym = 0x6fffffff;
/** e_shnum is 0 and the real count sits in section 0's sh_size when there are 0xff00+ sections. */
export const SHN_LORESERVE = 0xff00;
export const SHN_XINDEX = 0xffff;
export const SHN_UNDEF = 0;

/** Dynamic tags. */
export const DT_NULL = 0;
export const DT_NEEDED = 1;
export const DT_PLTRELSZ = 2;
export const DT_PLTGOT = 3;
export const DT_HASH = 4;
export const DT_STRTAB = 5;
export const DT_SYMTAB = 6;
export const DT_RELA = 7;
export const DT_STRSZ = 10;
export const DT_SYMENT = 11;
export const DT_INIT = 12;
export const DT_FINI = 13;
export const DT_SONAME = 14;
export const DT_REL = 17;
export const DT_JMPREL = 23;
export const DT_INIT_ARRAY = 25;
export const DT_FINI_ARRAY = 26;
export const DT_PREINIT_ARRAY = 32;
export const DT_RELR = 36;
export const DT_FLAGS_1 = 0x6ffffffb;
export const DT_GNU_HASH = 0x6ffffef5;
export const DT_VERSYM = 0x6ffffff0;
export const DT_VERDEF = 0x6ffffffc;
export const DT_VERDEFNUM = 0x6ffffffd;
export const DT_VERNEED = 0x6ffffffe;
export const DT_VERNEEDNUM = 0x6fffffff;
/** MIPS: the number of .dynsym entries (MIPS has no DT_GNU_HASH; its GOT fixes the order). */
export const DT_MIPS_SYMTABNO = 0x70000011;
export const DT_MIPS_XHASH = 0x70000036;

/** DT_FLAGS_1 bit set on position-independent executables (including static-pie). */
export const DF_1_PIE = 0x08000000;

/** Tags whose value is an address of a table in the image: used to bound tables found without section headers. */
export const DT_ADDRESS_TAGS: ReadonlySet<number> = new Set([
  DT_PLTGOT, DT_HASH, DT_STRTAB, DT_SYMTAB, DT_RELA, DT_INIT, DT_FINI, DT_REL, DT_JMPREL,
  DT_INIT_ARRAY, DT_FINI_ARRAY, DT_PREINIT_ARRAY, DT_RELR, DT_GNU_HASH, DT_VERSYM, DT_VERDEF,
  DT_VERNEED, DT_MIPS_XHASH,
]);

/** Version structures (LSB "Symbol Versioning"; glibc elf.h). */
export const VER_NEED_CURRENT = 1;
export const VER_DEF_CURRENT = 1;
export const VER_FLG_BASE = 0x1;
export const VER_FLG_WEAK = 0x2;
/** Versym index 0: a local symbol. */
export const VER_NDX_LOCAL = 0;
/** Versym index 1: global and unversioned; an undefined symbol with it creates no version need. */
export const VER_NDX_GLOBAL = 1;
/** The hidden bit of a versym entry (and of vna_other / vd_ndx as linkers write them); the rest is the index. */
export const VERSYM_HIDDEN = 0x8000;

/** versionIndex strips the hidden bit from a versym entry, vna_other or vd_ndx: the version index itself. */
export function versionIndex(raw: number): number {
  return raw & ~VERSYM_HIDDEN & 0xffff;
}

/** namesVersion says whether a version index names a version (above VER_NDX_LOCAL and VER_NDX_GLOBAL). */
export function namesVersion(index: number): boolean {
  return index > VER_NDX_GLOBAL;
}

/** Symbol bindings (the high nibble of st_info). */
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;
/** Symbol type STT_SECTION (the low nibble of st_info): a section symbol, which has no name. */
export const STT_SECTION = 3;

/** e_machine values we name. Unknown machines print as `EM_<number>`. */
export const EM_386 = 3;
export const EM_MIPS = 8;
export const EM_PPC = 20;
export const EM_PPC64 = 21;
export const EM_S390 = 22;
export const EM_ARM = 40;
export const EM_X86_64 = 62;
export const EM_AARCH64 = 183;
export const EM_RISCV = 243;
export const EM_LOONGARCH = 258;
export const EM_ALPHA = 0x9026;

const MACHINE_NAMES: Readonly<Record<number, string>> = {
  2: 'sparc',
  [EM_386]: 'i386',
  4: 'm68k',
  [EM_MIPS]: 'mips',
  15: 'hppa',
  18: 'sparc', // EM_SPARC32PLUS
  [EM_PPC]: 'ppc',
  [EM_PPC64]: 'ppc64',
  [EM_S390]: 's390',
  [EM_ARM]: 'arm',
  42: 'sh',
  43: 'sparc64', // EM_SPARCV9
  50: 'ia64',
  [EM_X86_64]: 'x86_64',
  92: 'or1k',
  189: 'microblaze',
  [EM_AARCH64]: 'aarch64',
  195: 'arc', // EM_ARC_COMPACT
  252: 'csky',
  [EM_RISCV]: 'riscv',
  [EM_LOONGARCH]: 'loongarch',
  [EM_ALPHA]: 'alpha',
};

/**
 * machineName names an architecture the way distributions and `uname -m` do: the class and byte
 * order refine EM_* values that cover several ABIs (ppc64 vs ppc64le, s390 vs s390x, x32, ...).
 */
export function machineName(machine: number, elfClass: 32 | 64, endian: 'little' | 'big'): string {
  const base = MACHINE_NAMES[machine];
  if (base === undefined) return `EM_${machine}`;
  switch (machine) {
    case EM_X86_64:
      return elfClass === 32 ? 'x32' : 'x86_64';
    case EM_PPC64:
      return endian === 'little' ? 'ppc64le' : 'ppc64';
    case EM_S390:
      return elfClass === 64 ? 's390x' : 's390';
    case EM_AARCH64:
      return endian === 'big' ? 'aarch64_be' : 'aarch64';
    case EM_MIPS: {
      const name = elfClass === 64 ? 'mips64' : 'mips';
      return endian === 'little' ? `${name}el` : name;
    }
    case EM_RISCV:
    case EM_LOONGARCH:
      return `${base}${elfClass}`;
    default:
      return base;
  }
}
