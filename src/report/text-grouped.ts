import type { ChalkInstance } from 'chalk';
import { catalogueFixes, genericFix, isBuildAdvice } from '../hints/match.js';
import { buildAdvice, toolchainFor, type MachineOf } from '../hints/toolchains.js';
import { FINDINGS } from './findings.js';
import type { CheckedFileReport, FindingReport, Report } from './model.js';
import { neededFloors } from './needed-floors.js';
import { newestFirst } from './order.js';

/** Per cause, this many symbols are named (the most common first); per file line, this many. */
const CAUSE_SYMBOLS = 6;
const FILE_SYMBOLS = 3;

/**
 * A cause is one (version need, hint) pair seen across the failing files: the same reason for the
 * same need, whatever file has it. A need no hint explains is its own cause, with its symbols.
 */
interface Cause {
  readonly key: string;
  readonly finding: FindingReport;
  readonly hintId: string | undefined;
  readonly why: string | undefined;
  readonly files: Set<string>;
  readonly symbols: Map<string, number>;
  readonly machines: Map<string, MachineOf>;
}

/**
 * renderGrouped prints a check of many failing files so that each piece of advice appears once:
 * first the causes (each need and hint with its file count, its symbols, why and fix), then the
 * build advice for each machine present, then one line per failing file, then the errors and the
 * skipped files counted by reason, and a closing line with the floor these files need and what to do.
 * `width` (a terminal's columns) shortens the per-file lines; in a pipe every line is whole.
 */
export function renderGrouped(report: Report, chalk: ChalkInstance, width: number | undefined): string[] {
  const failing = report.files.filter((file): file is CheckedFileReport => file.status === 'fail');
  const causes = collectCauses(failing);
  const lines: string[] = [chalk.bold(`Causes, by the number of failing files (${failing.length} of ${report.summary.files - report.summary.skipped} files fail):`)];
  const printedFixes = new Map<string, number>();
  const buildMachines = new Map<string, MachineOf>();
  for (const cause of causes) lines.push(...causeLines(cause, chalk, printedFixes, buildMachines));
  const libraries = libraryCauses(failing);
  for (const [text, count] of libraries) lines.push(`  ${chalk.red(text)} ${chalk.dim(`- ${plural(count, 'file')}`)}`);

  if (buildMachines.size > 0) {
    const floor = report.floors['GLIBC'];
    lines.push('', chalk.bold(`Build on an older glibc${floor === undefined ? '' : ` (glibc ${floor} or older)`}, per machine:`));
    for (const machine of [...buildMachines.values()].sort((a, b) => machineName(a).localeCompare(machineName(b)))) {
      lines.push(`  ${buildAdvice(machine, floor)}`);
    }
  }

  lines.push('', chalk.bold('Failing files:'));
  for (const file of failing) lines.push(fit(fileLine(file, chalk), width));
  const errors = report.files.filter((file) => file.status === 'error');
  for (const file of errors) lines.push(fit(`${chalk.red.bold('error')} ${file.path}: ${file.error}`, width));
  const waived = report.files.reduce((sum, file) => sum + (file.status === 'pass' || file.status === 'fail' ? file.waivedViolations?.length ?? 0 : 0), 0);
  const warned = report.files.filter((file) => (file.status === 'pass' || file.status === 'fail') && (file.warnings?.length ?? 0) > 0).length;
  const skipped = skippedByReason(report);
  const tail: string[] = [];
  if (skipped !== '') tail.push(`skipped: ${skipped}`);
  if (warned > 0) tail.push(`${plural(warned, 'file')} with weak needs above the floor (the loader only warns; --verbose lists them)`);
  if (waived > 0) tail.push(`${plural(waived, 'waived violation')} (--verbose lists them)`);
  if (tail.length > 0) lines.push('', ...tail);
  lines.push('', closingLine(report, failing, causes, chalk));
  return lines;
}

