import { readFile, stat } from '../io/fs-async.js';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors/usage-error.js';
import { describeFsError } from '../errors/describe-error.js';
import { validateConfig } from './validate-config.js';
import type { ConfigFile } from './schema.js';

/** The file name looked for from the working directory upward. */
export const CONFIG_FILE_NAME = '.glibc-floor.json';

/** LoadedConfig is a validated config file and where it was found. */
export interface LoadedConfig {
  /** The path as it is named in messages (as given, or as found). */
  readonly path: string;
  /** The directory the file's relative paths are relative to. */
  readonly directory: string;
  readonly content: ConfigFile;
}

/**
 * findConfigFile looks for `.glibc-floor.json` in `start` and each parent directory up to the
 * file-system root, and returns the first one found.
 */
export async function findConfigFile(start: string): Promise<string | undefined> {
  let directory = resolve(start);
  for (;;) {
    const candidate = join(directory, CONFIG_FILE_NAME);
    const info = await stat(candidate).catch(() => undefined);
    if (info?.isFile() === true) return candidate;
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

/**
 * loadConfig reads the config file named by `--config`, or the one found from `cwd` upward when
 * `explicit` is undefined; `false` (`--no-config`) reads none. Any problem is one UsageError
 * naming the file and, for content, the key.
 */
export async function loadConfig(explicit: string | false | undefined, cwd: string): Promise<LoadedConfig | undefined> {
  if (explicit === false) return undefined;
  const path = explicit === undefined ? await findConfigFile(cwd) : explicit;
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(resolve(cwd, path), 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the config file ${path}: ${describeFsError(error)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const problem = await validateConfig(data);
  if (problem !== undefined) {
    throw new UsageError(`config file ${path}: ${problem.key === '' ? 'the file' : `"${problem.key}"`} ${problem.message}`);
  }
  return { path, directory: dirname(resolve(cwd, path)), content: data as ConfigFile };
}
