import { Command as Commander, CommanderError, Option } from 'commander';
import { DIFF_FORMATS } from '../diff/render.js';
import { FORMATS } from '../report/index.js';
import { runDiff, type DiffOptions } from './diff-command.js';
import { describeFailure } from '../errors/describe-error.js';
import { errorDocument, jsonCommandOf } from './error-document.js';
import type { Io, OutputStream } from './io.js';
import { runScan, type ScanOptions } from './scan-command.js';
import { runTargets, TARGETS_FORMATS, type TargetsOptions } from './targets-command.js';
import { toolVersion } from './version.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/**
 * run parses `argv` (as in process.argv), runs the command and returns the exit code of
 * the README's exit codes: 0 pass, 1 a floor is exceeded, 2 usage or input error. Usage errors print one line.
 * It never throws: whatever goes wrong ends in one line on standard error and exit code 2 (a
 * crash must never read as exit 1), and with `--format json` in a JSON document on standard
 * output. This is also the in-process entry the tests use (test/helpers/cli.ts).
 */
export async function run(argv: readonly string[], callerIo: Io): Promise<number> {
  const stdout = tracked(callerIo.stdout);
  const io = { ...callerIo, stdout };
  try {
    return await runProgram(argv, io);
  } catch (error) {
    // Even the error handling failed (a broken stream): one line, still exit 2.
    await callerIo.stderr.write(`${describeFailure(error, callerIo.env['GLIBC_FLOOR_DEBUG'] === '1').message}\n`).catch(() => undefined);
    return 2;
  }
}

/** A stream that remembers whether anything was written to it. */
type TrackedStream = OutputStream & { readonly written: () => boolean };

function tracked(stream: OutputStream): TrackedStream {
  let written = false;
  return {
    // Getters: asking a real stream whether it is a terminal can build Node's stream (io.ts).
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
    write: (text) => {
      written ||= text !== '';
      return stream.write(text);
    },
    written: () => written,
  };
}

/**
 * TEST_FAULT names the environment variable through which the tests force an internal error
 * (`throw`: an exception in the command; `reject`: an unhandled promise rejection, caught by the
 * process-level handler of src/cli.ts). It is read from the injected Io, so it costs nothing else.
 */
export const TEST_FAULT = 'GLIBC_FLOOR_TEST_FAULT';

function injectFault(io: Io): void {
  const fault = io.env[TEST_FAULT];
  if (fault === 'throw') throw new TypeError(`forced internal error (${TEST_FAULT}=throw)`);
  if (fault === 'reject') void Promise.reject(new RangeError(`forced unhandled rejection (${TEST_FAULT}=reject)`));
}

