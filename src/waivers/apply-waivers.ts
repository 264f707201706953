import picomatch from 'picomatch';
import type { CheckedFileReport, FileReport, FindingReport } from '../report/model.js';

/**
 * Waiver is a reviewed exception from the config file: a violation of `version` (optionally only
 * from `library`, only for some `symbols`, only in some `paths`) is accepted for `reason`.
 */
export interface Waiver {
  readonly version: string;
  readonly library?: string;
  /** The violation is waived only if every symbol bound to it is listed here. */
  readonly symbols?: readonly string[];
  /** Globs; the violation is waived only in files one of them matches. */
  readonly paths?: readonly string[];
  readonly reason: string;
  /** Where the waiver was written, for messages: `.glibc-floor.json waivers[0]`. */
  readonly source: string;
}

/** WaiverResult is the file reports with waivers applied, and the waivers that matched nothing. */
export interface WaiverResult {
  readonly files: FileReport[];
  readonly unused: Waiver[];
}

/**
 * pathCandidates gives the strings a file's path globs are matched against (for example the
 * reported path and the path relative to the config file's directory).
 */
export type PathCandidates = (reportPath: string) => readonly string[];

interface CompiledWaiver {
  readonly waiver: Waiver;
  readonly matchesPath: (candidates: readonly string[]) => boolean;
  used: boolean;
}

/**
 * applyWaivers moves each violation a waiver accepts out of `violations` into `waivedViolations`,
 * marked with `waived: { reason }`, and recomputes the file's status: a file whose violations are
 * all waived passes. Nothing is dropped. A waiver with `symbols` accepts a violation only when
 * every symbol bound to it is listed, so a new symbol needing the same version still fails (the
 * loader checks the version need whatever symbol brought it in). Pure: no I/O.
 */
export function applyWaivers(files: readonly FileReport[], waivers: readonly Waiver[], pathCandidates: PathCandidates): WaiverResult {
  const applier = waiverApplier(waivers, pathCandidates);
  const result = files.map((file) => applier.apply(file));
  return { files: result, unused: applier.unused() };
}

/** WaiverApplier applies waivers one entry at a time (a streamed run) and tells at the end which matched nothing. */
export interface WaiverApplier {
  apply(file: FileReport): FileReport;
  unused(): Waiver[];
}

/** waiverApplier compiles the waivers once; `apply` does for one entry what applyWaivers does for all. */
export function waiverApplier(waivers: readonly Waiver[], pathCandidates: PathCandidates): WaiverApplier {
  const compiled: CompiledWaiver[] = waivers.map((waiver) => ({ waiver, matchesPath: pathMatcher(waiver.paths), used: false }));
  return {
    apply(file) {
      if (file.status !== 'pass' && file.status !== 'fail') return file;
      if (file.violations === undefined || file.violations.length === 0 || compiled.length === 0) return file;
      return waiveFile(file, compiled, pathCandidates(file.path));
    },
    unused: () => compiled.filter((entry) => !entry.used).map((entry) => entry.waiver),
  };
}

function waiveFile(file: CheckedFileReport, waivers: CompiledWaiver[], candidates: readonly string[]): CheckedFileReport {
  const kept: FindingReport[] = [];
  const waived: FindingReport[] = [...(file.waivedViolations ?? [])];
  for (const finding of file.violations ?? []) {
    const match = waivers.find((entry) => accepts(entry, finding, candidates));
    if (match === undefined) {
      kept.push(finding);
      continue;
    }
    match.used = true;
    waived.push({ ...finding, waived: { reason: match.waiver.reason } });
  }
  if (waived.length === (file.waivedViolations ?? []).length) return file;
  // Library findings (targets issue) and failing loader-era findings are not waivable: they keep the file failing.
  const failing = kept.length > 0 || (file.libraryFindings?.length ?? 0) > 0 || (file.loaderFindings ?? []).some((finding) => finding.failsOn.length > 0);
  return { ...file, status: failing ? 'fail' : 'pass', violations: kept, waivedViolations: waived };
}

function accepts(entry: CompiledWaiver, finding: FindingReport, candidates: readonly string[]): boolean {
  const { waiver } = entry;
  if (waiver.version !== finding.version) return false;
  if (waiver.library !== undefined && waiver.library !== finding.library) return false;
  if (waiver.symbols !== undefined) {
    if (finding.symbols.length === 0) return false;
    const listed = new Set(waiver.symbols);
    if (!finding.symbols.every((symbol) => listed.has(symbol))) return false;
  }
  return entry.matchesPath(candidates);
}

function pathMatcher(globs: readonly string[] | undefined): (candidates: readonly string[]) => boolean {
  if (globs === undefined) return () => true;
  const isMatch = picomatch([...globs], { dot: true });
  return (candidates) => candidates.some((candidate) => isMatch(candidate));
}
