/**
 * The executable's entry as built: dist/cli.cjs (which bin/glibc-floor requires) and dist/cli.js
 * (the same as an ES module) call `launch()`.
 *
 * Start-up is most of a one-file check, and most of start-up was V8 parsing and compiling the
 * CLI's code. Node 20 has no `module.enableCompileCache()` (that is Node 22) and gives ES modules
 * no way to take cached data, so the build (scripts/bundle-cli.mjs) makes the CLI one CommonJS
 * bundle, `cli-bundle.cjs`, and records a V8 code cache of it from a training run,
 * `cli-bundle.cache`; this file compiles the bundle through `vm.Script` with that cache. V8
 * rejects a cache made by another V8 version or under other flags (`cachedDataRejected`) and then
 * compiles the source as if there were no cache: the cache saves time and never changes what runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { describeFailure } from './errors/describe-error.js';

/** The CommonJS bundle of src/cli.ts, beside this file. */
export const BUNDLE_FILE = 'cli-bundle.cjs';
/** Its code cache: BUILD_ID_LENGTH characters of build id, then V8's cached data. */
export const CACHE_FILE = 'cli-bundle.cache';
/**
 * The bundle ends with this marker and its build id, and the cache starts with the same id. V8
 * checks a cache against the source's length only, so a cache left from another build of the same
 * length would be taken for this one; the id makes a mismatched pair fall back to compiling.
 */
export const BUILD_MARK = '\n//# glibc-floor-build ';
export const BUILD_ID_LENGTH = 32;

/**
 * The bundle is a single function expression taking CommonJS's arguments (the build wraps it), so
 * the source is compiled as it is on disk: a wrapper added here would be a second copy of it.
 */
type BundleFunction = (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string) => void;

/** buildIdOf reads the build id at the end of a bundle's source, or '' when it has none. */
export function buildIdOf(source: string): string {
  const at = source.lastIndexOf(BUILD_MARK);
  return at < 0 ? '' : source.slice(at + BUILD_MARK.length, at + BUILD_MARK.length + BUILD_ID_LENGTH);
}

/** readCache gives the V8 data of `cacheFile` when it belongs to the build `buildId`, else undefined. */
function readCache(cacheFile: string, buildId: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(cacheFile);
  } catch {
    return undefined; // no cache (not built, or removed): compile without one
  }
  if (buildId.length !== BUILD_ID_LENGTH || bytes.subarray(0, BUILD_ID_LENGTH).toString('latin1') !== buildId) return undefined;
  return bytes.subarray(BUILD_ID_LENGTH);
}

/** compileBundle compiles the bundle in `directory`, with its code cache unless `useCache` is false. */
export function compileBundle(directory: string, useCache = true): Script {
  const filename = join(directory, BUNDLE_FILE);
  // The build writes the bundle in ASCII (esbuild escapes the rest; scripts/bundle-cli.mjs checks),
  // so latin1 reads it as UTF-8 would, without decoding 650 KB of UTF-8 at every start.
  const source = readFileSync(filename, 'latin1');
  const cachedData = useCache ? readCache(join(directory, CACHE_FILE), buildIdOf(source)) : undefined;
  return new Script(source, cachedData === undefined ? { filename } : { filename, cachedData });
}

/**
 * runBundle runs a compiled bundle as Node would run a CommonJS module at its path. `require` is
 * the caller's, from a module in the same directory, so it resolves what the bundle requires (its
 * external packages, from node_modules) as the bundle's own would: `module.createRequire()` cost
 * a one-file check more instructions than any other step of its start-up (docs/benchmarks.md).
 */
export function runBundle(script: Script, directory: string, require: NodeJS.Require): void {
  const filename = join(directory, BUNDLE_FILE);
  const module = { exports: {} };
  const bundle = script.runInThisContext() as BundleFunction;
  bundle(module.exports, require, module, filename, directory);
}

/**
 * launch runs the CLI's bundle in `directory` (dist/), with `require` from a module there; a
 * bundle that cannot be read or compiled is an internal error: one line, exit 2.
 */
export function launch(directory: string, require: NodeJS.Require): void {
  let script: Script;
  try {
    script = compileBundle(directory);
  } catch (error) {
    // Not a user's input error even when it is a file-system one: the installed package is broken.
    const broken = new Error(`cannot load ${BUNDLE_FILE}: ${error instanceof Error ? error.message : String(error)}`);
    process.stderr.write(`${describeFailure(broken, process.env['GLIBC_FLOOR_DEBUG'] === '1').message}\n`);
    process.exitCode = 2;
    return;
  }
  runBundle(script, directory, require);
}
