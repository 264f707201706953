#!/usr/bin/env node
/**
 * The layers of src/, lowest first, and the import graph between them. Imports may only go to
 * the same folder or to a lower layer; folders that share a layer do not import each other; no
 * module cycle. test/architecture.test.ts enforces it; `node scripts/layers.mjs` prints the graph
 * by folder (docs/architecture.md explains the layers).
 *
 * Imports are found with a regular expression over `import`/`export ... from` and `import()`:
 * the project's own style (one specifier per statement, relative `.js` paths) keeps that exact,
 * and a TypeScript parser would be a dependency for one test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** Lowest first. `.` is a file directly in src/ (the entry points, see ROOT_FILES). */
export const LAYERS = [
  ['errors'], // the one error type (ToolError), its usage kind, and describeError: error -> one line
  ['io'], // bytes: ByteSource over files and buffers
  ['elf'], // the ELF model: header, segments, sections, version tables, readElf
  ['versions'], // requirements: version names, families, markers
  ['declared'], // what packages declare: wheel tags, npm libc, .deb Depends, RPM Requires; manylinux policy data
  ['symbols'], // requirements of objects: the glibc symbol database, the needs a link creates
  ['scan'], // inputs: directory walk, skip reasons, file-system errors
  ['archive'], // inputs: archives and packages (zip, tar, compressed streams, ar, .deb, .rpm), read as streams
  ['image'], // inputs: container images (zstd layers through archive's decompressor)
  ['libraries'], // library sets of real systems (--floor-from)
  ['kind', 'objects'], // per-file checks: binary kind, Go build info; objects, archives, stack and ISA notes
  ['check'], // analysis: floors, the verdict, the library policy
  ['targets'], // analysis: the target catalogue and fleets
  ['hints'], // analysis: the hint catalogue
  ['analysis'], // analysis: one input's analysis (requirements, kind, findings as one union), made by the one judge
  ['report'], // the JSON report model and its renderers
  ['pipeline', 'waivers'], // a scan: read, analyse and report each input; waivers over the entries
  ['diff'], // the diff command's model and renderers
  ['config'], // the config file
  ['cli'], // commands, options, exit codes, output
];

/** Files directly in src/: the entry points, above every layer. */
export const ROOT_FILES = { 'cli.ts': LAYERS.length, 'cli-launcher.ts': LAYERS.length, 'index.ts': LAYERS.length };

/** rankOf gives a module's layer index. */
export function rankOf(file) {
  const folder = file.includes('/') ? file.slice(0, file.indexOf('/')) : '.';
  if (folder === '.') {
    if (!(file in ROOT_FILES)) throw new Error(`src/${file}: add it to ROOT_FILES in scripts/layers.mjs`);
    return ROOT_FILES[file];
  }
  const rank = LAYERS.findIndex((layer) => layer.includes(folder));
  if (rank < 0) throw new Error(`src/${folder}/: add the folder to LAYERS in scripts/layers.mjs`);
  return rank;
}

export function folderOf(file) {
  return file.includes('/') ? file.slice(0, file.indexOf('/')) : '.';
}

function sourceFiles(directory = SRC) {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [relative(SRC, path)] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g;

/** importGraph maps each module (path under src/) to the modules it imports, type-only imports included. */
export function importGraph() {
  const graph = new Map();
  for (const file of sourceFiles()) {
    const text = readFileSync(join(SRC, file), 'utf8');
    const targets = [];
    for (const match of text.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2];
      targets.push(relative(SRC, resolve(SRC, dirname(file), specifier)).replace(/\.js$/, '.ts'));
    }
    graph.set(file, targets);
  }
  return graph;
}

/** violations lists imports that go up a layer, or across folders of one layer. */
export function layerViolations(graph) {
  const out = [];
  for (const [from, targets] of graph) {
    for (const to of targets) {
      const [a, b] = [rankOf(from), rankOf(to)];
      if (b > a || (b === a && folderOf(from) !== folderOf(to))) out.push(`src/${from} imports src/${to}`);
    }
  }
  return out;
}

/** cycles lists module cycles (each once, as a path), found by depth-first search. */
export function cycles(graph) {
  const state = new Map();
  const stack = [];
  const found = [];
  const visit = (file) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next].join(' -> '));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

/** folderGraph counts imports between folders: "from -> to: n". */
export function folderGraph(graph) {
  const counts = new Map();
  for (const [from, targets] of graph) {
    for (const to of targets) {
      if (folderOf(from) === folderOf(to)) continue;
      const key = `${folderOf(from)} -> ${folderOf(to)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, n]) => `${key}: ${n}`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const graph = importGraph();
  console.log(LAYERS.map((layer, i) => `${i}. ${layer.join(', ')}`).join('\n'));
  console.log('\nimports between folders:');
  console.log(folderGraph(graph).join('\n'));
  const problems = [...layerViolations(graph), ...cycles(graph).map((cycle) => `cycle: ${cycle}`)];
  console.log(problems.length === 0 ? '\nno upward import, no cycle' : `\n${problems.join('\n')}`);
  process.exitCode = problems.length === 0 ? 0 : 1;
}
