import type { ChalkInstance } from 'chalk';
import type { Platforms } from '../targets/platforms.js';
import { describeSkips } from '../scan/skip-reason.js';
import { FINDINGS, waiverReason } from './findings.js';
import type { CheckedFileReport, DeclaredReport, FindingReport, Report, RequirementReport } from './model.js';
import { newestFirst } from './order.js';
import { renderGrouped } from './text-grouped.js';
import { countParts, type RunSummary } from './run-summary.js';

/** At most this many symbols are listed per version in the text report; JSON has them all. */
const MAX_SYMBOLS = 12;

/** How the text report is laid out: `verbose` lists every file in full; `width` is a terminal's columns. */
export interface TextOptions {
  /** The run summary, computed once per run: the summary line's counts are every format's. */
  readonly run: RunSummary;
  readonly verbose?: boolean;
  readonly width?: number;
}

/**
 * renderText prints the report for people. A check with several failing files is grouped by
 * cause (text-grouped.ts), so each why and fix is said once; one failing file, `show`, and
 * `--verbose` print each file in full: one line per passing file, the versions above the floor
 * with the symbols that need them for each failing file, errors. Then one summary line.
 * Color comes only from the injected chalk instance (level 0 off a terminal).
 */
export function renderText(report: Report, chalk: ChalkInstance, options: TextOptions): string {
  const { run } = options;
  const lines: string[] = [];
  if (report.command === 'check' && options.verbose !== true && report.summary.failed > 1) {
    lines.push(...renderGrouped(report, chalk, options.width), '', summaryLine(report, run, chalk));
    return `${lines.join('\n')}\n`;
  }
  for (const file of report.files) {
    if (file.status === 'skipped') continue;
    if (file.status === 'error') {
      lines.push(`${chalk.red.bold('error')} ${file.path}: ${file.error}`);
      continue;
    }
    if (report.command === 'show') lines.push(...showFile(file, chalk));
    else lines.push(...checkFile(file, chalk));
  }
  for (const entry of report.declared ?? []) lines.push(...declaredLines(entry, report.command, chalk));
  if (lines.length > 0) lines.push('');
  if (report.neededFloors !== undefined) lines.push(...neededFloorLines(report));
  lines.push(summaryLine(report, run, chalk));
  return `${lines.join('\n')}\n`;
}

function describe(file: CheckedFileReport): string {
  // glibc-dynamic, the common case, goes unsaid in text (JSON always has `kind`); other kinds are named.
  const kind = file.kind === undefined ? (file.elf.static ? 'static' : '') : file.kind.name === 'glibc-dynamic' ? '' : file.kind.name;
  const needs = file.requirements.length === 0 && !file.elf.static ? 'no version needs' : '';
  const go = file.go === undefined ? '' : `${file.go.goVersion}${file.go.cgo === null ? '' : file.go.cgo ? ' cgo' : ' no cgo'}`;
  const max = Object.entries(file.maxVersions).map(([family, version]) => `${family} ${version}`);
  const archive = file.archive === undefined ? '' : `ar archive of ${file.archive.members.length} member${file.archive.members.length === 1 ? '' : 's'}`;
  const stack = file.loader === undefined || file.loader.stack === 'not-executable' ? '' : 'executable stack';
  return [file.elf.machine, archive, kind, go, needs, ...max, file.loader?.x86Level ?? '', stack].filter((part) => part !== '').join(', ');
}

/** loaderLines prints the loader-era findings: failing ones in red with the fix, notes dimmed. */
function loaderLines(file: CheckedFileReport, chalk: ChalkInstance): string[] {
  const lines: string[] = [];
  for (const finding of file.loaderFindings ?? []) {
    const fails = finding.failsOn.length > 0;
    const head = fails ? chalk.red(`${FINDINGS[finding.code].name} on ${finding.failsOn.join(', ')}:`) : chalk.yellow('note:');
    lines.push(`      ${head} ${finding.message}`, `        ${chalk.cyan('fix:')} ${finding.fix}`);
  }
  return lines;
}

