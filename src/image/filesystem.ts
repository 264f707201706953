import type { Content } from './content-store.js';
import { normalizeEntryName, splitEntryPath } from './entry-path.js';

/**
 * The final filesystem of an image, built in memory from the layers' tar headers (never on disk).
 * Layers are applied in order with the OCI whiteout rules; file contents are not kept here, only
 * a handle to the captured bytes of ELF files (see content-store.ts).
 */
export type FsNode = DirNode | FileNode | SymlinkNode | OtherNode;

export interface DirNode {
  readonly kind: 'dir';
  /** The layer that made it (explicitly or as an implied parent). */
  readonly layer: number;
  readonly children: Map<string, FsNode>;
}

export interface FileNode {
  readonly kind: 'file';
  readonly layer: number;
  /** Where the entry was in the layer stream (`layer:ordinal`), to find its bytes again. */
  readonly id: string;
  readonly size: number;
  /** What the first bytes say the file is; set once they were read. */
  magic: FileMagic;
  /** How many paths name this file (hard links share the node). */
  links: number;
  /** The captured bytes, for ELF files the scan keeps. */
  content?: Content;
}

/**
 * What a file's first bytes say it is: an ELF file, an ar archive (a static library or Rust rlib,
 * whose objects are checked as in a tree), or neither. Only the bytes of the first two are kept.
 */
export type FileMagic = 'elf' | 'ar' | 'none';

export interface SymlinkNode {
  readonly kind: 'symlink';
  readonly layer: number;
  readonly target: string;
}

export interface OtherNode {
  readonly kind: 'other';
  readonly layer: number;
  /** Set for a hard link whose target is missing (or is a directory). */
  readonly brokenLink?: boolean;
}

/** The tar header fields that shape the filesystem. */
export interface EntryHeader {
  readonly name: string;
  readonly type: string | null | undefined;
  readonly size: number;
  readonly linkname: string | null | undefined;
}

/** A filesystem tree plus what to do when a file leaves it (its captured bytes are released). */
export interface ImageTree {
  readonly root: DirNode;
  readonly onFileDropped: (file: FileNode) => void;
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

/** newTree makes an empty filesystem. `onFileDropped` is called when the last path naming a file goes. */
export function newTree(onFileDropped: (file: FileNode) => void = () => undefined): ImageTree {
  return { root: { kind: 'dir', layer: -1, children: new Map() }, onFileDropped };
}

/**
 * entryMakesFile says whether applyEntry makes a file node of this entry (a regular file that is
 * neither the root nor a whiteout), so a layer can be read ahead of its turn, its file bytes
 * looked at, before the entries are applied in layer order.
 */
export function entryMakesFile(header: EntryHeader): boolean {
  if (!isRegularFile(header.type)) return false;
  const base = splitEntryPath(normalizeEntryName(header.name)).pop();
  return base !== undefined && !base.startsWith(WHITEOUT);
}

function isRegularFile(type: EntryHeader['type']): boolean {
  return type === 'file' || type === 'contiguous-file' || type === null || type === undefined;
}

/**
 * applyEntry applies one entry of layer `layer` to the tree and returns the file node it made
 * (for the caller to read its bytes into), or undefined. Whiteouts (`.wh.NAME`) remove NAME;
 * an opaque marker (`.wh..wh..opq`) hides what lower layers put in its directory. A hard link
 * shares the node of its target as it is at that point; a path through a non-directory replaces it.
 */
export function applyEntry(tree: ImageTree, layer: number, id: string, header: EntryHeader): FileNode | undefined {
  const parts = splitEntryPath(normalizeEntryName(header.name));
  const base = parts.pop();
  if (base === undefined) return undefined; // the root itself
  const parent = ensureDirectory(tree, parts, layer);
  if (base === OPAQUE) {
    makeOpaque(tree, parent, layer);
    return undefined;
  }
  if (base.startsWith(WHITEOUT)) {
    // Other `.wh..wh.` names are aufs bookkeeping (hard-link directories), not paths to remove.
    if (!base.startsWith(`${WHITEOUT}${WHITEOUT}`)) remove(tree, parent, base.slice(WHITEOUT.length));
    return undefined;
  }
  const existing = parent.children.get(base);
  switch (header.type) {
    case 'directory':
      if (existing?.kind !== 'dir') replace(tree, parent, base, { kind: 'dir', layer, children: new Map() });
      return undefined;
    case 'file':
    case 'contiguous-file':
    case null:
    case undefined: {
      const file: FileNode = { kind: 'file', layer, id, size: header.size, magic: 'none', links: 1 };
      replace(tree, parent, base, file);
      return file;
    }
    case 'symlink':
      replace(tree, parent, base, { kind: 'symlink', layer, target: header.linkname ?? '' });
      return undefined;
    case 'link': {
      const target = lookup(tree.root, splitEntryPath(normalizeEntryName(header.linkname ?? '')));
      if (target?.kind === 'file') {
        if (target === existing) return undefined;
        target.links++;
        replace(tree, parent, base, target);
      } else if (target?.kind === 'symlink') {
        replace(tree, parent, base, { kind: 'symlink', layer, target: target.target });
      } else {
        replace(tree, parent, base, { kind: 'other', layer, brokenLink: true });
      }
      return undefined;
    }
    default:
      replace(tree, parent, base, { kind: 'other', layer });
      return undefined;
  }
}

/** lookup finds a node by its literal path, following no symbolic link (as tar hard links name paths). */
export function lookup(root: DirNode, parts: readonly string[]): FsNode | undefined {
  let node: FsNode = root;
  for (const part of parts) {
    if (node.kind !== 'dir') return undefined;
    const child: FsNode | undefined = node.children.get(part);
    if (child === undefined) return undefined;
    node = child;
  }
  return node;
}

function ensureDirectory(tree: ImageTree, parts: readonly string[], layer: number): DirNode {
  let directory = tree.root;
  for (const part of parts) {
    const child = directory.children.get(part);
    if (child?.kind === 'dir') {
      directory = child;
      continue;
    }
    const made: DirNode = { kind: 'dir', layer, children: new Map() };
    replace(tree, directory, part, made);
    directory = made;
  }
  return directory;
}

function replace(tree: ImageTree, parent: DirNode, name: string, node: FsNode): void {
  remove(tree, parent, name);
  parent.children.set(name, node);
}

function remove(tree: ImageTree, parent: DirNode, name: string): void {
  const node = parent.children.get(name);
  if (node === undefined) return;
  parent.children.delete(name);
  drop(tree, node);
}

/** drop releases a removed subtree, iteratively so a deep hostile tree cannot overflow the stack. */
function drop(tree: ImageTree, node: FsNode): void {
  const pending: FsNode[] = [node];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next.kind === 'dir') pending.push(...next.children.values());
    else if (next.kind === 'file' && --next.links === 0) tree.onFileDropped(next);
  }
}

