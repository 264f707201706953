/**
 * The `glibc-floor diff` document: its own JSON (`"command": "diff"`, schemaVersion 1, described
 * by schema/diff.schema.json and the README), separate from the check/show report.
 */
import type { HintReport, KindReport } from '../report/model.js';

export type FamilyChange = 'raised' | 'lowered' | 'same' | 'added' | 'removed';

/** FamilyDiff: the highest binding version of one family before and after (null when absent). */
export interface FamilyDiff {
  readonly family: string;
  readonly before: string | null;
  readonly after: string | null;
  readonly change: FamilyChange;
  /** For raised or added families: the needs at the new highest version, as `symbol@VERSION` (or the bare version when no symbol uses it). */
  readonly via?: readonly string[];
}

/** RequirementChange is a version need present on one side only. */
export interface RequirementChange {
  readonly library: string;
  readonly version: string;
  readonly family: string;
  readonly weak: boolean;
  readonly symbols: readonly string[];
  /** For added needs: the hints catalogue's explanation, when it has one. */
  readonly hints?: readonly HintReport[];
}

/** SymbolChange is one symbol bound to a version need on one side only (`memcpy` moving from GLIBC_2.2.5 to GLIBC_2.14 is one removal and one addition). */
export interface SymbolChange {
  readonly library: string;
  readonly version: string;
  readonly symbol: string;
}

export type DiffStatus = 'raised' | 'changed' | 'unchanged' | 'only-in-old' | 'only-in-new' | 'error';

export interface FileDiff {
  /** The path relative to the directories compared, or the NEW file as named when two files are compared. */
  readonly path: string;
  readonly status: DiffStatus;
  /** The files as named or found (absent on the side that does not have it). */
  readonly old?: string;
  readonly new?: string;
  /** Per family, sorted by family name (pairs only). */
  readonly families?: readonly FamilyDiff[];
  readonly requirementsAdded?: readonly RequirementChange[];
  readonly requirementsRemoved?: readonly RequirementChange[];
  readonly symbolsAdded?: readonly SymbolChange[];
  readonly symbolsRemoved?: readonly SymbolChange[];
  /** Why a pair counts as raised: e.g. `GLIBC 2.34 -> 2.36`, `new need GLIBC_PRIVATE`. */
  readonly raisedBy?: readonly string[];
  /** The binary kind on each side, when it changed (glibc-dynamic -> glibc-static, ...). */
  readonly kind?: { readonly before: KindReport['name'] | null; readonly after: KindReport['name'] | null };
  /** For files on one side only: that side's highest version per family. */
  readonly maxVersions?: Readonly<Record<string, string>>;
  /** For `error`: which side and what, in one line. */
  readonly error?: string;
}

export interface DiffSummary {
  readonly pairs: number;
  readonly raised: number;
  readonly changed: number;
  readonly unchanged: number;
  readonly onlyInOld: number;
  readonly onlyInNew: number;
  readonly errors: number;
}

export interface DiffReport {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: 'glibc-floor'; readonly version: string };
  readonly command: 'diff';
  readonly old: string;
  readonly new: string;
  /** Whether a raise fails the run (`--no-fail-on-raise` turns it off). */
  readonly failOnRaise: boolean;
  /** pass | fail | error, matching the exit code 0 | 1 | 2. */
  readonly result: 'pass' | 'fail' | 'error';
  readonly summary: DiffSummary;
  readonly files: readonly FileDiff[];
}
