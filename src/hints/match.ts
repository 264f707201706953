import type { FindingReport, HintReport, RequirementReport } from '../report/model.js';
import { HINTS, type Hint } from './catalogue.js';

/**
 * hintsFor returns the catalogue entries that explain one requirement, in catalogue order, each
 * with the requirement's symbols it explains. A symbol hint needs at least one matching symbol;
 * a version hint (no `symbol` pattern) explains the need as a whole.
 */
export function hintsFor(requirement: Pick<RequirementReport, 'library' | 'version' | 'symbols'>, catalogue: readonly Hint[] = HINTS): HintReport[] {
  const matches: HintReport[] = [];
  for (const hint of catalogue) {
    if (!hint.version.test(requirement.version)) continue;
    if (hint.library !== undefined && !hint.library.test(requirement.library)) continue;
    const symbols = hint.symbol === undefined ? [] : requirement.symbols.filter((symbol) => hint.symbol!.test(symbol));
    if (hint.symbol !== undefined && symbols.length === 0) continue;
    matches.push({ id: hint.id, symbols, why: hint.why, fixes: hint.fixes, sources: hint.sources });
  }
  return matches;
}

/** withHints adds `hints` to a finding when the catalogue explains it; other findings are returned as they are. */
export function withHints<T extends FindingReport>(finding: T): T {
  const hints = hintsFor(finding);
  return hints.length === 0 ? finding : { ...finding, hints };
}
