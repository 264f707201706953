#!/usr/bin/env node
// Bundles the CLI, run after tsc by `npm run build`. Start-up is most of a single-file check
// (docs/benchmarks.md), so the executable's code is made cheap to load:
//
//   dist/cli-bundle.cjs    src/cli.ts and everything it imports (commander and chalk included) as
//                          one minified CommonJS function; loading ~40 ES modules cost about
//                          60 ms against ~10 ms for one file
//   dist/cli-bundle.cache  a V8 code cache of it, recorded from a training run
//                          (scripts/make-code-cache.mjs): Node 20 can take cached data only for a
//                          script compiled through vm.Script, not for an ES module
//   dist/cli.cjs           the launcher (src/cli-launcher.ts) that compiles the bundle with the
//                          cache and runs it; bin/glibc-floor requires it (dist/cli.js: the same
//                          as an ES module)
//
// The library entry (dist/index.js) stays unbundled.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve as resolvePath } from 'node:path';
import { build } from 'esbuild';
import { bakedVersion } from './baked-version.mjs';

const BUNDLE = 'dist/cli-bundle.cjs';
const CACHE = 'dist/cli-bundle.cache';
// The same marker src/cli-launcher.ts reads (dist/cli-launcher.js exists once tsc has run).
const { BUILD_MARK, BUILD_ID_LENGTH, buildIdOf } = await import('../dist/cli-launcher.js');

/**
 * Modules that only some runs use, required at their first use instead of at start-up. A bundle
 * requires what it imports at its top, whatever uses it later, and esbuild has no lazy require, so
 * each import of one becomes a stand-in (lazyStandIn) that requires it at the first lookup.
 *
 * Built-ins: child_process (commander requires it for executable subcommands, which glibc-floor
 * has none of), crypto (SARIF fingerprints), zlib, stream and os (archives and images), v8 (the heap
 * tuning of a long scan), fs/promises (which loads readline and streams; a one-file check's calls
 * go through src/io/fs-async.ts). Loading them cost 3 to 17 million instructions each, together
 * about a sixth of a one-file check (docs/benchmarks.md).
 *
 * Packages, kept out of the bundle and required from node_modules (they are dependencies, as ajv
 * and the decompressors already are): tar-stream and yauzl (archives and images; tar-stream and
 * its streamx ran their module code at every start) and picomatch (globs of waivers, library
 * policies and image paths). Out of the bundle they cost nothing to read and deserialize at start.
 */
const LAZY_BUILTINS = ['child_process', 'crypto', 'zlib', 'os', 'stream', 'v8', 'fs/promises'];
const LAZY_PACKAGES = ['tar-stream', 'tar-stream/headers.js', 'yauzl', 'picomatch'];

function lazyModules() {
  const requireHere = createRequire(import.meta.url);
  const names = [...LAZY_BUILTINS.map((name) => `(node:)?${escapeRegExp(name)}`), ...LAZY_PACKAGES.map(escapeRegExp)];
  return {
    name: 'lazy-modules',
    setup(context) {
      context.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => {
        if (args.namespace === 'lazy-module') return { path: args.path, external: true };
        const name = args.path.replace(/^node:/, '');
        return { path: LAZY_BUILTINS.includes(name) ? `node:${name}` : name, namespace: 'lazy-module' };
      });
      context.onLoad({ filter: /.*/, namespace: 'lazy-module' }, (args) => lazyStandIn(args.path, typeof requireHere(args.path) === 'function'));
    },
  };
}

/**
 * lazyStandIn is the source of a module standing in for `specifier`: an object, or a function
 * where the module is one (`callable`, as this build loads it), with no properties of its own. Every lookup falls through to its prototype, a Proxy that requires the module then.
 * No own properties because esbuild's interop (`__toESM`) copies a CommonJS module's own
 * properties, a getter each, for every file that imports it: a getter per export made the stand-ins
 * cost ~600 getters and about a millisecond at every start (docs/benchmarks.md).
 */
