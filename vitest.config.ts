import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The differential test reads every ELF file under /usr/bin and /usr/lib; give it room.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Forks keep the reader's memory per test file apart and match how the CLI runs.
    pool: 'forks',
    // GitHub's workflow parser imports its JSON schemas without an import attribute, which Node
    // refuses; inlined, vite loads them (test/package/github-files.test.ts).
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
