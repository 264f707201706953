import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';
import type { Entry } from 'tar-stream';
import { readFirst } from '../archive/byte-stream.js';
import { MAX_TAR_HEADER_BUFFER, tarParser, validTarSize } from '../archive/tar.js';
import { hasArMagicPrefix } from '../archive/ar.js';
import { hasElfMagic } from '../elf/header.js';
import { openFileSource } from '../io/byte-source.js';
import type { BlobFile, BlobStore } from './blob-store.js';
import type { Content, ContentStore } from './content-store.js';
import { applyEntry, entryMakesFile, type EntryHeader, type FileMagic, type FileNode, type ImageTree } from './filesystem.js';
import { ImageError } from './image-error.js';
import { InPlaceLayer } from './layer-in-place.js';
import { openLayer } from './open-layer.js';
import type { LayerRef } from './manifest.js';

/** Entries across all layers, at most: the in-memory tree costs some 250 bytes an entry (248 measured over 500,000 typical paths), so the tree stays under ~250 MB. */
export const MAX_ENTRIES = 1_000_000;
/** Says whether to keep the bytes of a file entry (named as in its tar header) that starts with the ELF or the ar magic. */
export type CapturePredicate = (name: string) => boolean;

/**
 * Layers decompressed and parsed at once. Each layer is its own gzip (or zstd) stream and zlib
 * inflates on the libuv thread pool (4 threads unless UV_THREADPOOL_SIZE says otherwise), so
 * reading several layers at once puts several cores to work; more than the pool's threads would
 * only queue. Each layer in flight holds its stream buffers (a few MiB).
 */
export const layersInFlight = (): number => Math.max(1, Math.min(availableParallelism(), 4));

/** One entry of a layer read ahead of its turn: what shapes the tree, and for a file its first bytes' verdict and kept bytes. */
interface PendingEntry {
  readonly header: EntryHeader;
  readonly magic: FileMagic;
  content?: Content;
}

/**
 * applyLayers reads every layer through tar-stream and applies its entries to `tree` in layer
 * order, reading into `content` the bytes of the ELF files and static libraries `shouldCapture`
 * accepts. Other files' bytes are read once to learn what they are (the first 4) and discarded.
 *
 * Up to layersInFlight() layers are read at once. The lowest layer not yet applied applies its
 * entries as it reads them, exactly as a one-layer-at-a-time read does; a layer read ahead of its
 * turn keeps its entries (headers, magic verdicts, kept bytes, never the tree) in a list applied in
 * order when its turn comes. So whiteouts, overrides and hard links come out as reading one layer
 * after another does. Errors come out in that order too: the first layer, in order, that cannot be
 * read is the one named (an ImageError naming the layer: undecodable, unparsable, truncated), and
 * the layers after it are stopped and waited for before it is thrown, so none still writes to the
 * content store. The bounds (MAX_ENTRIES, the disk budget) are kept in layer order as well: see
 * LayerTurns.
 */
export async function applyLayers(
  store: BlobStore,
  layers: readonly LayerRef[],
  tree: ImageTree,
  content: ContentStore,
  shouldCapture: CapturePredicate,
): Promise<void> {
  const stop = new AbortController();
  const turns = new LayerTurns(layers.length);
  const scans: Promise<LayerEntries>[] = [];
  const start = (index: number): void => {
    if (index >= layers.length) return;
    const entries = new LayerEntries(index, tree, content, turns);
    const scan = readLayer(store, layers[index]!, entries, content, shouldCapture, stop.signal);
    // Consumed in order below; a later layer's failure must not be unhandled meanwhile.
    scan.catch(() => undefined);
    scans.push(scan);
  };
  const inFlight = layersInFlight();
  for (let index = 0; index < inFlight; index++) start(index);
  try {
    for (const [index] of layers.entries()) {
      const entries = await scans[index]!;
      start(index + inFlight);
      try {
        entries.flush();
      } catch (error) {
        throw new ImageError(`layer ${layers[index]!.name}: ${messageOf(error)}`);
      }
      turns.appliedLayer(index);
    }
  } catch (error) {
    stop.abort();
    turns.abort();
    await Promise.allSettled(scans);
    throw error;
  }
}