async function runProgram(argv: readonly string[], io: Io & { stdout: TrackedStream }): Promise<number> {
  let exitCode = 0;
  const messages: string[] = [];
  const program = new Commander('glibc-floor')
    .description('Check that ELF binaries run on the oldest glibc (and libstdc++, libgcc_s, ...) of your fleet, by reading their version needs.')
    .version(toolVersion, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (text) => messages.push(text), writeErr: (text) => messages.push(text) })
    .showHelpAfterError('(run glibc-floor --help for usage)');

  const formatOption = () =>
    new Option('-f, --format <format>', 'report format').choices(FORMATS).default('text');
  const platformOption = () =>
    new Option('--platform <os/arch[/variant]>', 'for a multi-platform image: the platform to read (default: the only one, else this host\'s)');
  const pathOption = () =>
    new Option('--path <glob>', 'for an image: check only paths matching this glob (/usr/local/bin/*); repeatable').argParser(collect);

  /** addReportOptions adds what `check` and `show` share: where the report goes, the config file, image options. */
  const addReportOptions = (command: Commander): Commander =>
    command
      .addOption(formatOption())
      .option('-o, --output <file>', 'write the report to a file instead of standard output')
      .option('--report <format=file>', 'also write a report in another format to a file (junit=junit.xml); repeatable', collect)
      .option('--config <file>', 'read floors, paths and waivers from this file (default: .glibc-floor.json here or above)')
      .option('--no-config', 'read no config file')
      .option('--source-root <dir>', 'SARIF: the directory artifact paths are relative to (default: GITHUB_WORKSPACE, else the working directory)')
      .addOption(platformOption())
      .addOption(pathOption());

  const check = program
    .command('check')
    .description('check ELF files (or directories of them) against version floors; exit 1 if any file needs more')
    .argument('[path...]', 'ELF files, directories (walked recursively) or container images; default: "paths" of the config file')
    .option('--floor <spec>', 'a floor: 2.35 (GLIBC), or FAMILY=VERSION such as GLIBCXX=3.4.30; repeatable', collect)
    .option('--target <name>', 'a platform from the catalogue (ubuntu-22.04, rhel-8, cos-117, manylinux_2_28, ...); repeatable or comma-separated', collect)
    .option('--floor-from <path>', 'a real system as the floor: a libc.so.6, or a directory of libraries (sysroot, extracted root filesystem); repeatable', collect)
    .option('--allow-lib <pattern>', 'allow only these needed libraries: a glob over the soname, or glibc-only; repeatable', collect)
    .option('--cpu-level <level>', 'the x86-64 level every host CPU has (x86-64-v2, x86-64-v3, ...): files whose GNU property note needs more fail')
    .option('--verbose', 'text: list every file with all its symbols, why and fix, instead of grouping failing files by cause')
    .option('--allow-empty', 'pass when no ELF file is found (by default a check that checked nothing is an error, exit 2)');
  addReportOptions(check).action(async (paths: string[], options: ScanOptions) => {
    injectFault(io);
    exitCode = await runScan('check', paths, options, io);
  });

  const show = program
    .command('show')
    .description('list the version needs of ELF files, and the symbols that need each version')
    .argument('[path...]', 'ELF files, directories (walked recursively) or container images; default: "paths" of the config file')
    .option('--min-floor [family]', 'print only the lowest floor every file meets, for scripts: 2.36 (default family GLIBC)');
  addReportOptions(show).action(async (paths: string[], options: ScanOptions) => {
    injectFault(io);
    exitCode = await runScan('show', paths, options, io);
  });

  program
    .command('diff')
    .description('compare the version needs of two builds (files, or directories matched by relative path); exit 1 if NEW needs more')
    .argument('<old>', 'the old build: an ELF file or a directory')
    .argument('<new>', 'the new build: an ELF file or a directory')
    .addOption(new Option('-f, --format <format>', 'report format').choices(DIFF_FORMATS).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option('--no-fail-on-raise', 'exit 0 even when NEW requires a higher version than OLD')
    .action(async (oldPath: string, newPath: string, options: DiffOptions) => {
      injectFault(io);
    exitCode = await runDiff(oldPath, newPath, options, io);
    });

  program
    .command('targets')
    .description('list the platform catalogue that --target names: glibc, GLIBCXX, CXXABI and GCC per release, with sources')
    .addOption(new Option('-f, --format <format>', 'output format').choices(TARGETS_FORMATS).default('text'))
    .action(async (options: TargetsOptions) => {
      injectFault(io);
    exitCode = await runTargets(options, io);
    });

  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    exitCode = await handleError(error, argv.slice(2), io);
  } finally {
    for (const message of messages.splice(0)) {
      await (exitCode === 0 ? io.stdout : io.stderr).write(message);
    }
  }
  return exitCode;
}

/**
 * handleError ends a run that threw: commander has already printed its own usage message (and
 * --help and --version end through here with exit code 0); anything else becomes the one line of
 * describeFailure and exit code 2, a bug of ours included (a gate fails closed, without a stack
 * trace). With `--format json`, a JSON document with `result: error` goes to standard output too,
 * unless the report was already printed there (two documents would be no document).
 */
async function handleError(error: unknown, args: readonly string[], io: Io & { stdout: TrackedStream }): Promise<number> {
  let exitCode: number;
  let message: string;
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) return 0;
    exitCode = 2;
    message = error.message.replace(/^error: /, '');
  } else {
    const failure = describeFailure(error, io.env['GLIBC_FLOOR_DEBUG'] === '1');
    await io.stderr.write(`${failure.message}\n`);
    exitCode = failure.exitCode;
    message = failure.message.split('\n', 1)[0]!.replace(/^glibc-floor: /, '');
  }
  const command = jsonCommandOf(args);
  if (command !== undefined && !io.stdout.written()) await io.stdout.write(errorDocument(command, args, message));
  return exitCode;
}
