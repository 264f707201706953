import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from '../io/fs-async.js';
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
  const reached = new ReachedFiles(dedupe);
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
      yield* walk(path, await realpath(path), reached);
    } else if (info.isFile()) {
      const real = await realpath(path).catch(() => path);
      const first = reached.byLink(real, path);
      yield first === undefined ? fileInput(path, path, true) : { kind: 'skipped', path, reason: 'duplicate', duplicateOf: first };
    } else {
      yield { kind: 'error', path, error: 'not a regular file or directory' };
    }
  }
}

/** A directory a walk has listed: the path it shows under, and while it is being listed, its frame. */
interface ListedDirectory {
  readonly display: string;
  /** Set while the directory is on the walk's stack; undefined once all its entries are done. */
  frame: Frame | undefined;
}

/**
 * ReachedFiles answers "was this real file reached before in this run, and under which path?"
 * without an entry per file. A long scan reaches most files exactly once, as a regular entry of
 * the one directory that holds them, and a map of every file's real path was most of what such a
 * scan kept (7 MB of strings for the 61,000 files of /usr/bin and /usr/lib). So it keeps:
 *
 * - every directory a walk entered, with the path it shows under and, while it is being listed,
 *   how far the listing has got: a regular file in it was reached iff its name sorts before the
 *   entry the listing is at (entries go in sorted order), or the directory is done;
 * - the files reached another way, through a symbolic link or named on the command line, before
 *   the walk of their directory reached them (links such as `libz.so.1`, which sort before their
 *   targets, are most of these).
 *
 * The first path of a file is what a map of every file's first path would give (a test compares
 * the two over trees of links in every order).
 */
class ReachedFiles {
  private readonly directories = new Map<string, ListedDirectory>();
  private readonly otherwise = new Map<string, string>();
  private readonly dedupe: boolean;

  constructor(dedupe: boolean) {
    this.dedupe = dedupe;
  }

  /**
   * listing records that a walk lists the directory `real`, shown as `display`, through `frame`.
   * One walk lists a directory once; when an earlier walk (of another named directory that
   * overlaps this one) listed it already, its files were reached there first, and that stays.
   */
  listing(real: string, display: string, frame: Frame): void {
    if (this.dedupe && !this.directories.has(real)) this.directories.set(real, { display, frame });
  }

  /** listed records that the listing of `frame` is done. */
  listed(frame: Frame): void {
    if (!this.dedupe) return;
    const directory = this.directories.get(frame.real);
    if (directory?.frame === frame) directory.frame = undefined;
  }

  /**
   * byWalk is for a regular file that a walk lists as `name` in the directory `directory`, its
   * real path `real`: the path it was reached under before, if it was.
   */
  byWalk(directory: string, name: string, real: string): string | undefined {
    if (!this.dedupe) return undefined;
    const earlier = this.otherwise.get(real);
    if (earlier !== undefined) return earlier;
    // An earlier walk (named directories that overlap) listed this directory already.
    const listed = this.directories.get(directory);
    return listed !== undefined && listed.frame === undefined ? joinDisplay(listed.display, name) : undefined;
  }

  /** byLink is for a regular file reached through a link or named: the path it was reached under before, if it was. */
  byLink(real: string, path: string): string | undefined {
    if (!this.dedupe) return undefined;
    const earlier = this.otherwise.get(real) ?? this.listedBefore(real);
    if (earlier === undefined) this.otherwise.set(real, path);
    return earlier;
  }

  /** listedBefore gives the path under which a walk's listing already passed the real file `real`. */
  private listedBefore(real: string): string | undefined {
    const cut = real.lastIndexOf(sep);
    if (cut < 0) return undefined; // a named file whose real path could not be had
    const directory = this.directories.get(cut === 0 ? sep : real.slice(0, cut));
    if (directory === undefined) return undefined;
    const name = real.slice(cut + 1);
    const frame = directory.frame;
    // On the stack, entries before `next - 1` are done and the one at `next - 1` is in progress
    // (the link being followed, or the subdirectory being walked): a file is done iff it sorts
    // before that one.
    if (frame !== undefined && !(name < frame.entries[frame.next - 1]!.name)) return undefined;
    return joinDisplay(directory.display, name);
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
async function* walk(display: string, root: string, reached: ReachedFiles): AsyncGenerator<Input> {
  const visited = new Set<string>([root]);
  const stack: Frame[] = [];
  const enter = async (path: string, real: string, depth: number): Promise<Input | undefined> => {
    try {
      const entries = await readdir(real, { withFileTypes: true });
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const frame = { display: path, real, depth, entries, next: 0 };
      stack.push(frame);
      reached.listing(real, path, frame);
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
      reached.listed(frame);
      continue;
    }
    const path = joinDisplay(frame.display, entry.name);
    const real = join(frame.real, entry.name);
    let directory: string | undefined;
    if (entry.isDirectory()) {
      directory = real;
    } else if (entry.isFile()) {
      const first = reached.byWalk(frame.real, entry.name, real);
      yield first === undefined ? fileInput(path, real, false) : { kind: 'skipped', path, reason: 'duplicate', duplicateOf: first };
      continue;
    } else if (entry.isSymbolicLink()) {
      const followed = await followLink(path, real, root, visited, reached);
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
  reached: ReachedFiles,
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
    const first = reached.byLink(target, path);
    return first === undefined ? fileInput(path, target, false, target) : { kind: 'skipped', path, reason: 'duplicate', duplicateOf: first };
  }
  return { kind: 'skipped', path, reason: 'not-regular-file' };
}
