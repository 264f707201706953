import { describe, expect, it } from 'vitest';
import { neededFloors, NeededFloorsTally } from '../../src/report/needed-floors.js';

describe('neededFloors, tallied file by file', () => {
  const files: { path: string; maxVersions: Record<string, string> }[] = [
    { path: 'a', maxVersions: { GLIBC: '2.17', GLIBCXX: '3.4.19' } },
    ...Array.from({ length: 12 }, (_, i) => ({ path: `same${i}`, maxVersions: { GLIBC: '2.34' } })),
    { path: 'private', maxVersions: { GLIBC: 'GLIBC_PRIVATE' } },
    { path: 'newer', maxVersions: { GLIBCXX: '3.4.30', CXXABI: '1.3.13' } },
    { path: 'older', maxVersions: { GLIBCXX: '3.4.29' } },
  ];

  it('names the first 10 files at the highest version of each family, counts them all, GLIBC first', () => {
    const tally = new NeededFloorsTally();
    for (const file of files) tally.add(file);
    const floors = tally.floors();
    expect(Object.keys(floors)).toEqual(['GLIBC', 'CXXABI', 'GLIBCXX']);
    expect(floors['GLIBC']).toEqual({ version: '2.34', files: Array.from({ length: 10 }, (_, i) => `same${i}`), fileCount: 12 });
    expect(floors['GLIBCXX']).toEqual({ version: '3.4.30', files: ['newer'], fileCount: 1 });
    expect(floors['CXXABI']).toEqual({ version: '1.3.13', files: ['newer'], fileCount: 1 });
    expect(neededFloors(files)).toEqual(floors);
  });

  it('starts over when a higher version comes after files at a lower one', () => {
    const tally = new NeededFloorsTally();
    for (const path of ['x', 'y']) tally.add({ path, maxVersions: { GLIBC: '2.28' } });
    tally.add({ path: 'z', maxVersions: { GLIBC: '2.38' } });
    tally.add({ path: 'w', maxVersions: { GLIBC: '2.38' } });
    expect(tally.floors()).toEqual({ GLIBC: { version: '2.38', files: ['z', 'w'], fileCount: 2 } });
  });
});
