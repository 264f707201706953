import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PT_DYNAMIC, SHT_DYNAMIC, SHT_DYNSYM, SHT_GNU_verdef, SHT_GNU_verneed, SHT_GNU_versym, SHT_STRTAB } from '../../src/elf/constants.js';
import { readDynamic } from '../../src/elf/dynamic.js';
import { openElf } from '../../src/elf/elf-layout.js';
import type { FileReader } from '../../src/elf/file-reader.js';
import type { ElfHeader } from '../../src/elf/header.js';
import { readSections, type Section } from '../../src/elf/sections.js';
import { AddressMap, findSegment, loadSegments, readSegments, type Segment } from '../../src/elf/segments.js';
import { bufferSource } from '../../src/io/byte-source.js';

/** A numeric field in the file that the fuzzer may set to an extreme value. */
export interface Field {
  readonly name: string;
  readonly offset: number;
  readonly width: 1 | 2 | 4 | 8;
}

/** A byte range whose bytes the fuzzer may flip (a header, a table). */
export interface Region {
  readonly name: string;
  readonly offset: number;
  readonly length: number;
}

/** ElfMap is where the interesting parts of one seed file are, found with our own reader's pieces. */
export interface ElfMap {
  readonly littleEndian: boolean;
  readonly fields: Field[];
  readonly regions: Region[];
  /** Offsets where truncation is interesting: the starts and ends of every region and field. */
  readonly cuts: number[];
}

/** Seed is one fixture file with its map. */
export interface Seed {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly map: ElfMap;
}

/** Version records mapped per chain: real tables have a handful; fuzz finds may hold thousands. */
const MAX_WALK = 32;

/**
 * mapElf locates the ELF header, program and section headers, the dynamic array, the version
 * tables, `.dynsym`/`.gnu.version` and the hash headers of `bytes`. It reuses the reader's own
 * header and table decoders and tolerates broken files: whatever cannot be found is left out.
 */
