/**
 * The one in-memory report that every output format renders. Its shape is the JSON report of
 * the JSON report contract (schemaVersion 1, schema/report.schema.json), with added fields marked "added"; the JSON renderer prints it
 * as it is, so this file is the JSON documentation too.
 */
import type { FindingReason } from '../check/check.js';
import type { KindName } from '../kind/classify.js';
import type { GoBuildInfo } from '../kind/go-buildinfo.js';
import type { LoaderFindingCode } from '../check/loader-rules.js';
import type { LibraryFindingReason } from '../check/verdict.js';
import type { Platforms } from '../targets/platforms.js';
import type { SkipReason } from '../scan/skip-reason.js';

export type Command = 'check' | 'show';
export type Result = 'pass' | 'fail' | 'error';

export interface Report {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: 'glibc-floor'; readonly version: string };
  readonly command: Command;
  /** Per family, the floor applied (empty for `show`). */
  readonly floors: Readonly<Record<string, string>>;
  readonly result: Result;
  readonly summary: Summary;
  readonly files: readonly FileReport[];
  /** added, `check` with `--target` / `--floor-from`: per family, what set its floor (a target name or `--floor`). */
  readonly floorSources?: Readonly<Record<string, string>>;
  /** added: the targets checked against (`--target`, `--floor-from`), in order. */
  readonly targets?: readonly TargetReport[];
  /** added: what could not be combined (families unknown for some targets), and skipped libraries of `--floor-from`. */
  readonly floorNotes?: readonly string[];
  /** added, `check` with `--allow-lib`: the library policy as given. */
  readonly allowLibraries?: readonly string[];
  /** added: the floors packages declare (wheel tags, npm libc, .deb Depends, RPM Requires), judged against their members. */
  readonly declared?: readonly DeclaredReport[];
  /** added, `show`: per family, the lowest floor every checked file meets, and the files that set it. */
  readonly neededFloors?: Readonly<Record<string, NeededFloor>>;
  /**
   * added: why the whole run is an error when no file entry says so: a usage error (with
   * `--format json` a document is printed even then), an internal error, or a check that checked
   * no ELF file. Present only with `result: "error"`.
   */
  readonly error?: string;
  /** added, `check`: run-level warnings, such as a floor whose family no checked file needs. */
  readonly warnings?: readonly string[];
}

/** added: one declared floor of a package, or a package that declares none, and how it fares. */
export interface DeclaredReport {
  /** The package's reported path. */
  readonly artifact: string;
  /** The claim as written (`manylinux_2_17_x86_64`, `libc6 (>= 2.17)`), or null when the package declares none. */
  readonly claim: string | null;
  /** Where the claim is written: `file name`, a WHEEL file, `Depends`, `Requires`, `package/package.json`, `prebuild folder`. */
  readonly origin?: string;
  /** `broken` fails a check; `higher`: it holds but could promise less; `none`: nothing declared. */
  readonly status: 'holds' | 'broken' | 'higher' | 'none';
  /** The ELF members the claim covers. */
  readonly members: readonly string[];
  /** Per family, the highest version the members need. */
  readonly needs: Readonly<Record<string, string>>;
  /** One sentence per member that breaks the claim. */
  readonly problems: readonly string[];
  /** The honest claim, in the package's own terms. */
  readonly suggestion?: string;
  /** One line for people. */
  readonly message: string;
}


/** added: the floor a set of files needs in one family: the highest version any of them needs. */
export interface NeededFloor {
  readonly version: string;
  /** The files that need exactly `version` (the first 10, in report order). */
  readonly files: readonly string[];
  /** How many files need exactly `version`. */
  readonly fileCount: number;
}

/** added: one target of a check: a catalogue entry or a `--floor-from` system. */
export interface TargetReport {
  readonly name: string;
  readonly kind: 'catalogue' | 'floor-from';
  /** Numeric floors of a catalogue target (x86_64 values); unknown families are absent. */
  readonly floors: Readonly<Record<string, string>>;
  /** Machines with exact version sets (catalogue: generated data; floor-from: read from the path). */
  readonly exactMachines: readonly string[];
}

export interface Summary {
  readonly files: number;
  readonly passed: number;
  readonly failed: number;
  readonly errors: number;
  readonly skipped: number;
}

export type FileReport = CheckedFileReport | ErrorFileReport | SkippedFileReport;

export interface ElfReport {
  readonly class: 32 | 64;
  readonly endian: 'little' | 'big';
  readonly machine: string;
  readonly type: string;
  readonly interpreter: string | null;
  readonly static: boolean;
}

export interface RequirementReport {
  readonly library: string;
  readonly version: string;
  readonly family: string;
  readonly weak: boolean;
  readonly symbols: readonly string[];
}

/** A requirement that breaks a floor (in `violations`) or would, were it not weak (in `warnings`). */
export interface FindingReport extends RequirementReport {
  readonly floor: string;
  /** added: why it breaks the floor. */
  readonly reason: FindingReason;
  /** added: for marker names, the glibc release the name stands for (`GLIBC_ABI_DT_RELR` -> `2.36`). */
  readonly standsFor?: string;
  /** added: the targets (or `--floor`, or a `--floor-from` path) whose floor this breaks. */
  readonly failsOn?: readonly string[];
  /** added: set on an entry of `waivedViolations`: the config-file waiver that accepted it. */
  readonly waived?: Waived;
  /** added: known causes of this need and the usual fixes (src/hints/catalogue.ts). */
  readonly hints?: readonly HintReport[];
}