function lazyStandIn(specifier, callable) {
  return {
    loader: 'js',
    contents: [
      'let loaded;',
      `const load = () => (loaded ??= require(${JSON.stringify(specifier)}));`,
      'const lookup = new Proxy({}, { get: (_target, key) => load()[key], has: (_target, key) => key in load() });',
      callable
        ? 'const lazy = function (...args) { return new.target === undefined ? load().apply(this, args) : Reflect.construct(load(), args); };'
        : 'const lazy = {};',
      'Object.setPrototypeOf(lazy, lookup);',
      'module.exports = lazy;',
    ].join('\n'),
  };
}

/**
 * Tables that only some runs read, each built into a file of its own beside the bundle
 * (`cli-<name>.cjs`); the bundle gets a stand-in that requires it at the first lookup. Each is
 * plain data and functions with no module of the bundle's own behind it (no classes, no state),
 * so splitting it off copies nothing.
 *
 * - the glibc symbol database (src/symbols/glibc-symbols.generated.ts, ~250 KiB of strings, 40% of
 *   the bundle): object files and static archives only;
 * - the target catalogue, its exact library sets and auditwheel's manylinux policies: `--target`,
 *   `show`, `targets` and package members only. In the bundle they were ~60 KB of its code cache,
 *   ~0.5 ms and ~150 KB of allocation at every start (docs/benchmarks.md, stop 27).
 */
const DATA_MODULES = [
  { module: 'symbols/glibc-symbols.generated.js', file: 'cli-glibc-symbols.cjs' },
  { module: 'targets/catalogue.js', file: 'cli-target-catalogue.cjs' },
  { module: 'targets/exact-sets.generated.js', file: 'cli-exact-sets.cjs' },
  { module: 'declared/manylinux-policy.generated.js', file: 'cli-manylinux-policy.cjs' },
];