export async function mapElf(bytes: Uint8Array): Promise<ElfMap> {
  const fields: Field[] = [];
  const regions: Region[] = [];
  const map: ElfMap = { littleEndian: true, fields, regions, cuts: [] };
  let header: ElfHeader;
  let reader: FileReader;
  try {
    ({ header, reader } = await openElf(bufferSource(bytes)));
  } catch {
    regions.push({ name: 'e_ident', offset: 0, length: Math.min(16, bytes.length) });
    return finish(map, bytes.length);
  }
  const result: ElfMap = { ...map, littleEndian: header.littleEndian };
  const { layout } = header;
  const word = layout.word;
  const e = layout.ehdr;
  regions.push({ name: 'ELF header', offset: 0, length: layout.ehdrSize });
  fields.push(
    { name: 'e_phoff', offset: e.phoff, width: word }, { name: 'e_shoff', offset: e.shoff, width: word },
    { name: 'e_phentsize', offset: e.phentsize, width: 2 }, { name: 'e_phnum', offset: e.phnum, width: 2 },
    { name: 'e_shentsize', offset: e.shentsize, width: 2 }, { name: 'e_shnum', offset: e.shnum, width: 2 },
    { name: 'e_shstrndx', offset: e.shstrndx, width: 2 }, { name: 'EI_CLASS', offset: 4, width: 1 },
    { name: 'EI_DATA', offset: 5, width: 1 },
  );

  let segments: Segment[] = [];
  try {
    segments = await readSegments(reader, header);
    regions.push({ name: 'program headers', offset: header.phoff, length: header.phnum * header.phentsize });
    const p = layout.phdr;
    segments.forEach((_, i) => {
      const at = header.phoff + i * header.phentsize;
      fields.push(
        { name: `phdr${i}.p_type`, offset: at + p.type, width: 4 }, { name: `phdr${i}.p_offset`, offset: at + p.offset, width: word },
        { name: `phdr${i}.p_vaddr`, offset: at + p.vaddr, width: word }, { name: `phdr${i}.p_filesz`, offset: at + p.filesz, width: word },
        { name: `phdr${i}.p_memsz`, offset: at + p.memsz, width: word },
      );
    });
  } catch {
    // Broken program headers: the header fields above still let the fuzzer reach them.
  }

  let sections: Section[] = [];
  try {
    sections = await readSections(reader, header);
    if (sections.length > 0) regions.push({ name: 'section headers', offset: header.shoff, length: sections.length * header.shentsize });
    const s = layout.shdr;
    for (const section of sections) {
      const at = header.shoff + section.index * header.shentsize;
      const interesting = [SHT_DYNSYM, SHT_GNU_verdef, SHT_GNU_verneed, SHT_GNU_versym, SHT_STRTAB, SHT_DYNAMIC].includes(section.type);
      if (!interesting) continue;
      fields.push(
        { name: `shdr${section.index}.sh_type`, offset: at + s.type, width: 4 }, { name: `shdr${section.index}.sh_offset`, offset: at + s.offset, width: word },
        { name: `shdr${section.index}.sh_size`, offset: at + s.size, width: word }, { name: `shdr${section.index}.sh_link`, offset: at + s.link, width: 4 },
        { name: `shdr${section.index}.sh_info`, offset: at + s.info, width: 4 }, { name: `shdr${section.index}.sh_entsize`, offset: at + s.entsize, width: word },
      );
      if (section.type !== SHT_STRTAB && section.type !== SHT_DYNAMIC) regions.push({ name: `section ${section.index}`, offset: section.offset, length: Math.min(section.size, 4096) });
    }
  } catch {
    // Broken section headers: fuzz what else was found.
  }

  const addresses = new AddressMap(loadSegments(segments));
  const dynamicSegment = findSegment(segments, PT_DYNAMIC);
  let verneedAt = sections.find((s) => s.type === SHT_GNU_verneed)?.offset;
  let verdefAt = sections.find((s) => s.type === SHT_GNU_verdef)?.offset;
  if (dynamicSegment !== undefined) {
    try {
      const dynamic = await readDynamic(reader, header, dynamicSegment);
      const count = Math.floor(dynamicSegment.filesz / layout.dynSize);
      regions.push({ name: 'PT_DYNAMIC', offset: dynamicSegment.offset, length: count * layout.dynSize });
      for (let i = 0; i < count; i++) {
        const at = dynamicSegment.offset + i * layout.dynSize;
        fields.push({ name: `dyn${i}.d_tag`, offset: at, width: word }, { name: `dyn${i}.d_val`, offset: at + word, width: word });
      }
      const mapped = (address: number | undefined) => (address === undefined ? undefined : addresses.toOffset(address));
      verneedAt ??= mapped(dynamic.verneed);
      verdefAt ??= mapped(dynamic.verdef);
      const gnuHash = mapped(dynamic.gnuHash);
      if (gnuHash !== undefined) {
        regions.push({ name: 'DT_GNU_HASH', offset: gnuHash, length: 16 });
        for (const [k, name] of ['nbuckets', 'symoffset', 'bloom_size'].entries()) fields.push({ name, offset: gnuHash + 4 * k, width: 4 });
      }
      const hash = mapped(dynamic.hash);
      if (hash !== undefined) fields.push({ name: 'nchain', offset: hash + 4, width: 4 });
      const strtab = mapped(dynamic.strtab);
      if (strtab !== undefined) regions.push({ name: '.dynstr', offset: strtab, length: 64 });
    } catch {
      // Broken dynamic array.
    }
  }
  if (verneedAt !== undefined) walkVerneed(bytes, header.littleEndian, verneedAt, fields, regions);
  if (verdefAt !== undefined) walkVerdef(bytes, header.littleEndian, verdefAt, fields, regions);
  return finish(result, bytes.length);
}

function u16(bytes: Uint8Array, at: number, le: boolean): number | undefined {
  return at + 2 <= bytes.length ? new DataView(bytes.buffer, bytes.byteOffset).getUint16(at, le) : undefined;
}
function u32(bytes: Uint8Array, at: number, le: boolean): number | undefined {
  return at + 4 <= bytes.length ? new DataView(bytes.buffer, bytes.byteOffset).getUint32(at, le) : undefined;
}