/**
 * makeOpaque hides what lower layers put under `directory`: entries of this layer (before or
 * after the marker) stay, and so do the directories that lead to them.
 */
function makeOpaque(tree: ImageTree, directory: DirNode, layer: number): void {
  for (const [name, child] of [...directory.children]) {
    if (child.kind === 'dir') {
      makeOpaque(tree, child, layer);
      if (child.layer < layer && child.children.size === 0) directory.children.delete(name);
    } else if (child.layer < layer) {
      remove(tree, directory, name);
    }
  }
}

/** Linux gives up after 40 symbolic links in one lookup (MAXSYMLINKS); so do we. */
const MAX_LINK_HOPS = 40;

/** The outcome of resolving a path inside the image. */
export type Resolution = { readonly node: FsNode; readonly path: string } | 'broken' | 'loop';

/**
 * resolvePath follows symbolic links the way the kernel would inside a chroot at the image root:
 * absolute targets start at the image root and `..` stops there, so resolution never leaves the
 * image. `path` is normalized (no `.`/`..`); the result's `path` is canonical (`usr/lib/x`).
 */
export function resolvePath(root: DirNode, path: string): Resolution {
  const pending = splitEntryPath(path).reverse();
  const stack: DirNode[] = [];
  const names: string[] = [];
  let directory = root;
  let hops = 0;
  for (let part = pending.pop(); part !== undefined; part = pending.pop()) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      directory = stack.pop() ?? root;
      names.pop();
      continue;
    }
    const child = directory.children.get(part);
    if (child === undefined) return 'broken';
    if (child.kind === 'symlink') {
      if (++hops > MAX_LINK_HOPS) return 'loop';
      if (child.target === '') return 'broken';
      if (child.target.startsWith('/')) {
        directory = root;
        stack.length = 0;
        names.length = 0;
      }
      pending.push(...child.target.split('/').filter((name) => name !== '' && name !== '.').reverse());
      continue;
    }
    if (pending.length === 0) return { node: child, path: [...names, part].join('/') };
    if (child.kind !== 'dir') return 'broken';
    stack.push(directory);
    names.push(part);
    directory = child;
  }
  return { node: directory, path: names.join('/') };
}
