import { PT_NOTE } from '../elf/constants.js';
import type { ElfLayout } from '../elf/elf-layout.js';

/** NT_GNU_ABI_TAG: the note glibc's start files (csu/abi-note.S, in crt1.o) put in every program. */
export const NT_GNU_ABI_TAG = 1;

/** AbiTag is the decoded NT_GNU_ABI_TAG: the OS and the oldest kernel the glibc build supports. */
export interface AbiTag {
  /** `Linux`, `Hurd`, `Solaris`, `FreeBSD`, or `os <n>`. */
  readonly os: string;
  /** The minimum kernel version, e.g. `3.2.0`. */
  readonly kernel: string;
}

const OS_NAMES: Readonly<Record<number, string>> = { 0: 'Linux', 1: 'Hurd', 2: 'Solaris', 3: 'FreeBSD' };
/** Note segments are small; a larger one is read only up to here. */
const MAX_NOTE_BYTES = 64 * 1024;
/** No real program has more note segments than this. */
const MAX_NOTE_SEGMENTS = 16;

/**
 * findAbiTag returns the GNU ABI tag from the PT_NOTE segments, or undefined when there is none.
 * glibc's crt1.o (and rcrt1.o for static-pie) carries it, so it marks a program linked with
 * glibc's start files, static or dynamic; musl, Go's own linker and `-nostartfiles` programs
 * have none. Truncated or odd notes end the walk instead of failing.
 */
export async function findAbiTag(image: ElfLayout): Promise<AbiTag | undefined> {
  const notes = image.segments.filter((segment) => segment.type === PT_NOTE).slice(0, MAX_NOTE_SEGMENTS);
  for (const segment of notes) {
    const length = Math.min(segment.filesz, MAX_NOTE_BYTES);
    if (!image.reader.inFile(segment.offset, length)) continue;
    const view = await image.reader.view(segment.offset, length, 'PT_NOTE');
    let at = 0;
    while (at + 12 <= view.length) {
      const namesz = view.u32(at, 'n_namesz');
      const descsz = view.u32(at + 4, 'n_descsz');
      const type = view.u32(at + 8, 'n_type');
      const nameAt = at + 12;
      const descAt = nameAt + align4(namesz);
      const next = descAt + align4(descsz);
      if (next > view.length || next <= at) break;
      const name = new TextDecoder().decode(view.bytes.subarray(nameAt, nameAt + Math.max(0, namesz - 1)));
      if (name === 'GNU' && type === NT_GNU_ABI_TAG && descsz >= 16) {
        const os = view.u32(descAt, 'ABI tag os');
        const kernel = [1, 2, 3].map((i) => view.u32(descAt + 4 * i, 'ABI tag version')).join('.');
        return { os: OS_NAMES[os] ?? `os ${os}`, kernel };
      }
      at = next;
    }
  }
  return undefined;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