function walkVerneed(bytes: Uint8Array, le: boolean, start: number, fields: Field[], regions: Region[]): void {
  let at = start;
  for (let n = 0; n < MAX_WALK && at + 16 <= bytes.length; n++) {
    regions.push({ name: `Verneed ${n}`, offset: at, length: 16 });
    fields.push(
      { name: `vn${n}.vn_version`, offset: at, width: 2 }, { name: `vn${n}.vn_cnt`, offset: at + 2, width: 2 },
      { name: `vn${n}.vn_file`, offset: at + 4, width: 4 }, { name: `vn${n}.vn_aux`, offset: at + 8, width: 4 },
      { name: `vn${n}.vn_next`, offset: at + 12, width: 4 },
    );
    let aux = at + (u32(bytes, at + 8, le) ?? 0);
    const count = u16(bytes, at + 2, le) ?? 0;
    for (let k = 0; k < Math.min(count, MAX_WALK) && aux + 16 <= bytes.length; k++) {
      regions.push({ name: `Vernaux ${n}.${k}`, offset: aux, length: 16 });
      fields.push(
        { name: `vna${n}.${k}.vna_flags`, offset: aux + 4, width: 2 }, { name: `vna${n}.${k}.vna_other`, offset: aux + 6, width: 2 },
        { name: `vna${n}.${k}.vna_name`, offset: aux + 8, width: 4 }, { name: `vna${n}.${k}.vna_next`, offset: aux + 12, width: 4 },
      );
      const next = u32(bytes, aux + 12, le) ?? 0;
      if (next === 0) break;
      aux += next;
    }
    const next = u32(bytes, at + 12, le) ?? 0;
    if (next === 0) break;
    at += next;
  }
}

function walkVerdef(bytes: Uint8Array, le: boolean, start: number, fields: Field[], regions: Region[]): void {
  let at = start;
  for (let n = 0; n < MAX_WALK && at + 20 <= bytes.length; n++) {
    regions.push({ name: `Verdef ${n}`, offset: at, length: 20 });
    fields.push(
      { name: `vd${n}.vd_version`, offset: at, width: 2 }, { name: `vd${n}.vd_cnt`, offset: at + 6, width: 2 },
      { name: `vd${n}.vd_aux`, offset: at + 12, width: 4 }, { name: `vd${n}.vd_next`, offset: at + 16, width: 4 },
    );
    const aux = at + (u32(bytes, at + 12, le) ?? 0);
    if (aux + 8 <= bytes.length) {
      fields.push({ name: `vda${n}.vda_name`, offset: aux, width: 4 }, { name: `vda${n}.vda_next`, offset: aux + 4, width: 4 });
    }
    const next = u32(bytes, at + 16, le) ?? 0;
    if (next === 0) break;
    at += next;
  }
}

function finish(map: ElfMap, size: number): ElfMap {
  const seen = new Set<number>();
  const fields = map.fields.filter((f) => f.offset >= 0 && f.offset + f.width <= size && !seen.has(f.offset) && seen.add(f.offset));
  const regions = map.regions
    .filter((r) => r.offset >= 0 && r.offset < size && r.length > 0)
    .map((r) => ({ ...r, length: Math.min(r.length, size - r.offset) }));
  const cuts = new Set<number>([0, 1, 3, 4, 15, 16, size - 1]);
  for (const r of regions) for (const c of [r.offset - 1, r.offset, r.offset + 1, r.offset + r.length - 1, r.offset + r.length]) cuts.add(c);
  for (const f of fields) for (const c of [f.offset, f.offset + f.width - 1]) cuts.add(c);
  return { ...map, fields, regions, cuts: [...cuts].filter((c) => c >= 0 && c < size).sort((a, b) => a - b) };
}

/** fixturesDir is the repository's fixture tree (relative to the repo root, as CI clones it). */
export const fixturesDir = join(import.meta.dirname, '..', '..', 'fixtures');

/** seedFiles lists every regular file under fixtures/ that could be an input: all binaries, malformed and fuzz finds included. */
export function seedFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const info = statSync(path, { throwIfNoEntry: false });
      if (info === undefined) continue;
      if (info.isDirectory()) {
        if (!['src', 'tools', 'expected'].includes(name) && !path.endsWith('tree/loop')) walk(path);
      } else if (info.isFile() && !name.startsWith('.') && !/\.(md|sh|json|py|c|cpp|map|txt)$/.test(name)) {
        files.push(path);
      }
    }
  };
  walk(fixturesDir);
  return files;
}

/** loadSeeds reads and maps every seed file. */
export async function loadSeeds(): Promise<Seed[]> {
  const seeds: Seed[] = [];
  for (const path of seedFiles()) {
    const bytes = new Uint8Array(readFileSync(path));
    seeds.push({ name: path.slice(fixturesDir.length + 1), bytes, map: await mapElf(bytes) });
  }
  return seeds;
}
