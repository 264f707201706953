import { VER_DEF_CURRENT, VER_FLG_BASE, VER_FLG_WEAK, VER_NEED_CURRENT, versionIndex } from './constants.js';
import { ElfFormatError } from './errors.js';
import type { ByteView } from './byte-view.js';
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
 * The two version tables share one shape (LSB "Symbol Versioning"): linked records, each with a
 * version field, an aux count, an aux offset and a next offset; aux entries linked by their own
 * next offset. TableKind says where those fields are in each.
 */
interface TableKind {
  readonly name: 'Verneed' | 'Verdef';
  /** What the record budget's message calls a record. */
  readonly what: string;
  readonly size: number;
  readonly current: number;
  readonly version: FieldAt;
  readonly count: FieldAt;
  readonly aux: FieldAt;
  readonly next: FieldAt;
  readonly auxName: 'Vernaux' | 'Verdaux';
  readonly auxSize: number;
  readonly auxNext: FieldAt;
}

interface FieldAt {
  readonly at: number;
  readonly field: string;
}

const VERNEED: TableKind = {
  name: 'Verneed', what: 'version need', size: 16, current: VER_NEED_CURRENT,
  version: { at: 0, field: 'vn_version' }, count: { at: 2, field: 'vn_cnt' }, aux: { at: 8, field: 'vn_aux' }, next: { at: 12, field: 'vn_next' },
  auxName: 'Vernaux', auxSize: 16, auxNext: { at: 12, field: 'vna_next' },
};
const VERDEF: TableKind = {
  name: 'Verdef', what: 'version definition', size: 20, current: VER_DEF_CURRENT,
  version: { at: 0, field: 'vd_version' }, count: { at: 6, field: 'vd_cnt' }, aux: { at: 12, field: 'vd_aux' }, next: { at: 16, field: 'vd_next' },
  auxName: 'Verdaux', auxSize: 8, auxNext: { at: 4, field: 'vda_next' },
};

/**
 * walkTable visits every record of a version table and each of its aux entries, in file order,
 * within the bounds nextRecord and the record budget keep. `visit` reads a record and returns
 * what reads each of its aux entries.
 */
async function walkTable(reader: FileReader, table: TableLocation, kind: TableKind, visit: (record: ByteView) => Promise<(entry: ByteView) => Promise<void>>): Promise<void> {
  const spend = recordBudget(table, kind.what);
  await reader.prefetch(table.offset, table.limit);
  const recordLimit = Math.min(table.count ?? Infinity, maxRecords(table, kind.size));
  let at: number | undefined = 0;
  for (let n = 0; at !== undefined && n < recordLimit; n++) {
    if (at + kind.size > table.limit) throw new ElfFormatError(`${kind.name} record runs past the end of the version table`, { offset: table.offset + at });
    spend(kind.size, at);
    const record = await reader.view(table.offset + at, kind.size, `${kind.name} record`);
    const version = record.u16(kind.version.at, kind.version.field);
    if (version !== kind.current) throw new ElfFormatError(`unsupported {field} {value} in ${kind.name} record`, { field: kind.version.field, value: version, offset: table.offset + at });
    const auxCount = record.u16(kind.count.at, kind.count.field);
    const visitEntry = await visit(record);
    let aux = auxCount === 0 ? undefined : nextRecord(table, at, record.u32(kind.aux.at, kind.aux.field), kind.auxSize, kind.aux.field);
    const auxLimit = Math.min(auxCount, maxRecords(table, kind.auxSize));
    for (let k = 0; aux !== undefined && k < auxLimit; k++) {
      spend(kind.auxSize, aux);
      const entry = await reader.view(table.offset + aux, kind.auxSize, `${kind.auxName} record`);
      await visitEntry(entry);
      aux = nextRecord(table, aux, entry.u32(kind.auxNext.at, kind.auxNext.field), kind.auxSize, kind.auxNext.field);
    }
    at = nextRecord(table, at, record.u32(kind.next.at, kind.next.field), kind.size, kind.next.field);
  }
}

/**
 * readVersionNeeds walks `.gnu.version_r` (SHT_GNU_verneed / DT_VERNEED): every Verneed record and
 * each of its Vernaux entries, in file order. Throws ElfFormatError for records outside the table,
 * an unsupported vn_version, or names outside the string table.
 */
export async function readVersionNeeds(reader: FileReader, table: TableLocation, strings: StringTable): Promise<RawVersionNeed[]> {
  const needs: RawVersionNeed[] = [];
  await walkTable(reader, table, VERNEED, async (record) => {
    const library = await strings.get(record.u32(4, 'vn_file'), 'vn_file');
    return async (entry) => {
      needs.push({
        library,
        version: await strings.get(entry.u32(8, 'vna_name'), 'vna_name'),
        flags: entry.u16(4, 'vna_flags'),
        index: versionIndex(entry.u16(6, 'vna_other')),
      });
    };
  });
  return needs;
}

/**
 * readVersionDefinitions walks `.gnu.version_d` (SHT_GNU_verdef / DT_VERDEF): each Verdef and its
 * Verdaux names (the first is the node's own name, the rest its parents).
 */
export async function readVersionDefinitions(reader: FileReader, table: TableLocation, strings: StringTable): Promise<RawVersionDefinition[]> {
  const definitions: RawVersionDefinition[] = [];
  await walkTable(reader, table, VERDEF, async (record) => {
    const names: string[] = [];
    definitions.push({ index: versionIndex(record.u16(4, 'vd_ndx')), flags: record.u16(2, 'vd_flags'), names });
    return async (entry) => {
      names.push(await strings.get(entry.u32(0, 'vda_name'), 'vda_name'));
    };
  });
  return definitions;
}

/** isWeakFlag / isBaseFlag keep the flag tests in one place. */
export const isWeakFlag = (flags: number): boolean => (flags & VER_FLG_WEAK) !== 0;
export const isBaseFlag = (flags: number): boolean => (flags & VER_FLG_BASE) !== 0;
