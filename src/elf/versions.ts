import { VER_DEF_CURRENT, VER_FLG_BASE, VER_FLG_WEAK, VER_NEED_CURRENT, versionIndex } from './constants.js';
import { ElfFormatError } from './errors.js';
import type { FileReader } from './file-reader.js';
import type { StringTable } from './string-table.js';

/** A version table located in the file: where it starts, how many bytes it may span, and its entry count. */
export interface TableLocation {
  readonly offset: number;
  /** Bytes available to the table: sh_size, or the rest of its PT_LOAD segment without sections. */
  readonly limit: number;
  /** sh_info or DT_VERNEEDNUM/DT_VERDEFNUM; undefined means "follow the chain to its end". */
  readonly count: number | undefined;
}

/** RawVersionNeed is a Vernaux record with the Verneed it belongs to, names resolved (LSB "Version Requirements"). */
export interface RawVersionNeed {
  readonly library: string;
  readonly version: string;
  readonly flags: number;
  /** vna_other without the hidden bit (versionIndex). */
  readonly index: number;
}

export interface RawVersionDefinition {
  readonly index: number;
  readonly flags: number;
  readonly names: readonly string[];
}

const VERNEED_SIZE = 16;
const VERNAUX_SIZE = 16;
const VERDEF_SIZE = 20;
const VERDAUX_SIZE = 8;

/**
 * nextRecord enforces the two bounds every linked-record walk needs: records stay inside the table,
 * and each next-offset moves forward (offsets are unsigned, so a walk cannot revisit a record
 * unless a value wraps, and we never let it). The record count bounds the walk as well.
 */
function nextRecord(table: TableLocation, current: number, next: number, size: number, field: string): number | undefined {
  if (next === 0) return undefined;
  const target = current + next;
  if (target + size > table.limit) {
    throw new ElfFormatError('{field} {value:hex} points past the end of the version table', { field, value: next, offset: table.offset + current });
  }
  return target;
}

function maxRecords(table: TableLocation, size: number): number {
  return Math.floor(table.limit / size);
}

/**
 * How many times over, on average, a version-table walk may visit the table's bytes. Linkers may
 * share an aux record between records of the same name (libjansson.so.4's two Verdefs share one
 * Verdaux, so its walk visits 56 bytes of a 48-byte table), but never much more than once over.
 */
export const RECORD_REVISITS = 4;

/**
 * recordBudget bounds a whole table walk, not just each chain. Without it, N records whose aux
 * offsets all point at one shared chain of M entries cost N x M steps (a 47 KB file took 13 s and
 * 180 MB; see fixtures/fuzz/). `spend` throws once the walk has visited RECORD_REVISITS times the
 * table's bytes, which keeps the walk linear in the table's size.
 */
function recordBudget(table: TableLocation, what: string): (size: number, at: number) => void {
  let left = RECORD_REVISITS * table.limit;
  return (size, at) => {
    left -= size;
    if (left < 0) {
      throw new ElfFormatError(
        `${what} records overlap: the walk visits more than ${RECORD_REVISITS} times the table's ${table.limit} bytes`,
        { offset: table.offset + at },
      );
    }
  };
}

/**
 * readVersionNeeds walks `.gnu.version_r` (SHT_GNU_verneed / DT_VERNEED): every Verneed record and
 * each of its Vernaux entries, in file order. Throws ElfFormatError for records outside the table,
 * an unsupported vn_version, or names outside the string table.
 */
