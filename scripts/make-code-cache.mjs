#!/usr/bin/env node
// The training run of the CLI's code cache (scripts/bundle-cli.mjs runs it in a child process):
// runs the bundle through the launcher's own compile path, without a cache, on a one-file check
// (the start-up that matters most), and when the process exits writes the build id and V8's code
// cache of the bundle, which by then holds every function that run compiled.
//
// Usage: node scripts/make-code-cache.mjs <cache file> <build id>
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileBundle, runBundle } from '../dist/cli-launcher.js';
import { restoreHeapDefaults } from '../dist/cli/heap-tuning.js';

const [cacheFile, buildId] = process.argv.slice(2);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

// A dynamically linked ELF file (this node binary: the Linux machines that build are the ones
// that run it) and, in a checkout, a Go program: the paths a check of one file takes.
const goProgram = join(root, 'fixtures/go/hello-pure-x86_64');
const files = [process.execPath, ...(existsSync(goProgram) ? [goProgram] : [])];
process.argv = [process.argv[0], join(root, 'bin/glibc-floor'), 'check', ...files, '--floor', '2.17'];

const script = compileBundle(dist, false);
process.on('exit', () => {
  // The run tuned V8's heap flags (src/cli/heap-tuning.ts); a cache stamped with those would be
  // rejected by every start, which compiles the bundle before tuning.
  restoreHeapDefaults();
  writeFileSync(cacheFile, Buffer.concat([Buffer.from(buildId, 'latin1'), script.createCachedData()]));
});
runBundle(script, dist, createRequire(join(dist, 'cli-bundle.cjs')));
