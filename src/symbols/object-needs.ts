/**
 * The version needs an object file or static archive brings into every program that links it.
 *
 * An object has no `.gnu.version_r`: the link creates the needs. Each undefined symbol that glibc
 * defines is bound to the version the build glibc's library gives it by default, and GNU ld records
 * a need on that version whether the reference is weak or not (it copies the definer's flags;
 * binutils `bfd/elflink.c` _bfd_elf_link_find_version_dependencies). So the needs are looked up in the glibc symbol database
 * for the object's machine. A reference already written `name@VERSION` (`.symver`) keeps its version.
 */

import type { VersionNeed, VersionNeedSymbol } from '../elf/types.js';
import { glibcSymbolTable } from './glibc-symbols.js';

/** An undefined symbol of an object (objects/relocatable.ts), as the needs are worked out from it. */
export interface UndefinedSymbolName {
  readonly name: string;
  readonly weak: boolean;
}

export interface ObjectNeeds {
  /** The needs a link would create, one per (library, version), symbols sorted. */
  readonly needs: readonly VersionNeed[];
  /** True when the database knows the machine; otherwise no need can be told and `needs` is empty. */
  readonly machineKnown: boolean;
}

/**
 * objectNeeds maps an object's (or an archive's) undefined symbols to the needs a link against
 * glibc creates, leaving out the symbols `definedElsewhere` (the archive's other members) defines.
 * Symbols glibc does not define (the object's own dependencies) create no need here.
 */
export function objectNeeds(machine: string, undefinedSymbols: readonly UndefinedSymbolName[], definedElsewhere: ReadonlySet<string> = new Set()): ObjectNeeds {
  const table = glibcSymbolTable(machine);
  if (table === undefined) return { needs: [], machineKnown: false };
  const byNeed = new Map<string, { library: string; version: string; symbols: Map<string, boolean> }>();
  for (const symbol of undefinedSymbols) {
    const at = symbol.name.indexOf('@');
    const name = baseSymbolName(symbol.name);
    if (definedElsewhere.has(name) || definedElsewhere.has(symbol.name)) continue;
    const binding = table.get(name);
    if (binding === undefined) continue;
    const version = at < 0 ? binding.version : symbol.name.slice(symbol.name.lastIndexOf('@') + 1);
    const key = `${binding.library}\0${version}`;
    const need = byNeed.get(key) ?? { library: binding.library, version, symbols: new Map<string, boolean>() };
    byNeed.set(key, need);
    need.symbols.set(name, (need.symbols.get(name) ?? true) && symbol.weak);
  }
  // Indexes as a linker numbers them: 2 upwards (0 and 1 are local and global).
  const needs = [...byNeed.values()].sort(compareNeeds).map((need, i): VersionNeed => ({
    library: need.library,
    version: need.version,
    weak: false,
    index: i + 2,
    symbols: [...need.symbols].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, weak]): VersionNeedSymbol => ({ name, weak })),
  }));
  return { needs, machineKnown: true };
}

/** baseSymbolName is a symbol's name without its `@VERSION` or `@@VERSION` suffix. */
export function baseSymbolName(name: string): string {
  const at = name.indexOf('@');
  return at < 0 ? name : name.slice(0, at);
}

/**
 * linkRelevance says which of an object's symbols can change what objectNeeds gives: an undefined
 * one glibc defines (any other creates no need), and a defined one that can resolve such a
 * reference for another member (a name glibc defines, or a `name@VERSION` one). Undefined for a
 * machine the glibc symbol database does not cover, where no symbol creates a need.
 */
export function linkRelevance(machine: string): { readonly undefinedSymbol: (name: string) => boolean; readonly definedSymbol: (name: string) => boolean } | undefined {
  const table = glibcSymbolTable(machine);
  if (table === undefined) return undefined;
  return {
    undefinedSymbol: (name) => table.has(baseSymbolName(name)),
    definedSymbol: (name) => table.has(name) || name.includes('@'),
  };
}

function compareNeeds(a: { library: string; version: string }, b: { library: string; version: string }): number {
  return a.library < b.library ? -1 : a.library > b.library ? 1 : a.version < b.version ? -1 : a.version > b.version ? 1 : 0;
}

/** What archiveNeeds needs of each member. */
export interface MemberSymbols {
  readonly name: string;
  readonly machine: string;
  readonly undefined: readonly UndefinedSymbolName[];
  readonly defined: readonly string[];
}

export interface ArchiveNeeds extends ObjectNeeds {
  /** Per member, the needs it brings by itself (its siblings' definitions left out). */
  readonly members: readonly { readonly name: string; readonly needs: readonly VersionNeed[] }[];
}

/**
 * archiveNeeds works out the needs of a whole archive on one machine: a symbol one member leaves
 * undefined and another defines is resolved inside the archive, as when the linker pulls both in.
 * The whole-archive needs are the union of the members' (a link may pull in any of them).
 */
export function archiveNeeds(machine: string, members: readonly MemberSymbols[]): ArchiveNeeds {
  const defined = new Set(members.flatMap((member) => member.defined));
  const all = members.flatMap((member) => member.undefined);
  const whole = objectNeeds(machine, all, defined);
  return {
    ...whole,
    members: members.map((member) => ({ name: member.name, needs: objectNeeds(machine, member.undefined, defined).needs })),
  };
}
