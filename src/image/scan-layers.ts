import { availableParallelism } from 'node:os';
import { Transform, type Readable } from 'node:stream';
import { extract as tarExtract, type Entry, type Extract } from 'tar-stream';
import { hasElfMagic } from '../elf/header.js';
import type { BlobStore } from './blob-store.js';
import type { Content, ContentStore } from './content-store.js';
import { applyEntry, entryMakesFile, type EntryHeader, type FileNode, type ImageTree } from './filesystem.js';
import { ImageError } from './image-error.js';
import { openLayerStream } from './layer-stream.js';
import type { LayerRef } from './manifest.js';

/** Entries across all layers, at most: the in-memory tree costs some 250 bytes an entry (248 measured over 500,000 typical paths), so the tree stays under ~250 MB. */
export const MAX_ENTRIES = 1_000_000;
/**
 * tar-stream buffers a pax or GNU long-name record whole before it parses it; a hostile layer
 * could declare one of gigabytes. With entry streams consumed as they come, the parser never holds
 * more than a chunk or two otherwise, so more than this buffered means such a record: refuse it.
 */
const MAX_PARSER_BUFFER = 16 << 20;

/** Says whether to keep the bytes of a file entry (named as in its tar header) that starts with the ELF magic. */
export type CapturePredicate = (name: string) => boolean;

/**
 * Layers decompressed and parsed at once. Each layer is its own gzip (or zstd) stream and zlib
 * inflates on the libuv thread pool (4 threads unless UV_THREADPOOL_SIZE says otherwise), so
 * reading several layers at once puts several cores to work; more than the pool's threads would
 * only queue. Each layer in flight holds its stream buffers (a few MiB).
 */
export const LAYERS_IN_FLIGHT = Math.max(1, Math.min(availableParallelism(), 4));

/** One entry of a layer read ahead of its turn: what shapes the tree, and for a file its first bytes' verdict and kept bytes. */
interface ScannedEntry {
  readonly header: EntryHeader;
  readonly elf: boolean;
  readonly content?: Content;
}

/**
 * applyLayers reads every layer through tar-stream and applies its entries to `tree` in layer
 * order, reading into `content` the bytes of the ELF files `shouldCapture` accepts. Other files'
 * bytes are read once to learn whether they are ELF (the first 4) and discarded.
 *
 * Up to LAYERS_IN_FLIGHT layers are read at once, each into a list of its entries (headers and
 * kept bytes, never the tree), and the lists are applied strictly in layer order, so whiteouts,
 * overrides and hard links come out exactly as reading one layer after another does. Errors come
 * out in that order too: the first layer, in order, that cannot be read is the one named (an
 * ImageError naming the layer: undecodable, unparsable, truncated), and the layers after it are
 * stopped and waited for before it is thrown, so none still writes to the content store.
 */
export async function applyLayers(
  store: BlobStore,
  layers: readonly LayerRef[],
  tree: ImageTree,
  content: ContentStore,
  shouldCapture: CapturePredicate,
): Promise<void> {
  const stop = new AbortController();
  const budget = new EntryBudget(layers.length);
  const scans: Promise<ScannedEntry[]>[] = [];
  const start = (index: number): void => {
    if (index >= layers.length) return;
    const scan = scanLayer(store, layers[index]!, index, budget, content, shouldCapture, stop.signal);
    // Consumed in order below; a later layer's failure must not be unhandled meanwhile.
    scan.catch(() => undefined);
    scans.push(scan);
  };
  for (let index = 0; index < LAYERS_IN_FLIGHT; index++) start(index);
  try {
    for (const [index] of layers.entries()) {
      const entries = await scans[index]!;
      start(index + LAYERS_IN_FLIGHT);
      for (const [ordinal, scanned] of entries.entries()) {
        const file = applyEntry(tree, index, `${index}:${ordinal}`, scanned.header);
        if (file === undefined) {
          if (scanned.content !== undefined) content.release(scanned.content);
          continue;
        }
        file.elf = scanned.elf;
        if (scanned.content !== undefined) file.content = scanned.content;
      }
    }
  } catch (error) {
    stop.abort();
    budget.abort();
    await Promise.allSettled(scans);
    throw error;
  }
}

/** scanLayer reads one layer's entries in order: headers, each file's ELF verdict, the bytes of the ELF files to keep. */
async function scanLayer(
  store: BlobStore,
  layer: LayerRef,
  index: number,
  budget: EntryBudget,
  content: ContentStore,
  shouldCapture: CapturePredicate,
  signal: AbortSignal,
): Promise<ScannedEntry[]> {
  const entries: ScannedEntry[] = [];
  await forEachEntry(
    store,
    layer,
    async (entry) => {
      await budget.count(index);
      const header: EntryHeader = { name: entry.header.name, type: entry.header.type, size: entry.header.size ?? 0, linkname: entry.header.linkname };
      if (!entryMakesFile(header)) {
        entries.push({ header, elf: false });
        return drain(entry);
      }
      const { first, rest } = await readFirst(entry, 4);
      const elf = hasElfMagic(first);
      if (elf && shouldCapture(header.name)) {
        entries.push({ header, elf, content: await content.capture(header.size, first, rest) });
      } else {
        entries.push({ header, elf });
        await drain(rest);
      }
    },
    signal,
  );
  budget.finish(index);
  return entries;
}

