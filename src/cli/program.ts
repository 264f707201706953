import { Command as Commander, CommanderError, Option } from 'commander';
import { DIFF_FORMATS } from '../diff/render.js';
import { FORMATS } from '../report/index.js';
import { runDiff, type DiffOptions } from './diff-command.js';
import { describeFailure } from '../errors/describe-error.js';
import type { Io } from './io.js';
import { runScan, type ScanOptions } from './scan-command.js';
import { runTargets, TARGETS_FORMATS, type TargetsOptions } from './targets-command.js';
import { toolVersion } from './version.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/**
 * run parses `argv` (as in process.argv), runs the command and returns the exit code of
 * the README's exit codes: 0 pass, 1 a floor is exceeded, 2 usage or input error. Usage errors print one line.
 */
export async function run(argv: readonly string[], io: Io): Promise<number> {
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
    .option('--allow-lib <pattern>', 'allow only these needed libraries: a glob over the soname, or glibc-only; repeatable', collect);
  addReportOptions(check).action(async (paths: string[], options: ScanOptions) => {
    exitCode = await runScan('check', paths, options, io);
  });

  const show = program
    .command('show')
    .description('list the version needs of ELF files, and the symbols that need each version')
    .argument('[path...]', 'ELF files, directories (walked recursively) or container images; default: "paths" of the config file');
  addReportOptions(show).action(async (paths: string[], options: ScanOptions) => {
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
      exitCode = await runDiff(oldPath, newPath, options, io);
    });

  program
    .command('targets')
    .description('list the platform catalogue that --target names: glibc, GLIBCXX, CXXABI and GCC per release, with sources')
    .addOption(new Option('-f, --format <format>', 'output format').choices(TARGETS_FORMATS).default('text'))
    .action(async (options: TargetsOptions) => {
      exitCode = await runTargets(options, io);
    });

  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    exitCode = await handleError(error, io);
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
 * describeFailure and exit code 2, a bug of ours included (a gate fails closed, without a stack trace).
 */
async function handleError(error: unknown, io: Io): Promise<number> {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  const failure = describeFailure(error);
  await io.stderr.write(`${failure.message}\n`);
  return failure.exitCode;
}
