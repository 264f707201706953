import { relative, resolve, sep } from 'node:path';
import { parseFloorSpec, type Floor } from '../check/floors.js';
import { UsageError } from '../errors/usage-error.js';
import type { PathCandidates, Waiver } from '../waivers/apply-waivers.js';
import type { LoadedConfig } from './load-config.js';

/** ConfigSettings is what a run takes from the config file; every part is empty without one. */
export interface ConfigSettings {
  /** The file's floors; the command line's `--floor` wins per family. */
  readonly floors: readonly Floor[];
  readonly targets: readonly string[];
  /** The library policy (`allowLibraries`); the command line's `--allow-lib` replaces it. */
  readonly allowLibraries: readonly string[];
  /** Paths to check when the command line names none, as they will be reported (relative to the working directory). */
  readonly paths: readonly string[];
  readonly waivers: readonly Waiver[];
  readonly pathCandidates: PathCandidates;
  /** `allowEmpty`: a check that checked no ELF file is not an error. */
  readonly allowEmpty: boolean;
}

const toPosix = (path: string): string => path.split(sep).join('/');

/**
 * configSettings turns a validated config file into a run's settings. The file's relative paths
 * (`paths`, and waiver `paths` globs) are relative to the directory holding the file, so the same
 * file works from any subdirectory. A floor that does not parse is a UsageError naming the key.
 */
export function configSettings(config: LoadedConfig | undefined, cwd: string): ConfigSettings {
  if (config === undefined) return { floors: [], targets: [], allowLibraries: [], paths: [], waivers: [], pathCandidates: (path) => [path], allowEmpty: false };
  const { content, directory, path: file } = config;
  const floorEntries: [string, string][] = Array.isArray(content.floors)
    ? content.floors.map((spec, index): [string, string] => [`floors[${index}]`, spec])
    : Object.entries(content.floors ?? {}).map(([family, version]): [string, string] => [`floors.${family}`, `${family}=${version}`]);
  const floors = floorEntries.map(([key, spec]) => {
    try {
      return parseFloorSpec(spec, file);
    } catch (error) {
      throw new UsageError(`config file ${file}: "${key}" ${(error as Error).message}`);
    }
  });
  const paths = (content.paths ?? []).map((path) => toPosix(relative(cwd, resolve(directory, path))) || '.');
  const waivers = (content.waivers ?? []).map((entry, index): Waiver => ({ ...entry, source: `${file} waivers[${index}]` }));
  const pathCandidates: PathCandidates = (reportPath) => {
    const fromConfig = toPosix(relative(directory, resolve(cwd, reportPath)));
    const asReported = reportPath.replace(/^(?:\.\/)+/, '');
    return fromConfig === asReported ? [asReported] : [asReported, fromConfig];
  };
  return { floors, targets: content.targets ?? [], allowLibraries: content.allowLibraries ?? [], paths, waivers, pathCandidates, allowEmpty: content.allowEmpty ?? false };
}
