import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { openFileSource, type ByteSource } from '../io/byte-source.js';
import type { SkipReason } from './skip-reason.js';
import { describeFsError } from '../errors/describe-error.js';
import type { DeclaredClaim } from '../declared/claims.js';

/** InputSource is an input's bytes, open for positioned reads; close it when done. */
export type InputSource = ByteSource & { close(): Promise<void> };

/** Input is one thing to report on, found from the paths the user named. */
export type Input =
  /**
   * A file to read through `open()`; `named` when the user named it (then non-ELF is an error,
   * not a skip). `fsPath` is set when the file is on the file system (not inside an image);
   * `linkTarget` when it was reached through a symbolic link (the real file's path).
   */
  | {
      readonly kind: 'file';
      readonly path: string;
      readonly fsPath?: string;
      readonly linkTarget?: string;
      readonly named: boolean;
      /** For a member of a package: the package (its reported path) and the floors it declares. */
      readonly declared?: { readonly artifact: string; readonly claims: readonly DeclaredClaim[] };
      open(): Promise<InputSource>;
    }
  | { readonly kind: 'skipped'; readonly path: string; readonly reason: SkipReason; readonly duplicateOf?: string }
  | { readonly kind: 'error'; readonly path: string; readonly error: string };

/**
 * Expands one named path into inputs, or returns undefined to leave it to the file/directory
 * walk. Container images plug in here (image/image-inputs.ts), keeping this module free of them.
 */
export type PathExpander = (path: string) => Promise<AsyncIterable<Input> | undefined>;

/**
 * MAX_WALK_DEPTH bounds how many directories deep a walk goes below a named directory (the
 * README's resource-bounds table). Real trees are a few dozen levels deep; a hostile one can be
 * thousands, where every path the kernel resolves grows with the depth. A directory below the
 * bound is skipped as `too-deep`, so the check reports it (and fails unless something else was checked).
 */
export const MAX_WALK_DEPTH = 256;

/** fileInput is the input for a file on the file system. */
export function fileInput(path: string, fsPath: string, named: boolean, linkTarget?: string): Input {
  return { kind: 'file', path, fsPath, named, ...(linkTarget === undefined ? {} : { linkTarget }), open: () => openFileSource(fsPath) };
}

/** How expandInputs treats a real file reached twice. */
export interface ExpandOptions {
  /**
   * With `dedupe` (the default), a real file reached again in the same run (through a link, or a
   * path named twice) is checked once and the later path skipped as a `duplicate` of the first.
   * `diff` turns it off: it matches files by path on two sides, so every path must be there.
   */
  readonly dedupe?: boolean;
}

/**
 * expandInputs yields every input under the named paths, in order: a named file as itself, a
 * directory walked in sorted order. A symbolic link to a file is followed wherever it points; a
 * link to a directory is followed only while it stays inside the tree, and a directory reached
 * twice (a link loop) is skipped. A named path that `expand` claims (an image) is expanded by it.
 */
export async function* expandInputs(paths: readonly string[], expand?: PathExpander, { dedupe = true }: ExpandOptions = {}): AsyncGenerator<Input> {
  const seen = new Map<string, string>();
  /** firstPathOf records a real file's first path and returns the earlier one when there is one. */
  const firstPathOf = (real: string, path: string): string | undefined => {
    if (!dedupe) return undefined;
    const first = seen.get(real);
    // One string where the path shown is the real one (a tree named by its real path): the map
    // holds an entry per file of the run, so its strings are most of what a long scan keeps.
    if (first === undefined) seen.set(real, path === real ? real : path);
    return first;
  };
  for (const path of paths) {
    const expanded = await expand?.(path);
    if (expanded !== undefined) {
      yield* expanded;
      continue;
    }
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      yield { kind: 'error', path, error: describeFsError(error) };
      continue;
    }
    if (info.isDirectory()) {
      yield* walk(path, await realpath(path), firstPathOf);
    } else if (info.isFile()) {
      const real = await realpath(path).catch(() => path);
      const first = firstPathOf(real, path);
      yield first === undefined ? fileInput(path, path, true) : { kind: 'skipped', path, reason: 'duplicate', duplicateOf: first };
    } else {
      yield { kind: 'error', path, error: 'not a regular file or directory' };
    }
  }
}

