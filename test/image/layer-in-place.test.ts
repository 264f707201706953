/**
 * The in-place walk of an uncompressed layer (src/image/layer-in-place.ts) against tar-stream's
 * extract, which reads compressed layers: on tars written by GNU tar (gnu and pax formats, long
 * names and link targets, a pax global header, hard links, empty and tiny files, files larger than
 * the walk's window), by tar-stream's packer, and on two tars concatenated (zero blocks in the
 * middle), both must hand out the same entries with the same bytes; cut anywhere, both must fail.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, linkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { InPlaceLayer } from '../../src/image/layer-in-place.js';
import { bufferSource } from '../../src/io/byte-source.js';
import { TURN_EVERY_MS } from '../../src/io/event-loop.js';
import { tarBytes } from './helpers.js';
import { setTarChecksum, setTarField } from '../helpers/tar-header.js';

interface Seen {
  readonly name: string;
  readonly type: string | null | undefined;
  readonly size: number;
  readonly linkname: string | null | undefined;
  readonly data: string;
}

const LIMITS = { maxLongHeader: 16 << 20 };

/** viaStream lists a tar's entries as tar-stream's extract hands them out, with their data. */
async function viaStream(tar: Uint8Array): Promise<Seen[]> {
  const parser = extract({ allowUnknownFormat: true });
  Readable.from([Buffer.from(tar)]).pipe(parser);
  const seen: Seen[] = [];
  for await (const entry of parser) {
    const chunks: Buffer[] = [];
    // As the image scan does (scan-layers.ts skip): a directory's stream never ends when its header declares a size.
    if (entry.header.type !== 'directory') for await (const chunk of entry) chunks.push(chunk as Buffer);
    const { name, type, size, linkname } = entry.header;
    seen.push({ name, type, size: size ?? 0, linkname, data: Buffer.concat(chunks).toString('hex') });
  }
  return seen;
}

/** inPlace lists the same tar's entries as the in-place walk finds them, reading each file's data where it lies. */
async function inPlace(tar: Uint8Array, offset = 0): Promise<Seen[]> {
  const padded = new Uint8Array(offset + tar.length + 1024).fill(0xee);
  padded.set(tar, offset);
  const source = bufferSource(padded);
  const layer = new InPlaceLayer(source, offset, tar.length, LIMITS);
  const seen: Seen[] = [];
  for await (const entry of layer.entries()) {
    const { name, type, size, linkname } = entry.header;
    const hasData = size > 0 && type !== 'directory';
    const data = hasData ? await source.readAt(layer.fileOffset(entry), size) : new Uint8Array(0);
    if (hasData) expect(await layer.head(entry, 4)).toEqual(data.subarray(0, 4));
    seen.push({ name, type, size, linkname, data: Buffer.from(data).toString('hex') });
  }
  return seen;
}

/** block makes one ustar header block by hand, with its checksum (for records no writer here makes on request). */
function block(name: string, type: string, size: number): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 'utf8');
  header.write('0000644\0', 100, 'latin1');
  header.write('0000000\0', 108, 'latin1');
  header.write('0000000\0', 116, 'latin1');
  header.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  header.write('00000000000\0', 136, 'latin1');
  header.write(type, 156, 'latin1');
  header.write('ustar\0' + '00', 257, 'latin1');
  setTarChecksum(header);
  return header;
}

/** record is one pax record, `<length> key=value\n`, its length counting itself. */
function record(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (`${length}${body}`.length !== length) length++;
  return `${length}${body}`;
}

const padTo512 = (bytes: Buffer): Buffer => Buffer.concat([bytes, Buffer.alloc((512 - (bytes.length % 512)) % 512)]);

/**
 * paxRecordsTar: a pax size that overrides the header's (0 there, 10 in the record, as writers do
 * for files over 8 GiB), a global header whose path reaches only an entry with its own pax record
 * (tar-stream merges the two), and an entry after it that keeps its own name.
 */
