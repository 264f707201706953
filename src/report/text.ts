import type { ChalkInstance } from 'chalk';
import { compareVersions, parseDottedVersion, parseVersionName } from '../versions/version-name.js';
import type { Platforms } from '../targets/platforms.js';
import { FINDINGS, waiverReason } from './findings.js';
import type { CheckedFileReport, FindingReport, Report, RequirementReport } from './model.js';
import { countParts, type RunSummary } from './run-summary.js';

/** At most this many symbols are listed per version in the text report; JSON has them all. */
const MAX_SYMBOLS = 12;

/**
 * renderText prints the report for people: one line per passing file, the versions above the
 * floor with the symbols that need them for each failing file, errors, and one summary line.
 * Color comes only from the injected chalk instance (level 0 off a terminal).
 */
export function renderText(report: Report, chalk: ChalkInstance, run: RunSummary): string {
  const lines: string[] = [];
  for (const file of report.files) {
    if (file.status === 'skipped') continue;
    if (file.status === 'error') {
      lines.push(`${chalk.red.bold('error')} ${file.path}: ${file.error}`);
      continue;
    }
    if (report.command === 'show') lines.push(...showFile(file, chalk));
    else lines.push(...checkFile(file, chalk));
  }
  if (lines.length > 0) lines.push('');
  lines.push(summaryLine(report, run, chalk));
  return `${lines.join('\n')}\n`;
}

function describe(file: CheckedFileReport): string {
  // glibc-dynamic, the common case, goes unsaid in text (JSON always has `kind`); other kinds are named.
  const kind = file.kind === undefined ? (file.elf.static ? 'static' : '') : file.kind.name === 'glibc-dynamic' ? '' : file.kind.name;
  const needs = file.requirements.length === 0 && !file.elf.static ? 'no version needs' : '';
  const go = file.go === undefined ? '' : `${file.go.goVersion}${file.go.cgo === null ? '' : file.go.cgo ? ' cgo' : ' no cgo'}`;
  const max = Object.entries(file.maxVersions).map(([family, version]) => `${family} ${version}`);
  return [file.elf.machine, kind, go, needs, ...max].filter((part) => part !== '').join(', ');
}

/** kindWarningLines prints the binary kind's caveat (static glibc and NSS) under the file line. */
function kindWarningLines(file: CheckedFileReport, chalk: ChalkInstance): string[] {
  return file.kind?.warning === undefined ? [] : [`      ${chalk.yellow('note:')} ${file.kind.warning}`];
}

/** hintLines prints, under an offending version, why it is needed and the usual fixes (src/hints). */
function hintLines(finding: FindingReport, chalk: ChalkInstance, shownFixes: Set<string>): string[] {
  const lines: string[] = [];
  for (const hint of finding.hints ?? []) {
    const partial = hint.symbols.length > 0 && hint.symbols.length < finding.symbols.length;
    const about = partial ? ` (${hint.symbols.slice(0, 4).join(', ')}${hint.symbols.length > 4 ? ', ...' : ''})` : '';
    lines.push(`        ${chalk.cyan(`why${about}:`)} ${hint.why}`);
    // A fix already printed for this file (the common "build against the oldest glibc") is not repeated.
    const fresh = hint.fixes.filter((fix) => !shownFixes.has(fix));
    for (const fix of fresh) {
      shownFixes.add(fix);
      lines.push(`        ${chalk.cyan('fix:')} ${fix}`);
    }
    if (fresh.length === 0) lines.push(`        ${chalk.cyan('fix:')} ${chalk.dim('as above')}`);
  }
  return lines;
}

function checkFile(file: CheckedFileReport, chalk: ChalkInstance): string[] {
  const label = file.status === 'pass' ? chalk.green('pass') : chalk.red.bold('FAIL');
  const lines = [`${label}  ${file.path} ${chalk.dim(`(${describe(file)})`)}`, ...kindWarningLines(file, chalk)];
  const shownFixes = new Set<string>();
  for (const finding of [...(file.violations ?? [])].sort(newestFirst)) lines.push(...findingLines(finding, chalk, chalk.red, shownFixes));
  for (const finding of [...(file.warnings ?? [])].sort(newestFirst)) {
    lines.push(...findingLines(finding, chalk, chalk.yellow, shownFixes, 'weak need, used by no strong symbol: the loader only warns'));
  }
  for (const finding of file.libraryFindings ?? []) lines.push(`      ${chalk.red(finding.library)} ${chalk.dim(`- ${finding.message}`)}`);
  for (const finding of file.waivedViolations ?? []) {
    lines.push(...findingLines(finding, chalk, chalk.cyan, shownFixes, `waived: ${waiverReason(finding)}`));
  }
  return lines;
}

function findingLines(finding: FindingReport, chalk: ChalkInstance, tone: ChalkInstance, shownFixes: Set<string>, extra?: string): string[] {
  const stands = finding.standsFor === undefined ? '' : ` (= ${finding.family} ${finding.standsFor})`;
  const comparison = finding.reason === 'above-floor' && finding.floor !== 'exact' ? ` > ${finding.floor}` : '';
  const on = finding.failsOn === undefined ? undefined : `on ${finding.failsOn.join(', ')}`;
  const why = [FINDINGS[finding.reason].note, on, extra].filter((text) => text !== undefined && text !== '').join('; ');
  const head = `      ${tone(`${finding.version}${stands}${comparison}`)} from ${finding.library}${why === '' ? '' : chalk.dim(` - ${why}`)}`;
  return [head, `        ${symbolList(finding.symbols, chalk)}`, ...hintLines(finding, chalk, shownFixes)];
}