/** fileMagic tells an entry's kind from its first 4 bytes (an ar archive's full magic is checked when it is read). */
function fileMagic(first: Uint8Array): FileMagic {
  if (hasElfMagic(first)) return 'elf';
  return hasArMagicPrefix(first) ? 'ar' : 'none';
}

/** readLayer reads one layer's entries in order into `entries`: headers, each file's magic, the bytes of the files to keep. */
async function readLayer(
  store: BlobStore,
  layer: LayerRef,
  entries: LayerEntries,
  content: ContentStore,
  shouldCapture: CapturePredicate,
  signal: AbortSignal,
): Promise<LayerEntries> {
  await forEachEntry(
    store,
    layer,
    async (entry) => {
      await entries.turns.count(entries.index);
      const { header } = entry;
      if (!entryMakesFile(header)) {
        entries.add(header, 'none');
        return skip(entry);
      }
      if (entry.inPlace !== undefined) {
        const magic = fileMagic(await entry.inPlace.head(4));
        const target = entries.add(header, magic);
        // Kept where it lies: nothing is copied, so neither budget applies and no turn is waited for.
        if (magic !== 'none' && shouldCapture(header.name)) target.holder.content = entry.inPlace.content();
        return;
      }
      const { first, rest } = await readFirst(entry.stream, 4);
      const magic = fileMagic(first);
      const keep = magic !== 'none' && shouldCapture(header.name);
      // Ahead of its turn, a file that would pass the disk budget waits for the turn: the layers
      // before may yet release files, and only then is the budget counted as in order.
      if (keep && !entries.inTurn() && content.overflows(header.size)) await entries.turns.turn(entries.index);
      // In its turn the entry is applied before its bytes are kept, so a file it replaces is
      // released first, as in a one-layer-at-a-time read.
      const target = entries.add(header, magic);
      if (keep) await entries.keep(target, header.size, first, rest);
      else await drain(rest);
    },
    signal,
  );
  return entries;
}

/** Where an entry's kept bytes go: its file node (applied) or its pending entry (read ahead of its turn). */
interface Target {
  readonly holder: { content?: Content };
  readonly ahead: boolean;
}

/** LayerEntries applies one layer's entries to the tree in order: at once in the layer's turn, else once its turn comes. */
class LayerEntries {
  readonly index: number;
  readonly turns: LayerTurns;
  private readonly tree: ImageTree;
  private readonly content: ContentStore;
  private readonly pending: PendingEntry[] = [];
  private ordinal = 0;

  constructor(index: number, tree: ImageTree, content: ContentStore, turns: LayerTurns) {
    this.index = index;
    this.tree = tree;
    this.content = content;
    this.turns = turns;
  }

  /** inTurn says whether every layer before this one is applied, so its entries apply as they come. */
  inTurn(): boolean {
    return this.turns.isTurnOf(this.index);
  }

  /** add takes the layer's next entry: applied now in the layer's turn, else kept for it. */
  add(header: EntryHeader, magic: FileMagic): Target {
    if (!this.inTurn()) {
      const pending: PendingEntry = { header, magic };
      this.pending.push(pending);
      return { holder: pending, ahead: true };
    }
    this.flush();
    return { holder: this.apply({ header, magic }) ?? {}, ahead: false };
  }

  /**
   * keep captures the bytes of the entry `add` returned. Bytes on disk of entries read ahead are
   * counted against the disk budget when their entry is applied, not before (see LayerTurns).
   */
  async keep(target: Target, size: number, first: Uint8Array, rest: AsyncIterable<Uint8Array>): Promise<void> {
    // Counted from the start of the capture, as the store counts it: a layer in its turn
    // capturing meanwhile must not be charged for it.
    const ahead = target.ahead && this.content.spills(size) ? size : 0;
    this.turns.aheadOnDisk += ahead;
    try {
      target.holder.content = await this.content.capture(size, first, rest, target.ahead ? 0 : this.turns.aheadOnDisk);
    } catch (error) {
      this.turns.aheadOnDisk -= ahead;
      throw error;
    }
  }

