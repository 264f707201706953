import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One temporary directory for the whole run, removed at its end (test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    // The differential test reads every ELF file under /usr/bin and /usr/lib; give it room.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Forks match how the CLI runs (a process, not a worker thread: process.chdir works, which
    // runCli's in-process mode needs for a cwd).
    pool: 'forks',
    // One fork runs many test files instead of a fresh process for each: starting a fork and
    // loading vitest into it cost about as much CPU as the small test files themselves (measured:
    // 32 fast files, 39 s CPU isolated, 13 s shared). Files must leave no process-wide state
    // behind; runCli's in-process mode checks this for the CLI (test/helpers/cli.ts).
    isolate: false,
    // vitest's default is one worker fewer than the cores: on a 2-core CI machine, one. Many of
    // the slow files wait on other processes (readelf over /usr, xmllint, the SARIF multitool,
    // npm ci), so two run well side by side: measured on 2 cores, 173 s wall with one worker,
    // 120 s with two (CPU 188 s against 221 s).
    maxWorkers: Math.max(2, availableParallelism()),
    // GitHub's workflow parser imports its JSON schemas without an import attribute, which Node
    // refuses; inlined, vite loads them (test/package/github-files.test.ts).
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
