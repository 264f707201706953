/**
 * What the dynamic loader reads beyond the version tables and refuses a file over: the stack it
 * asks for (PT_GNU_STACK) and the x86 ISA level it needs (the GNU property note). Both are read
 * from program headers in programs and shared objects, and from the sections the linker turns into
 * them (`.note.GNU-stack`, `.note.gnu.property`) in relocatable objects.
 */
import type { ByteView } from '../elf/byte-view.js';
import {
  GNU_PROPERTY_X86_ISA_1_NEEDED, GNU_PROPERTY_X86_ISA_1_USED, NT_GNU_PROPERTY_TYPE_0, PF_X, PT_GNU_PROPERTY, PT_GNU_STACK, PT_NOTE,
  SHF_EXECINSTR, SHT_NOTE,
} from '../elf/constants.js';
import type { ElfLayout } from '../elf/elf-layout.js';

/**
 * Machines whose ABI default stack is executable: glibc's DEFAULT_STACK_PERMS has PF_X in
 * `sysdeps/<cpu>/stackinfo.h` for these, and is PF_R|PF_W (generic) for aarch64, riscv, loongarch,
 * csky, arc and 64-bit PowerPC. A file of these machines without PT_GNU_STACK asks for an
 * executable stack.
 */
const EXECUTABLE_STACK_DEFAULT = new Set([
  'x86_64', 'x32', 'i386', 'arm', 'alpha', 'hppa', 'm68k', 'microblaze', 'mips', 'mipsel', 'mips64', 'mips64el',
  'or1k', 'ppc', 's390', 's390x', 'sh', 'sparc', 'sparc64',
]);

/**
 * StackRequest says what stack a file asks for:
 * - `executable`: PT_GNU_STACK with PF_X, or (objects) `.note.GNU-stack` with SHF_EXECINSTR;
 * - `default-executable`: no PT_GNU_STACK on a machine whose ABI default is an executable stack,
 *   or (objects) no `.note.GNU-stack` section, which makes GNU ld ask for one on such machines;
 * - `not-executable`: otherwise.
 */
export type StackRequest = 'executable' | 'default-executable' | 'not-executable';

/**
 * stackRequest reads the stack a file asks for. For an object it needs the section flags, read
 * here from the section header of `.note.GNU-stack` (sh_flags, at byte 8 in both classes).
 */
export async function stackRequest(layout: ElfLayout): Promise<StackRequest> {
  const { header } = layout;
  const executableDefault = EXECUTABLE_STACK_DEFAULT.has(header.machine);
  if (header.type === 'REL') {
    const note = await layout.sectionNamed('.note.GNU-stack');
    if (note === undefined) return executableDefault ? 'default-executable' : 'not-executable';
    const view = await layout.reader.view(header.shoff + note.index * header.shentsize, header.layout.shdrSize, 'section header');
    const flags = header.layout.word === 4 ? view.u32(8, 'sh_flags') : view.u64Loose(8, 'sh_flags');
    return (flags & SHF_EXECINSTR) !== 0 ? 'executable' : 'not-executable';
  }
  const stack = layout.segments.find((segment) => segment.type === PT_GNU_STACK);
  if (stack === undefined) return executableDefault ? 'default-executable' : 'not-executable';
  return (stack.flags & PF_X) !== 0 ? 'executable' : 'not-executable';
}

/** X86Isa is the x86 ISA bits a file's GNU property note carries. */
export interface X86Isa {
  /** GNU_PROPERTY_X86_ISA_1_NEEDED bits: enforced by glibc's loader (2.33+). */
  readonly needed: number;
  /** GNU_PROPERTY_X86_ISA_1_USED bits: what the code contains (`-Wa,-mx86-used-note=yes`). */
  readonly used: number;
}

/** Note bytes read at most per note segment or section; real property notes are a few dozen bytes. */
const MAX_NOTE_BYTES = 64 * 1024;
const MAX_NOTE_AREAS = 16;

/**
 * readX86Isa decodes the x86 ISA properties of the NT_GNU_PROPERTY_TYPE_0 note: from
 * PT_GNU_PROPERTY (or PT_NOTE) in programs and shared objects, from `.note.gnu.property` in
 * objects. Returns undefined when the file has no such note (most builds) or is not x86. A note
 * that does not parse ends the walk and gives what was read (the loader ignores it too).
 */
