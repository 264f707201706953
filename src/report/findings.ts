import type { FindingReason } from '../check/check.js';
import type { LoaderFindingCode } from '../check/loader-rules.js';
import type { FileReport, FindingReport, LibraryFindingReport, LoaderFindingReport, Report } from './model.js';

/**
 * The one finding table: every kind of finding the reports can carry, with its stable rule id,
 * name, severity and wording. Every renderer takes its words from here (SARIF rules, annotation
 * titles, JUnit messages, text notes), so a new finding code is one row here plus the place in
 * check/ that produces it. The row order is the SARIF `ruleIndex` order: append, never reorder.
 */
export type FindingCode = FindingReason | 'unreadable-file' | 'weak-need' | 'needed-library' | LoaderFindingCode;

export interface FindingKind {
  /** Stable rule id: `GF` + number (the SARIF convention: an opaque id with a readable name). */
  readonly id: string;
  readonly name: string;
  /** `note`: reported, never failing (SARIF level `note`). */
  readonly severity: 'error' | 'warning' | 'note';
  /** One line: what was found. */
  readonly short: string;
  /** What it means and why it matters. */
  readonly full: string;
  /** What to do about it. */
  readonly help: string;
  /** The text report's note after a version finding (empty: the comparison says it all). */
  readonly note: string;
}

export const FINDINGS: Readonly<Record<FindingCode, FindingKind>> = {
  'above-floor': {
    id: 'GF1001', name: 'VersionAboveFloor', severity: 'error', note: '',
    short: 'A version need is above the floor.',
    full: 'The binary needs a symbol version newer than the oldest library release it must run on; the dynamic loader refuses to start it there ("version `GLIBC_2.36\' not found").',
    help: 'Build against an older glibc (an older builder image or a sysroot), or stop using the symbols named in the result.',
  },
  private: {
    id: 'GF1002', name: 'PrivateGlibcSymbol', severity: 'error', note: 'private glibc ABI: ties the binary to one glibc build',
    short: 'The binary needs GLIBC_PRIVATE.',
    full: 'GLIBC_PRIVATE is glibc\'s internal interface between its own libraries; a binary that needs it runs only with the exact glibc build it was linked against.',
    help: 'Do not link against glibc internals; rebuild without the object that references the private symbols named in the result.',
  },
  unprovable: {
    id: 'GF1003', name: 'UnprovableVersion', severity: 'error', note: 'not a version number: compatibility cannot be proven',
    short: 'A version need is not a version number.',
    full: 'A non-numeric version name in a family that has a floor cannot be compared with the floor, so its compatibility cannot be proven; the tool never passes what it does not understand.',
    help: 'Check by hand whether the oldest target provides this version node, then accept it with a waiver in .glibc-floor.json.',
  },
  'unreadable-file': {
    id: 'GF1004', name: 'UnreadableFile', severity: 'error', note: '',
    short: 'A file could not be read as ELF.',
    full: 'The file is missing, unreadable, not ELF, truncated or malformed, so its needs are unknown.',
    help: 'Fix the path, or rebuild the file; the result message names what is wrong.',
  },
  'weak-need': {
    id: 'GF1005', name: 'WeakNeedAboveFloor', severity: 'warning', note: '',
    short: 'A weak version need is above the floor.',
    full: 'A weak version need (VER_FLG_WEAK) that no strong symbol uses is above the floor; the loader only warns about it and the program still starts.',
    help: 'Nothing is required; to silence the warning, build against an older library release.',
  },
  'not-defined': {
    id: 'GF1006', name: 'VersionNotDefined', severity: 'error', note: 'that library does not define this version there',
    short: 'The target\'s library does not define a needed version.',
    full: 'Checked against the real version definitions of the target (its exact version sets, or --floor-from): the library the need names does not define that version node, so the loader refuses to start the binary there, whatever the number says.',
    help: 'Build against the target\'s glibc (an older builder image or a sysroot), or stop using the symbols named in the result.',
  },
  'needed-library': {
    id: 'GF1007', name: 'NeededLibrary', severity: 'error', note: '',
    short: 'A needed library is not allowed, missing, or musl.',
    full: 'The binary needs (DT_NEEDED) a library outside the --allow-lib policy, or one the --floor-from system does not have, or it is built for musl libc and cannot start on a glibc target.',
    help: 'Link the library statically or ship it with the binary, allow it with --allow-lib, or build against glibc.',
  },
  'symbol-not-defined': {
    id: 'GF1008', name: 'SymbolNotDefined', severity: 'error', note: 'the system defines this version node without these symbols',
    short: 'A --floor-from system defines the version without a symbol the binary binds to it.',
    full: 'Checked against the dynamic symbol tables of the --floor-from system: the version node exists, but no library the binary loads defines these symbols at that version (a vendor or patched glibc, or a symbol that moved between libraries). The loader maps the program and fails at relocation: "undefined symbol: X, version V".',
    help: 'Build against the system\'s own glibc (its sysroot), or stop using the symbols named in the result.',
  },
  'exec-stack-dlopen': {
    id: 'GF1009', name: 'ExecutableStackSharedObject', severity: 'error', note: '',
    short: 'A shared object asks for an executable stack: dlopen refuses it on glibc 2.41 and newer.',
    full: 'Since glibc 2.41, dlopen no longer makes the stack executable for a shared object whose PT_GNU_STACK is executable (or that has none where the ABI default is executable); loading fails with "cannot enable executable stack as shared object requires: Invalid argument" (glibc 2.41 NEWS). Python extensions, Node addons and plugins are dlopen\'ed.',
    help: 'Link with -Wl,-z,noexecstack, and give every assembly file a `.section .note.GNU-stack,"",@progbits` line (or assemble with -Wa,--noexecstack).',
  },
  'isa-level': {
    id: 'GF1010', name: 'IsaLevelAboveCpu', severity: 'error', note: '',
    short: 'The file needs a higher x86-64 level than a target\'s CPUs have.',
    full: 'The GNU property note says the code needs or uses x86-64-v2/v3/v4 instructions, above the CPU baseline of a target (RHEL 9 x86-64-v2, RHEL 10 x86-64-v3) or of --cpu-level; glibc\'s loader refuses it ("CPU ISA level is lower than required"), older loaders crash on the first such instruction.',
    help: 'Build for the lowest level you support (-march=x86-64-v2, or dispatch at run time with function multi-versioning), or drop the target.',
  },
  'exec-stack-program': {
    id: 'GF1011', name: 'ExecutableStackProgram', severity: 'note', note: '',
    short: 'A program asks for an executable stack.',
    full: 'glibc still grants a program\'s own request for an executable stack at start-up (tunable glibc.rtld.execstack), so it runs; but its stack is writable and executable, and the libraries it dlopens run with it.',
    help: 'Link with -Wl,-z,noexecstack, and give every assembly file a .note.GNU-stack section.',
  },
  'exec-stack-object': {
    id: 'GF1012', name: 'ObjectWithoutGnuStackNote', severity: 'note', note: '',
    short: 'An object has no .note.GNU-stack section.',
    full: 'GNU ld gives any program or shared object linked from an object without a .note.GNU-stack section an executable stack (on machines whose default stack is executable); a shared object built from it then fails dlopen on glibc 2.41 and newer.',
    help: 'Add `.section .note.GNU-stack,"",@progbits` to the assembly source, or assemble with -Wa,--noexecstack.',
  },
};

