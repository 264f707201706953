import type { VersionNeed } from '../elf/types.js';
import { GLIBC_MARKERS, GLIBC_PRIVATE } from './glibc-markers.js';
import { parseDottedVersion, parseVersionName } from './version-name.js';

/**
 * Requirement is one version need, classified: which family it belongs to, what number it stands
 * for (its own, or a marker's release), and whether the loader would fail the program over it.
 * Requirements are keyed by (library, version): the same name from two libraries is two needs.
 */
export interface Requirement {
  readonly library: string;
  readonly version: string;
  readonly family: string;
  readonly weak: boolean;
  /** Sorted names of the undefined symbols bound to this need. */
  readonly symbols: readonly string[];
  /** The number the need is checked as: its own, or a marker's release; null if not a number. */
  readonly parts: readonly number[] | null;
  readonly kind: 'numeric' | 'marker' | 'private' | 'other';
  /**
   * Binding: the loader fails the program if the version is missing. True for every non-weak need,
   * and for a weak need used by a non-weak symbol (the loader warns, then that symbol's lookup fails).
   */
  readonly binding: boolean;
}

/** toRequirement classifies one need read from the file. */
export function toRequirement(need: VersionNeed): Requirement {
  const name = parseVersionName(need.version);
  const marker = GLIBC_MARKERS[need.version];
  const kind = name.parts !== null ? 'numeric' : marker !== undefined ? 'marker' : need.version === GLIBC_PRIVATE ? 'private' : 'other';
  return {
    library: need.library,
    version: need.version,
    family: name.family,
    weak: need.weak,
    symbols: need.symbols.map((symbol) => symbol.name),
    parts: kind === 'marker' ? parseDottedVersion(marker!.release) : name.parts,
    kind,
    binding: !need.weak || need.symbols.some((symbol) => !symbol.weak),
  };
}
