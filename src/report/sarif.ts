import { createHash } from 'node:crypto';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FINDING_CODES, FINDINGS, fileFindings, findingSentence, findingTitle, WEAK_NOTE, type FileFinding, type FindingCode, type FindingKind } from './findings.js';
import type { ReportLocation, RunEnd, RunHeader, StreamRenderer } from './stream.js';
import { indentedJson, jsonShell, placeholderFor, type JsonShell } from './json-shell.js';

/** Where people can read what the tool checks; SARIF viewers link rules and the tool to it. */
const INFORMATION_URI = 'https://www.npmjs.com/package/glibc-floor';

/** The base id every relative artifact URI is relative to (SARIF 2.1.0 section 3.14.14; GitHub's convention). */
export const SOURCE_ROOT_ID = '%SRCROOT%';

/** SarifRule is one kind of finding (SARIF 2.1.0 section 3.49, reportingDescriptor). */
interface SarifRule {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: { readonly text: string };
  readonly fullDescription: { readonly text: string };
  readonly help: { readonly text: string; readonly markdown: string };
  readonly helpUri: string;
  readonly defaultConfiguration: { readonly level: 'error' | 'warning' | 'note' };
  readonly properties: { readonly tags: readonly string[]; readonly precision: 'very-high'; readonly 'problem.severity': 'error' | 'warning' | 'note' };
}

// Made at the first SARIF report, not when the module loads: every table built at load is paid by
// each start of the CLI, SARIF output or not (docs/benchmarks.md, stop 27).
let rulesByCode: Readonly<Record<FindingCode, SarifRule>> | undefined;

/** rules: one SARIF rule per row of the finding table, in its order (the `ruleIndex` of every result). */
function rules(): Readonly<Record<FindingCode, SarifRule>> {
  return (rulesByCode ??= Object.fromEntries(FINDING_CODES.map((code) => [code, rule(FINDINGS[code])])) as Readonly<Record<FindingCode, SarifRule>>);
}

/**
 * rule describes one finding kind. No rule carries `security-severity`: every finding is a binary
 * that will not start (or may not) on an older system, a portability failure and not a
 * vulnerability, and GitHub files results with a security severity as security alerts.
 */
function rule(kind: FindingKind): SarifRule {
  return {
    id: kind.id,
    name: kind.name,
    shortDescription: { text: kind.short },
    fullDescription: { text: kind.full },
    help: { text: `${kind.full}\n\nFix: ${kind.help}`, markdown: `**Why:** ${kind.full}\n\n**Fix:** ${kind.help}` },
    helpUri: `${INFORMATION_URI}#what-is-checked`,
    defaultConfiguration: { level: kind.severity },
    properties: { tags: ['portability', 'reliability', 'glibc', 'elf'], precision: 'very-high', 'problem.severity': kind.severity },
  };
}

interface ArtifactLocation {
  readonly uri: string;
  readonly uriBaseId?: string;
}

interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: 'error' | 'warning' | 'note';
  readonly message: { readonly text: string };
  readonly locations: readonly [{ readonly physicalLocation: { readonly artifactLocation: ArtifactLocation; readonly region: { readonly startLine: 1 } } }];
  readonly partialFingerprints: { readonly primaryLocationLineHash: string };
  readonly suppressions?: readonly { readonly kind: 'external'; readonly status: 'accepted'; readonly justification: string }[];
  readonly properties?: Readonly<Record<string, unknown>>;
}

/** How many of the inputs outside the source root the log's warning names (the rest are counted). */
export const OUTSIDE_NAMED = 20;

/** Stands in for the results while the rest of the log is printed around them. */
const RESULTS_PLACEHOLDER = placeholderFor('results');

/** The results sit four levels deep (`runs[0].results[i]`): each line of one is indented by eight spaces. */
const RESULT_LEVELS = 4;

/**
 * sarifRenderer prints the report as a SARIF 2.1.0 log (OASIS standard) shaped for GitHub code
 * scanning ("SARIF support for code scanning") and any other viewer: one rule per kind of finding;
 * one result per finding, located at the file relative to the source root (`%SRCROOT%`), with the
 * region GitHub requires (`startLine: 1`: a binary has no lines) and a `primaryLocationLineHash`
 * of (rule, path, library, version), so an alert keeps its identity across runs and no two
 * findings share one. Waived findings are results with an accepted external suppression.
 * `automationDetails.id` names the machines checked, so the runs of different architectures do
 * not replace each other's alerts. Results are sorted by location, rule and message.
 *
 * The log is what `JSON.stringify(log, null, 2)` prints, written as the run goes: each file's
 * results are pieces sorted by that order's key (the writer sorts them with bounded memory); the
 * rest of the log needs the whole run (the machines, the totals) and is printed at the end.
 */