function collectCauses(failing: readonly CheckedFileReport[]): Cause[] {
  const causes = new Map<string, Cause>();
  const add = (file: CheckedFileReport, finding: FindingReport, hintId: string | undefined, why: string | undefined, symbols: readonly string[]) => {
    const key = `${finding.library}\0${finding.version}\0${finding.reason}\0${hintId ?? ''}`;
    let cause = causes.get(key);
    if (cause === undefined) {
      cause = { key, finding, hintId, why, files: new Set(), symbols: new Map(), machines: new Map() };
      causes.set(key, cause);
    }
    cause.files.add(file.path);
    for (const symbol of symbols) cause.symbols.set(symbol, (cause.symbols.get(symbol) ?? 0) + 1);
    cause.machines.set(machineName(file.elf), file.elf);
  };
  for (const file of failing) {
    for (const finding of file.violations ?? []) {
      const hints = finding.hints ?? [];
      for (const hint of hints) add(file, finding, hint.id, hint.why, hint.symbols);
      const whole = hints.some((hint) => hint.symbols.length === 0);
      const explained = new Set(hints.flatMap((hint) => hint.symbols));
      const rest = finding.symbols.filter((symbol) => !explained.has(symbol));
      if (!whole && (hints.length === 0 || rest.length > 0)) add(file, finding, undefined, undefined, rest);
    }
  }
  // Most files first; then the newest version; then the catalogue's cause before the unexplained rest.
  return [...causes.values()].sort((a, b) => b.files.size - a.files.size || newestFirst(a.finding, b.finding) || (a.hintId === undefined ? 1 : 0) - (b.hintId === undefined ? 1 : 0));
}

