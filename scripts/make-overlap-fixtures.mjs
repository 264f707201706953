#!/usr/bin/env node
// Writes fixtures/fuzz/verneed-overlap-x86_64 and fixtures/fuzz/verdef-overlap-x86_64 from the
// well-formed x86_64 fixtures: the version table is moved to the end of the file and replaced by
// N records that all point (through vn_aux / vd_aux) at one shared chain of M aux records. Every
// offset stays inside the table and every next-offset moves forward, so a per-chain bound does
// not stop it; the walk visits N x M aux records (quadratic in the table size).
// Run: node scripts/make-overlap-fixtures.mjs (from the repository root).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';

const SHT_GNU_verdef = 0x6ffffffd;
const SHT_GNU_verneed = 0x6ffffffe;

function sectionHeaders(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shoff = Number(view.getBigUint64(40, true));
  const shentsize = view.getUint16(58, true);
  const shnum = view.getUint16(60, true);
  return Array.from({ length: shnum }, (_, i) => {
    const at = shoff + i * shentsize;
    return { at, type: view.getUint32(at + 4, true), offset: Number(view.getBigUint64(at + 24, true)), link: view.getUint32(at + 40, true) };
  });
}

/** cstring finds the offset of `name` (NUL-terminated) inside the string table at `offset`. */
function cstring(bytes, offset, name) {
  const needle = Buffer.from(`${name}\0`);
  const at = Buffer.from(bytes.buffer, bytes.byteOffset).indexOf(needle, offset);
  if (at < 0) throw new Error(`no ${name}`);
  return at - offset;
}

function build(seedPath, outPath, type, n, m) {
  const seed = new Uint8Array(readFileSync(seedPath));
  const sections = sectionHeaders(seed);
  const table = sections.find((s) => s.type === type);
  const strtab = sections[table.link];
  const recordSize = type === SHT_GNU_verneed ? 16 : 20;
  const auxSize = type === SHT_GNU_verneed ? 16 : 8;
  const size = n * recordSize + m * auxSize;
  const out = new Uint8Array(seed.length + size);
  out.set(seed);
  const view = new DataView(out.buffer);
  const base = seed.length;
  const chainAt = n * recordSize;
  const nameA = cstring(seed, strtab.offset, type === SHT_GNU_verneed ? 'libc.so.6' : 'V1');
  const nameB = cstring(seed, strtab.offset, type === SHT_GNU_verneed ? 'GLIBC_2.2.5' : 'V2');
  for (let i = 0; i < n; i++) {
    const at = base + i * recordSize;
    const next = i === n - 1 ? 0 : recordSize;
    if (type === SHT_GNU_verneed) {
      view.setUint16(at, 1, true); // vn_version
      view.setUint16(at + 2, 0xffff, true); // vn_cnt
      view.setUint32(at + 4, nameA, true); // vn_file
      view.setUint32(at + 8, chainAt - i * recordSize, true); // vn_aux: the shared chain
      view.setUint32(at + 12, next, true); // vn_next
    } else {
      view.setUint16(at, 1, true); // vd_version
      view.setUint16(at + 4, 2 + (i % 100), true); // vd_ndx
      view.setUint16(at + 6, 0xffff, true); // vd_cnt
      view.setUint32(at + 12, chainAt - i * recordSize, true); // vd_aux
      view.setUint32(at + 16, next, true); // vd_next
    }
  }
  for (let k = 0; k < m; k++) {
    const at = base + chainAt + k * auxSize;
    const next = k === m - 1 ? 0 : auxSize;
    if (type === SHT_GNU_verneed) {
      view.setUint16(at + 6, 2, true); // vna_other
      view.setUint32(at + 8, nameB, true); // vna_name
      view.setUint32(at + 12, next, true); // vna_next
    } else {
      view.setUint32(at, nameB, true); // vda_name
      view.setUint32(at + 4, next, true); // vda_next
    }
  }
  // Point the section at the new table: sh_offset, sh_size, sh_info 0 ("follow the chain").
  view.setBigUint64(table.at + 24, BigInt(base), true);
  view.setBigUint64(table.at + 32, BigInt(size), true);
  view.setUint32(table.at + 44, 0, true);
  writeFileSync(outPath, out);
  console.log(`${outPath}: ${out.length} bytes, ${n} records x ${m} shared aux records`);
}

mkdirSync('fixtures/fuzz', { recursive: true });
build('fixtures/hello-x86_64', 'fixtures/fuzz/verneed-overlap-x86_64', SHT_GNU_verneed, 1024, 1024);
build('fixtures/libhidden-x86_64.so', 'fixtures/fuzz/verdef-overlap-x86_64', SHT_GNU_verdef, 1024, 2048);
