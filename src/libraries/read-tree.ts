import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { hasElfMagic } from '../elf/header.js';
import { detectImage } from '../image/detect.js';
import { readImageLibraries } from '../image/image-libraries.js';
import type { Platform } from '../image/platform.js';
import { readElf } from '../elf/read-elf.js';
import { openFileSource } from '../io/byte-source.js';
import { mapInOrder } from '../io/map-in-order.js';
import { describeError, describeFsError } from '../errors/describe-error.js';
import { UsageError } from '../errors/usage-error.js';
import { isInside } from '../scan/walk.js';
import { librariesFromElfFiles, type ReadLibrary, type SystemLibraries } from './library-set.js';

/**
 * The directories of a root filesystem where the loader's default search and the usual ld.so.conf
 * look, in that order; `<dir>/<triplet>` subdirectories (Debian multiarch: `x86_64-linux-gnu`) are
 * searched after each. The directory given itself is searched first, so `--floor-from
 * /usr/lib/x86_64-linux-gnu` works as well as `--floor-from /`.
 */
const LIBRARY_DIRECTORIES = ['lib64', 'lib', 'lib32', 'libx32', 'usr/lib64', 'usr/lib', 'usr/lib32', 'usr/libx32', 'usr/local/lib'];

/** A multiarch subdirectory name such as `x86_64-linux-gnu` or `arm-linux-gnueabihf`. */
const TRIPLET = /^[a-z0-9_]+-linux-gnu[a-z0-9_]*$/;

/** A file name a shared library can have: `libc.so.6`, `libc-2.31.so`, `ld64.so.2`. */
const LIBRARY_NAME = /\.so(?:$|\.)/;

/** Bounds: a root filesystem has a few thousand libraries; stop rather than read without end. */
const MAX_LIBRARIES = 50_000;
const READS_IN_FLIGHT = 16;

/**
 * readSystemLibraries reads the version definitions of the libraries at `path`: one library file
 * (such as a real `libc.so.6` of another release), a directory holding a system's libraries (a
 * sysroot or an extracted root filesystem), or a container image (its final filesystem, through
 * the image reader; `platform` picks one manifest of a multi-platform image). Symbolic links are followed only inside the directory.
 * Throws UsageError when the path cannot be used at all; unreadable single libraries inside a tree
 * are skipped and listed in `skipped`.
 */
export async function readSystemLibraries(path: string, imageOptions: { platform?: Platform } = {}): Promise<{ libraries: SystemLibraries; skipped: string[] }> {
  // A container image (docker-archive, OCI archive or layout) is read as its final filesystem.
  if ((await detectImage(path).catch(() => undefined)) !== undefined) {
    let read;
    try {
      read = await readImageLibraries(path, imageOptions);
    } catch (error) {
      throw new UsageError(`--floor-from ${path}: ${describeError(error, 'reading the image')}`);
    }
    if (read.libraries.length === 0) throw new UsageError(`--floor-from ${path}: no shared libraries found in the image (searched lib, lib64, usr/lib, usr/lib/<triplet>, ...)`);
    return { libraries: librariesFromElfFiles(path, read.libraries), skipped: read.skipped };
  }
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new UsageError(`--floor-from ${path}: ${describeFsError(error)}`);
  }
  if (info.isFile()) {
    const library = await readLibrary(path, path);
    if (library === undefined || library.elf.type !== 'DYN') throw new UsageError(`--floor-from ${path}: not an ELF shared library`);
    // One library is a partial system: it says nothing about the other libraries a program needs.
    return { libraries: librariesFromElfFiles(path, [library], false), skipped: [] };
  }
  if (!info.isDirectory()) throw new UsageError(`--floor-from ${path}: not a file or directory`);
  const root = await realpath(path);
  const files = await libraryFiles(root);
  const skipped: string[] = [];
  const read: (ReadLibrary | undefined)[] = [];
  const readOne = (file: string) =>
    readLibrary(file, relative(root, file)).catch((error: unknown) => {
      skipped.push(`${relative(root, file)}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
  for await (const library of mapInOrder(files, READS_IN_FLIGHT, readOne)) read.push(library);
  const libraries = read.filter((library): library is ReadLibrary => library !== undefined);
  if (libraries.length === 0) throw new UsageError(`--floor-from ${path}: no shared libraries found in it (searched it and lib, lib64, usr/lib, usr/lib/<triplet>, ...)`);
  return { libraries: librariesFromElfFiles(path, libraries), skipped };
}

async function readLibrary(fsPath: string, displayPath: string): Promise<ReadLibrary | undefined> {
  const source = await openFileSource(fsPath);
  try {
    if (!hasElfMagic(await source.readAt(0, 4))) return undefined;
    return { path: displayPath, elf: (await readElf(source, { definedSymbols: true })).elf };
  } finally {
    await source.close().catch(() => undefined);
  }
}

/** libraryFiles lists candidate library files in search order, each real file once, never outside root. */
async function libraryFiles(root: string): Promise<string[]> {
  const directories: string[] = [];
  const seenDirectories = new Set<string>();
  // One level of <triplet> subdirectories, as the loader's multiarch paths have: not recursive,
  // so a hostile tree of nested triplet names costs one readdir per listed directory.
  const addDirectory = async (candidate: string, withTriplets = true) => {
    const real = await realpath(candidate).catch(() => undefined);
    if (real === undefined || !isInside(real, root) || seenDirectories.has(real)) return;
    if (!(await stat(real).then((s) => s.isDirectory()).catch(() => false))) return;
    seenDirectories.add(real);
    directories.push(real);
    if (!withTriplets) return;
    for (const entry of await entriesOf(real)) {
      if (TRIPLET.test(entry.name) && (entry.isDirectory() || entry.isSymbolicLink())) await addDirectory(join(real, entry.name), false);
    }
  };
  await addDirectory(root);
  for (const directory of LIBRARY_DIRECTORIES) await addDirectory(join(root, directory));

  const files: string[] = [];
  const seenFiles = new Set<string>();
  for (const directory of directories) {
    for (const entry of await entriesOf(directory)) {
      if (!LIBRARY_NAME.test(entry.name) || !(entry.isFile() || entry.isSymbolicLink())) continue;
      const real = await realpath(join(directory, entry.name)).catch(() => undefined);
      if (real === undefined || !isInside(real, root) || seenFiles.has(real)) continue;
      if (!(await stat(real).then((s) => s.isFile()).catch(() => false))) continue;
      seenFiles.add(real);
      files.push(real);
      if (files.length >= MAX_LIBRARIES) throw new UsageError(`--floor-from ${root}: more than ${MAX_LIBRARIES} library files; point it at a smaller tree`);
    }
  }
  return files;
}

async function entriesOf(directory: string): Promise<Dirent[]> {
  const entries = await readdir(directory, { withFileTypes: true }).catch(() => [] as Dirent[]);
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
