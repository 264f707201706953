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
   * not a skip). `fsPath` is set when the file is on the file system (not inside an image).
   */
  | {
      readonly kind: 'file';
      readonly path: string;
      readonly fsPath?: string;
      readonly named: boolean;
      /** For a member of a package: the package (its reported path) and the floors it declares. */
      readonly declared?: { readonly artifact: string; readonly claims: readonly DeclaredClaim[] };
      open(): Promise<InputSource>;
    }
  | { readonly kind: 'skipped'; readonly path: string; readonly reason: SkipReason }
  | { readonly kind: 'error'; readonly path: string; readonly error: string };

/**
 * Expands one named path into inputs, or returns undefined to leave it to the file/directory
 * walk. Container images plug in here (image/image-inputs.ts), keeping this module free of them.
 */
export type PathExpander = (path: string) => Promise<AsyncIterable<Input> | undefined>;

/** fileInput is the input for a file on the file system. */
export function fileInput(path: string, fsPath: string, named: boolean): Input {
  return { kind: 'file', path, fsPath, named, open: () => openFileSource(fsPath) };
}

/**
 * expandInputs yields every input under the named paths, in order: a named file as itself, a
 * directory walked recursively in sorted order. Symbolic links inside a tree are followed only
 * while they stay inside it, and a directory reached twice (a link loop) is skipped. A named
 * path that `expand` claims (an image) is expanded by it instead.
 */
export async function* expandInputs(paths: readonly string[], expand?: PathExpander): AsyncGenerator<Input> {
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
      const root = await realpath(path);
      yield* walk(path, path, root, new Set([root]));
    } else if (info.isFile()) {
      yield fileInput(path, path, true);
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

async function* walk(display: string, fsDirectory: string, root: string, visited: Set<string>): AsyncGenerator<Input> {
  let entries: Dirent[];
  try {
    entries = await readdir(fsDirectory, { withFileTypes: true });
  } catch (error) {
    yield { kind: 'error', path: display, error: describeFsError(error) };
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = joinDisplay(display, entry.name);
    const fsPath = join(fsDirectory, entry.name);
    if (entry.isDirectory()) {
      // A real directory cannot be reached twice without a link, but a bind mount can: check anyway.
      const real = await realpath(fsPath).catch(() => fsPath);
      if (visited.has(real)) continue;
      visited.add(real);
      yield* walk(path, fsPath, root, visited);
    } else if (entry.isFile()) {
      yield fileInput(path, fsPath, false);
    } else if (entry.isSymbolicLink()) {
      yield* followLink(path, fsPath, root, visited);
    } else {
      yield { kind: 'skipped', path, reason: 'not-regular-file' };
    }
  }
}

async function* followLink(path: string, fsPath: string, root: string, visited: Set<string>): AsyncGenerator<Input> {
  let target: string;
  try {
    target = await realpath(fsPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    yield { kind: 'skipped', path, reason: code === 'ELOOP' ? 'symlink-loop' : 'broken-symlink' };
    return;
  }
  if (!isInside(target, root)) {
    yield { kind: 'skipped', path, reason: 'symlink-outside-tree' };
    return;
  }
  const info = await stat(target).catch(() => undefined);
  if (info?.isDirectory()) {
    if (visited.has(target)) {
      yield { kind: 'skipped', path, reason: 'symlink-loop' };
      return;
    }
    visited.add(target);
    yield* walk(path, target, root, visited);
  } else if (info?.isFile()) {
    yield fileInput(path, target, false);
  } else {
    yield { kind: 'skipped', path, reason: 'not-regular-file' };
  }
}
