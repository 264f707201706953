#!/usr/bin/env node
// Bundles the CLI (dist/cli.js and everything it imports, commander and chalk included) into the
// one file dist/cli.js, run after tsc by `npm run build`. Start-up is most of a single-file check,
// and loading ~40 ES modules cost about 60 ms of it against ~10 ms for one file (docs/benchmarks.md).
// The library entry (dist/index.js) stays unbundled.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

/** version.js finds package.json relative to its own file; in the bundle it is baked in instead. */
const bakedVersion = {
  name: 'baked-version',
  setup(context) {
    context.onLoad({ filter: /[\\/]dist[\\/]cli[\\/]version\.js$/ }, () => ({
      contents: `export const toolVersion = ${JSON.stringify(version)};`,
      loader: 'js',
    }));
  },
};

/** What both bundles share: one minified ES module for Node 20. */
const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', legalComments: 'none', minify: true, logLevel: 'warning' };

// The reader threads' entry (src/pipeline/read-worker.ts) is a bundle of its own beside the CLI,
// which starts it as new URL('./read-worker.js', import.meta.url).
await build({ ...common, entryPoints: ['dist/pipeline/read-worker.js'], outfile: 'dist/read-worker.js' });

await build({
  entryPoints: ['dist/cli.js'],
  outfile: 'dist/cli.js',
  allowOverwrite: true,
  ...common,
  plugins: [bakedVersion],
  // Loaded with import() only when a config file is validated: kept out of the bundle, ajv is
  // 120 KiB of the 330 KiB that every run would otherwise parse.
  external: ['ajv'],
  // commander is CommonJS: give its require() calls of node: built-ins a real require.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
