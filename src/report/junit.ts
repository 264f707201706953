import { FINDINGS } from './findings.js';
import { fileFindings, findingSentence, findingTitle, waiverReason, WEAK_NOTE } from './findings.js';
import type { CheckedFileReport, FileReport } from './model.js';
import type { StreamRenderer } from './stream.js';
import { indentChild, xmlElement } from './xml.js';

/**
 * junitRenderer prints the report as JUnit XML, the test-result format of Jenkins, GitLab, Prow's
 * Spyglass and most CI systems, valid against Jenkins xUnit's `junit-10.xsd` (the strictest of
 * them): one suite named `glibc-floor` whatever the floors (so a test history survives a floor
 * change; the floors are properties), one test case per file checked, unreadable or skipped for a
 * reason worth seeing (a broken link, a loop). Files skipped as not ELF are no test cases: a
 * directory of scripts and data would bury the binaries in skips, so only their count is kept
 * (property `skipped.not-elf`). A failing file has one `<failure>` naming each version above the
 * floor and its symbols; an unreadable file has an `<error>`. Warnings (weak needs) and waived
 * violations go to the test case's `<system-out>`, where they are seen but never fail.
 *
 * Each test case is written as its file completes; `<testsuites>` and `<testsuite>` carry the
 * counts, so the head is written at the end (the writer holds the test cases back).
 */
export function junitRenderer(): StreamRenderer {
  return {
    headNeedsTotals: true,
    head(header, end) {
      const { run, timing } = end!;
      const notElf = run.skippedBy.get('not-elf') ?? 0;
      // The test cases: every entry but the files skipped as not ELF.
      const counts = { tests: run.files - notElf, failures: run.failed, errors: run.errors };
      const time = seconds(timing?.durationMs);
      const properties = [
        xmlElement('property', { name: 'glibc-floor.version', value: header.tool.version }),
        xmlElement('property', { name: 'glibc-floor.command', value: header.command }),
        ...Object.entries(header.floors).map(([family, version]) => xmlElement('property', { name: `floor.${family}`, value: version })),
        xmlElement('property', { name: 'skipped.not-elf', value: notElf }),
      ];
      const suite = xmlElement('testsuite', {
        name: 'glibc-floor', ...counts, skipped: run.skipped - notElf, time,
        timestamp: timing === undefined ? undefined : antTimestamp(timing.startedAt),
      });
      // junit-10.xsd allows no `skipped` on <testsuites>: the suite carries it.
      const suites = xmlElement('testsuites', { name: 'glibc-floor', ...counts, time });
      return `<?xml version="1.0" encoding="UTF-8"?>\n${open(suites)}\n  ${open(suite)}\n${nested(xmlElement('properties', {}, properties))}`;
    },
    entry: (file, _header, fileMs) => (isNotElf(file) ? '' : `\n${nested(testCase(file, seconds(fileMs)))}`),
    tail: () => '\n  </testsuite>\n</testsuites>\n',
  };
}

/** open turns an empty element (`<a x="1"/>`) into its start tag (`<a x="1">`): the children follow as they come. */
function open(element: string): string {
  return `${element.slice(0, -2)}>`;
}

/** nested indents an element as a child of `<testsuite>` inside `<testsuites>`: twice what xmlElement indents a child by. */
function nested(element: string): string {
  return indentChild(indentChild(element));
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