export function sarifRenderer(location: ReportLocation): StreamRenderer {
  let count = 0;
  // Inputs outside the source root: counted, and the first OUTSIDE_NAMED of them named (a scan of
  // /usr from a repository would otherwise hold, and print, every path of the run).
  let outsideCount = 0;
  const outsideNamed: string[] = [];
  const machines = new Set<string>();
  let shell: JsonShell | undefined;
  const shellOf = (header: RunHeader, end: RunEnd) => {
    if (shell !== undefined) return shell;
    const unnamed = outsideCount - outsideNamed.length;
    const notifications = outsideCount === 0 ? [] : [{
      level: 'warning',
      message: { text: `${outsideCount} input${outsideCount === 1 ? ' is' : 's are'} outside the source root ${location.sourceRoot}, so their results carry absolute file: URIs that code scanning cannot place in the repository: ${outsideNamed.join(', ')}${unnamed === 0 ? '' : ` and ${unnamed} more`}` },
    }];
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
              rules: FINDING_CODES.map((code) => rules()[code]),
            },
          },
          automationDetails: { id: `glibc-floor/${header.command}/${machines.size === 0 ? 'none' : [...machines].sort().join('+')}/` },
          originalUriBaseIds: { [SOURCE_ROOT_ID]: { uri: directoryUri(location.sourceRoot) } },
          invocations: [{ executionSuccessful: end.run.errors === 0, toolExecutionNotifications: notifications }],
          columnKind: 'unicodeCodePoints',
          properties: { floors: header.floors, summary: end.summary, result: end.result },
          results: RESULTS_PLACEHOLDER,
        },
      ],
    };
    shell = jsonShell(log, RESULTS_PLACEHOLDER);
    return shell;
  };
  return {
    headNeedsTotals: true,
    sorted: {
      separator: ',\n',
      pieces(file) {
        const artifact = artifactLocation(file.path, location);
        if (artifact.uriBaseId === undefined && outsideCount++ < OUTSIDE_NAMED) outsideNamed.push(file.path);
        // automationDetails.id: the machines of the files checked.
        if (file.status === 'pass' || file.status === 'fail') machines.add(file.elf.machine);
        const pieces = [...fileFindings(file)].map((entry) => {
          const result = findingResult(file.path, entry, artifact);
          return { key: sortKey(result), text: indentedJson(result, RESULT_LEVELS) };
        });
        count += pieces.length;
        return pieces;
      },
    },
    head: (header, end) => shellOf(header, end!).before + (count === 0 ? '[]' : '[\n'),
    entry: () => '',
    tail: (header, end) => (count === 0 ? '' : '\n      ]') + shellOf(header, end).after,
  };
}

/**
 * sortKey orders results by location (the artifact URI), rule and message, in code-unit order:
 * a URI holds no NUL (it is percent-encoded), so one ending first sorts first, as a shorter string
 * does; the rule index is written at a fixed width.
 */
function sortKey(result: SarifResult): string {
  return `${result.locations[0].physicalLocation.artifactLocation.uri}\u0000${String(result.ruleIndex).padStart(4, '0')}\u0000${result.message.text}`;
}

function findingResult(path: string, entry: FileFinding, artifact: ArtifactLocation): SarifResult {
  const kind = rules()[entry.code];
  const base = {
    ruleId: kind.id,
    ruleIndex: FINDING_CODES.indexOf(entry.code),
    level: kind.defaultConfiguration.level,
    locations: [{ physicalLocation: { artifactLocation: artifact, region: { startLine: 1 } } }] as const,
  };
  switch (entry.code) {
    case 'unreadable-file':
      return { ...base, message: { text: `${path}: ${entry.error}` }, partialFingerprints: fingerprint(kind.id, artifact, '', '') };
    case 'needed-library':
      return { ...base, message: { text: `${path}: ${entry.library.message}` }, partialFingerprints: fingerprint(kind.id, artifact, entry.library.library, entry.library.reason) };
    default: {
      if ('loader' in entry) {
        // A loader-era rule broken on no target checked here (an executable stack checked against glibc < 2.41) is a note.
        return {
          ...base,
          level: entry.blocking ? base.level : 'note',
          message: { text: `${path}: ${entry.loader.message}. Fix: ${entry.loader.fix}` },
          partialFingerprints: fingerprint(kind.id, artifact, entry.code, ''),
          properties: { failsOn: entry.loader.failsOn },
        };
      }
      const finding = entry.finding;
      const prefix = entry.code === 'weak-need' ? `${WEAK_NOTE}: ` : '';
      return {
        ...base,
        message: { text: `${prefix}${findingSentence(finding)}.` },
        partialFingerprints: fingerprint(kind.id, artifact, finding.library, finding.version),
        ...(finding.waived === undefined ? {} : { suppressions: [{ kind: 'external', status: 'accepted', justification: finding.waived.reason }] }),
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
  }
}

/**
 * fingerprint is GitHub's `primaryLocationLineHash` (github/codeql-action `src/fingerprints.ts`
 * computes one from source lines when a result has none, which means nothing for a binary): a
 * hash of what identifies the finding, never of the floor or the symbols, so raising the floor
 * or a new symbol keeps the alert; `:1` is the line, as in the action's own values.
 */
function fingerprint(ruleId: string, artifact: ArtifactLocation, library: string, version: string): { primaryLocationLineHash: string } {
  const identity = [ruleId, artifact.uriBaseId ?? '', artifact.uri, library, version].join('\u0000');
  return { primaryLocationLineHash: `${createHash('sha256').update(identity).digest('hex').slice(0, 16)}:1` };
}

/**
 * artifactLocation places a reported path: inside the source root it is a relative reference
 * (RFC 3986, each segment percent-encoded, so spaces, `%`, `#` and `?` survive) on `%SRCROOT%`;
 * outside it, an absolute `file:` URI without a base.
 */
export function artifactLocation(path: string, location: ReportLocation): ArtifactLocation {
  const absolute = resolve(location.cwd, path);
  const inside = relative(resolve(location.sourceRoot), absolute);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return { uri: pathToFileURL(absolute).href };
  return { uri: inside.split(sep).map(encodeURIComponent).join('/'), uriBaseId: SOURCE_ROOT_ID };
}

/** directoryUri is a directory's `file:` URI with the trailing slash SARIF requires of a base (3.14.14). */
function directoryUri(directory: string): string {
  const href = pathToFileURL(resolve(directory)).href;
  return href.endsWith('/') ? href : `${href}/`;
}
