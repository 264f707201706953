import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect } from 'vitest';
import { nodeIo, type Io } from '../../src/cli/io.js';
import { run } from '../../src/cli/program.js';
import { repoRoot, reportSchemaPath } from './fixtures.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * How runCli runs the CLI: extra environment (over PATH and NO_COLOR=1), the working directory,
 * extra `node` flags (`--stack-size=...`), and `inProcess` to call `run(argv, io)` of
 * src/cli/program.ts directly instead of spawning a process.
 */
export interface CliOptions {
  readonly env?: Record<string, string>;
  readonly cwd?: string;
  readonly nodeArgs?: readonly string[];
  readonly inProcess?: false;
}

/**
 * runCli spawns bin/glibc-floor as a user would (built dist/), with color off unless `env` says
 * otherwise: the one CLI helper of the tests. Keep the process where it is the point: the bin
 * shim, exit codes and signals of a real process, piping, node flags.
 *
 * With `inProcess: true` it runs the CLI's `run(argv, io)` in this process (the source, not
 * dist/) with captured output, and returns a promise: a spawn costs a Node start-up and a load
 * of the bundle, so this is much cheaper. The run sees only the environment given here (over
 * NO_COLOR=1), never this process's; `cwd` is entered for the run (the reader opens relative paths
 * against the process's directory) and left afterwards, so in-process runs must not overlap
 * (no test.concurrent). After each run the helper checks that the CLI left no process-wide state
 * behind: exit code, working directory, environment, the real stdout/stderr writers.
 */
export function runCli(args: readonly string[], options?: CliOptions): CliRun;
export function runCli(args: readonly string[], options: Omit<CliOptions, 'inProcess' | 'nodeArgs'> & { readonly inProcess: true }): Promise<CliRun>;
export function runCli(args: readonly string[], options: Omit<CliOptions, 'inProcess'> & { readonly inProcess?: boolean } = {}): CliRun | Promise<CliRun> {
  const { env = {}, cwd = repoRoot, nodeArgs = [] } = options;
  if (options.inProcess === true) return runInProcess(args, env, cwd);
  const result = spawnSync(process.execPath, [...nodeArgs, cliPath, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', NO_COLOR: '1', ...env },
    maxBuffer: 1 << 28,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let inProcessRunning = false;

async function runInProcess(args: readonly string[], env: Record<string, string>, cwd: string): Promise<CliRun> {
  if (inProcessRunning) throw new Error('runCli inProcess: another in-process run is still going (they share the working directory); await it first');
  inProcessRunning = true;
  const before = processState();
  let stdout = '';
  let stderr = '';
  const io: Io = {
    ...nodeIo(),
    stdout: { isTTY: false, write: async (text) => void (stdout += text) },
    stderr: { isTTY: false, write: async (text) => void (stderr += text) },
    env: { NO_COLOR: '1', ...env },
    cwd,
  };
  try {
    process.chdir(cwd);
    const code = await run(['node', 'glibc-floor', ...args], io);
    return { code, stdout, stderr };
  } finally {
    process.chdir(before.cwd);
    inProcessRunning = false;
    const after = processState();
    for (const key of Object.keys(before) as (keyof ProcessState)[]) {
      if (after[key] !== before[key]) throw new Error(`runCli inProcess: the CLI changed process state (${key}) for ${args.join(' ')}`);
    }
  }
}

type ProcessState = ReturnType<typeof processState>;

/** What an in-process run must leave as it found it. */
function processState() {
  return {
    cwd: process.cwd(),
    exitCode: process.exitCode,
    env: JSON.stringify(process.env),
    stdoutWrite: process.stdout.write,
    stderrWrite: process.stderr.write,
  };
}

/** cliPath is the executable a user runs (bin/glibc-floor over the built dist/). */
export const cliPath = join(repoRoot, 'bin', 'glibc-floor');

const ajv = new Ajv2020({ allErrors: true, strict: false });
/** validateReport checks a check/show document against the repository's schema/report.schema.json. */
export const validateReport = ajv.compile(JSON.parse(readFileSync(reportSchemaPath, 'utf8')) as object);
/** validateDiff checks a diff document against the repository's schema/diff.schema.json. */
export const validateDiff = ajv.compile(JSON.parse(readFileSync(join(repoRoot, 'schema', 'diff.schema.json'), 'utf8')) as object);

/** expectValidReport parses JSON output, validates it against schema/report.schema.json and returns it. */
export function expectValidReport(text: string): Record<string, any> {
  const report = JSON.parse(text) as Record<string, any>;
  const ok = validateReport(report);
  expect(ok ? [] : validateReport.errors).toEqual([]);
  return report;
}

/** expectNoStackTrace asserts stderr has no JavaScript stack trace or internal error names. */
export function expectNoStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at .+\(.*:\d+:\d+\)$/m);
  expect(stderr).not.toMatch(/TypeError|RangeError|ReferenceError|SyntaxError|internal error/);
}
