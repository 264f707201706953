import { buildReport, TOOL_NAME } from '../report/build.js';
import { renderJson } from '../report/json.js';
import { toolVersion } from './version.js';

/** The commands whose `--format json` output is a document a CI step parses. */
const COMMANDS = ['check', 'show', 'diff', 'targets'] as const;
type CommandName = (typeof COMMANDS)[number];

/**
 * jsonCommandOf reads, from the raw arguments, the command and whether `--format json` was asked
 * for. It has to work when commander could not parse them (an unknown option, a bad floor), so
 * it reads the tokens itself: `--format json`, `--format=json`, `-f json`, `-fjson`, up to `--`.
 */
export function jsonCommandOf(args: readonly string[]): CommandName | undefined {
  let command: CommandName | undefined;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    if (token === '--') break;
    if (command === undefined && (COMMANDS as readonly string[]).includes(token)) command = token as CommandName;
    const value =
      token === '--format' || token === '-f' ? args[i + 1] : token.startsWith('--format=') ? token.slice('--format='.length) : token.startsWith('-f') && !token.startsWith('--') && token.length > 2 ? token.slice(2) : undefined;
    if (value !== undefined) json = value === 'json';
  }
  return json ? (command ?? 'check') : undefined;
}

/**
 * errorDocument is the JSON a run that ended in an error prints on standard output with
 * `--format json`, so a CI step that parses standard output always gets a document whose
 * `result` is `error` (as the exit code 2): the command's own document shape, with nothing in it and an
 * `error` message. An unknown command is reported as `check`, the command a gate runs.
 */
export function errorDocument(command: CommandName, args: readonly string[], message: string): string {
  if (command === 'diff') {
    const [oldPath = '', newPath = ''] = positionals(args.slice(args.indexOf('diff') + 1));
    const summary = { pairs: 0, raised: 0, changed: 0, unchanged: 0, onlyInOld: 0, onlyInNew: 0, errors: 0 };
    const document = { schemaVersion: 1, tool: { name: TOOL_NAME, version: toolVersion }, command, old: oldPath, new: newPath, failOnRaise: !args.includes('--no-fail-on-raise'), result: 'error', summary, files: [], error: message };
    return `${JSON.stringify(document, null, 2)}\n`;
  }
  if (command === 'targets') {
    return `${JSON.stringify({ tool: { name: TOOL_NAME, version: toolVersion }, targets: [], sources: {}, result: 'error', error: message }, null, 2)}\n`;
  }
  return [...renderJson(buildReport(command, toolVersion, undefined, [], { error: message }))].join('');
}

/** positionals: the arguments that are not options (a rough cut, for the diff document's old/new). */
function positionals(args: readonly string[]): string[] {
  const withValue = new Set(['--format', '-f', '--output', '-o']);
  const found: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    if (withValue.has(token)) i++;
    else if (!token.startsWith('-')) found.push(token);
  }
  return found;
}
