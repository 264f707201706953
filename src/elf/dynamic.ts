import * as C from './constants.js';
import { ElfFormatError } from './errors.js';
import type { FileReader } from './file-reader.js';
import type { ElfHeader } from './header.js';
import type { Segment } from './segments.js';

/** DynamicInfo holds the dynamic-array entries (gABI "Dynamic Section") the reader uses. */
export interface DynamicInfo {
  /** DT_NEEDED string offsets, in order. */
  readonly needed: readonly number[];
  readonly soname?: number;
  readonly strtab?: number;
  readonly strsz?: number;
  readonly symtab?: number;
  readonly syment?: number;
  readonly hash?: number;
  readonly gnuHash?: number;
  readonly versym?: number;
  readonly verneed?: number;
  readonly verneednum?: number;
  readonly verdef?: number;
  readonly verdefnum?: number;
  readonly mipsSymtabno?: number;
  readonly flags1?: number;
  /** Every address-valued entry, to bound tables whose size the dynamic array does not give. */
  readonly addresses: readonly number[];
}

/** No real dynamic array comes near this many entries; more is treated as malformed. */
export const MAX_DYNAMIC_ENTRIES = 1 << 16;

/**
 * readDynamic decodes the PT_DYNAMIC segment up to DT_NULL. Absent (static program) is the
 * caller's concern; a segment outside the file throws ElfFormatError.
 */
export async function readDynamic(reader: FileReader, header: ElfHeader, segment: Segment): Promise<DynamicInfo> {
  const { layout } = header;
  const count = Math.floor(segment.filesz / layout.dynSize);
  if (count > MAX_DYNAMIC_ENTRIES) {
    throw new ElfFormatError(`PT_DYNAMIC claims {value} entries, more than the ${MAX_DYNAMIC_ENTRIES} allowed`, { field: 'PT_DYNAMIC', value: count, offset: segment.offset });
  }
  const view = await reader.view(segment.offset, count * layout.dynSize, 'PT_DYNAMIC segment');
  const needed: number[] = [];
  const addresses: number[] = [];
  const values = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const at = i * layout.dynSize;
    // d_tag is signed, but every tag we use is a small positive number, so reading it as
    // unsigned and clamping keeps processor-specific high tags harmless.
    const tag = layout.word === 4 ? view.u32(at, 'd_tag') : view.u64Loose(at, 'd_tag');
    if (tag === C.DT_NULL) break;
    const value = layout.word === 4 ? view.u32(at + 4, 'd_val') : view.u64Loose(at + 8, 'd_val');
    if (tag === C.DT_NEEDED) needed.push(value);
    else if (!values.has(tag)) values.set(tag, value);
    if (C.DT_ADDRESS_TAGS.has(tag)) addresses.push(value);
  }
  return {
    needed,
    soname: values.get(C.DT_SONAME),
    strtab: values.get(C.DT_STRTAB),
    strsz: values.get(C.DT_STRSZ),
    symtab: values.get(C.DT_SYMTAB),
    syment: values.get(C.DT_SYMENT),
    hash: values.get(C.DT_HASH),
    gnuHash: values.get(C.DT_GNU_HASH),
    versym: values.get(C.DT_VERSYM),
    verneed: values.get(C.DT_VERNEED),
    verneednum: values.get(C.DT_VERNEEDNUM),
    verdef: values.get(C.DT_VERDEF),
    verdefnum: values.get(C.DT_VERDEFNUM),
    mipsSymtabno: values.get(C.DT_MIPS_SYMTABNO),
    flags1: values.get(C.DT_FLAGS_1),
    addresses,
  };
}

/**
 * nextTableAfter returns the lowest known table address above `address`: with no section headers
 * it is the best bound on where a table of unknown size ends (linkers lay the dynamic tables out
 * back to back: `.dynsym` is followed by `.dynstr` in GNU ld, by `.gnu.version` in lld).
 */
export function nextTableAfter(info: DynamicInfo, extra: readonly number[], address: number): number | undefined {
  let best: number | undefined;
  for (const candidate of [...info.addresses, ...extra]) {
    if (candidate > address && (best === undefined || candidate < best)) best = candidate;
  }
  return best;
}
