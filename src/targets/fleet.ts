/**
 * The fleet: catalogue targets combined into the floors a `check` applies. The report's `floors`
 * are the lowest value of each family over the targets (x86_64 values; other machines use their
 * own where they differ), and `floorSources` names the target that set each; the file check itself
 * runs against every target, which is the intersection of their exact version sets.
 */
import type { Floor, Floors } from '../check/floors.js';
import { parseX86Level } from '../check/loader-rules.js';
import type { CheckTarget } from '../check/verdict.js';
import { compareVersions, parseDottedVersion } from '../versions/version-name.js';
import { CATALOGUE_FIELDS, FIELD_FAMILY, valueFor, type TargetRecord } from './catalogue.js';
import { exactSetFor } from './exact-sets.js';

/** floorsOf gives a record's numeric floors for a machine; unknown values are left out. */
export function floorsOf(record: TargetRecord, machine?: string): Map<string, Floor> {
  const floors = new Map<string, Floor>();
  for (const field of CATALOGUE_FIELDS) {
    const { value } = valueFor(record, field, machine);
    const parts = value === null ? null : parseDottedVersion(value);
    if (value === null || parts === null) continue;
    const family = FIELD_FAMILY[field];
    floors.set(family, { family, version: value, parts, source: record.name });
  }
  return floors;
}

/** checkTargetOf turns a catalogue record into a fleet member, with its exact sets when generated. */
export function checkTargetOf(record: TargetRecord): CheckTarget {
  const cache = new Map<string, Floors>();
  const libraries = exactSetFor(record.name);
  const floorsFor = (machine: string): Floors => {
    let floors = cache.get(machine);
    if (floors === undefined) cache.set(machine, (floors = floorsOf(record, machine)));
    return floors;
  };
  const x86Level = record.x86Level?.value == null ? undefined : parseX86Level(record.x86Level.value);
  return {
    name: record.name,
    floorsFor,
    glibcRelease: (machine) => floorsFor(machine).get('GLIBC')?.parts,
    ...(x86Level !== undefined ? { x86Level } : {}),
    ...(libraries !== undefined ? { libraries } : {}),
  };
}

/** FleetFloors: the combined numeric floors, who set each, and what could not be combined. */
export interface FleetFloors {
  readonly floors: Map<string, Floor>;
  /** Per family, the target whose value is the floor. */
  readonly sources: Record<string, string>;
  /** Families some targets have no value for (their check of that family falls to the others, or is skipped). */
  readonly notes: string[];
}

/**
 * combineFleet takes the lowest value of each family over the records. A family that some records
 * do not know is floored by those that do, and noted; a record that knows no glibc is an error
 * for the caller to raise (it cannot be checked at all).
 */
export function combineFleet(records: readonly TargetRecord[]): FleetFloors {
  const floors = new Map<string, Floor>();
  const unknownByRecord = new Map<string, string[]>();
  for (const field of CATALOGUE_FIELDS) {
    const family = FIELD_FAMILY[field];
    for (const record of records) {
      const floor = floorsOf(record).get(family);
      if (floor === undefined) {
        unknownByRecord.set(record.name, [...(unknownByRecord.get(record.name) ?? []), family]);
        continue;
      }
      const current = floors.get(family);
      if (current === undefined || compareVersions(floor.parts, current.parts) < 0) floors.set(family, floor);
    }
  }
  const notes: string[] = [];
  for (const [name, families] of unknownByRecord) {
    const unchecked = families.filter((family) => !floors.has(family));
    const consequence = unchecked.length === 0
      ? 'those floors come from the other targets'
      : `${unchecked.join(', ')} needs are not checked${unchecked.length < families.length ? '; the other floors come from the other targets' : ''}`;
    notes.push(`${families.join(', ')} of ${name} ${families.length === 1 ? 'is' : 'are'} unknown: ${consequence}`);
  }
  const sources: Record<string, string> = {};
  for (const [family, floor] of floors) sources[family] = floor.source;
  return { floors, sources, notes };
}