/** The codes in table order (SARIF's `ruleIndex`). */
export const FINDING_CODES = Object.keys(FINDINGS) as FindingCode[];

/**
 * findingTitle is the short line CI systems show as a heading: `GLIBC_2.36 > 2.35`,
 * `GLIBC_PRIVATE`, `GLIBC_FOO not a version number`.
 */
export function findingTitle(finding: FindingReport): string {
  const stands = finding.standsFor === undefined ? '' : ` (= ${finding.family} ${finding.standsFor})`;
  switch (finding.reason) {
    case 'above-floor':
      return `${finding.version}${stands} > ${finding.floor}`;
    case 'private':
      return `${finding.version} (private glibc ABI)`;
    case 'unprovable':
      return `${finding.version} (not a version number)`;
    case 'not-defined':
      return `${finding.version} not defined by ${finding.library}${finding.failsOn === undefined ? '' : ` on ${finding.failsOn.join(', ')}`}`;
    case 'symbol-not-defined':
      return `${finding.version} without ${finding.symbols.join(', ')}${finding.failsOn === undefined ? '' : ` on ${finding.failsOn.join(', ')}`}`;
  }
}

/**
 * findingSentence says in one sentence what is wrong and which symbols are to blame, naming the
 * version, the library and the floor. `maxSymbols` caps the list for places that show a preview.
 */
