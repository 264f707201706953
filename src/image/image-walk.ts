import type { SkipReason } from '../report/model.js';
import { resolvePath, type DirNode, type FileNode, type FsNode } from './filesystem.js';

/** One thing the walk of an image's filesystem found, at `path` (`/usr/bin/x`, as reached). */
export type WalkItem =
  | { readonly kind: 'file'; readonly path: string; readonly file: FileNode }
  | { readonly kind: 'skipped'; readonly path: string; readonly reason: SkipReason };

interface Frame {
  readonly display: string;
  readonly canonical: string;
  readonly names: string[];
  readonly directory: DirNode;
}

/**
 * walkTree lists an image's filesystem the way scan/walk.ts lists an extracted copy of it, so
 * both give the same report: names in sorted order, depth first; a symbolic link is followed
 * (inside the image) and reported under its own path; a directory reached twice is skipped, as a
 * `symlink-loop` when a link led there. Only paths `matches` accepts are listed; all directories
 * are still entered, since a pattern may match below them. Iterative, so depth cannot overflow.
 */
export function walkTree(root: DirNode, matches: (path: string) => boolean): WalkItem[] {
  const items: WalkItem[] = [];
  const visited = new Set<string>(['']);
  const stack: Frame[] = [frame('', '', root)];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const name = top.names.pop();
    if (name === undefined) {
      stack.pop();
      continue;
    }
    const node = top.directory.children.get(name)!;
    const display = `${top.display}/${name}`;
    const canonical = top.canonical === '' ? name : `${top.canonical}/${name}`;
    const enter = (directory: DirNode, path: string): void => {
      visited.add(path);
      stack.push(frame(display, path, directory));
    };
    const emit = (item: WalkItem): void => {
      if (matches(item.path)) items.push(item);
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
      } else emit(leaf(display, target.node));
    } else {
      emit(leaf(display, node));
    }
  }
  return items;
}

function frame(display: string, canonical: string, directory: DirNode): Frame {
  // Sorted descending so pop() yields ascending order; compared as scan/walk.ts compares names.
  const names = [...directory.children.keys()].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  return { display, canonical, names, directory };
}

function leaf(path: string, node: FsNode): WalkItem {
  if (node.kind === 'file') return { kind: 'file', path, file: node };
  if (node.kind === 'other' && node.brokenLink === true) return { kind: 'skipped', path, reason: 'broken-hardlink' };
  return { kind: 'skipped', path, reason: 'not-regular-file' };
}
