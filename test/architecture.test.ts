import { describe, expect, test } from 'vitest';
// @ts-expect-error: a plain ESM script without type declarations, shared with `node scripts/layers.mjs`.
import { cycles, importGraph, layerViolations } from '../scripts/layers.mjs';

type Graph = Map<string, string[]>;

describe('the layers of src/ (docs/architecture.md)', () => {
  const graph = (importGraph as () => Graph)();

  test('finds the modules and their imports', () => {
    expect(graph.get('elf/read-elf.ts')).toContain('elf/elf-layout.ts');
    expect(graph.get('cli/program.ts')?.length).toBeGreaterThan(0);
  });

  test('imports only go down the layers, never across folders of one layer', () => {
    expect((layerViolations as (g: Graph) => string[])(graph)).toEqual([]);
  });

  test('no module cycle, type-only imports included', () => {
    expect((cycles as (g: Graph) => string[])(graph)).toEqual([]);
  });

  test('the check catches an upward import and a cycle', () => {
    const bad: Graph = new Map([
      ['elf/a.ts', ['report/b.ts']],
      ['report/b.ts', ['elf/a.ts']],
    ]);
    expect((layerViolations as (g: Graph) => string[])(bad)).toEqual(['src/elf/a.ts imports src/report/b.ts']);
    expect((cycles as (g: Graph) => string[])(bad)).toEqual(['elf/a.ts -> report/b.ts -> elf/a.ts']);
  });
});
