import type { SkipReason } from '../scan/skip-reason.js';
import { MAX_WALK_DEPTH } from '../scan/walk.js';
import { ImageError } from './image-error.js';
import { resolvePath, type DirNode, type FileNode, type FsNode } from './filesystem.js';

/** One thing the walk of an image's filesystem found, at `path` (`/usr/bin/x`, as reached). */
export type WalkItem =
  /**
   * `own`: the file's own path (`/usr/bin/python3.11`), the same for every link that leads to it,
   * so a check can list each file once as scan/walk.ts does on disk; `linkTarget` is set to it
   * when a link led there.
   */
  | { readonly kind: 'file'; readonly path: string; readonly file: FileNode; readonly own: string; readonly linkTarget?: string }
  | { readonly kind: 'skipped'; readonly path: string; readonly reason: SkipReason };

interface Frame {
  readonly display: string;
  /** The directory's own path, `usr/bin`: a directory is one node whatever link led to it. */
  readonly canonical: string;
  readonly names: string[];
  readonly directory: DirNode;
  /** Directories below the walk's start (0 for the root), bounded by MAX_WALK_DEPTH as on disk. */
  readonly depth: number;
}

/** Directories entered in one walk, at most, when links may lead into a directory many times. */
export const MAX_DIRECTORY_VISITS = 1_000_000;

/**
 * walkTree lists an image's filesystem the way scan/walk.ts lists an extracted copy of it, so
 * both give the same report: names in sorted order, depth first; a symbolic link is followed
 * (inside the image) and reported under its own path; a directory reached twice is skipped, as a
 * `symlink-loop` when a link led there. Iterative, so depth cannot overflow the stack.
 *
 * With a `--path` filter (`filtered`), only paths `matches` accepts are listed, and a directory is
 * skipped only when it is its own ancestor (a real loop): in a merged-/usr image `/bin` is a link
 * to `usr/bin` and is walked first, and `--path '/usr/bin/*'` must still find `/usr/bin/x`.
 * Entering is then capped at MAX_DIRECTORY_VISITS, since links can multiply the paths.
 */
export function walkTree(root: DirNode, matches: (path: string) => boolean, filtered = false): WalkItem[] {
  const items: WalkItem[] = [];
  const visited = new Set<string>(['']);
  const stack: Frame[] = [frame('', '', root, 0)];
  let visits = 0;
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const name = top.names.pop();
    if (name === undefined) {
      stack.pop();
      if (filtered) visited.delete(top.canonical);
      continue;
    }
    const node = top.directory.children.get(name)!;
    const display = `${top.display}/${name}`;
    const canonical = top.canonical === '' ? name : `${top.canonical}/${name}`;
    const enter = (directory: DirNode, path: string): void => {
      if (top.depth + 1 > MAX_WALK_DEPTH) {
        emit({ kind: 'skipped', path: display, reason: 'too-deep' });
        return;
      }
      if (++visits > MAX_DIRECTORY_VISITS) throw new ImageError(`more than ${MAX_DIRECTORY_VISITS} directories reached through its links`);
      visited.add(path);
      stack.push(frame(display, path, directory, top.depth + 1));
    };
    const emit = (item: WalkItem): void => {
      if (matches(item.path)) items.push(item);
    };
    const emitFile = (node: FsNode, own: string, linked: boolean): void => {
      emit(node.kind === 'file' ? { kind: 'file', path: display, file: node, own: `/${own}`, ...(linked ? { linkTarget: `/${own}` } : {}) } : leaf(display, node));
    };
    if (node.kind === 'dir') {
      if (!visited.has(canonical)) enter(node, canonical);
    } else if (node.kind === 'symlink') {
      const target = resolvePath(root, canonical);
      if (target === 'loop') emit({ kind: 'skipped', path: display, reason: 'symlink-loop' });
      else if (target === 'broken') emit({ kind: 'skipped', path: display, reason: 'broken-symlink' });
      else if (target.node.kind === 'dir') {
        if (visited.has(target.path)) emit({ kind: 'skipped', path: display, reason: 'symlink-loop' });
        else enter(target.node, target.path);
      } else emitFile(target.node, target.path, true);
    } else {
      emitFile(node, canonical, false);
    }
  }
  return items;
}

function frame(display: string, canonical: string, directory: DirNode, depth: number): Frame {
  // Sorted descending so pop() yields ascending order; compared as scan/walk.ts compares names.
  const names = [...directory.children.keys()].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  return { display, canonical, names, directory, depth };
}

function leaf(path: string, node: FsNode): WalkItem {
  if (node.kind === 'file') return { kind: 'file', path, file: node, own: path };
  if (node.kind === 'other' && node.brokenLink === true) return { kind: 'skipped', path, reason: 'broken-hardlink' };
  return { kind: 'skipped', path, reason: 'not-regular-file' };
}