  /** flush applies the entries read ahead of the layer's turn. */
  flush(): void {
    for (const pending of this.pending) {
      if (pending.content?.kind === 'disk') this.turns.aheadOnDisk -= pending.content.size;
      const file = this.apply(pending);
      if (pending.content === undefined) continue;
      if (file === undefined) {
        this.content.release(pending.content);
        continue;
      }
      file.content = pending.content;
      this.content.checkBudget(this.turns.aheadOnDisk);
    }
    this.pending.length = 0;
  }

  private apply(entry: PendingEntry): FileNode | undefined {
    const file = applyEntry(this.tree, this.index, `${this.index}:${this.ordinal++}`, entry.header);
    if (file !== undefined) file.magic = entry.magic;
    return file;
  }
}

/**
 * LayerTurns keeps layers read at once to the bounds a one-after-another read has. MAX_ENTRIES is
 * passed in the first layer, in order, whose entries with all earlier layers' exceed it; a layer
 * that would pass it while an earlier one is still unapplied waits for its turn (the earlier one
 * may be the layer to blame), so the entries held in lists stay near the limit.
 *
 * The disk budget likewise counts a file when its entry is applied, in order: a layer in its turn
 * is held to the budget less the bytes of files read ahead (`aheadOnDisk`); a layer read ahead may
 * spill only while everything on disk stays within the budget, else it waits for its turn (the
 * layers before may release files) and is then counted as in order. So the temporary directory
 * holds at most twice the budget, and an image fails it where an in-order read fails it, up to
 * which files the memory budget took (layers read ahead take their share of it too).
 */
class LayerTurns {
  /** Entries read so far, per layer and in all. */
  private readonly counts: number[];
  private total = 0;
  /** Layers 0..applied-1 are applied to the tree; `appliedEntries` is their entries. */
  private applied = 0;
  private appliedEntries = 0;
  /** Bytes on disk of files read ahead of their layer's turn: not yet counted against the disk budget. */
  aheadOnDisk = 0;
  private aborted = false;
  private wake: () => void = () => undefined;
  private changed: Promise<void>;

  constructor(layers: number) {
    this.counts = new Array<number>(layers).fill(0);
    this.changed = this.nextChange();
  }

  /** count counts one entry of layer `index`; throws when the layers up to it pass MAX_ENTRIES. */
  async count(index: number): Promise<void> {
    this.counts[index]!++;
    this.total++;
    if (this.total <= MAX_ENTRIES) return;
    await this.turn(index);
    if (this.appliedEntries + this.counts[index]! > MAX_ENTRIES) throw new ImageError(`more than ${MAX_ENTRIES} entries in its layers`);
  }

  /** isTurnOf says whether every layer before `index` is applied. */
  isTurnOf(index: number): boolean {
    return this.applied === index;
  }

  /** turn resolves once every layer before `index` is applied. */
  async turn(index: number): Promise<void> {
    while (this.applied < index) {
      if (this.aborted) throw new ImageError('stopped: an earlier layer failed');
      await this.changed;
    }
  }

