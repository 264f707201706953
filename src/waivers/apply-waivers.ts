import picomatch from 'picomatch';
import type { AnalysisFinding, FileAnalysis, InputAnalysis } from '../analysis/file-analysis.js';
import type { Finding } from '../check/check.js';

/**
 * WaiverRule is a reviewed exception as the config file writes it: a violation of `version`
 * (optionally only from `library`, only for some `symbols`, only in some `paths`) is accepted for `reason`.
 */
export interface WaiverRule {
  readonly version: string;
  readonly library?: string;
  /** The violation is waived only if every symbol bound to it is listed here. */
  readonly symbols?: readonly string[];
  /** Globs; the violation is waived only in files one of them matches. */
  readonly paths?: readonly string[];
  readonly reason: string;
}

/** Waiver is a rule with where it was written. */
export interface Waiver extends WaiverRule {
  /** Where the waiver was written, for messages: `.glibc-floor.json waivers[0]`. */
  readonly source: string;
}

/** WaiverResult is the analyses with waivers applied, and the waivers that matched nothing. */
export interface WaiverResult {
  readonly files: InputAnalysis[];
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
 * applyWaivers marks each violation a waiver accepts with the waiver's reason (the report lists it
 * under `waivedViolations`): a file whose violations are all waived passes. Nothing is dropped.
 * Library findings and failing loader-era findings are not waivable: they keep the file failing. A waiver with `symbols` accepts a violation only when
 * every symbol bound to it is listed, so a new symbol needing the same version still fails (the
 * loader checks the version need whatever symbol brought it in). Pure: no I/O.
 */
export function applyWaivers(files: readonly InputAnalysis[], waivers: readonly Waiver[], pathCandidates: PathCandidates): WaiverResult {
  const applier = waiverApplier(waivers, pathCandidates);
  const result = files.map((file) => applier.apply(file));
  return { files: result, unused: applier.unused() };
}

/** WaiverApplier applies waivers one entry at a time (a streamed run) and tells at the end which matched nothing. */
export interface WaiverApplier {
  apply(file: InputAnalysis): InputAnalysis;
  unused(): Waiver[];
}

/** waiverApplier compiles the waivers once; `apply` does for one entry what applyWaivers does for all. */
export function waiverApplier(waivers: readonly Waiver[], pathCandidates: PathCandidates): WaiverApplier {
  const compiled: CompiledWaiver[] = waivers.map((waiver) => ({ waiver, matchesPath: pathMatcher(waiver.paths), used: false }));
  return {
    apply(file) {
      if (file.status !== 'analysed' || compiled.length === 0) return file;
      if (!file.findings.some((entry) => entry.kind === 'violation' && entry.waived === undefined)) return file;
      return waiveFile(file, compiled, pathCandidates(file.path));
    },
    unused: () => compiled.filter((entry) => !entry.used).map((entry) => entry.waiver),
  };
}

function waiveFile(file: FileAnalysis, waivers: CompiledWaiver[], candidates: readonly string[]): FileAnalysis {
  let changed = false;
  const findings = file.findings.map((entry): AnalysisFinding => {
    if (entry.kind !== 'violation' || entry.waived !== undefined) return entry;
    const match = waivers.find((waiver) => accepts(waiver, entry.finding, candidates));
    if (match === undefined) return entry;
    match.used = true;
    changed = true;
    return { ...entry, waived: match.waiver.reason };
  });
  return changed ? { ...file, findings } : file;
}

function accepts(entry: CompiledWaiver, { requirement: need }: Finding, candidates: readonly string[]): boolean {
  const { waiver } = entry;
  if (waiver.version !== need.version) return false;
  if (waiver.library !== undefined && waiver.library !== need.library) return false;
  if (waiver.symbols !== undefined) {
    if (need.symbols.length === 0) return false;
    const listed = new Set(waiver.symbols);
    if (!need.symbols.every((symbol) => listed.has(symbol))) return false;
  }
  return entry.matchesPath(candidates);
}

function pathMatcher(globs: readonly string[] | undefined): (candidates: readonly string[]) => boolean {
  if (globs === undefined) return () => true;
  const isMatch = picomatch([...globs], { dot: true });
  return (candidates) => candidates.some((candidate) => isMatch(candidate));
}