function paxRecordsTar(): Buffer {
  const pax = (type: string, records: string) => [block('PaxHeaders/x', type, records.length), padTo512(Buffer.from(records))];
  return Buffer.concat([
    ...pax('x', record('size', '10')),
    block('sized', '0', 0),
    padTo512(Buffer.from('\x7fELF012345')).subarray(0, 512),
    ...pax('g', record('path', 'from-global')),
    ...pax('x', record('mtime', '1')),
    block('renamed', '0', 4),
    padTo512(Buffer.from('\x7fELF')),
    block('own-name', '0', 3),
    padTo512(Buffer.from('abc')),
    Buffer.alloc(1024),
  ]);
}

let work: string;
const tars = new Map<string, Uint8Array>();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'glibc-floor-in-place-test-'));
  const tree = join(work, 'tree');
  const deep = join(tree, 'a'.repeat(60), 'b'.repeat(60));
  mkdirSync(deep, { recursive: true });
  writeFileSync(join(deep, `${'c'.repeat(120)}.so`), Buffer.from('\x7fELF long name'));
  writeFileSync(join(tree, 'empty'), '');
  writeFileSync(join(tree, 'tiny'), 'ab');
  writeFileSync(join(tree, 'large'), Buffer.alloc(200_000, 7));
  writeFileSync(join(tree, 'odd'), Buffer.alloc(70_001, 9));
  symlinkSync(`../${'d'.repeat(150)}`, join(tree, 'long-link'));
  linkSync(join(tree, 'tiny'), join(tree, 'hard'));
  const gnuTar = (name: string, args: string[]) => {
    execFileSync('tar', ['-c', '-f', join(work, name), '-C', tree, '--sort=name', ...args, '.']);
    tars.set(name, readFileSync(join(work, name)));
  };
  gnuTar('gnu.tar', ['--format=gnu']);
  gnuTar('pax.tar', ['--format=pax']);
  gnuTar('pax-global.tar', ['--format=pax', '--pax-option=comment=made-by-the-test']);
  gnuTar('ustar-blocked.tar', ['--format=ustar', '--blocking-factor=64', '--exclude=./a*', '--exclude=./long-link']);
  tars.set('tar-stream.tar', await tarBytes([
    { header: { name: 'dir', type: 'directory' } },
    { header: { name: 'dir/file', mode: 0o755 }, body: Buffer.from('\x7fELF') },
    { header: { name: 'link', type: 'symlink', linkname: 'dir/file' } },
    { header: { name: `${'x'.repeat(90)}/${'y'.repeat(90)}` }, body: Buffer.from('deep') },
  ]));
  tars.set('pax-records.tar', paxRecordsTar());
  tars.set('concatenated.tar', Buffer.concat([tars.get('tar-stream.tar')!, tars.get('gnu.tar')!]));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the in-place walk hands out what tar-stream does', () => {
  test.each(['gnu.tar', 'pax.tar', 'pax-global.tar', 'ustar-blocked.tar', 'tar-stream.tar', 'pax-records.tar', 'concatenated.tar'])('%s', async (name) => {
    const tar = tars.get(name)!;
    const streamed = await viaStream(tar);
    expect(streamed.length).toBeGreaterThanOrEqual(3);
    expect(await inPlace(tar)).toEqual(streamed);
    // Lying at an offset of a larger file, as a layer does in a docker-archive.
    expect(await inPlace(tar, 3 * 512)).toEqual(streamed);
  });

  test('pax records: a size overrides the header, a global path reaches only entries with their own record', async () => {
    const entries = await inPlace(tars.get('pax-records.tar')!);
    expect(entries.map((entry) => [entry.name, entry.size])).toEqual([['sized', 10], ['from-global', 4], ['own-name', 3]]);
  });

  test('long names and link targets come through (the cases tar-stream resolves for us)', async () => {
    const names = (await inPlace(tars.get('pax.tar')!)).map((entry) => [entry.name, entry.linkname]);
    expect(names).toContainEqual([`./${'a'.repeat(60)}/${'b'.repeat(60)}/${'c'.repeat(120)}.so`, null]);
    expect(names).toContainEqual(['./long-link', `../${'d'.repeat(150)}`]);
    const gnuNames = (await inPlace(tars.get('gnu.tar')!)).map((entry) => [entry.name, entry.linkname]);
    expect(gnuNames).toEqual(names);
  });
});

