import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readElf } from '../../src/elf/read-elf.js';
import { bufferSource } from '../../src/io/byte-source.js';
import { detectKind } from '../../src/kind/detect.js';
import { BUILDINFO_MAGIC, BuildInfoError, findMagic, parseBuildInfo } from '../../src/kind/go-buildinfo.js';
import { fixtures } from '../helpers/fixtures.js';

const cgoBytes = () => new Uint8Array(readFileSync(join(fixtures, 'go', 'hello-cgo-x86_64')));

/** withoutSectionHeaders zeroes e_shoff, e_shnum and e_shstrndx of an ELF64 LE file, as sstrip does. */
function withoutSectionHeaders(bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  const view = new DataView(copy.buffer);
  view.setBigUint64(40, 0n, true);
  view.setUint16(60, 0, true);
  view.setUint16(62, 0, true);
  return copy;
}

function magicOffset(bytes: Uint8Array): number {
  return Buffer.from(bytes).indexOf(Buffer.from(BUILDINFO_MAGIC));
}

describe('Go build info', () => {
  it('is found without section headers, by the magic at the start of the writable data', async () => {
    const bytes = withoutSectionHeaders(cgoBytes());
    const source = bufferSource(bytes);
    const { elf, layout } = await readElf(source);
    const kind = await detectKind(layout, elf);
    expect(kind.go).toMatchObject({ goVersion: 'go1.19.8', cgo: true, goarch: 'amd64' });
    expect(kind.name).toBe('glibc-dynamic');
    expect(kind.notes).toEqual([]);
  });

  it('turns a malformed build info into a note, not a crash', async () => {
    const bytes = cgoBytes();
    const at = magicOffset(bytes);
    expect(at).toBeGreaterThan(0);
    // The version string's length varint: make it claim far more bytes than there are.
    bytes.set([0xff, 0xff, 0xff, 0x7f], at + 32);
    const source = bufferSource(bytes);
    const { elf, layout } = await readElf(source);
    const kind = await detectKind(layout, elf);
    expect(kind.go).toBeUndefined();
    expect(kind.name).toBe('glibc-dynamic');
    expect(kind.notes).toHaveLength(1);
    expect(kind.notes[0]).toMatch(/^Go build info is malformed: Go version claims \d+ bytes$/);
  });

  it('notes a .go.buildinfo section without the header', async () => {
    const bytes = cgoBytes();
    bytes[magicOffset(bytes)] = 0;
    const source = bufferSource(bytes);
    const { elf, layout } = await readElf(source);
    const kind = await detectKind(layout, elf);
    expect(kind.notes).toEqual(['Go build info: .go.buildinfo has no "\\xff Go buildinf:" header']);
  });

  it('finds the magic only at 16-byte aligned addresses', () => {
    const data = new Uint8Array(64);
    data.set(BUILDINFO_MAGIC, 8);
    expect(findMagic(data, 0x1000)).toBe(-1);
    expect(findMagic(data, 0x1008)).toBe(8);
  });

  it('reads the pre-1.18 pointer format through the address map', async () => {
    // Header: magic, pointer size 8, flags 0 (little-endian pointers, not inline), then two pointers.
    const header = new Uint8Array(32);
    header.set(BUILDINFO_MAGIC, 0);
    header[14] = 8;
    const view = new DataView(header.buffer);
    view.setBigUint64(16, 0x1000n, true);
    view.setBigUint64(24, 0x1010n, true);
    const memory = new Map<number, Uint8Array>();
    const stringHeader = (data: number, length: number) => {
      const bytes = new Uint8Array(16);
      new DataView(bytes.buffer).setBigUint64(0, BigInt(data), true);
      new DataView(bytes.buffer).setBigUint64(8, BigInt(length), true);
      return bytes;
    };
    const version = new TextEncoder().encode('go1.16.15');
    const mod = new TextEncoder().encode(`${'0'.repeat(16)}path\texample.com/old\nmod\texample.com/old\tv1.2.3\th1:abc\ndep\tgolang.org/x/sys\tv0.1.0\n${'1'.repeat(16)}`);
    memory.set(0x1000, stringHeader(0x2000, version.length));
    memory.set(0x1010, stringHeader(0x3000, mod.length));
    memory.set(0x2000, version);
    memory.set(0x3000, mod);
    const info = await parseBuildInfo(header, async (address, length) => memory.get(address)?.subarray(0, length));
    expect(info).toMatchObject({ goVersion: 'go1.16.15', path: 'example.com/old', main: { path: 'example.com/old', version: 'v1.2.3' }, dependencies: 1, cgo: null, goarch: null });
  });

  it('rejects a pointer outside the file', async () => {
    const header = new Uint8Array(32);
    header.set(BUILDINFO_MAGIC, 0);
    header[14] = 4;
    await expect(parseBuildInfo(header, async () => undefined)).rejects.toBeInstanceOf(BuildInfoError);
  });
});
