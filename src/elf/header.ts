import { ByteView } from './byte-view.js';
import { ELFCLASS32, ELFCLASS64, ELFDATA2LSB, ELFDATA2MSB, ET_NAMES, machineName } from './constants.js';
import { ElfFormatError, NotElfError } from './errors.js';
import { LAYOUTS, type Layout } from './layout.js';
import type { ElfHeaderInfo } from './types.js';

/** ElfHeader is the decoded ELF header (gABI "ELF Header"), with the layout of its class. */
export interface ElfHeader extends ElfHeaderInfo {
  readonly layout: Layout;
  readonly littleEndian: boolean;
  readonly phoff: number;
  readonly phentsize: number;
  readonly phnum: number;
  readonly shoff: number;
  readonly shentsize: number;
  /** e_shnum as stored; 0 with a non-zero shoff means "see section 0" (extended numbering). */
  readonly shnum: number;
  readonly shstrndx: number;
}

const ELF_MAGIC = new Uint8Array([0x7f, 0x45, 0x4c, 0x46]);

/** hasElfMagic says whether the bytes start with `\x7fELF`. */
export function hasElfMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && ELF_MAGIC.every((byte, i) => bytes[i] === byte);
}

/**
 * parseHeader decodes the ELF identification and header from the first bytes of a file.
 * Throws NotElfError when the magic is absent and ElfFormatError when the header is broken.
 */
export function parseHeader(head: Uint8Array): ElfHeader {
  if (!hasElfMagic(head)) {
    // A file cut inside the magic itself is a truncated ELF file, not some other kind of file.
    if (head.length > 0 && head.length < 4 && ELF_MAGIC.subarray(0, head.length).every((byte, i) => head[i] === byte)) {
      throw new ElfFormatError('file is truncated inside the ELF magic ({value} bytes)', { field: 'e_ident', value: head.length });
    }
    throw new NotElfError();
  }
  if (head.length < 16) throw new ElfFormatError('file is truncated inside the ELF identification ({value} bytes)', { field: 'e_ident', value: head.length });
  const elfClass = head[4];
  const data = head[5];
  if (elfClass !== ELFCLASS32 && elfClass !== ELFCLASS64) {
    throw new ElfFormatError('unknown {field} {value} (expected 1 for 32-bit or 2 for 64-bit)', { field: 'EI_CLASS', value: elfClass, offset: 4 });
  }
  if (data !== ELFDATA2LSB && data !== ELFDATA2MSB) {
    throw new ElfFormatError('unknown {field} {value} (expected 1 for little or 2 for big endian)', { field: 'EI_DATA', value: data, offset: 5 });
  }
  const bits = elfClass === ELFCLASS32 ? 32 : 64;
  const layout: Layout = LAYOUTS[bits];
  if (head.length < layout.ehdrSize) {
    throw new ElfFormatError(`file is truncated inside the ELF header ({value} of ${layout.ehdrSize} bytes)`, { field: 'ELF header', value: head.length });
  }
  const littleEndian = data === ELFDATA2LSB;
  const endian = littleEndian ? 'little' : 'big';
  const view = new ByteView(head, littleEndian);
  const e = layout.ehdr;
  const type = view.u16(e.type, 'e_type');
  return {
    class: bits,
    endian,
    machine: machineName(view.u16(e.machine, 'e_machine'), bits, endian),
    type: ET_NAMES[type] ?? `ET_${type}`,
    layout,
    littleEndian,
    phoff: view.word(e.phoff, layout.word, 'e_phoff'),
    phentsize: view.u16(e.phentsize, 'e_phentsize'),
    phnum: view.u16(e.phnum, 'e_phnum'),
    shoff: view.word(e.shoff, layout.word, 'e_shoff'),
    shentsize: view.u16(e.shentsize, 'e_shentsize'),
    shnum: view.u16(e.shnum, 'e_shnum'),
    shstrndx: view.u16(e.shstrndx, 'e_shstrndx'),
  };
}