function separateDataModules() {
  return {
    name: 'separate-data-modules',
    setup(context) {
      // Matched by the module's full path: hints/ has a catalogue.js of its own.
      const files = new Map(DATA_MODULES.map(({ module, file }) => [resolvePath('dist', module), file]));
      context.onResolve({ filter: /\.js$/ }, (args) => {
        const file = args.namespace === 'data-module' ? undefined : files.get(resolvePath(args.resolveDir, args.path));
        return file === undefined ? undefined : { path: `./${file}`, namespace: 'data-module' };
      });
      context.onResolve({ filter: /^\.\/cli-[a-z-]+\.cjs$/ }, (args) => (args.namespace === 'data-module' ? { path: args.path, external: true } : undefined));
      context.onLoad({ filter: /.*/, namespace: 'data-module' }, (args) => ({ ...lazyStandIn(args.path, false), resolveDir: 'dist' }));
    },
  };
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * chalk's colour detection (its vendored supports-color) runs as chalk is loaded and loads
 * node:tty, and through it node:net and node:stream: about 12 M instructions of a one-file check.
 * glibc-floor decides the colour level itself (src/cli/color.ts: NO_COLOR, FORCE_COLOR, a
 * terminal) and passes it to every Chalk it makes, so the detection's answer is never used: the
 * bundle gets a stand-in that detects nothing.
 */
function noColorDetection() {
  return {
    name: 'no-color-detection',
    setup(context) {
      context.onResolve({ filter: /^#supports-color$/ }, () => ({ path: 'supports-color', namespace: 'no-color-detection' }));
      context.onLoad({ filter: /.*/, namespace: 'no-color-detection' }, () => ({
        loader: 'js',
        contents: 'export function createSupportsColor() { return false; }\nexport default { stdout: false, stderr: false };\n',
      }));
    },
  };
}

const common = { bundle: true, platform: 'node', target: 'node20', legalComments: 'none', minify: true, logLevel: 'warning' };

// A cache left from an earlier build must never sit beside a new bundle (the launcher checks the
// build id as well).
rmSync(CACHE, { force: true });

const buildId = randomBytes(BUILD_ID_LENGTH / 2).toString('hex');
await build({
  entryPoints: ['dist/cli.js'],
  outfile: BUNDLE,
  ...common,
  format: 'cjs',
  plugins: [bakedVersion(), lazyModules(), separateDataModules(), noColorDetection()],
  // Loaded only when a config file is validated: kept out of the bundle, ajv is 120 KiB of the
  // 330 KiB that every run would otherwise parse.
  // The archive decoders are imported only when an archive needs them (src/archive/decompress.ts):
  // kept out too, xz-decompress alone is ~110 KiB (its WebAssembly inlined).
  external: ['ajv', 'xz-decompress', 'fzstd', 'unbzip2-stream'],
  // import() of those becomes require(): a script run through vm.Script has no loader for import()
  // (Node 20's importModuleDynamically is experimental); each of them is a CommonJS package.
  supported: { 'dynamic-import': false },
  // The launcher compiles the file as it is: one function expression with CommonJS's arguments.
  banner: { js: '(function (exports, require, module, __filename, __dirname) {' },
  footer: { js: `})${BUILD_MARK}${buildId}\n` },
});
for (const { module, file } of DATA_MODULES) {
  const { metafile } = await build({ entryPoints: [`dist/${module}`], outfile: `dist/${file}`, ...common, format: 'cjs', metafile: true });
  // A module of the bundle's own inside a table's file would be a second copy of it (its classes,
  // its state): a table imports nothing but types.
  const inputs = Object.keys(metafile.inputs);
  if (inputs.length !== 1) throw new Error(`dist/${file}: ${module} must import nothing but types, it imports ${inputs.filter((input) => input !== `dist/${module}`).join(', ')}`);
}
if (buildIdOf(readFileSync(BUNDLE, 'utf8')) !== buildId) throw new Error(`${BUNDLE}: its build id did not survive bundling`);
// The launcher reads the bundle as latin1, which is its UTF-8 only while every byte is ASCII
// (esbuild's default charset escapes anything else).
if (readFileSync(BUNDLE).some((byte) => byte > 0x7f)) throw new Error(`${BUNDLE}: not ASCII, and the launcher reads it as latin1`);

// Two launchers of the bundle: dist/cli.cjs, which bin/glibc-floor requires (a CommonJS start
// skips Node's ES module loader, ~12 M instructions of a one-file check), and dist/cli.js, the same
// as an ES module for whoever runs or imports that file.
await build({
  stdin: { contents: "import { launch } from './dist/cli-launcher.js';\nlaunch(__dirname, require);\n", resolveDir: '.', sourcefile: 'cli.cjs' },
  outfile: 'dist/cli.cjs',
  ...common,
  format: 'cjs',
});
await build({
  stdin: {
    contents: [
      "import { createRequire } from 'node:module';",
      "import { dirname } from 'node:path';",
      "import { fileURLToPath } from 'node:url';",
      "import { launch } from './dist/cli-launcher.js';",
      'launch(dirname(fileURLToPath(import.meta.url)), createRequire(import.meta.url));',
    ].join('\n'),
    resolveDir: '.',
    sourcefile: 'cli.js',
  },
  outfile: 'dist/cli.js',
  allowOverwrite: true,
  ...common,
  format: 'esm',
});

// The training run writes the cache; without it the CLI still works (and compiles at each start),
// so a build that cannot make one is a bug to see, not to ship.
const training = spawnSync(process.execPath, ['scripts/make-code-cache.mjs', CACHE, buildId], { stdio: ['ignore', 'ignore', 'inherit'] });
if (!existsSync(CACHE)) throw new Error(`${CACHE} was not written (training run: exit ${training.status}${training.error ? `, ${training.error.message}` : ''})`);