/**
 * EntryBudget holds layers read at once to MAX_ENTRIES exactly as reading them one after another
 * would: the limit is passed in the first layer, in order, whose entries with all earlier layers'
 * exceed it. A layer that would pass it while an earlier layer is still being read waits for that
 * one (which may be the layer to blame); so the entries held in lists stay near the limit too.
 */
class EntryBudget {
  /** Entries read so far, per layer and in all. */
  private readonly counts: number[];
  private total = 0;
  /** Layers 0..done-1 are read to their end; `doneTotal` is their entries. */
  private done = 0;
  private doneTotal = 0;
  private readonly finished: boolean[];
  private aborted = false;
  private wake: () => void = () => undefined;
  private changed: Promise<void>;

  constructor(layers: number) {
    this.counts = new Array<number>(layers).fill(0);
    this.finished = new Array<boolean>(layers).fill(false);
    this.changed = this.nextChange();
  }

  async count(index: number): Promise<void> {
    this.counts[index]!++;
    this.total++;
    while (this.total > MAX_ENTRIES) {
      if (this.aborted) throw new ImageError('stopped: an earlier layer failed');
      if (this.done === index) {
        if (this.doneTotal + this.counts[index]! > MAX_ENTRIES) throw new ImageError(`more than ${MAX_ENTRIES} entries in its layers`);
        return; // the excess is later layers'; they wait for this one
      }
      await this.changed;
    }
  }

  finish(index: number): void {
    this.finished[index] = true;
    while (this.done < this.finished.length && this.finished[this.done] === true) this.doneTotal += this.counts[this.done++]!;
    this.notify();
  }

  abort(): void {
    this.aborted = true;
    this.notify();
  }

  private nextChange(): Promise<void> {
    return new Promise<void>((resolve) => (this.wake = resolve));
  }

  private notify(): void {
    const wake = this.wake;
    this.changed = this.nextChange();
    wake();
  }
}

/**
 * recaptureFiles streams the layers again and captures the bytes of the given files (by their
 * entry id), for files a `--path` filter did not keep on the first pass but a link led to.
 */
export async function recaptureFiles(store: BlobStore, layers: readonly LayerRef[], wanted: ReadonlyMap<string, FileNode>, content: ContentStore): Promise<void> {
  const lastLayer = Math.max(...[...wanted.values()].map((file) => file.layer));
  for (const [index, layer] of layers.entries()) {
    if (index > lastLayer) break;
    await forEachEntry(store, layer, async (entry, ordinal) => {
      const file = wanted.get(`${index}:${ordinal}`);
      if (file === undefined || file.content !== undefined) return drain(entry);
      const { first, rest } = await readFirst(entry, 4);
      file.content = await content.capture(file.size, first, rest);
    });
  }
}

async function forEachEntry(store: BlobStore, layer: LayerRef, visit: (entry: Entry, ordinal: number) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let source: Readable | undefined;
  let extract: Extract | undefined;
  try {
    source = await openLayerStream(store, layer);
    extract = tarExtract({ allowUnknownFormat: true });
    const parser = extract;
    const guard = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        const buffered = (parser as unknown as { _buffer?: { buffered?: number } })._buffer?.buffered ?? 0;
        if (buffered > MAX_PARSER_BUFFER) callback(new Error(`a tar header record larger than ${MAX_PARSER_BUFFER} bytes`));
        else callback(null, chunk);
      },
    });
    source.on('error', (error) => parser.destroy(error));
    guard.on('error', (error) => parser.destroy(error));
    source.pipe(guard).pipe(parser);
    signal?.addEventListener('abort', () => parser.destroy(new Error('stopped: an earlier layer failed')), { once: true });
    let ordinal = 0;
    for await (const entry of parser) await visit(entry, ordinal++);
  } catch (error) {
    throw error instanceof ImageError && error.message.startsWith('layer ') ? error : new ImageError(`layer ${layer.name}: ${messageOf(error)}`);
  } finally {
    source?.destroy();
    extract?.destroy();
  }
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // zlib says "unexpected end of file"; tar-stream "Unexpected end of data": both mean truncated.
  return /unexpected end of (file|data)/i.test(message) ? `truncated (${message})` : message;
}

/** readFirst reads at least `length` bytes (fewer only at the end) and hands back the rest of the stream. */
async function readFirst(stream: AsyncIterable<Uint8Array>, length: number): Promise<{ first: Uint8Array; rest: AsyncIterable<Uint8Array> }> {
  const iterator = stream[Symbol.asyncIterator]();
  const chunks: Uint8Array[] = [];
  let have = 0;
  while (have < length) {
    const step = await iterator.next();
    if (step.done === true) break;
    chunks.push(step.value);
    have += step.value.byteLength;
  }
  const first = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  return { first, rest: { [Symbol.asyncIterator]: () => iterator } };
}

async function drain(stream: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const chunk of stream) void chunk;
}
