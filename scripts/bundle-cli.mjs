#!/usr/bin/env node
// Bundles the CLI (dist/cli.js and everything it imports, commander and chalk included) into the
// one file dist/cli.js, run after tsc by `npm run build`. Start-up is most of a single-file check,
// and loading ~40 ES modules cost about 60 ms of it against ~10 ms for one file (docs/benchmarks.md).
// The library entry (dist/index.js) stays unbundled.
import { build } from 'esbuild';
import { bakedVersion } from './baked-version.mjs';

/** One minified ES module for Node 20 (scripts/release.mjs makes its CommonJS bundle separately). */
const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', legalComments: 'none', minify: true, logLevel: 'warning' };

await build({
  entryPoints: ['dist/cli.js'],
  outfile: 'dist/cli.js',
  allowOverwrite: true,
  ...common,
  plugins: [bakedVersion()],
  // Loaded with import() only when a config file is validated: kept out of the bundle, ajv is
  // 120 KiB of the 330 KiB that every run would otherwise parse.
  // The archive decoders are imported only when an archive needs them (src/archive/decompress.ts):
  // kept out too, xz-decompress alone is ~110 KiB (its WebAssembly inlined).
  external: ['ajv', 'xz-decompress', 'fzstd', 'unbzip2-stream'],
  // commander is CommonJS: give its require() calls of node: built-ins a real require.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