function symbolList(symbols: readonly string[], chalk: ChalkInstance): string {
  if (symbols.length === 0) return chalk.dim('(no symbol: the need itself is checked at start-up)');
  const shown = symbols.slice(0, MAX_SYMBOLS).join(', ');
  const more = symbols.length - MAX_SYMBOLS;
  return more > 0 ? `${shown} ${chalk.dim(`and ${more} more (see --format json)`)}` : shown;
}

function showFile(file: CheckedFileReport, chalk: ChalkInstance): string[] {
  const interpreter = file.elf.interpreter === null ? '' : `, interpreter ${file.elf.interpreter}`;
  const lines = [`${chalk.bold(file.path)} ${chalk.dim(`(${describe(file)}; ${file.elf.class}-bit ${file.elf.endian}-endian ${file.elf.type}${interpreter})`)}`];
  lines.push(...kindWarningLines(file, chalk));
  const byLibrary = new Map<string, RequirementReport[]>();
  for (const requirement of file.requirements) {
    const list = byLibrary.get(requirement.library) ?? [];
    list.push(requirement);
    byLibrary.set(requirement.library, list);
  }
  for (const [library, requirements] of byLibrary) {
    lines.push(`  ${library}`);
    const width = Math.max(...requirements.map((r) => r.version.length));
    for (const requirement of [...requirements].sort(newestFirst)) {
      const weak = requirement.weak ? chalk.yellow(' [weak]') : '';
      lines.push(`    ${requirement.version.padEnd(width)}${weak}  ${symbolList(requirement.symbols, chalk)}`);
    }
  }
  if (file.platforms !== undefined) lines.push(...platformLines(file.platforms, chalk));
  return lines;
}

/** platformLines answers `show`'s reverse question: where the file runs, and what stops it elsewhere. */
function platformLines(platforms: Platforms, chalk: ChalkInstance): string[] {
  if (platforms.musl === true) return [`  ${chalk.red('runs on no glibc target')}: built for musl libc`];
  const lines = [`  ${chalk.green('runs on')}: ${platforms.runsOn.length > 0 ? platforms.runsOn.join(', ') : chalk.dim('none of the catalogue')}`];
  for (const blocked of platforms.newestBlocked) {
    const what = blocked.blockers.map((blocker) => {
      const floor = blocker.reason === 'above-floor' ? ` > ${blocker.floor}` : blocker.reason === 'not-defined' ? ` not in ${blocker.library}` : ` (${blocker.reason})`;
      const symbols = blocker.symbols.length > 0 ? ` (${blocker.symbols.slice(0, 4).join(', ')}${blocker.symbols.length > 4 ? ', ...' : ''})` : '';
      return `${blocker.version}${floor}${symbols}`;
    });
    lines.push(`  ${chalk.red('not on')} ${blocked.target} ${chalk.dim('(newest such ' + blocked.line + ')')}: ${what.join('; ')}`);
  }
  if (platforms.unknownOn.length > 0) {
    lines.push(`  ${chalk.yellow('unknown on')}: ${platforms.unknownOn.map((entry) => `${entry.target} (${entry.families.join(', ')} unknown)`).join(', ')}`);
  }
  return lines;
}

/**
 * newestFirst sorts non-numeric names first, then versions from newest to oldest; a marker sorts
 * as the release it stands for.
 */
function newestFirst(a: RequirementReport & { standsFor?: string }, b: RequirementReport & { standsFor?: string }): number {
  const pa = a.standsFor === undefined ? parseVersionName(a.version).parts : parseDottedVersion(a.standsFor);
  const pb = b.standsFor === undefined ? parseVersionName(b.version).parts : parseDottedVersion(b.standsFor);
  if (pa === null || pb === null) return (pa === null ? 0 : 1) - (pb === null ? 0 : 1);
  return compareVersions(pb, pa);
}

function summaryLine(report: Report, run: RunSummary, chalk: ChalkInstance): string {
  // The counts are the run summary's, worded as in every other format; only the colors are text's.
  const tone = { passed: chalk.green, failed: run.failed > 0 ? chalk.red.bold : (text: string) => text, read: (text: string) => text, errors: run.errors > 0 ? chalk.red : (text: string) => text, skipped: (text: string) => text };
  const { files, counts } = countParts(run);
  const parts = [`${files}: ${counts.map((part) => tone[part.name](part.text)).join(', ')}`];
  const sources = report.floorSources ?? {};
  const floors = Object.entries(report.floors).map(([family, version]) => `${family} ${version}${sources[family] === undefined ? '' : ` (${sources[family]})`}`).join(', ');
  const exact = (report.targets ?? []).filter((target) => target.exactMachines.length > 0).map((target) => target.name);
  const notes = (report.floorNotes ?? []).map((note) => `\n${chalk.dim(`note: ${note}`)}`).join('');
  const exactText = exact.length > 0 ? `; exact version sets of ${exact.join(', ')}` : '';
  return `${parts.join(', ')}${floors === '' ? '' : ` - floor ${floors}`}${exactText}${notes}`;
}
