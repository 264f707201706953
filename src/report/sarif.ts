import { FINDING_CODES, FINDINGS, findingSentence, findingTitle, WEAK_NOTE, type FindingCode, type FindingKind } from './findings.js';
import type { FileReport, FindingReport, Report } from './model.js';
import { renderWhole, type StreamRenderer } from './stream.js';

/** Where people can read what the tool checks; SARIF viewers link rules and the tool to it. */
const INFORMATION_URI = 'https://www.npmjs.com/package/glibc-floor';

/** SarifRule is one kind of finding (SARIF 2.1.0 section 3.49, reportingDescriptor). */
interface SarifRule {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: { readonly text: string };
  readonly fullDescription: { readonly text: string };
  readonly help: { readonly text: string };
  readonly helpUri: string;
  readonly defaultConfiguration: { readonly level: 'error' | 'warning' };
}

type RuleKey = FindingCode;

/** RULES: one SARIF rule per row of the finding table, in its order (the `ruleIndex` of every result). */
const RULE_ORDER = FINDING_CODES;
const RULES = Object.fromEntries(RULE_ORDER.map((code) => [code, rule(FINDINGS[code])])) as Readonly<Record<RuleKey, SarifRule>>;

function rule(kind: FindingKind): SarifRule {
  return {
    id: kind.id,
    name: kind.name,
    shortDescription: { text: kind.short },
    fullDescription: { text: kind.full },
    help: { text: kind.help },
    helpUri: `${INFORMATION_URI}#what-is-checked`,
    defaultConfiguration: { level: kind.severity },
  };
}

interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: 'error' | 'warning';
  readonly message: { readonly text: string };
  readonly locations: readonly [{ readonly physicalLocation: { readonly artifactLocation: { readonly uri: string } } }];
  readonly partialFingerprints?: Readonly<Record<string, string>>;
  readonly suppressions?: readonly { readonly kind: 'external'; readonly status: 'accepted'; readonly justification: string }[];
  readonly properties?: Readonly<Record<string, unknown>>;
}

/**
 * sarifRenderer prints the report as a SARIF 2.1.0 log (OASIS standard; GitHub code scanning and
 * other viewers read it): one rule per kind of finding, one result per finding located at the
 * file's path, waived findings as results with an accepted external suppression. Results are
 * sorted by location, rule and message, so the same inputs always give the same bytes.
 */
export function sarifRenderer(): StreamRenderer {
  // Results are sorted over the whole run, so they wait for the end; they are small (one per
  // finding), the entries themselves are not kept.
  const results: SarifResult[] = [];
  return {
    headNeedsTotals: false,
    head: () => '',
    entry(file) {
      results.push(...fileResults(file));
      return '';
    },
    tail(header, end) {
      results.sort(byLocationRuleMessage);
      const log = {
        $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
        version: '2.1.0',
        runs: [
          {
            tool: {
              driver: {
                name: header.tool.name,
                version: header.tool.version,
                semanticVersion: header.tool.version,
                informationUri: INFORMATION_URI,
                rules: RULE_ORDER.map((key) => RULES[key]),
              },
            },
            // Relative URIs are relative to where the tool ran (the repository root in CI).
            columnKind: 'unicodeCodePoints',
            properties: { floors: header.floors, summary: end.summary, result: end.result },
            results,
          },
        ],
      };
      return `${JSON.stringify(log, null, 2)}\n`;
    },
  };
}

/** renderSarif prints a whole report as SARIF (see sarifRenderer). */
export function renderSarif(report: Report): string {
  return renderWhole(sarifRenderer(), report);
}

function fileResults(file: FileReport): SarifResult[] {
  const results: SarifResult[] = [];
  const uri = toArtifactUri(file.path);
  if (file.status === 'error') return [result('unreadable-file', `${file.path}: ${file.error}`, uri)];
  if (file.status === 'skipped') return [];
  for (const finding of file.violations ?? []) results.push(findingResult(finding, finding.reason, uri));
  for (const finding of file.waivedViolations ?? []) results.push(findingResult(finding, finding.reason, uri));
  for (const finding of file.warnings ?? []) results.push(findingResult(finding, 'weak-need', uri, `${WEAK_NOTE}: `));
  for (const finding of file.libraryFindings ?? []) results.push(result('needed-library', `${file.path}: ${finding.message}`, uri));
  return results;
}

function result(key: RuleKey, text: string, uri: string): SarifResult {
  const descriptor = RULES[key];
  return {
    ruleId: descriptor.id,
    ruleIndex: RULE_ORDER.indexOf(key),
    level: descriptor.defaultConfiguration.level,
    message: { text },
    locations: [{ physicalLocation: { artifactLocation: { uri } } }],
  };
}

function findingResult(finding: FindingReport, key: RuleKey, uri: string, prefix = ''): SarifResult {
  const base = result(key, `${prefix}${findingSentence(finding)}.`, uri);
  return {
    ...base,
    // Keeps one alert per (file, rule, library, version) across runs in code-scanning viewers,
    // which otherwise try to fingerprint source lines that a binary does not have.
    partialFingerprints: { 'glibcFloorFinding/v1': `${base.ruleId}|${finding.library}|${finding.version}` },
    ...(finding.waived === undefined
      ? {}
      : { suppressions: [{ kind: 'external', status: 'accepted', justification: finding.waived.reason }] }),
    properties: {
      title: findingTitle(finding),
      library: finding.library,
      version: finding.version,
      family: finding.family,
      floor: finding.floor,
      weak: finding.weak,
      symbols: finding.symbols,
    },
  };
}

function byLocationRuleMessage(a: SarifResult, b: SarifResult): number {
  const ua = a.locations[0].physicalLocation.artifactLocation.uri;
  const ub = b.locations[0].physicalLocation.artifactLocation.uri;
  if (ua !== ub) return ua < ub ? -1 : 1;
  if (a.ruleIndex !== b.ruleIndex) return a.ruleIndex - b.ruleIndex;
  return a.message.text < b.message.text ? -1 : a.message.text > b.message.text ? 1 : 0;
}

/**
 * toArtifactUri turns a reported path into a SARIF artifact URI (RFC 3986): a relative path
 * stays a POSIX relative reference (leading `./` dropped) with each segment percent-encoded, so
 * spaces, `%`, `#` and `?` survive; an absolute path becomes a `file://` URI.
 */
export function toArtifactUri(path: string): string {
  let relative = path;
  while (relative.startsWith('./')) relative = relative.slice(2);
  const encoded = relative.split('/').map(encodeURIComponent).join('/');
  return relative.startsWith('/') ? `file://${encoded}` : encoded;
}