function causeLines(cause: Cause, chalk: ChalkInstance, printedFixes: Map<string, number>, buildMachines: Map<string, MachineOf>): string[] {
  const finding = cause.finding;
  const stands = finding.standsFor === undefined ? '' : ` (= ${finding.family} ${finding.standsFor})`;
  const comparison = finding.reason === 'above-floor' && finding.floor !== 'exact' ? ` > ${finding.floor}` : '';
  const note = FINDINGS[finding.reason].note;
  const symbols = [...cause.symbols.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const shown = symbols.slice(0, CAUSE_SYMBOLS).map(([symbol, count]) => (count === cause.files.size ? symbol : `${symbol} (${count})`));
  const more = symbols.length > CAUSE_SYMBOLS ? ` +${symbols.length - CAUSE_SYMBOLS} more` : '';
  const what = shown.length === 0 ? chalk.dim('no symbol: the need itself') : `${shown.join(', ')}${more}`;
  const head = `  ${chalk.red(`${finding.version}${stands}${comparison}`)} from ${finding.library}${note === '' ? '' : chalk.dim(` - ${note}`)}, ${chalk.bold(plural(cause.files.size, 'file'))}: ${what}`;
  const lines = [head];
  if (cause.hintId === undefined) return lines;
  const machines = [...cause.machines.values()];
  const refs: number[] = [];
  const fresh: string[] = [];
  for (const fix of catalogueFixes(cause.hintId) ?? []) {
    if (isBuildAdvice(fix)) for (const machine of machines) buildMachines.set(machineName(machine), machine);
    const text = genericFix(fix, machines, 'per machine below');
    const number = printedFixes.get(text);
    if (number !== undefined) {
      refs.push(number);
      continue;
    }
    printedFixes.set(text, printedFixes.size + 1);
    fresh.push(`    ${chalk.cyan(`fix ${printedFixes.size}:`)} ${text}`);
  }
  // A fix already given for another cause is referred to by number, so no advice line repeats.
  const also = refs.length === 0 ? '' : chalk.dim(` (also fix ${refs.join(', ')})`);
  lines.push(`    ${chalk.cyan('why:')} ${cause.why}${also}`, ...fresh);
  return lines;
}

/** libraryCauses counts the needed-library findings (`--allow-lib`, missing on a system, musl) by library and reason. */
function libraryCauses(failing: readonly CheckedFileReport[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const file of failing) {
    for (const finding of file.libraryFindings ?? []) {
      const text = `${finding.library} (${finding.reason})`;
      counts.set(text, (counts.get(text) ?? 0) + 1);
    }
  }
  return counts;
}

/** fileLine: one failing file, its versions above the floor and their leading symbols. */
function fileLine(file: CheckedFileReport, chalk: ChalkInstance): string {
  const violations = [...(file.violations ?? [])].sort(newestFirst);
  const versions = violations.map((finding) => finding.version);
  const symbols = [...new Set(violations.flatMap((finding) => finding.symbols))];
  const more = symbols.length > FILE_SYMBOLS ? ` +${symbols.length - FILE_SYMBOLS} more` : '';
  const libraries = (file.libraryFindings ?? []).map((finding) => `${finding.library} (${finding.reason})`);
  const needs = [versions.join(' '), libraries.join(' ')].filter((part) => part !== '').join('; ');
  const shown = symbols.length === 0 ? '' : chalk.dim(`: ${symbols.slice(0, FILE_SYMBOLS).join(', ')}${more}`);
  return `${chalk.red.bold('FAIL')}  ${file.path} ${chalk.dim(`(${machineName(file.elf)})`)} ${needs}${shown}`;
}

/** skippedByReason: "434 (not-elf 430, symlink-loop 4)", or '' when nothing was skipped. */
function skippedByReason(report: Report): string {
  const counts = new Map<string, number>();
  for (const file of report.files) if (file.status === 'skipped') counts.set(file.reason, (counts.get(file.reason) ?? 0) + 1);
  if (counts.size === 0) return '';
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return `${total} (${[...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([reason, count]) => `${reason} ${count}`).join(', ')})`;
}

/**
 * closingLine says what to do: the floor the failing files need per family with a floor, and the
 * top cause; "to keep" the floor, the advice above.
 */
function closingLine(report: Report, failing: readonly CheckedFileReport[], causes: readonly Cause[], chalk: ChalkInstance): string {
  const needed = neededFloors(failing);
  const families = Object.keys(report.floors).filter((family) => needed[family] !== undefined);
  const need = families.map((family) => `${family === 'GLIBC' ? 'glibc' : family} >= ${needed[family]!.version}`).join(', ');
  const top = causes[0];
  const topText = top === undefined ? '' : `; the top cause is ${top.finding.version}${top.symbols.size > 0 ? ` (${[...top.symbols.entries()].sort((a, b) => b[1] - a[1])[0]![0]})` : ''} in ${plural(top.files.size, 'file')}`;
  const keep = Object.entries(report.floors).map(([family, version]) => `${family === 'GLIBC' ? '' : `${family} `}${version}`).join(', ');
  const what = need === '' ? `${plural(failing.length, 'file')} fail` : `these files need ${need}`;
  return chalk.bold(`${what}${topText}; to keep ${keep}, apply the fixes above${top !== undefined && causeUsesBuildAdvice(causes) ? ' (for most: build on an older glibc, per machine above)' : ''}.`);
}

function causeUsesBuildAdvice(causes: readonly Cause[]): boolean {
  const top = causes[0];
  return top?.hintId !== undefined && (catalogueFixes(top.hintId) ?? []).some(isBuildAdvice);
}

function machineName(machine: MachineOf): string {
  return toolchainFor(machine)?.name ?? machine.machine;
}

/** fit shortens a line to a terminal's width (counting what is seen, not the color codes). */
function fit(line: string, width: number | undefined): string {
  if (width === undefined || width < 20) return line;
  // eslint-disable-next-line no-control-regex
  const visible = line.replace(/\u001b\[[0-9;]*m/g, '');
  if (visible.length <= width) return line;
  return `${visible.slice(0, width - 1)}…`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
