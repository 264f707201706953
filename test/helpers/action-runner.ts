import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './fixtures.js';

export interface ActionStep {
  id?: string;
  if?: string;
  uses?: string;
  with?: Record<string, string | number>;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
}
export interface Action {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

/** The repository's action.yml, parsed. */
export const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as Action;

export interface ActionRun {
  /** The exit status of the last step that ran: what the runner reports for the action. */
  status: number | null;
  stdout: string;
  stderr: string;
  /** Each step's outputs (GITHUB_OUTPUT), by step id. */
  steps: Record<string, Record<string, string>>;
  /** The action's own outputs, as action.yml maps them. */
  outputs: Record<string, string>;
  /** The `uses:` steps whose `if` held: what the runner would have run (this emulation does not). */
  used: string[];
}

export interface RunOptions {
  cwd: string;
  /** GITHUB_ACTION_PATH: where the runner checked the action out. */
  actionPath?: string;
  /** PATH for the steps (default: this process's). */
  path?: string;
}

/**
 * runAction emulates the Actions runner for this composite action: `${{ inputs.x }}` substituted
 * with the given or default values, each `if` evaluated, each bash step run as
 * `bash --noprofile --norc -eo pipefail` (GitHub's workflow syntax docs, `shell: bash`), its
 * GITHUB_OUTPUT read back, and the run stopped at the first step that fails. Only the expression
 * forms action.yml uses are understood; anything else throws, so the emulation cannot silently
 * diverge from the file.
 */
export function runAction(inputs: Record<string, string>, options: RunOptions): ActionRun {
  const input = (name: string): string => inputs[name] ?? action.inputs[name]?.default ?? '';
  const steps: Record<string, Record<string, string>> = {};
  const expression = (text: string): string => {
    const trimmed = text.trim();
    const alternatives = trimmed.split('||').map((part) => part.trim());
    if (alternatives.length > 1) return alternatives.map(expression).find((value) => value !== '') ?? '';
    let match = /^inputs\.([\w-]+)$/.exec(trimmed);
    if (match) return input(match[1]!);
    match = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(trimmed);
    if (match) return steps[match[1]!]?.[match[2]!] ?? '';
    throw new Error(`action-runner: unsupported expression ${text}`);
  };
  const substitute = (text: string): string => text.replace(/\$\{\{(.+?)\}\}/g, (_, inner: string) => expression(inner));
  const condition = (text: string | undefined): boolean => {
    if (text === undefined) return true;
    const match = /^(.+?)\s*==\s*'([^']*)'$/.exec(text.trim());
    if (!match) throw new Error(`action-runner: unsupported condition ${text}`);
    return expression(match[1]!) === match[2];
  };

  let stdout = '';
  let stderr = '';
  let status: number | null = 0;
  const used: string[] = [];
  for (const [index, step] of action.runs.steps.entries()) {
    if (!condition(step.if)) continue;
    if (step.uses !== undefined) {
      used.push(step.uses);
      continue;
    }
    const outputFile = join(options.cwd, `.github_output_${index}`);
    writeFileSync(outputFile, '');
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, substitute(value)]));
    const run = spawnSync('/bin/bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', substitute(step.run!)], {
      cwd: options.cwd,
      encoding: 'utf8',
      env: {
        PATH: options.path ?? process.env['PATH'] ?? '/usr/bin:/bin',
        HOME: process.env['HOME'] ?? '/root',
        NO_COLOR: '1',
        GITHUB_OUTPUT: outputFile,
        GITHUB_ACTION_PATH: options.actionPath ?? repoRoot,
        ...env,
      },
    });
    stdout += run.stdout;
    stderr += run.stderr;
    status = run.status;
    if (step.id !== undefined) {
      steps[step.id] = Object.fromEntries(
        readFileSync(outputFile, 'utf8').split('\n').filter(Boolean).map((line) => line.split(/=(.*)/s, 2) as [string, string]),
      );
    }
    if (run.status !== 0) break;
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([name, output]) => [name, substitute(output.value)]));
  return { status, stdout, stderr, steps, outputs, used };
}
