/**
 * The loader-era rules: what the dynamic loader refuses beyond the version tables.
 *
 * - Executable stack: since glibc 2.41, dlopen no longer makes the stack executable for a shared
 *   object that asks for it (PT_GNU_STACK with PF_X, or none where the ABI default is executable);
 *   it fails with `cannot enable executable stack as shared object requires: Invalid argument`
 *   (glibc 2.41 NEWS; `elf/dl-load.c` _dl_map_object_from_fd). Python extensions, Node addons and
 *   plugins are all dlopen'ed, so a shared object asking for one fails every glibc >= 2.41 system.
 *   A program's own request is still honoured at start-up (tunable glibc.rtld.execstack, default
 *   on): a note. An object without `.note.GNU-stack` gives any library it is linked into an
 *   executable stack: a note naming the cause.
 * - x86-64 ISA level: glibc's loader (2.33+, `sysdeps/x86/dl-prop.h`) refuses a file whose
 *   GNU_PROPERTY_X86_ISA_1_NEEDED asks for more than the CPU has (`CPU ISA level is lower than
 *   required`); older loaders run it until the first unsupported instruction (SIGILL). The level
 *   checked is the higher of the needed and used properties: code built with -march=x86-64-v3
 *   carries v3 instructions whether or not the linker was told to mark them needed.
 */
import type { StackRequest, X86Isa } from '../objects/loader-notes.js';
import { x86IsaLevel } from '../objects/loader-notes.js';
import { compareVersions } from '../versions/version-name.js';

/** The glibc release whose dlopen refuses executable-stack shared objects. */
export const EXEC_STACK_DLOPEN_RELEASE: readonly number[] = [2, 41];

/** A system a file is checked against, as these rules see it. */
export interface LoaderTarget {
  /** A target name, `--floor`, or a `--floor-from` path. */
  readonly name: string;
  /** Its glibc release, when known. */
  readonly glibc?: readonly number[] | undefined;
  /** The x86-64 level its CPUs are guaranteed to have (2 for x86-64-v2), when known. */
  readonly x86Level?: number | undefined;
}

/** What these rules need to know about a file. */
export interface LoaderFileFacts {
  readonly type: string;
  readonly interpreter: string | null;
  readonly machine: string;
  readonly stack?: StackRequest | undefined;
  readonly x86Isa?: X86Isa | undefined;
}

export type LoaderFindingCode = 'exec-stack-dlopen' | 'exec-stack-program' | 'exec-stack-object' | 'isa-level';

/** LoaderFinding is one rule a file breaks; `failsOn` empty means a note that never fails. */
export interface LoaderFinding {
  readonly code: LoaderFindingCode;
  readonly message: string;
  readonly failsOn: readonly string[];
}

/** x86LevelName names a level as GCC and the psABI do: x86-64 (v1), x86-64-v2, -v3, -v4. */
export function x86LevelName(level: number): string {
  return level <= 1 ? 'x86-64' : `x86-64-v${level}`;
}

/** parseX86Level reads `x86-64-v2`, `v3`, `x86-64` or `baseline`; undefined for anything else. */
export function parseX86Level(text: string): number | undefined {
  const match = /^(?:x86-64-)?v([1-4])$/.exec(text.trim());
  if (match !== null) return Number(match[1]);
  return ['x86-64', 'baseline', 'x86_64'].includes(text.trim()) ? 1 : undefined;
}

/** isSharedObject: a DYN file without an interpreter is a library (a PIE program has PT_INTERP). */
function isSharedObject(file: LoaderFileFacts): boolean {
  return file.type === 'DYN' && file.interpreter === null;
}

/** loaderFindings applies the rules to one file against the systems it must run on. */
export function loaderFindings(file: LoaderFileFacts, targets: readonly LoaderTarget[]): LoaderFinding[] {
  const findings: LoaderFinding[] = [];
  const asksExecutable = file.stack === 'executable' || file.stack === 'default-executable';
  if (asksExecutable) {
    const how = file.stack === 'executable' ? 'its PT_GNU_STACK is executable (RWE)' : `it has no PT_GNU_STACK and the ${file.machine} default stack is executable`;
    if (file.type === 'REL') {
      findings.push({
        code: 'exec-stack-object',
        message: `has no .note.GNU-stack section: GNU ld gives any shared object or program it is linked into an executable stack, which dlopen refuses on glibc >= 2.41`,
        failsOn: [],
      });
    } else if (isSharedObject(file)) {
      const newer = targets.filter((target) => target.glibc !== undefined && compareVersions(target.glibc, EXEC_STACK_DLOPEN_RELEASE) >= 0);
      findings.push({
        code: 'exec-stack-dlopen',
        message: `asks for an executable stack (${how}): dlopen on glibc >= 2.41 refuses it with "cannot enable executable stack as shared object requires: Invalid argument"`,
        failsOn: newer.map((target) => target.name),
      });
    } else if (file.type === 'EXEC' || file.type === 'DYN') {
      findings.push({
        code: 'exec-stack-program',
        message: `asks for an executable stack (${how}); glibc still grants a program's own request at start-up, but every library it dlopens runs with a writable, executable stack`,
        failsOn: [],
      });
    }
  }
  if (file.x86Isa !== undefined) {
    const level = x86IsaLevel(file.x86Isa.needed | file.x86Isa.used);
    const which = x86IsaLevel(file.x86Isa.needed) >= level ? 'GNU_PROPERTY_X86_ISA_1_NEEDED' : 'GNU_PROPERTY_X86_ISA_1_USED';
    const below = targets.filter((target) => target.x86Level !== undefined && target.x86Level < level);
    if (below.length > 0) {
      findings.push({
        code: 'isa-level',
        message: `needs ${x86LevelName(level)} (${which}): a CPU of ${below.map((t) => `${t.name} (${x86LevelName(t.x86Level!)})`).join(', ')} may lack it; glibc's loader refuses it with "CPU ISA level is lower than required"`,
        failsOn: below.map((target) => target.name),
      });
    }
  }
  return findings;
}
