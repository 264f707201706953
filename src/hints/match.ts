import { BUILD_OLD, HINTS, OLDEST_GLIBC, type Hint } from './catalogue.js';
import { buildAdvice, toolchainFor, type MachineOf } from './toolchains.js';

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
 * a version hint (no `symbol` pattern) explains the need as a whole. Fixes are as in the catalogue
 * (with its placeholders); `withHints` fills them in for a machine.
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

/**
 * fixFor fills in a catalogue fix for one binary's machine: the build advice (images, cross
 * compiler, `zig cc` target) for glibc `floor`, and the machine's oldest version node.
 */
export function fixFor(fix: string, machine: MachineOf, floor?: string): string {
  const oldest = toolchainFor(machine)?.oldestGlibc ?? '<oldest>';
  return fix
    .replace(BUILD_OLD, `build against the oldest glibc you support: ${buildAdvice(machine, floor)}`)
    .replaceAll(OLDEST_GLIBC, oldest);
}

/**
 * genericFix writes a catalogue fix for a group of binaries of several machines: the build advice
 * is left to a per-machine list (`pointer` says where it is), the oldest version node is given per machine.
 */
export function genericFix(fix: string, machines: readonly MachineOf[], pointer: string): string {
  const byMachine = new Map(machines.map((machine) => {
    const toolchain = toolchainFor(machine);
    return [toolchain?.name ?? machine.machine, toolchain?.oldestGlibc ?? '?'] as const;
  }));
  const values = [...new Set(byMachine.values())];
  const oldestText = values.length === 1 ? values[0]! : `<oldest: ${[...byMachine].map(([name, version]) => `${name} ${version}`).join(', ')}>`;
  return fix.replace(BUILD_OLD, `build against the oldest glibc you support (${pointer})`).replaceAll(OLDEST_GLIBC, oldestText);
}

/** isBuildAdvice says whether a catalogue fix is (or contains) the "build on an older glibc" advice. */
export const isBuildAdvice = (fix: string): boolean => fix.includes(BUILD_OLD);

/** catalogueFixes returns a hint's fixes with their placeholders, or undefined for an id not in the catalogue. */
export function catalogueFixes(id: string, catalogue: readonly Hint[] = HINTS): readonly string[] | undefined {
  return catalogue.find((hint) => hint.id === id)?.fixes;
}

/** What withHints is told about the need: its version floor (for the build advice), besides the subject. */
interface ExplainedFinding extends HintSubject {
  readonly family?: string;
  readonly floor?: string;
  readonly hints?: readonly HintMatch[];
}

/**
 * withHints adds `hints` to a finding when the catalogue explains it, with the fixes written for
 * the binary's machine and the finding's floor; other findings are returned as they are.
 */
export function withHints<T extends ExplainedFinding>(finding: T, machine: MachineOf): T & { readonly hints?: readonly HintMatch[] } {
  const hints = hintsFor(finding);
  if (hints.length === 0) return finding;
  const floor = finding.family === 'GLIBC' ? finding.floor : undefined;
  return { ...finding, hints: hints.map((hint) => ({ ...hint, fixes: hint.fixes.map((fix) => fixFor(fix, machine, floor)) })) };
}
