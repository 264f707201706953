import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What binutils' readelf says about one file's version tables. */
export interface ReadelfView {
  /** `.dynsym` entry count, when readelf printed the table. */
  dynsymCount: number | undefined;
  requirements: { library: string; version: string; weak: boolean; index: number; symbols: string[] }[];
  definitions: { index: number; name: string; base: boolean }[];
}

/**
 * readelfBatch runs `readelf -V -W --dyn-syms` once over several files and parses each file's
 * part. Files for which readelf printed a warning are returned in `warned` and left out: readelf
 * is the reference only where it is sure.
 */
export async function readelfBatch(files: string[]): Promise<{ views: Map<string, ReadelfView>; warned: Set<string> }> {
  const { stdout, stderr } = await run('readelf', ['-V', '-W', '--dyn-syms', ...files], {
    maxBuffer: 1 << 30,
    env: { ...process.env, LC_ALL: 'C' },
  }).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? '' }));
  const warned = new Set<string>();
  for (const line of stderr.split('\n')) {
    const match = /^readelf: (?:Warning|Error): (?:'([^']+)'|(\S+?):)/.exec(line);
    const file = match?.[1] ?? match?.[2];
    if (file !== undefined) warned.add(file);
  }
  const views = new Map<string, ReadelfView>();
  // With several files readelf starts each one's output with "File: <path>".
  const parts = stdout.split(/^File: (.+)$/m);
  for (let i = 1; i + 1 < parts.length; i += 2) views.set(parts[i]!, parseOne(parts[i + 1]!));
  return { views, warned };
}

function parseOne(text: string): ReadelfView {
  const view: ReadelfView = { dynsymCount: undefined, requirements: [], definitions: [] };
  const symbolsByIndex = new Map<number, Set<string>>();
  let section: 'dynsym' | 'verneed' | 'verdef' | 'other' = 'other';
  let library = '';
  for (const line of text.split('\n')) {
    let match = /^Symbol table '\.dynsym' contains (\d+) entr/.exec(line);
    if (match) {
      view.dynsymCount = Number(match[1]);
      section = 'dynsym';
      continue;
    }
    if (/^Version needs section/.test(line)) {
      section = 'verneed';
      continue;
    }
    if (/^Version definition section/.test(line)) {
      section = 'verdef';
      continue;
    }
    if (/^(Symbol table|Version symbols section)/.test(line)) {
      section = 'other';
      continue;
    }
    if (section === 'dynsym') {
      // "  5: 0000000000404020  1 OBJECT GLOBAL DEFAULT 25 __libc_single_threaded@GLIBC_2.32 (4)"
      match = /^\s*\d+:\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+(\S+)@[^@\s]+ \((\d+)\)$/.exec(line);
      if (match) {
        const index = Number(match[2]);
        const names = symbolsByIndex.get(index) ?? new Set<string>();
        names.add(match[1]!);
        symbolsByIndex.set(index, names);
      }
    } else if (section === 'verneed') {
      match = /^\s+\S+: Version: \d+\s+File: (.*?)\s+Cnt: \d+\s*$/.exec(line);
      if (match) {
        library = match[1]!;
        continue;
      }
      match = /^\s+\S+:\s+Name: (.*?)\s+Flags: (.*?)\s+Version: (\d+)\s*$/.exec(line);
      if (match) {
        view.requirements.push({ library, version: match[1]!, weak: match[2]!.includes('WEAK'), index: Number(match[3]) & 0x7fff, symbols: [] });
      }
    } else if (section === 'verdef') {
      match = /^\s+\S+: Rev: \d+\s+Flags: (.*?)\s+Index: (\d+)\s+Cnt: \d+\s+Name: (.*?)\s*$/.exec(line);
      if (match) view.definitions.push({ index: Number(match[2]), name: match[3]!, base: match[1]!.includes('BASE') });
    }
  }
  for (const requirement of view.requirements) {
    requirement.symbols = [...(symbolsByIndex.get(requirement.index) ?? [])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
  return view;
}