/** joinDisplay joins a name onto the directory as the user spelled it (`bin/` + `metis` -> `bin/metis`). */
export function joinDisplay(directory: string, name: string): string {
  return directory.endsWith('/') ? `${directory}${name}` : `${directory}/${name}`;
}

/** isInside says whether `path` is `root` or lies under it (both resolved, absolute). */
export function isInside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** A directory being walked: where it shows, where it really is, how deep, and its sorted entries left. */
interface Frame {
  readonly display: string;
  readonly real: string;
  readonly depth: number;
  readonly entries: Dirent[];
  next: number;
}

/**
 * walk lists a directory tree depth-first in sorted order, iteratively with an explicit stack (a
 * recursive walk overflowed the V8 stack at about 2,500 levels), and at most MAX_WALK_DEPTH levels
 * deep. Entries are read through the real path of their directory, one readdir per directory and
 * no stat per regular file. Node.js has no openat(), so paths are absolute; the depth bound is what
 * keeps the kernel's per-path cost bounded. A directory the system refuses to list (EACCES,
 * ENAMETOOLONG, ELOOP) is an error entry naming it.
 */
async function* walk(display: string, root: string, firstPathOf: (real: string, path: string) => string | undefined): AsyncGenerator<Input> {
  const visited = new Set<string>([root]);
  const stack: Frame[] = [];
  const enter = async (path: string, real: string, depth: number): Promise<Input | undefined> => {
    try {
      const entries = await readdir(real, { withFileTypes: true });
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      stack.push({ display: path, real, depth, entries, next: 0 });
      return undefined;
    } catch (error) {
      return { kind: 'error', path, error: describeFsError(error) };
    }
  };
  const failed = await enter(display, root, 0);
  if (failed !== undefined) yield failed;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const entry = frame.entries[frame.next++];
    if (entry === undefined) {
      stack.pop();
      continue;
    }
    const path = joinDisplay(frame.display, entry.name);
    const real = join(frame.real, entry.name);
    let directory: string | undefined;
    if (entry.isDirectory()) {
      directory = real;
    } else if (entry.isFile()) {
      const first = firstPathOf(real, path);
      yield first === undefined ? fileInput(path, real, false) : { kind: 'skipped', path, reason: 'duplicate', duplicateOf: first };
      continue;
    } else if (entry.isSymbolicLink()) {
      const followed = await followLink(path, real, root, visited, firstPathOf);
      if (typeof followed !== 'string') {
        yield followed;
        continue;
      }
      directory = followed;
    } else {
      yield { kind: 'skipped', path, reason: 'not-regular-file' };
      continue;
    }
    if (visited.has(directory)) continue;
    if (frame.depth + 1 > MAX_WALK_DEPTH) {
      yield { kind: 'skipped', path, reason: 'too-deep' };
      continue;
    }
    visited.add(directory);
    const refused = await enter(path, directory, frame.depth + 1);
    if (refused !== undefined) yield refused;
  }
}

/**
 * followLink resolves a symbolic link found in a walk: a link to a file is followed wherever it
 * points (Bazel's bazel-bin, Nix's result, staging trees of links) and reported at the link's path
 * with its target; a link to a directory is returned (its real path) for the walk to enter, unless
 * it leaves the tree or leads to a directory already walked.
 */
async function followLink(
  path: string,
  fsPath: string,
  root: string,
  visited: ReadonlySet<string>,
  firstPathOf: (real: string, path: string) => string | undefined,
): Promise<Input | string> {
  let target: string;
  try {
    target = await realpath(fsPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { kind: 'skipped', path, reason: 'symlink-loop' };
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'skipped', path, reason: 'broken-symlink' };
    return { kind: 'error', path, error: describeFsError(error) };
  }
  const info = await stat(target).catch(() => undefined);
  if (info?.isDirectory()) {
    if (!isInside(target, root)) return { kind: 'skipped', path, reason: 'symlink-outside-tree' };
    if (visited.has(target)) return { kind: 'skipped', path, reason: 'symlink-loop' };
    return target;
  }
  if (info?.isFile()) {
    const first = firstPathOf(target, path);
    return first === undefined ? fileInput(path, target, false, target) : { kind: 'skipped', path, reason: 'duplicate', duplicateOf: first };
  }
  return { kind: 'skipped', path, reason: 'not-regular-file' };
}
