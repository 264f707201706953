import { findingSentence, findingTitle, floorsText, waiverReason, WEAK_NOTE } from './findings.js';
import type { RunTiming } from './run-timing.js';
import type { CheckedFileReport, FileReport, Report } from './model.js';
import { renderWhole, type RunEnd, type RunHeader, type StreamRenderer } from './stream.js';
import { xmlElement } from './xml.js';

/**
 * junitRenderer prints the report as JUnit XML, the test-result format of Jenkins, GitLab, Prow's
 * Spyglass and most CI systems: one test suite, one test case per file (named by its path). A
 * failing file has one `<failure>` whose message names each version above the floor and its
 * symbols; an unreadable file has an `<error>`; a skipped one `<skipped>`. Warnings (weak needs)
 * and waived violations go to the test case's `<system-out>`, where they are seen but never fail.
 *
 * `time` is the whole run's wall time on the suite. Test cases carry none: files are read
 * concurrently, so a per-file wall time would neither be measured nor add up to the suite's.
 * The counts sit on the opening elements, so the head is printed at the end and the writer holds
 * the test cases back (a temporary file), each written as its file completes.
 */
export function junitRenderer(): StreamRenderer {
  let shell: { before: string; after: string } | undefined;
  const shellOf = (header: RunHeader, end: RunEnd) => {
    if (shell !== undefined) return shell;
    const s = end.summary;
    const time = ((end.timing?.durationMs ?? 0) / 1000).toFixed(3);
    const counts = { tests: s.files, failures: s.failed, errors: s.errors, skipped: s.skipped, time };
    const floors = floorsText(header);
    const suiteName = `glibc-floor ${header.command}${floors === '' ? '' : ` (floor ${floors})`}`;
    const properties = [
      xmlElement('property', { name: 'glibc-floor.version', value: header.tool.version }),
      ...Object.entries(header.floors).map(([family, version]) => xmlElement('property', { name: `floor.${family}`, value: version })),
    ];
    const suite = xmlElement(
      'testsuite',
      {
        name: suiteName,
        ...counts,
        // JUnit's XSD takes a dateTime without a zone; CI systems read it as UTC.
        timestamp: end.timing === undefined ? undefined : end.timing.startedAt.toISOString().slice(0, 19),
      },
      [xmlElement('properties', {}, properties), CASES_PLACEHOLDER],
    );
    const document = `<?xml version="1.0" encoding="UTF-8"?>\n${xmlElement('testsuites', { name: 'glibc-floor', ...counts }, [suite])}\n`;
    // The test cases go where the placeholder's line was, each on lines of their own.
    const at = document.indexOf(`\n${CASES_INDENT}${CASES_PLACEHOLDER}`);
    shell = { before: document.slice(0, at), after: document.slice(document.indexOf(CASES_PLACEHOLDER) + CASES_PLACEHOLDER.length) };
    return shell;
  };
  return {
    headNeedsTotals: true,
    head: (header, end) => shellOf(header, end!).before,
    // A test case sits two levels deep (testsuites > testsuite): its markup lines are indented by four spaces.
    entry: (file) => `\n${testCase(file).replace(/^(?=\s*<)/gm, CASES_INDENT)}`,
    tail: (header, end) => shellOf(header, end).after,
  };
}

/** Stands in for the test cases while the document around them is printed. */
const CASES_PLACEHOLDER = '<glibc-floor-test-cases/>';
const CASES_INDENT = '    ';

/** renderJunit prints a whole report as JUnit XML (see junitRenderer); `timing` gives the suite's time. */
export function renderJunit(report: Report, timing?: RunTiming): string {
  return renderWhole(junitRenderer(), report, timing);
}

function testCase(file: FileReport): string {
  const attributes = { name: file.path, classname: 'glibc-floor' };
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
  const violations = file.violations ?? [];
  const libraryFindings = file.libraryFindings ?? [];
  if (violations.length > 0 || libraryFindings.length > 0) {
    const message = [
      ...violations.map((finding) => `${findingTitle(finding)}: ${finding.symbols.join(', ') || 'no symbol'}`),
      ...libraryFindings.map((finding) => `${finding.library} (${finding.reason})`),
    ].join('; ');
    const types = [...new Set([...violations.map((finding) => finding.reason), ...libraryFindings.map((finding) => `library-${finding.reason}`)])].join(',');
    const body = [...violations.map((finding) => findingSentence(finding)), ...libraryFindings.map((finding) => finding.message)].join('\n');
    children.push(xmlElement('failure', { message, type: types }, body));
  }
  const notes = [
    ...(file.waivedViolations ?? []).map((finding) => `waived (${waiverReason(finding)}): ${findingSentence(finding)}`),
    ...(file.warnings ?? []).map((finding) => `warning (${WEAK_NOTE}): ${findingSentence(finding)}`),
  ];
  if (notes.length > 0) children.push(xmlElement('system-out', {}, notes.join('\n')));
  return children;
}