/** Waived names the waiver (from the config file) that accepted a violation, and why. */
export interface Waived {
  readonly reason: string;
}

/** added: one catalogue hint matched to a finding: which symbols (or the version itself) it explains. */
export interface HintReport {
  /** The catalogue entry's id (src/hints/catalogue.ts). */
  readonly id: string;
  /** The need's symbols this hint explains; empty when it matched the version name itself. */
  readonly symbols: readonly string[];
  readonly why: string;
  /** The usual fixes, written for the file's machine. */
  readonly fixes: readonly string[];
  readonly sources: readonly string[];
}

/** added: what kind of binary a file is, and how that was told (src/kind). */
export interface KindReport {
  readonly name: KindName;
  readonly evidence: string;
  /** For static glibc: NSS modules are still loaded from the host at run time. */
  readonly warning?: string;
}
/** added: a needed library that breaks the check (`not-allowed` by `--allow-lib`, `missing` on a `--floor-from` system, or a `musl` binary). */
export interface LibraryFindingReport {
  readonly library: string;
  readonly reason: LibraryFindingReason;
  readonly message: string;
  /** The targets (or `--allow-lib`) it fails on. */
  readonly failsOn: readonly string[];
}

/** added: a need that a partial `--floor-from` system could not judge. */
export interface UncheckedReport extends RequirementReport {
  readonly uncheckedOn: readonly string[];
}

export interface CheckedFileReport {
  readonly path: string;
  /** added: for a file reached through a symbolic link, the real file's path. */
  readonly linkTarget?: string;
  readonly status: 'pass' | 'fail';
  readonly elf: ElfReport;
  /** added: DT_NEEDED, in order. */
  readonly needed: readonly string[];
  readonly requirements: readonly RequirementReport[];
  readonly maxVersions: Readonly<Record<string, string>>;
  /** Present for `check`. */
  readonly violations?: readonly FindingReport[];
  /** added, `check` only: weak needs above a floor that no strong symbol uses (never failing). */
  readonly warnings?: readonly FindingReport[];
  /** added, `check` only: violations a config-file waiver accepted; they do not fail the file. */
  readonly waivedViolations?: readonly FindingReport[];
  /** added: how the reader found the tables when the section headers are stripped, and oddities. */
  readonly notes?: readonly string[];
  /** added: the binary kind (glibc-dynamic, glibc-static, musl-dynamic, musl-static, static, dynamic, other). */
  readonly kind?: KindReport;
  /** added: for Go programs, the build info read from `.go.buildinfo` (Go version, CGO_ENABLED, GOARCH, ...). */
  readonly go?: GoBuildInfo;
  /**
   * added, `check` with `--floor-from` a single library: binding needs on other libraries that no
   * floor judged (`uncheckedOn` names the partial systems); they do not fail the file.
   */
  readonly unchecked?: readonly UncheckedReport[];
  /** added, `check`: problems with needed libraries; any of them fails the file. */
  readonly libraryFindings?: readonly LibraryFindingReport[];
  /** added, `show`: which catalogue targets can run the file, and what stops the others. */
  readonly platforms?: Platforms;
  /**
   * added, `check`: loader-era rules: an executable stack (a shared object fails glibc >= 2.41
   * targets; a program or object is a note) and an x86-64 ISA level above a target's CPUs. A
   * finding with a non-empty `failsOn` fails the file.
   */
  readonly loaderFindings?: readonly LoaderFindingReport[];
  /** added: what the loader reads beyond the version tables: the stack asked for, the x86-64 level noted. */
  readonly loader?: LoaderReport;
  /** added, for an ar archive (`.a`, `.rlib`): its members, each with the needs it brings by itself. */
  readonly archive?: ArchiveReport;
}

/** added: a loader-era finding (src/check/loader-rules.ts) with its table entry's fix. */
export interface LoaderFindingReport {
  readonly code: LoaderFindingCode;
  readonly message: string;
  /** The targets whose loader refuses the file; empty: a note that never fails. */
  readonly failsOn: readonly string[];
  readonly fix: string;
}

/** added: the stack a file asks for and the x86-64 level its GNU property note names. */
export interface LoaderReport {
  /** `executable`, `default-executable` (no PT_GNU_STACK / .note.GNU-stack where the default is executable), `not-executable`. */
  readonly stack: 'executable' | 'default-executable' | 'not-executable';
  /** `x86-64-v3` and the like, when the file has an x86 ISA property note. */
  readonly x86Level?: string;
}

/** added: an archive's members; `requirements` are what a link of that member alone would need. */
export interface ArchiveReport {
  readonly members: readonly ArchiveMemberReport[];
}

export interface ArchiveMemberReport {
  readonly name: string;
  readonly requirements: readonly RequirementReport[];
  /** Why the member was not read as an object (Rust's lib.rmeta is one; LLVM bitcode is another). */
  readonly skipped?: string;
}

export interface ErrorFileReport {
  readonly path: string;
  /** added: as for checked files, the real file behind a symbolic link. */
  readonly linkTarget?: string;
  readonly status: 'error';
  /** One line naming the problem, e.g. "truncated: program header table ... runs past the end". */
  readonly error: string;
}

/** Why a file found in a directory was not checked (defined with the inputs that decide it). */
export type { SkipReason };

export interface SkippedFileReport {
  readonly path: string;
  readonly status: 'skipped';
  readonly reason: SkipReason;
  /** added, with reason `duplicate`: the path under which the same real file was checked. */
  readonly duplicateOf?: string;
}
