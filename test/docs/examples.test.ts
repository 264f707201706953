import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/fixtures.js';

/**
 * The docs cannot drift: every ```console block marked `<!-- example -->` in README.md and
 * docs/*.md is run, command by command, with the built CLI from the repository root (as a user
 * who followed the quick start), and its output compared with the page. A line `...` on the page
 * stands for any number of lines. Only what must differ between runs is normalized: durations and
 * temporary paths. `UPDATE_DOCS=1 npx vitest run test/docs` rewrites the pages with the real output
 * (the pattern of gimli-rs/object's OBJECT_TESTFILES_UPDATE); blocks that still match are left as
 * written. Review the diff before committing.
 */
const MARK = '<!-- example -->';
const BLOCK = /<!-- example -->\n```console\n([\s\S]*?)```/g;
const SEPARATOR = '@@glibc-floor example separator@@';

const pages = ['README.md', ...readdirSync(join(repoRoot, 'docs')).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`)];

interface Example {
  readonly commands: string[];
  /** Per command, the lines the page shows after it. */
  readonly outputs: string[][];
}

function parseExample(body: string): Example {
  const commands: string[] = [];
  const outputs: string[][] = [];
  for (const line of body.replace(/\n$/, '').split('\n')) {
    if (line.startsWith('$ ')) {
      commands.push(line.slice(2));
      outputs.push([]);
    } else {
      outputs.at(-1)?.push(line);
    }
  }
  return { commands, outputs };
}

/**
 * runExample runs the commands in one shell, in order (so `echo $?` sees the command before it),
 * each with standard error merged into standard output as a terminal would show them.
 */
async function runExample(commands: readonly string[]): Promise<string[][]> {
  const script = commands.map((command) => `${command} 2>&1; __status=$?; printf '%s\\n' '${SEPARATOR}'; ( exit $__status )`).join('\n');
  // Asynchronous, so the test worker keeps answering vitest while a long example runs.
  const child = spawn('bash', ['-c', script], {
    cwd: repoRoot,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', NO_COLOR: '1', LANG: 'C.UTF-8' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  await new Promise((resolve) => child.on('close', resolve));
  const pieces = stdout.split(`${SEPARATOR}\n`);
  return commands.map((_, i) => (pieces[i] ?? '').replace(/\n$/, '').split('\n').filter((line, _j, all) => !(all.length === 1 && line === '')));
}

const normalize = (line: string): string => line.replace(/\b\d+(\.\d+)? ?(ms|s)\b/g, '<duration>').replace(/\/tmp\/[^\s/]+/g, '/tmp/<dir>').trimEnd();

/** matches compares real output with the page, where a `...` line on the page matches any lines. */
function matches(actual: readonly string[], shown: readonly string[]): boolean {
  const pattern = shown.map((line) => (line.trim() === '...' ? '(?:[^\\n]*\\n)*?' : `${escape(normalize(line))}\\n`)).join('');
  return new RegExp(`^${pattern}$`).test(actual.map((line) => `${normalize(line)}\n`).join(''));
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('documentation examples', () => {
  for (const page of pages) {
    const path = join(repoRoot, page);
    const text = readFileSync(path, 'utf8');
    const examples = [...text.matchAll(BLOCK)];
    if (examples.length === 0) continue;
    it(`${page}: ${examples.length} example(s) print what the page shows`, async () => {
      let updated = text;
      for (const match of examples) {
        const example = parseExample(match[1]!);
        expect(example.commands.length, `${page}: an example block without a $ command`).toBeGreaterThan(0);
        const actual = await runExample(example.commands);
        const same = example.commands.every((_, i) => matches(actual[i]!, example.outputs[i]!));
        // A block that still matches stays as written, with its `...` elisions.
        if (process.env['UPDATE_DOCS'] === '1' && !same) {
          const body = example.commands.map((command, i) => [`$ ${command}`, ...actual[i]!].join('\n')).join('\n');
          updated = updated.replace(match[0], `${MARK}\n\`\`\`console\n${body}\n\`\`\``);
          continue;
        }
        example.commands.forEach((command, i) => {
          expect(matches(actual[i]!, example.outputs[i]!), `${page}: $ ${command}\n--- page ---\n${example.outputs[i]!.join('\n')}\n--- real ---\n${actual[i]!.join('\n')}`).toBe(true);
        });
      }
      if (updated !== text) writeFileSync(path, updated);
    });
  }

  it('README.md has runnable examples, and every console block in the docs is one', () => {
    expect([...readFileSync(join(repoRoot, 'README.md'), 'utf8').matchAll(BLOCK)].length).toBeGreaterThan(0);
    for (const page of pages) {
      const text = readFileSync(join(repoRoot, page), 'utf8');
      const consoles = text.split('\n').flatMap((line, i, all) => (line === '```console' && all[i - 1] !== MARK ? [i + 1] : []));
      expect(consoles, `${page}: a \`\`\`console block not marked ${MARK} (line numbers)`).toEqual([]);
    }
  });

  it('examples call the CLI as the quick start leaves it: ./bin/glibc-floor, never a bare glibc-floor', () => {
    for (const page of pages) {
      for (const match of readFileSync(join(repoRoot, page), 'utf8').matchAll(BLOCK)) {
        for (const command of parseExample(match[1]!).commands) expect(command, page).not.toMatch(/(^|[;&|]\s*)glibc-floor\b/);
      }
    }
  });
});