/** memberLines lists an archive's members for `show`, each with the needs it brings by itself. */
function memberLines(file: CheckedFileReport, chalk: ChalkInstance): string[] {
  if (file.archive === undefined) return [];
  const lines = [`  ${chalk.bold('members')}`];
  for (const member of file.archive.members) {
    if (member.skipped !== undefined) {
      lines.push(`    ${member.name} ${chalk.dim(`(${member.skipped})`)}`);
      continue;
    }
    lines.push(`    ${member.name}${member.requirements.length === 0 ? chalk.dim(' (no glibc symbol)') : ''}`);
    for (const requirement of [...member.requirements].sort(newestFirst)) lines.push(`      ${requirement.library} ${requirement.version}  ${symbolList(requirement.symbols, chalk)}`);
  }
  return lines;
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
  lines.push(...loaderLines(file, chalk));
  for (const need of file.unchecked ?? []) {
    lines.push(`      ${chalk.yellow(`${need.version} from ${need.library}`)} ${chalk.dim(`- not checked: not in ${need.uncheckedOn.join(', ')}, and no --floor for ${need.family}`)}`);
  }
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
  if (finding.reason === 'symbol-not-defined') {
    // The loader's own words for each symbol it would fail to bind (elf/dl-lookup.c).
    const shown = finding.symbols.slice(0, MAX_SYMBOLS).map((symbol) => `        undefined symbol: ${symbol}, version ${finding.version}`);
    const more = finding.symbols.length - shown.length;
    return [head, ...shown, ...(more > 0 ? [`        ${chalk.dim(`and ${more} more (see --format json)`)}`] : []), ...hintLines(finding, chalk, shownFixes)];
  }
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
  lines.push(...memberLines(file, chalk));
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
    const rules = (blocked.loader ?? []).map((finding) => FINDINGS[finding.code].name);
    lines.push(`  ${chalk.red('not on')} ${blocked.target} ${chalk.dim('(newest such ' + blocked.line + ')')}: ${[...what, ...rules].join('; ')}`);
  }
  if (platforms.unknownOn.length > 0) {
    lines.push(`  ${chalk.yellow('unknown on')}: ${platforms.unknownOn.map((entry) => `${entry.target} (${entry.families.join(', ')} unknown)`).join(', ')}`);
  }
  return lines;
}

/** declaredLines: a package's declared floor, its verdict, the members that break it, the honest claim. */
function declaredLines(entry: DeclaredReport, command: Report['command'], chalk: ChalkInstance): string[] {
  const label = command === 'show' ? 'declared' : entry.status === 'broken' ? chalk.red.bold('WRONG') : entry.status === 'none' ? 'none ' : entry.status === 'higher' ? chalk.yellow('note ') : chalk.green('holds');
  const lines = [`${label} ${entry.artifact}: ${entry.message}`];
  for (const problem of entry.problems) lines.push(`      ${problem}`);
  return lines;
}

function summaryLine(report: Report, run: RunSummary, chalk: ChalkInstance): string {
  // The counts are the run summary's, worded as in every other format; only the colors are text's.
  const tone = { passed: chalk.green, failed: run.failed > 0 ? chalk.red.bold : (text: string) => text, read: (text: string) => text, errors: run.errors > 0 ? chalk.red : (text: string) => text, skipped: (text: string) => text };
  const { files, counts } = countParts(run);
  // Why files were skipped, by reason: `434 skipped (433 not ELF, 1 duplicate)`.
  const skippedWhy = run.skippedBy.size > 0 ? ` (${describeSkips(run.skippedBy)})` : '';
  const parts = [`${files}: ${counts.map((part) => tone[part.name](part.text) + (part.name === 'skipped' ? skippedWhy : '')).join(', ')}`];
  const sources = report.floorSources ?? {};
  const floors = Object.entries(report.floors).map(([family, version]) => `${family} ${version}${sources[family] === undefined ? '' : ` (${sources[family]})`}`).join(', ');
  const exact = (report.targets ?? []).filter((target) => target.exactMachines.length > 0).map((target) => target.name);
  const notes = [
    ...(report.floorNotes ?? []).map((note) => `\n${chalk.dim(`note: ${note}`)}`),
    ...(report.warnings ?? []).map((warning) => `\n${chalk.yellow(`warning: ${warning}`)}`),
    ...(report.error === undefined ? [] : [`\n${chalk.red.bold('error:')} ${report.error}`]),
  ].join('');
  const exactText = exact.length > 0 ? `; exact version sets of ${exact.join(', ')}` : '';
  return `${parts.join(', ')}${floors === '' ? '' : ` - floor ${floors}`}${exactText}${notes}`;
}

/** neededFloorLines: `show`'s answer to "which floor does this set need", per family, with the files that set it. */
function neededFloorLines(report: Report): string[] {
  const entries = Object.entries(report.neededFloors ?? {});
  if (entries.length === 0) return [];
  const parts = entries.map(([family, needed]) => {
    const others = needed.fileCount - 1;
    const who = `${needed.files[0]}${others > 0 ? ` and ${others} more` : ''}`;
    return `${family === 'GLIBC' ? 'glibc' : family} >= ${needed.version} because of ${who}`;
  });
  return [`${report.summary.files - report.summary.skipped === 1 ? 'this file needs' : 'this set needs'} ${parts.join('; ')}`];
}