export async function readX86Isa(layout: ElfLayout): Promise<X86Isa | undefined> {
  const { header } = layout;
  if (header.machine !== 'x86_64' && header.machine !== 'x32' && header.machine !== 'i386') return undefined;
  const names = header.type === 'REL' ? await layout.sectionNames() : [];
  const areas =
    header.type === 'REL'
      ? layout.sections.filter((section, i) => section.type === SHT_NOTE && names[i] === '.note.gnu.property').map((s) => ({ offset: s.offset, size: s.size }))
      : (() => {
          const property = layout.segments.filter((segment) => segment.type === PT_GNU_PROPERTY);
          const chosen = property.length > 0 ? property : layout.segments.filter((segment) => segment.type === PT_NOTE);
          return chosen.map((segment) => ({ offset: segment.offset, size: segment.filesz }));
        })();
  let found: X86Isa | undefined;
  for (const area of areas.slice(0, MAX_NOTE_AREAS)) {
    const length = Math.min(area.size, MAX_NOTE_BYTES);
    if (!layout.reader.inFile(area.offset, length)) continue;
    const view = await layout.reader.view(area.offset, length, 'GNU property note');
    const isa = propertiesIn(view, header.layout.word);
    if (isa !== undefined) found = { needed: (found?.needed ?? 0) | isa.needed, used: (found?.used ?? 0) | isa.used };
  }
  return found;
}

/**
 * propertiesIn walks the notes of one area (gABI note layout: namesz, descsz, type, name, desc)
 * and the properties of each GNU property note (pr_type, pr_datasz, data padded to the word size;
 * the x86-64 psABI "Program Property").
 */
function propertiesIn(view: ByteView, word: 4 | 8): X86Isa | undefined {
  let needed = 0;
  let used = 0;
  let seen = false;
  let at = 0;
  // Notes in GNU property areas are aligned to the word size (8 on ELF64), others to 4.
  const align = (n: number, to: number) => Math.ceil(n / to) * to;
  while (at + 12 <= view.length) {
    const namesz = view.u32(at, 'n_namesz');
    const descsz = view.u32(at + 4, 'n_descsz');
    const type = view.u32(at + 8, 'n_type');
    const nameAt = at + 12;
    const descAt = nameAt + align(namesz, 4);
    const next = descAt + align(descsz, word);
    if (descAt + descsz > view.length || next <= at) break;
    const isGnu = namesz === 4 && view.bytes[nameAt] === 0x47 && view.bytes[nameAt + 1] === 0x4e && view.bytes[nameAt + 2] === 0x55 && view.bytes[nameAt + 3] === 0;
    if (isGnu && type === NT_GNU_PROPERTY_TYPE_0) {
      let p = descAt;
      while (p + 8 <= descAt + descsz) {
        const prType = view.u32(p, 'pr_type');
        const size = view.u32(p + 4, 'pr_datasz');
        if (p + 8 + size > descAt + descsz) break;
        if (size >= 4 && prType === GNU_PROPERTY_X86_ISA_1_NEEDED) [needed, seen] = [needed | view.u32(p + 8, 'pr_data'), true];
        if (size >= 4 && prType === GNU_PROPERTY_X86_ISA_1_USED) [used, seen] = [used | view.u32(p + 8, 'pr_data'), true];
        p += 8 + align(size, word);
      }
    }
    at = next;
  }
  return seen ? { needed, used } : undefined;
}

/**
 * x86IsaLevel turns ISA_1 bits into the x86-64 psABI level they reach: 4 for x86-64-v4 (bit 3),
 * 3 for v3 (bit 2), 2 for v2 (bit 1), 1 for the baseline (bit 0, or no bit).
 */
export function x86IsaLevel(bits: number): 1 | 2 | 3 | 4 {
  if ((bits & 0x8) !== 0) return 4;
  if ((bits & 0x4) !== 0) return 3;
  if ((bits & 0x2) !== 0) return 2;
  return 1;
}
