import { FINDINGS, findingSentence, findingTitle, floorsText, waiverReason, WEAK_NOTE } from './findings.js';
import type { RunTiming } from './run-timing.js';
import type { CheckedFileReport, FileReport, Report } from './model.js';
import { xmlElement } from './xml.js';

/**
 * renderJunit prints the report as JUnit XML, the test-result format of Jenkins, GitLab, Prow's
 * Spyglass and most CI systems: one test suite, one test case per file (named by its path). A
 * failing file has one `<failure>` whose message names each version above the floor and its
 * symbols; an unreadable file has an `<error>`; a skipped one `<skipped>`. Warnings (weak needs)
 * and waived violations go to the test case's `<system-out>`, where they are seen but never fail.
 *
 * `time` is the whole run's wall time on the suite. Test cases carry none: files are read
 * concurrently, so a per-file wall time would neither be measured nor add up to the suite's.
 */
export function renderJunit(report: Report, timing?: RunTiming): string {
  const s = report.summary;
  const time = ((timing?.durationMs ?? 0) / 1000).toFixed(3);
  const counts = { tests: s.files, failures: s.failed, errors: s.errors, skipped: s.skipped, time };
  const floors = floorsText(report);
  const suiteName = `glibc-floor ${report.command}${floors === '' ? '' : ` (floor ${floors})`}`;
  const properties = [
    xmlElement('property', { name: 'glibc-floor.version', value: report.tool.version }),
    ...Object.entries(report.floors).map(([family, version]) => xmlElement('property', { name: `floor.${family}`, value: version })),
  ];
  const suite = xmlElement(
    'testsuite',
    {
      name: suiteName,
      ...counts,
      // JUnit's XSD takes a dateTime without a zone; CI systems read it as UTC.
      timestamp: timing === undefined ? undefined : timing.startedAt.toISOString().slice(0, 19),
    },
    [xmlElement('properties', {}, properties), ...report.files.map(testCase)],
  );
  const document = xmlElement('testsuites', { name: 'glibc-floor', ...counts }, [suite]);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${document}\n`;
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
  const loaderFailures = (file.loaderFindings ?? []).filter((finding) => finding.failsOn.length > 0);
  if (violations.length > 0 || libraryFindings.length > 0 || loaderFailures.length > 0) {
    const message = [
      ...violations.map((finding) => `${findingTitle(finding)}: ${finding.symbols.join(', ') || 'no symbol'}`),
      ...libraryFindings.map((finding) => `${finding.library} (${finding.reason})`),
      ...loaderFailures.map((finding) => `${FINDINGS[finding.code].name} on ${finding.failsOn.join(', ')}`),
    ].join('; ');
    const types = [
      ...new Set([...violations.map((finding) => finding.reason), ...libraryFindings.map((finding) => `library-${finding.reason}`), ...loaderFailures.map((finding) => finding.code)]),
    ].join(',');
    const body = [
      ...violations.map((finding) => findingSentence(finding)),
      ...libraryFindings.map((finding) => finding.message),
      ...loaderFailures.map((finding) => `${finding.message}. Fix: ${finding.fix}`),
    ].join('\n');
    children.push(xmlElement('failure', { message, type: types }, body));
  }
  const notes = [
    ...(file.loaderFindings ?? []).filter((finding) => finding.failsOn.length === 0).map((finding) => `note: ${finding.message}. Fix: ${finding.fix}`),
    ...(file.waivedViolations ?? []).map((finding) => `waived (${waiverReason(finding)}): ${findingSentence(finding)}`),
    ...(file.warnings ?? []).map((finding) => `warning (${WEAK_NOTE}): ${findingSentence(finding)}`),
  ];
  if (notes.length > 0) children.push(xmlElement('system-out', {}, notes.join('\n')));
  return children;
}
