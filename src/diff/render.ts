import type { ChalkInstance } from 'chalk';
import type { DiffReport, FileDiff, RequirementChange, SymbolChange } from './model.js';

/** At most this many symbol changes are listed per file in text; JSON has them all. */
const MAX_SYMBOLS = 12;

/** diffRenderers maps the `diff --format` choices to renderers. */
export const diffRenderers = {
  text: (report: DiffReport, chalk: ChalkInstance) => renderDiffText(report, chalk),
  json: (report: DiffReport) => `${JSON.stringify(report, null, 2)}\n`,
} as const;

export type DiffFormat = keyof typeof diffRenderers;
export const DIFF_FORMATS = Object.keys(diffRenderers) as DiffFormat[];

/**
 * renderDiffText prints, per file, whether NEW requires more than OLD, each family's highest
 * version before and after, the needs that appeared (with the catalogue's why) or went away, and
 * the symbol bindings that changed; then a summary line.
 */
export function renderDiffText(report: DiffReport, chalk: ChalkInstance): string {
  const lines: string[] = [];
  for (const file of report.files) lines.push(...fileLines(file, chalk));
  if (lines.length > 0) lines.push('');
  lines.push(summaryLine(report, chalk));
  return `${lines.join('\n')}\n`;
}

const LABELS: Record<FileDiff['status'], (chalk: ChalkInstance) => string> = {
  raised: (chalk) => chalk.red.bold('RAISED   '),
  changed: (chalk) => chalk.yellow('changed  '),
  unchanged: (chalk) => chalk.green('same     '),
  'only-in-old': (chalk) => chalk.dim('only old '),
  'only-in-new': (chalk) => chalk.dim('only new '),
  error: (chalk) => chalk.red.bold('error    '),
};

function fileLines(file: FileDiff, chalk: ChalkInstance): string[] {
  const lines = [`${LABELS[file.status](chalk)}${file.path}`];
  if (file.error !== undefined) return [...lines, `      ${file.error}`];
  if (file.maxVersions !== undefined) {
    const max = Object.entries(file.maxVersions).map(([family, version]) => `${family} ${version}`).join(', ');
    return [...lines, `      ${chalk.dim(max === '' ? 'no version needs' : max)}`];
  }
  if (file.kind !== undefined) lines.push(`      kind ${file.kind.before ?? '?'} -> ${file.kind.after ?? '?'}`);
  for (const family of file.families ?? []) {
    if (family.change === 'same') continue;
    const via = family.via !== undefined && family.via.length > 0 ? `, via ${family.via.slice(0, 6).join(', ')}${family.via.length > 6 ? ', ...' : ''}` : '';
    const text = `${family.family} ${family.before ?? '(none)'} -> ${family.after ?? '(none)'}${via}`;
    lines.push(`      ${family.change === 'raised' || family.change === 'added' ? chalk.red(text) : chalk.green(text)}`);
  }
  for (const requirement of file.requirementsAdded ?? []) lines.push(...requirementLines('+', requirement, chalk));
  for (const requirement of file.requirementsRemoved ?? []) lines.push(...requirementLines('-', requirement, chalk));
  const symbols = [
    ...(file.symbolsAdded ?? []).map((change) => `+${symbolName(change)}`),
    ...(file.symbolsRemoved ?? []).map((change) => `-${symbolName(change)}`),
  ];
  if (symbols.length > 0) {
    const more = symbols.length - MAX_SYMBOLS;
    lines.push(`      symbols: ${symbols.slice(0, MAX_SYMBOLS).join(', ')}${more > 0 ? chalk.dim(` and ${more} more (see --format json)`) : ''}`);
  }
  return lines;
}

function requirementLines(sign: '+' | '-', requirement: RequirementChange, chalk: ChalkInstance): string[] {
  const weak = requirement.weak ? ' [weak]' : '';
  const via = requirement.symbols.length === 0 ? '' : `, via ${requirement.symbols.slice(0, 6).join(', ')}${requirement.symbols.length > 6 ? ', ...' : ''}`;
  const tone = sign === '+' ? chalk.red : chalk.green;
  const lines = [`      ${tone(`${sign} ${requirement.version}`)}${weak} from ${requirement.library}${via}`];
  for (const hint of requirement.hints ?? []) lines.push(`          ${chalk.cyan('why:')} ${hint.why}`);
  return lines;
}

function symbolName(change: SymbolChange): string {
  return `${change.symbol}@${change.version}`;
}

function summaryLine(report: DiffReport, chalk: ChalkInstance): string {
  const s = report.summary;
  const parts = [`${s.pairs} pair${s.pairs === 1 ? '' : 's'} compared`];
  parts.push(s.raised > 0 ? chalk.red.bold(`${s.raised} raised`) : `${s.raised} raised`);
  parts.push(`${s.changed} changed`, `${s.unchanged} unchanged`);
  if (s.onlyInOld > 0) parts.push(`${s.onlyInOld} only in old`);
  if (s.onlyInNew > 0) parts.push(`${s.onlyInNew} only in new`);
  if (s.errors > 0) parts.push(chalk.red(`${s.errors} error${s.errors === 1 ? '' : 's'}`));
  const gate = s.raised > 0 && !report.failOnRaise ? ' (--no-fail-on-raise: not failing)' : '';
  return `${parts.join(', ')}${gate}`;
}
