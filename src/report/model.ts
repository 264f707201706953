/**
 * The one in-memory report that every output format renders. Its shape is the JSON report of
 * CONTRACT.md (schemaVersion 1), with added fields marked "added"; the JSON renderer prints it
 * as it is, so this file is the JSON documentation too.
 */
import type { FindingReason } from '../check/check.js';
import type { HintMatch } from '../hints/match.js';
import type { KindName } from '../kind/classify.js';
import type { GoBuildInfo } from '../kind/go-buildinfo.js';
import type { LibraryFinding } from '../check/verdict.js';
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
  /**
   * added: why the whole run is an error when no file entry says so: a usage error (with
   * `--format json` a document is printed even then), an internal error, or a check that checked
   * no ELF file. Present only with `result: "error"`.
   */
  readonly error?: string;
  /** added, `check`: run-level warnings, such as a floor whose family no checked file needs. */
  readonly warnings?: readonly string[];
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
export type HintReport = HintMatch;

/** added: what kind of binary a file is, and how that was told (src/kind). */
export interface KindReport {
  readonly name: KindName;
  readonly evidence: string;
  /** For static glibc: NSS modules are still loaded from the host at run time. */
  readonly warning?: string;
}
/** added: a needed library that breaks the check (`not-allowed` by `--allow-lib`, `missing` on a `--floor-from` system, or a `musl` binary). */
export type LibraryFindingReport = LibraryFinding;

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
