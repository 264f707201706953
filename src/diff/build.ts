import type { FileAnalysis, InputAnalysis } from '../analysis/file-analysis.js';
import { maxVersions } from '../check/check.js';
import { TOOL_NAME } from '../report/build.js';
import { compareFiles } from './compare.js';
import type { Side } from './collect.js';
import type { DiffReport, DiffSummary, FileDiff } from './model.js';

/**
 * buildDiff matches the two sides by relative path (or pairs the two named files) and compares
 * each pair; files on one side only are listed with their highest versions. Entries are sorted
 * by path. The result is `error` when a file could not be read, `fail` when a pair was raised
 * and `failOnRaise` is on, else `pass`.
 */
export function buildDiff(
  toolVersion: string,
  oldPath: string,
  newPath: string,
  old: Side,
  next: Side,
  failOnRaise: boolean,
): DiffReport {
  const keys = [...new Set([...old.files.keys(), ...next.files.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const files = keys.map((key) => diffEntry(key === '' ? newPath : key, old.files.get(key), next.files.get(key)));
  const count = (status: FileDiff['status']) => files.filter((file) => file.status === status).length;
  const summary: DiffSummary = {
    pairs: files.filter((file) => file.old !== undefined && file.new !== undefined && file.status !== 'error').length,
    raised: count('raised'),
    changed: count('changed'),
    unchanged: count('unchanged'),
    onlyInOld: count('only-in-old'),
    onlyInNew: count('only-in-new'),
    errors: count('error'),
  };
  const result = summary.errors > 0 ? 'error' : failOnRaise && summary.raised > 0 ? 'fail' : 'pass';
  return {
    schemaVersion: 1,
    tool: { name: TOOL_NAME, version: toolVersion },
    command: 'diff',
    old: oldPath,
    new: newPath,
    failOnRaise,
    result,
    summary,
    files,
  };
}

function diffEntry(path: string, before: InputAnalysis | undefined, after: InputAnalysis | undefined): FileDiff {
  const sides = { ...(before !== undefined ? { old: before.path } : {}), ...(after !== undefined ? { new: after.path } : {}) };
  const problems = [before, after].flatMap((file) => (file === undefined ? [] : problemOf(file)));
  if (problems.length > 0) return { path, status: 'error', ...sides, error: problems.join('; ') };
  if (before !== undefined && !isChecked(before)) return { path, status: 'error', ...sides, error: 'not comparable' };
  if (after !== undefined && !isChecked(after)) return { path, status: 'error', ...sides, error: 'not comparable' };
  if (before === undefined) return { path, status: 'only-in-new', ...sides, maxVersions: after === undefined ? {} : maxVersions(after.requirements) };
  if (after === undefined) return { path, status: 'only-in-old', ...sides, maxVersions: maxVersions(before.requirements) };
  return compareFiles(path, before, after);
}

function isChecked(file: InputAnalysis): file is FileAnalysis {
  return file.status === 'analysed';
}

/** problemOf names why a side cannot be compared: it could not be read, or is not ELF. */
function problemOf(file: InputAnalysis): string[] {
  if (file.status === 'error') return [`${file.path}: ${file.error}`];
  if (file.status === 'skipped') return [`${file.path}: ${file.reason}`];
  return [];
}