export function findingSentence(finding: FindingReport, maxSymbols = Infinity): string {
  const stands = finding.standsFor === undefined ? '' : ` (stands for ${finding.family} ${finding.standsFor})`;
  const subject = `${finding.version}${stands} from ${finding.library}`;
  let problem: string;
  switch (finding.reason) {
    case 'above-floor':
      problem = `${subject} is above the ${finding.family} floor ${finding.floor}`;
      break;
    case 'private':
      problem = `${subject} is private glibc ABI: it ties the binary to one glibc build, so it fails any ${finding.family} floor`;
      break;
    case 'unprovable':
      problem = `${subject} is not a version number: compatibility with the ${finding.family} floor ${finding.floor} cannot be proven`;
      break;
    case 'not-defined':
      problem = `${subject} is not defined by ${finding.library} on ${(finding.failsOn ?? ['the target']).join(', ')} (checked against its real version definitions)`;
      break;
    case 'symbol-not-defined':
      // The loader's own words, one symbol at a time (elf/dl-lookup.c).
      return `${finding.version} is defined on ${(finding.failsOn ?? ['the target']).join(', ')}, but not with these symbols: ${finding.symbols
        .slice(0, maxSymbols)
        .map((symbol) => `undefined symbol: ${symbol}, version ${finding.version}`)
        .join('; ')}${finding.symbols.length > maxSymbols ? `; and ${finding.symbols.length - maxSymbols} more` : ''} (needed from ${finding.library})`;
  }
  return `${problem}; ${symbolsPhrase(finding.symbols, maxSymbols)}`;
}

/** symbolsPhrase names the symbols bound to a need, or says that none is and why it still counts. */
export function symbolsPhrase(symbols: readonly string[], maxSymbols = Infinity): string {
  if (symbols.length === 0) return 'no symbol uses it (the loader checks the need itself at start-up)';
  const shown = symbols.slice(0, maxSymbols).join(', ');
  const more = symbols.length - Math.min(symbols.length, maxSymbols);
  return `symbols: ${shown}${more > 0 ? ` and ${more} more` : ''}`;
}

/** WEAK_NOTE explains why a weak need above the floor is only a warning. */
export const WEAK_NOTE = 'weak need used by no strong symbol: the loader only warns, the program still starts';

/** waiverReason is the reason a config-file waiver gave for accepting a finding (the schema requires one). */
export function waiverReason(finding: FindingReport): string {
  return finding.waived?.reason ?? 'no reason';
}

/** floorsText lists the floors of a report: `GLIBC 2.35, GLIBCXX 3.4.30`. */
export function floorsText(report: Pick<Report, 'floors'>): string {
  return Object.entries(report.floors)
    .map(([family, version]) => `${family} ${version}`)
    .join(', ');
}

/**
 * FileFinding is one finding of one file entry, coded by its row of the finding table: a version
 * finding (blocking or accepted by a waiver), a weak need, a needed-library problem, a loader-era
 * rule (executable stack, ISA level), or an unreadable file. `blocking` findings fail the file; the others are shown and never fail it.
 */
export type FileFinding =
  | { readonly code: FindingReport['reason']; readonly blocking: boolean; readonly finding: FindingReport }
  | { readonly code: 'weak-need'; readonly blocking: false; readonly finding: FindingReport }
  | { readonly code: 'needed-library'; readonly blocking: true; readonly library: LibraryFindingReport }
  | { readonly code: 'unreadable-file'; readonly blocking: true; readonly error: string }
  | { readonly code: LoaderFindingCode; readonly blocking: boolean; readonly loader: LoaderFindingReport };

/**
 * fileFindings walks a file entry's findings in the one order every renderer uses: an unreadable
 * file's error; then violations, needed-library problems, loader-era rules, weak needs, and waived violations, each
 * in the order the check produced them. A skipped file has none.
 */
export function* fileFindings(file: FileReport): Generator<FileFinding> {
  if (file.status === 'skipped') return;
  if (file.status === 'error') {
    yield { code: 'unreadable-file', blocking: true, error: file.error };
    return;
  }
  for (const finding of file.violations ?? []) yield { code: finding.reason, blocking: true, finding };
  for (const library of file.libraryFindings ?? []) yield { code: 'needed-library', blocking: true, library };
  // A loader-era rule broken on no target checked here (an executable stack checked against glibc < 2.41) is a note.
  for (const loader of file.loaderFindings ?? []) yield { code: loader.code, blocking: loader.failsOn.length > 0, loader };
  for (const finding of file.warnings ?? []) yield { code: 'weak-need', blocking: false, finding };
  for (const finding of file.waivedViolations ?? []) yield { code: finding.reason, blocking: false, finding };
}
