import { describeError } from '../errors/describe-error.js';
import type { Input, PathExpander } from '../scan/walk.js';
import { detectImage, type ImageLocation } from './detect.js';
import { readImageFilesystem, type ImageFilesystem, type ImageReadOptions } from './image-filesystem.js';

/** IMAGE_SEPARATOR joins an image's path and a path inside it: `metis.tar!/usr/local/bin/metis`. */
export const IMAGE_SEPARATOR = '!';

/**
 * imageExpander claims the named paths that are container images and turns each into the inputs
 * of its final filesystem; other paths are left to the file/directory walk. `onNote` receives
 * what the user should know (the platform chosen for a multi-platform image).
 */
export function imageExpander(options: ImageReadOptions, onNote: (path: string, message: string) => void): PathExpander {
  return async (path) => {
    let location: ImageLocation | undefined;
    try {
      location = await detectImage(path);
    } catch (error) {
      return single({ kind: 'error', path, error: describeError(error, 'reading the image') });
    }
    return location === undefined ? undefined : imageInputs(path, location, options, onNote);
  };
}

async function* single(input: Input): AsyncGenerator<Input> {
  yield input;
}

/**
 * imageInputs reads the image, then yields its entries as inputs under `IMAGE!/path`. The kept
 * ELF bytes are freed once every yielded file has been read and closed and the walk is over:
 * the scan reads several files at once, so the last ones may still be open when the walk ends.
 */
async function* imageInputs(display: string, location: ImageLocation, options: ImageReadOptions, onNote: (path: string, message: string) => void): AsyncGenerator<Input> {
  let image: ImageFilesystem;
  try {
    image = await readImageFilesystem(location, options);
  } catch (error) {
    yield { kind: 'error', path: display, error: describeError(error, 'reading the image') };
    return;
  }
  for (const note of image.notes) onNote(display, note);
  if (image.entries.length === 0 && (options.paths?.length ?? 0) > 0) {
    await image.dispose();
    yield { kind: 'error', path: display, error: `no entry matches --path ${options.paths!.join(', ')}` };
    return;
  }
  let open = 0;
  let walking = true;
  const settle = async () => {
    if (!walking && open === 0) await image.dispose();
  };
  // Each file of the image once, as the directory walk lists a tree: a link to a file already
  // listed is a duplicate of its first path.
  const listed = new Map<string, string>();
  try {
    for (const entry of image.entries) {
      const path = `${display}${IMAGE_SEPARATOR}${entry.path}`;
      if (entry.kind === 'skipped') {
        yield { kind: 'skipped', path, reason: entry.reason };
        continue;
      }
      const first = listed.get(entry.own);
      if (first !== undefined) yield { kind: 'skipped', path, reason: 'duplicate', duplicateOf: first };
      else if (entry.magic === 'none') {
        listed.set(entry.own, path);
        yield { kind: 'skipped', path, reason: 'not-elf' };
      }
      else {
        listed.set(entry.own, path);
        open++;
        yield {
          kind: 'file',
          path,
          named: false,
          ...(entry.linkTarget === undefined ? {} : { linkTarget: `${display}${IMAGE_SEPARATOR}${entry.linkTarget}` }),
          open: async () => {
            let source;
            try {
              source = await entry.open();
            } catch (error) {
              open--;
              await settle();
              throw error;
            }
            return {
              size: source.size,
              readAt: (offset: number, length: number) => source.readAt(offset, length),
              close: async () => {
                try {
                  await source.close();
                } finally {
                  open--;
                  await settle();
                }
              },
            };
          },
        };
      }
    }
  } finally {
    walking = false;
    await settle();
  }
}
