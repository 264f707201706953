import { Transform, type Readable } from 'node:stream';
import { extract as tarExtract, type Entry, type Extract } from 'tar-stream';
import { readFirst } from '../archive/byte-stream.js';
import { hasElfMagic } from '../elf/header.js';
import type { BlobStore } from './blob-store.js';
import type { ContentStore } from './content-store.js';
import { applyEntry, type FileNode, type ImageTree } from './filesystem.js';
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

/** Says whether to keep the bytes of a file entry that starts with the ELF magic. */
export type CapturePredicate = (path: string, file: FileNode) => boolean;

/**
 * applyLayers streams every layer in order through tar-stream, applies each entry to `tree`, and
 * reads into `content` the bytes of the ELF files `shouldCapture` accepts. Other files' bytes are
 * read once to learn whether they are ELF (the first 4) and discarded. Throws ImageError naming
 * the layer when it cannot be decompressed or parsed (a truncated layer included).
 */
export async function applyLayers(
  store: BlobStore,
  layers: readonly LayerRef[],
  tree: ImageTree,
  content: ContentStore,
  shouldCapture: CapturePredicate,
): Promise<void> {
  let total = 0;
  for (const [index, layer] of layers.entries()) {
    await forEachEntry(store, layer, async (entry, ordinal) => {
      if (++total > MAX_ENTRIES) throw new ImageError(`more than ${MAX_ENTRIES} entries in its layers`);
      const file = applyEntry(tree, index, `${index}:${ordinal}`, {
        name: entry.header.name,
        type: entry.header.type,
        size: entry.header.size ?? 0,
        linkname: entry.header.linkname,
      });
      if (file === undefined) return drain(entry);
      const { first, rest } = await readFirst(entry, 4);
      file.elf = hasElfMagic(first);
      if (file.elf && shouldCapture(entry.header.name, file)) {
        file.content = await content.capture(file.size, first, rest);
      } else {
        await drain(rest);
      }
    });
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

async function forEachEntry(store: BlobStore, layer: LayerRef, visit: (entry: Entry, ordinal: number) => Promise<void>): Promise<void> {
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

async function drain(stream: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const chunk of stream) void chunk;
}