describe('a cut or corrupt layer fails as the stream fails', () => {
  test.each(['gnu.tar', 'pax.tar', 'tar-stream.tar'])('%s cut at every block and between blocks', async (name) => {
    const tar = tars.get(name)!;
    const whole = await viaStream(tar);
    const cuts = [...Array(tar.length / 512).keys()].flatMap((block) => [block * 512, block * 512 + 100]).filter((cut) => cut > 0);
    for (const cut of cuts) {
      const piece = tar.subarray(0, cut);
      const streamed = await viaStream(piece).then((entries) => entries, () => 'error' as const);
      const walked = await inPlace(piece).then((entries) => entries, (error: Error) => {
        expect(error.message).toMatch(/^truncated \(.* runs past the end of the layer, \d+ bytes\)$/);
        return 'error' as const;
      });
      expect({ cut, walked }).toEqual({ cut, walked: streamed });
      // Cut just after a member (tar-stream wants no end-of-archive blocks), a tar is a shorter tar.
      if (walked !== 'error') expect(walked).toEqual(whole.slice(0, walked.length));
    }
  });

  test('bytes that are not a tar header give tar-stream\'s own error', async () => {
    const junk = new Uint8Array(4096).fill(0x41);
    const streamError = await viaStream(junk).then(() => undefined, (error: Error) => error.message);
    expect(streamError).toBeDefined();
    await expect(inPlace(junk)).rejects.toThrow(streamError!);
  });

  test('a long-name record beyond the limit is refused before it is read', async () => {
    const tar = tars.get('pax.tar')!;
    const layer = new InPlaceLayer(bufferSource(tar), 0, tar.length, { maxLongHeader: 64 });
    await expect((async () => {
      for await (const entry of layer.entries()) void entry;
    })()).rejects.toThrow('a tar header record larger than 64 bytes');
  });

  test('a member claiming more bytes than the layer holds is truncated, not a huge read', async () => {
    const tar = Buffer.from(await tarBytes([{ header: { name: 'big' }, body: Buffer.alloc(10) }]));
    // size field: 11 octal digits, 1 GiB.
    setTarField(tar, 0, 124, '1000000000000'.slice(0, 11));
    await expect(viaStream(tar)).rejects.toThrow();
    await expect(inPlace(tar)).rejects.toThrow(/^truncated \(member "big" \(\d+ bytes at byte 512\) runs past the end/);
  });

  test('an aborted walk stops', async () => {
    const tar = tars.get('gnu.tar')!;
    const stop = new AbortController();
    stop.abort();
    const layer = new InPlaceLayer(bufferSource(tar), 0, tar.length, LIMITS);
    await expect((async () => {
      for await (const entry of layer.entries(stop.signal)) void entry;
    })()).rejects.toThrow('stopped');
  });
});

describe('a long walk', () => {
  test('lets the event loop turn (a signal handler, a timer) every TURN_EVERY_MS', async () => {
    // 16 MiB of zero blocks, read in 256 windows of a blocking 1 ms each, as a cold read would be:
    // the headers between are settled promises only, which run before any timer or signal.
    const zeros = new Uint8Array(16 << 20);
    let windows = 0;
    const source = {
      size: zeros.length,
      readAt(offset: number, length: number) {
        windows++;
        const until = performance.now() + 1;
        while (performance.now() < until);
        return bufferSource(zeros).readAt(offset, length);
      },
    };
    let windowsWhenTimerRan: number | undefined;
    setTimeout(() => (windowsWhenTimerRan = windows), 0);
    for await (const entry of new InPlaceLayer(source, 0, zeros.length, LIMITS).entries()) void entry;
    expect(windows).toBe(256);
    expect(windowsWhenTimerRan).toBeLessThan(4 * TURN_EVERY_MS);
  });
});