export async function readVersionNeeds(reader: FileReader, table: TableLocation, strings: StringTable): Promise<RawVersionNeed[]> {
  const needs: RawVersionNeed[] = [];
  const spend = recordBudget(table, 'version need');
  await reader.prefetch(table.offset, table.limit);
  const recordLimit = Math.min(table.count ?? Infinity, maxRecords(table, VERNEED_SIZE));
  let at: number | undefined = 0;
  for (let n = 0; at !== undefined && n < recordLimit; n++) {
    if (at + VERNEED_SIZE > table.limit) throw new ElfFormatError('Verneed record runs past the end of the version table', { offset: table.offset + at });
    spend(VERNEED_SIZE, at);
    const record = await reader.view(table.offset + at, VERNEED_SIZE, 'Verneed record');
    const version = record.u16(0, 'vn_version');
    if (version !== VER_NEED_CURRENT) throw new ElfFormatError('unsupported {field} {value} in Verneed record', { field: 'vn_version', value: version, offset: table.offset + at });
    const auxCount = record.u16(2, 'vn_cnt');
    const library = await strings.get(record.u32(4, 'vn_file'), 'vn_file');
    const auxOffset = record.u32(8, 'vn_aux');
    const next = record.u32(12, 'vn_next');
    let aux = auxCount === 0 ? undefined : nextRecord(table, at, auxOffset, VERNAUX_SIZE, 'vn_aux');
    const auxLimit = Math.min(auxCount, maxRecords(table, VERNAUX_SIZE));
    for (let k = 0; aux !== undefined && k < auxLimit; k++) {
      spend(VERNAUX_SIZE, aux);
      const entry = await reader.view(table.offset + aux, VERNAUX_SIZE, 'Vernaux record');
      needs.push({
        library,
        version: await strings.get(entry.u32(8, 'vna_name'), 'vna_name'),
        flags: entry.u16(4, 'vna_flags'),
        index: versionIndex(entry.u16(6, 'vna_other')),
      });
      aux = nextRecord(table, aux, entry.u32(12, 'vna_next'), VERNAUX_SIZE, 'vna_next');
    }
    at = nextRecord(table, at, next, VERNEED_SIZE, 'vn_next');
  }
  return needs;
}

/**
 * readVersionDefinitions walks `.gnu.version_d` (SHT_GNU_verdef / DT_VERDEF): each Verdef and its
 * Verdaux names (the first is the node's own name, the rest its parents).
 */
export async function readVersionDefinitions(reader: FileReader, table: TableLocation, strings: StringTable): Promise<RawVersionDefinition[]> {
  const definitions: RawVersionDefinition[] = [];
  const spend = recordBudget(table, 'version definition');
  await reader.prefetch(table.offset, table.limit);
  const recordLimit = Math.min(table.count ?? Infinity, maxRecords(table, VERDEF_SIZE));
  let at: number | undefined = 0;
  for (let n = 0; at !== undefined && n < recordLimit; n++) {
    if (at + VERDEF_SIZE > table.limit) throw new ElfFormatError('Verdef record runs past the end of the version table', { offset: table.offset + at });
    spend(VERDEF_SIZE, at);
    const record = await reader.view(table.offset + at, VERDEF_SIZE, 'Verdef record');
    const version = record.u16(0, 'vd_version');
    if (version !== VER_DEF_CURRENT) throw new ElfFormatError('unsupported {field} {value} in Verdef record', { field: 'vd_version', value: version, offset: table.offset + at });
    const flags = record.u16(2, 'vd_flags');
    const index = versionIndex(record.u16(4, 'vd_ndx'));
    const auxCount = record.u16(6, 'vd_cnt');
    const names: string[] = [];
    let aux = auxCount === 0 ? undefined : nextRecord(table, at, record.u32(12, 'vd_aux'), VERDAUX_SIZE, 'vd_aux');
    const auxLimit = Math.min(auxCount, maxRecords(table, VERDAUX_SIZE));
    for (let k = 0; aux !== undefined && k < auxLimit; k++) {
      spend(VERDAUX_SIZE, aux);
      const entry = await reader.view(table.offset + aux, VERDAUX_SIZE, 'Verdaux record');
      names.push(await strings.get(entry.u32(0, 'vda_name'), 'vda_name'));
      aux = nextRecord(table, aux, entry.u32(4, 'vda_next'), VERDAUX_SIZE, 'vda_next');
    }
    definitions.push({ index, flags, names });
    at = nextRecord(table, at, record.u32(16, 'vd_next'), VERDEF_SIZE, 'vd_next');
  }
  return definitions;
}

/** isWeakFlag / isBaseFlag keep the flag tests in one place. */
export const isWeakFlag = (flags: number): boolean => (flags & VER_FLG_WEAK) !== 0;
export const isBaseFlag = (flags: number): boolean => (flags & VER_FLG_BASE) !== 0;
