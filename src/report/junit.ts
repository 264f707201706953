import { FINDINGS } from './findings.js';
import { fileFindings, findingSentence, findingTitle, waiverReason, WEAK_NOTE } from './findings.js';
import type { RunTiming } from './run-timing.js';
import type { CheckedFileReport, FileReport, Report } from './model.js';
import type { RunSummary } from './run-summary.js';
import { xmlElement } from './xml.js';

/**
 * renderJunit prints the report as JUnit XML, the test-result format of Jenkins, GitLab, Prow's
 * Spyglass and most CI systems, valid against Jenkins xUnit's `junit-10.xsd` (the strictest of
 * them): one suite named `glibc-floor` whatever the floors (so a test history survives a floor
 * change; the floors are properties), one test case per file checked, unreadable or skipped for a
 * reason worth seeing (a broken link, a loop). Files skipped as not ELF are no test cases: a
 * directory of scripts and data would bury the binaries in skips, so only their count is kept
 * (property `skipped.not-elf`). A failing file has one `<failure>` naming each version above the
 * floor and its symbols; an unreadable file has an `<error>`. Warnings (weak needs) and waived
 * violations go to the test case's `<system-out>`, where they are seen but never fail.
 */
export function renderJunit(report: Report, run: RunSummary, timing?: RunTiming): string {
  const cases = report.files.flatMap((file, index) => (isNotElf(file) ? [] : [{ file, seconds: seconds(timing?.fileMs?.[index]) }]));
  const failures = cases.filter(({ file }) => file.status === 'fail').length;
  const errors = cases.filter(({ file }) => file.status === 'error').length;
  const skipped = cases.filter(({ file }) => file.status === 'skipped').length;
  const time = seconds(timing?.durationMs);
  const properties = [
    xmlElement('property', { name: 'glibc-floor.version', value: report.tool.version }),
    xmlElement('property', { name: 'glibc-floor.command', value: report.command }),
    ...Object.entries(report.floors).map(([family, version]) => xmlElement('property', { name: `floor.${family}`, value: version })),
    xmlElement('property', { name: 'skipped.not-elf', value: run.skippedBy.get('not-elf') ?? 0 }),
  ];
  const suite = xmlElement(
    'testsuite',
    {
      name: 'glibc-floor',
      tests: cases.length,
      failures,
      errors,
      skipped,
      time,
      timestamp: timing === undefined ? undefined : antTimestamp(timing.startedAt),
    },
    [xmlElement('properties', {}, properties), ...cases.map(({ file, seconds: caseTime }) => testCase(file, caseTime))],
  );
  // junit-10.xsd allows no `skipped` on <testsuites>: the suite carries it.
  const document = xmlElement('testsuites', { name: 'glibc-floor', tests: cases.length, failures, errors, time }, [suite]);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${document}\n`;
}

function isNotElf(file: FileReport): boolean {
  return file.status === 'skipped' && file.reason === 'not-elf';
}

/** seconds formats milliseconds as JUnit's seconds with three decimals (the XSD's SUREFIRE_TIME). */
function seconds(ms: number | undefined): string {
  return ((ms ?? 0) / 1000).toFixed(3);
}

/**
 * antTimestamp writes a date as Ant's JUnit task does (`yyyy-MM-dd'T'HH:mm:ss`, local time, no
 * zone), the form Jenkins and junitparser read.
 */
export function antTimestamp(date: Date): string {
  const two = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}T${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

function testCase(file: FileReport, time: string): string {
  const attributes = { name: file.path, classname: 'glibc-floor', time };
  switch (file.status) {
    case 'skipped':
      return xmlElement('testcase', attributes, [xmlElement('skipped', { message: `skipped: ${file.reason}` })]);
    case 'error':
      return xmlElement('testcase', attributes, [xmlElement('error', { message: file.error, type: 'unreadable-file' }, file.error)]);
    case 'pass':
    case 'fail':
      return xmlElement('testcase', attributes, checkedChildren(file));
  }
}

function checkedChildren(file: CheckedFileReport): string[] {
  const children: string[] = [];
  const titles: string[] = [];
  const types: string[] = [];
  const lines: string[] = [];
  const notes: string[] = [];
  for (const entry of fileFindings(file)) {
    if (entry.code === 'unreadable-file') continue;
    if (entry.code === 'needed-library') {
      titles.push(`${entry.library.library} (${entry.library.reason})`);
      types.push(`library-${entry.library.reason}`);
      lines.push(entry.library.message);
    } else if ('loader' in entry) {
      // A loader-era rule fails the test case where it fails a target checked; elsewhere it is a note.
      if (entry.blocking) {
        titles.push(`${FINDINGS[entry.code].name} on ${entry.loader.failsOn.join(', ')}`);
        types.push(entry.code);
        lines.push(`${entry.loader.message}. Fix: ${entry.loader.fix}`);
      } else notes.push(`note: ${entry.loader.message}. Fix: ${entry.loader.fix}`);
    } else if (entry.code === 'weak-need') {
      notes.push(`warning (${WEAK_NOTE}): ${findingSentence(entry.finding)}`);
    } else if (!entry.blocking) {
      notes.push(`waived (${waiverReason(entry.finding)}): ${findingSentence(entry.finding)}`);
    } else {
      titles.push(`${findingTitle(entry.finding)}: ${entry.finding.symbols.join(', ') || 'no symbol'}`);
      types.push(entry.code);
      lines.push(findingSentence(entry.finding));
    }
  }
  if (titles.length > 0) children.push(xmlElement('failure', { message: titles.join('; '), type: [...new Set(types)].join(',') }, lines.join('\n')));
  if (notes.length > 0) children.push(xmlElement('system-out', {}, notes.join('\n')));
  return children;
}
