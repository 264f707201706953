import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandInputs, type Input } from '../../src/scan/walk.js';
import { tempDir } from '../helpers/fixtures.js';

/** A small deterministic random source (the trees must be the same on every run). */
function random(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % below;
  };
}

/** A tree of files, and links to files and to directories, in every order relative to their targets. */
function linkTree(seed: number): string {
  const pick = random(seed);
  const root = tempDir();
  const directories = ['', 'a', 'a/b', 'a/b/c', 'd', 'd/e', 'z'];
  for (const directory of directories) mkdirSync(join(root, directory), { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < 14; i++) {
    const file = join(directories[pick(directories.length)]!, `f${pick(30)}`);
    writeFileSync(join(root, file), 'x');
    files.push(file);
  }
  for (let i = 0; i < 18; i++) {
    const at = join(root, directories[pick(directories.length)]!, `l${pick(30)}`);
    const to = pick(5) === 0 ? join(root, directories[pick(directories.length)]!) : join(root, files[pick(files.length)]!);
    try {
      symlinkSync(pick(2) === 0 ? to : relative(join(at, '..'), to) || '.', at);
    } catch {
      // the name is taken: fine, the tree is random anyway
    }
  }
  return root;
}

/** What a map of every real file's first path gives: the meaning the walk's bookkeeping must keep. */
function firstPaths(inputs: readonly Input[]): Input[] {
  const first = new Map<string, string>();
  return inputs.map((input) => {
    if (input.kind !== 'file') return input;
    const real = realpathSync(input.fsPath!);
    const earlier = first.get(real);
    if (earlier === undefined) {
      first.set(real, input.path);
      return input;
    }
    return { kind: 'skipped', path: input.path, reason: 'duplicate', duplicateOf: earlier };
  });
}

const shape = (inputs: readonly Input[]) =>
  inputs.map((input) => (input.kind === 'file' ? ['file', input.path] : input.kind === 'skipped' ? ['skipped', input.path, input.reason, input.duplicateOf] : ['error', input.path]));

async function collect(paths: string[], dedupe: boolean): Promise<Input[]> {
  const inputs: Input[] = [];
  for await (const input of expandInputs(paths, undefined, { dedupe })) inputs.push(input);
  return inputs;
}

describe('a file reached twice in a run', () => {
  it('is a duplicate of the path it was first reached under, whatever the order of links, targets and named paths', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const root = linkTree(seed);
      const runs = [[root], [root, root], [join(root, 'a'), root], [root, join(root, 'a', 'b')], [join(root, 'd', 'e'), join(root, 'a'), root]];
      for (const paths of runs) {
        const named = [...paths, ...(seed % 3 === 0 ? [join(root, 'a', 'b')] : [])];
        const deduped = await collect(named, true);
        expect(shape(deduped), `seed ${seed}: ${named.join(' ')}`).toEqual(shape(firstPaths(await collect(named, false))));
      }
    }
  });

  it('names the file under a directory shown as the user spelled it', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'lib'));
    writeFileSync(join(root, 'lib', 'libz.so.1.3'), 'x');
    symlinkSync('libz.so.1.3', join(root, 'lib', 'libz.so.1'));
    symlinkSync('libz.so.1.3', join(root, 'lib', 'libz.so.2'));
    const inputs = shape(await collect([join(root, 'lib'), join(root, 'lib', 'libz.so.1.3')], true));
    expect(inputs).toEqual([
      ['file', join(root, 'lib', 'libz.so.1')],
      ['skipped', join(root, 'lib', 'libz.so.1.3'), 'duplicate', join(root, 'lib', 'libz.so.1')],
      ['skipped', join(root, 'lib', 'libz.so.2'), 'duplicate', join(root, 'lib', 'libz.so.1')],
      ['skipped', join(root, 'lib', 'libz.so.1.3'), 'duplicate', join(root, 'lib', 'libz.so.1')],
    ]);
  });
});
