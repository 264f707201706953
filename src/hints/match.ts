import { HINTS, type Hint } from './catalogue.js';

/** HintMatch is one catalogue hint matched to a need: which of its symbols (or the version itself) it explains. */
export interface HintMatch extends Pick<Hint, 'id' | 'why' | 'fixes' | 'sources'> {
  /** The need's symbols this hint explains; empty when it matched the version name itself. */
  readonly symbols: readonly string[];
}

/** What a hint is matched against: a version need with its symbols. */
export interface HintSubject {
  readonly library: string;
  readonly version: string;
  readonly symbols: readonly string[];
}

/**
 * hintsFor returns the catalogue entries that explain one requirement, in catalogue order, each
 * with the requirement's symbols it explains. A symbol hint needs at least one matching symbol;
 * a version hint (no `symbol` pattern) explains the need as a whole.
 */
export function hintsFor(requirement: HintSubject, catalogue: readonly Hint[] = HINTS): HintMatch[] {
  const matches: HintMatch[] = [];
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
export function withHints<T extends HintSubject & { readonly hints?: readonly HintMatch[] }>(finding: T): T {
  const hints = hintsFor(finding);
  return hints.length === 0 ? finding : { ...finding, hints };
}