  /** appliedLayer records that layer `index`, the next in order, is applied. */
  appliedLayer(index: number): void {
    this.applied = index + 1;
    this.appliedEntries += this.counts[index]!;
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
 * recaptureFiles reads the layers again and captures the bytes of the given files (by their
 * entry id), for files a `--path` filter did not keep on the first pass but a link led to.
 */
export async function recaptureFiles(store: BlobStore, layers: readonly LayerRef[], wanted: ReadonlyMap<string, FileNode>, content: ContentStore): Promise<void> {
  const lastLayer = Math.max(...[...wanted.values()].map((file) => file.layer));
  for (const [index, layer] of layers.entries()) {
    if (index > lastLayer) break;
    await forEachEntry(store, layer, async (entry, ordinal) => {
      const file = wanted.get(`${index}:${ordinal}`);
      if (file === undefined || file.content !== undefined) return skip(entry);
      if (entry.inPlace !== undefined) {
        file.content = entry.inPlace.content();
        return;
      }
      const { first, rest } = await readFirst(entry.stream, 4);
      file.content = await content.capture(file.size, first, rest);
    });
  }
}

/**
 * An entry as a layer's walk hands it out: streamed out of tar-stream (a compressed layer), or
 * located in an uncompressed layer, whose bytes are read where they lie (layer-in-place.ts).
 */
type LayerEntry =
  | { readonly header: EntryHeader; readonly stream: Entry; readonly inPlace?: undefined }
  | { readonly header: EntryHeader; readonly inPlace: InPlaceEntry };

interface InPlaceEntry {
  /** The first `length` bytes of the entry's data. */
  head(length: number): Promise<Uint8Array>;
  /** The entry's bytes as content kept where they lie. */
  content(): Content;
}

type VisitEntry = (entry: LayerEntry, ordinal: number) => Promise<void>;

/** forEachEntry visits a layer's entries in order; any failure is an ImageError naming the layer. */
async function forEachEntry(store: BlobStore, layer: LayerRef, visit: VisitEntry, signal?: AbortSignal): Promise<void> {
  try {
    const bytes = await openLayer(store, layer);
    if (bytes.kind === 'in-place') await walkInPlace(bytes.file, bytes.size, visit, signal);
    else await walkStream(bytes.stream, visit, signal);
  } catch (error) {
    throw error instanceof ImageError && error.message.startsWith('layer ') ? error : new ImageError(`layer ${layer.name}: ${messageOf(error)}`);
  }
}

/** walkInPlace visits the entries of an uncompressed layer of `size` bytes lying in `file`. */
async function walkInPlace(file: BlobFile, size: number, visit: VisitEntry, signal?: AbortSignal): Promise<void> {
  const source = await openFileSource(file.path);
  try {
    const layer = new InPlaceLayer(source, file.offset, size, { maxLongHeader: MAX_TAR_HEADER_BUFFER });
    let ordinal = 0;
    for await (const placed of layer.entries(signal)) {
      const inPlace: InPlaceEntry = {
        head: (length) => layer.head(placed, length),
        content: () => ({ kind: 'in-place', path: file.path, offset: layer.fileOffset(placed), size: placed.header.size }),
      };
      await visit({ header: placed.header, inPlace }, ordinal++);
    }
  } finally {
    await source.close();
  }
}

/** walkStream visits the entries of a layer's tar stream, parsed by tar-stream. */
async function walkStream(source: Readable, visit: VisitEntry, signal?: AbortSignal): Promise<void> {
  const extract = tarParser(source);
  try {
    signal?.addEventListener('abort', () => extract.destroy(new Error('stopped: an earlier layer failed')), { once: true });
    let ordinal = 0;
    for await (const entry of extract) {
      if (!validTarSize(entry.header.size)) throw new Error(`invalid size in the header of "${entry.header.name}"`);
      const header: EntryHeader = { name: entry.header.name, type: entry.header.type, size: entry.header.size ?? 0, linkname: entry.header.linkname };
      await visit({ header, stream: entry }, ordinal++);
    }
  } finally {
    source.destroy();
    extract.destroy();
  }
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // zlib says "unexpected end of file"; tar-stream "Unexpected end of data": both mean truncated.
  return /unexpected end of (file|data)/i.test(message) ? `truncated (${message})` : message;
}

async function drain(stream: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const chunk of stream) void chunk;
}

/**
 * skip passes over an entry's data: a streamed entry's is read and dropped, an in-place one's is
 * not read at all. tar-stream gives a directory no data whatever size its header declares, and the
 * stream of a directory with a size never ends: draining it hung the scan (a fuzzed layer found it).
 */
function skip(entry: LayerEntry): Promise<void> {
  if (entry.inPlace !== undefined || entry.header.type === 'directory') return Promise.resolve();
  return drain(entry.stream);
}
