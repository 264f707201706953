import { findingSentence, findingTitle, WEAK_NOTE } from './finding-text.js';
import type { FindingReason } from '../check/check.js';
import type { FindingReport, Report } from './model.js';

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

type RuleKey = FindingReason | 'unreadable-file' | 'weak-need' | 'needed-library';

/**
 * RULES: one rule per kind of finding. The ids are stable (`GF` + number, the SARIF convention of
 * an opaque id with a readable `name`); the order is the `ruleIndex` of every result.
 */
const RULES: Readonly<Record<RuleKey, SarifRule>> = {
  'above-floor': rule('GF1001', 'VersionAboveFloor', 'error', 'A version need is above the floor.',
    'The binary needs a symbol version newer than the oldest library release it must run on; the dynamic loader refuses to start it there ("version `GLIBC_2.36\' not found").',
    'Build against an older glibc (an older builder image or a sysroot), or stop using the symbols named in the result.'),
  private: rule('GF1002', 'PrivateGlibcSymbol', 'error', 'The binary needs GLIBC_PRIVATE.',
    'GLIBC_PRIVATE is glibc\'s internal interface between its own libraries; a binary that needs it runs only with the exact glibc build it was linked against.',
    'Do not link against glibc internals; rebuild without the object that references the private symbols named in the result.'),
  unprovable: rule('GF1003', 'UnprovableVersion', 'error', 'A version need is not a version number.',
    'A non-numeric version name in a family that has a floor cannot be compared with the floor, so its compatibility cannot be proven; the tool never passes what it does not understand.',
    'Check by hand whether the oldest target provides this version node, then accept it with a waiver in .glibc-floor.json.'),
  'unreadable-file': rule('GF1004', 'UnreadableFile', 'error', 'A file could not be read as ELF.',
    'The file is missing, unreadable, not ELF, truncated or malformed, so its needs are unknown.',
    'Fix the path, or rebuild the file; the result message names what is wrong.'),
  'weak-need': rule('GF1005', 'WeakNeedAboveFloor', 'warning', 'A weak version need is above the floor.',
    'A weak version need (VER_FLG_WEAK) that no strong symbol uses is above the floor; the loader only warns about it and the program still starts.',
    'Nothing is required; to silence the warning, build against an older library release.'),
  'not-defined': rule('GF1006', 'VersionNotDefined', 'error', 'The target\'s library does not define a needed version.',
    'Checked against the real version definitions of the target (its exact version sets, or --floor-from): the library the need names does not define that version node, so the loader refuses to start the binary there, whatever the number says.',
    'Build against the target\'s glibc (an older builder image or a sysroot), or stop using the symbols named in the result.'),
  'needed-library': rule('GF1007', 'NeededLibrary', 'error', 'A needed library is not allowed, missing, or musl.',
    'The binary needs (DT_NEEDED) a library outside the --allow-lib policy, or one the --floor-from system does not have, or it is built for musl libc and cannot start on a glibc target.',
    'Link the library statically or ship it with the binary, allow it with --allow-lib, or build against glibc.'),
};

const RULE_ORDER = Object.keys(RULES) as RuleKey[];

function rule(id: string, name: string, level: 'error' | 'warning', short: string, full: string, help: string): SarifRule {
  return {
    id,
    name,
    shortDescription: { text: short },
    fullDescription: { text: full },
    help: { text: help },
    helpUri: `${INFORMATION_URI}#what-is-checked`,
    defaultConfiguration: { level },
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
 * renderSarif prints the report as a SARIF 2.1.0 log (OASIS standard; GitHub code scanning and
 * other viewers read it): one rule per kind of finding, one result per finding located at the
 * file's path, waived findings as results with an accepted external suppression. Results are
 * sorted by location, rule and message, so the same inputs always give the same bytes.
 */
export function renderSarif(report: Report): string {
  const results: SarifResult[] = [];
  for (const file of report.files) {
    const uri = toArtifactUri(file.path);
    if (file.status === 'error') {
      results.push(result('unreadable-file', `${file.path}: ${file.error}`, uri));
      continue;
    }
    if (file.status === 'skipped') continue;
    for (const finding of file.violations ?? []) results.push(findingResult(finding, finding.reason, uri));
    for (const finding of file.waivedViolations ?? []) results.push(findingResult(finding, finding.reason, uri));
    for (const finding of file.warnings ?? []) results.push(findingResult(finding, 'weak-need', uri, `${WEAK_NOTE}: `));
    for (const finding of file.libraryFindings ?? []) results.push(result('needed-library', `${file.path}: ${finding.message}`, uri));
  }
  results.sort(byLocationRuleMessage);
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: INFORMATION_URI,
            rules: RULE_ORDER.map((key) => RULES[key]),
          },
        },
        // Relative URIs are relative to where the tool ran (the repository root in CI).
        columnKind: 'unicodeCodePoints',
        properties: { floors: report.floors, summary: report.summary, result: report.result },
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
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
