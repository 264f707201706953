import { readElf } from '../elf/read-elf.js';
import type { ElfFile } from '../elf/types.js';
import { openImageFilesystem, type ImageReadOptions } from './image-filesystem.js';

/**
 * Where a root filesystem keeps its libraries, in the loader's search order (the same list as the
 * `--floor-from` directory reader's); each is searched, then its multiarch `<triplet>` subdirectory.
 */
export const IMAGE_LIBRARY_DIRECTORIES = ['lib64', 'lib', 'lib32', 'libx32', 'usr/lib64', 'usr/lib', 'usr/lib32', 'usr/libx32', 'usr/local/lib'] as const;

/** One library file read from an image: its image path (`/usr/lib/x86_64-linux-gnu/libc.so.6`) and ELF model. */
export interface ImageLibrary {
  readonly path: string;
  readonly elf: ElfFile;
}

/**
 * readImageLibraries reads the shared libraries of an image's final filesystem, for `--floor-from
 * IMAGE`: every ELF file named like a library (`*.so`, `*.so.N`) in `directories` or their
 * `*-linux-gnu*` subdirectories, in search order (by directory, then by path). Files that cannot
 * be parsed are listed in `skipped` with the reason. Throws ImageError when the image cannot be read.
 */
export async function readImageLibraries(
  path: string,
  options: Omit<ImageReadOptions, 'paths'> = {},
  directories: readonly string[] = IMAGE_LIBRARY_DIRECTORIES,
): Promise<{ libraries: ImageLibrary[]; skipped: string[]; notes: readonly string[] }> {
  const paths = directories.flatMap((directory) => [`/${directory}/*.so*`, `/${directory}/*-linux-gnu*/*.so*`]);
  const image = await openImageFilesystem(path, { ...options, paths });
  try {
    const rank = (file: string) => {
      const directory = file.slice(1, file.lastIndexOf('/'));
      const index = directories.findIndex((candidate) => directory === candidate || directory.startsWith(`${candidate}/`));
      return index < 0 ? directories.length : index;
    };
    const files = image.entries
      .filter((entry) => entry.kind === 'file' && entry.magic === 'elf')
      .sort((a, b) => rank(a.path) - rank(b.path) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const libraries: ImageLibrary[] = [];
    const skipped: string[] = [];
    for (const entry of files) {
      if (entry.kind !== 'file') continue;
      const source = await entry.open();
      try {
        libraries.push({ path: entry.path, elf: (await readElf(source, { definedSymbols: true })).elf });
      } catch (error) {
        skipped.push(`${entry.path}: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        await source.close();
      }
    }
    return { libraries, skipped, notes: image.notes };
  } finally {
    await image.dispose();
  }
}
