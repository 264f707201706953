import type { FindingReport, Report } from './model.js';

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

/** floorsText lists the floors of a report: `GLIBC 2.35, GLIBCXX 3.4.30`. */
export function floorsText(report: Report): string {
  return Object.entries(report.floors)
    .map(([family, version]) => `${family} ${version}`)
    .join(', ');
}
