/** The `targets` listing: the catalogue as a JSON document and as a text table. */
import { CATALOGUE, CATALOGUE_FIELDS, type CatalogueValue, type TargetRecord } from './catalogue.js';
import { exactMachines, exactPackages } from './exact-sets.js';
import { SOURCES } from './sources.js';

/** The JSON document `glibc-floor targets --format json` prints. */
export interface TargetsListing {
  readonly tool: { readonly name: 'glibc-floor'; readonly version: string };
  readonly targets: readonly TargetListingEntry[];
  /** Source key -> where the values were read. */
  readonly sources: Readonly<Record<string, string>>;
}

export interface TargetListingEntry extends TargetRecord {
  /** Machines with exact version sets, and the package versions they were read from. */
  readonly exact: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** targetsListing builds the listing document. */
export function targetsListing(toolVersion: string): TargetsListing {
  return {
    tool: { name: 'glibc-floor', version: toolVersion },
    targets: CATALOGUE.map((record: TargetRecord) => ({ ...record, exact: exactPackages(record.name) })),
    sources: SOURCES,
  };
}

function cell(value: CatalogueValue): string {
  if (value.value === null) return '?';
  return value.verified ? value.value : `${value.value}*`;
}

/** renderTargetsText prints the catalogue as an aligned table with a legend. */
export function renderTargetsText(): string {
  const header = ['target', 'glibc', 'GLIBCXX', 'CXXABI', 'GCC', 'x86-64 CPU', 'exact sets', 'aliases'];
  const rows = CATALOGUE.map((record: TargetRecord) => {
    const machines = exactMachines(record.name);
    const cpu = record.x86Level === undefined ? '-' : cell(record.x86Level);
    return [record.name, ...CATALOGUE_FIELDS.map((field) => cell(record[field])), cpu, machines.length > 0 ? machines.join(',') : '-', record.aliases.join(', ')];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (row: readonly string[]) => row.map((text, column) => (column === row.length - 1 ? text : text.padEnd(widths[column]!))).join('  ').trimEnd();
  return [
    line(header),
    ...rows.map(line),
    '',
    '? unknown (no source found)   * inferred, not read from the platform itself   values are x86_64; see --format json for',
    'per-machine differences, notes and the source of every value. Exact sets: the version nodes of each library, read',
    'from the real packages; a check against such a target is a membership check, as the loader does. x86-64 CPU: the',
    'microarchitecture level the vendor requires of the host; files whose GNU property note needs more fail there.',
    '',
  ].join('\n');
}
