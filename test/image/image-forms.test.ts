/**
 * The three forms of one real image (OCI layout directory, OCI archive, docker-archive made by
 * skopeo) give the same report as checking the filesystem `umoci unpack` extracts from it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readImageLibraries } from '../../src/image/image-libraries.js';
import { expectValidReport } from '../helpers/cli.js';
import { buildBinaries, buildFixtureImage, cli, type FixtureImage } from './helpers.js';

let work: string;
let image: FixtureImage;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'glibc-floor-image-test-'));
  image = await buildFixtureImage(work, buildBinaries(join(work, 'bin')));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

interface JsonReport {
  result: string;
  summary: Record<string, number>;
  files: { path: string; status: string; reason?: string; error?: string; violations?: { version: string; symbols: string[] }[] }[];
  neededFloors?: Record<string, { version: string; files: string[]; fileCount: number }>;
}

function jsonRun(args: string[]): { status: number | null; report: JsonReport; stderr: string } {
  const result = cli([...args, '--format', 'json']);
  // Validated against schema/report.schema.json (Ajv 2020) by the common test helper.
  const report = expectValidReport(result.stdout) as JsonReport;
  return { status: result.status, report, stderr: result.stderr };
}

/** withPathsFrom rewrites each path's prefix (`IMAGE!` or the extracted root) to `ROOT`, so reports compare. */
function withPathsFrom(report: JsonReport, prefix: string): JsonReport {
  return {
    ...report,
    files: report.files.map((file) => {
      expect(file.path.startsWith(prefix)).toBe(true);
      // A file reached through a link names its real file, and a duplicate the first path: same prefix.
      const rooted = (path: string) => (path.startsWith(prefix) ? `ROOT${path.slice(prefix.length)}` : path);
      const { linkTarget, duplicateOf } = file as { linkTarget?: string; duplicateOf?: string };
      return {
        ...file,
        path: rooted(file.path),
        ...(linkTarget === undefined ? {} : { linkTarget: rooted(linkTarget) }),
        ...(duplicateOf === undefined ? {} : { duplicateOf: rooted(duplicateOf) }),
      };
    }),
    ...(report.neededFloors === undefined
      ? {}
      : {
          neededFloors: Object.fromEntries(
            Object.entries(report.neededFloors).map(([family, needed]) => [family, { ...needed, files: needed.files.map((path) => `ROOT${path.slice(prefix.length)}`) }]),
          ),
        }),
  };
}

describe('an image gives the report of its extracted files', () => {
  const forms = () => [
    ['OCI layout directory', image.ociDir],
    ['OCI archive', image.ociTar],
    ['docker-archive (skopeo)', image.dockerTar],
  ];

  for (const command of [['show'], ['check', '--floor', '2.35']]) {
    test(`${command[0]}: all three forms equal the extracted tree`, () => {
      const extracted = jsonRun([...command, image.extracted]);
      const expected = withPathsFrom(extracted.report, image.extracted);
      expect(expected.files.length).toBeGreaterThan(5);
      for (const [, path] of forms()) {
        const run = jsonRun([...command, path!]);
        expect(run.status).toBe(extracted.status);
        expect(withPathsFrom(run.report, `${path}!`)).toEqual(expected);
      }
    });
  }

  test('the final filesystem: whiteouts honored, links resolved inside the image', () => {
    const { status, report } = jsonRun(['check', '--floor', '2.35', image.dockerTar]);
    expect(status).toBe(1);
    const byPath = new Map(report.files.map((file) => [file.path.slice(image.dockerTar.length + 1), file]));
    // Layer 2 deleted it (a `.wh.` file); layer 3 made /opt/old opaque, hiding tool and keep.txt.
    expect(byPath.has('/usr/bin/doomed')).toBe(false);
    expect(byPath.has('/opt/old/tool')).toBe(false);
    expect(byPath.has('/opt/old/keep.txt')).toBe(false);
    expect(byPath.get('/opt/old/fresh')?.status).toBe('pass');
    // As in a directory check, /bin -> usr/bin comes first in sorted order, so /usr/bin's files
    // are reported once, under /bin; a hard link and a file symlink are read like the file.
    expect(byPath.get('/bin/added.txt')).toMatchObject({ status: 'skipped', reason: 'not-elf' });
    // A static library's objects are checked as in a tree (arc4random: GLIBC_2.36 > 2.35); one with
    // no members holds no ELF, as glibc's libdl.a stub.
    expect(byPath.get('/usr/lib/librandom.a')).toMatchObject({ status: 'fail' });
    expect(JSON.stringify(byPath.get('/usr/lib/librandom.a'))).toContain('GLIBC_2.36');
    expect(byPath.get('/usr/lib/libempty.a')).toMatchObject({ status: 'skipped', reason: 'not-elf' });
    for (const path of ['/bin/hello', '/bin/hello-hard', '/usr/lib/libfoo.so']) {
      expect(byPath.get(path)?.status, path).toBe('pass');
    }
    // A file reached again through a link is checked once, as on disk; a hard link is a file of its own.
    expect(byPath.get('/bin/hello-link')).toMatchObject({ status: 'skipped', reason: 'duplicate', duplicateOf: `${image.dockerTar}!/bin/hello` });
    expect(byPath.get('/usr/lib/libfoo.so.1')).toMatchObject({ status: 'skipped', reason: 'duplicate', duplicateOf: `${image.dockerTar}!/usr/lib/libfoo.so` });
    expect(byPath.has('/usr/bin/hello')).toBe(false);
    expect(byPath.get('/dangling')).toMatchObject({ status: 'skipped', reason: 'broken-symlink' });
    const metis = byPath.get('/usr/local/bin/metis');
    expect(metis?.status).toBe('fail');
    expect(metis?.violations).toEqual([expect.objectContaining({ version: 'GLIBC_2.36', symbols: ['arc4random'] })]);
  });

  test('the text report names IMAGE!/path', () => {
    const result = cli(['check', '--floor', '2.35', image.ociTar]);
    expect(result.status).toBe(1);
    // Two files fail for one cause (metis and the static library's object): the grouped report.
    expect(result.stdout).toContain(`FAIL  ${image.ociTar}!/usr/local/bin/metis (x86_64) GLIBC_2.36: arc4random`);
    expect(result.stdout).toContain(`FAIL  ${image.ociTar}!/usr/lib/librandom.a (x86_64) GLIBC_2.36: arc4random`);
    expect(result.stderr).toBe('');
  });
});

describe('--path limits an image scan', () => {
  test('a glob keeps only matching paths', () => {
    const { status, report } = jsonRun(['check', '--floor', '2.35', '--path', '/usr/local/bin/*', image.ociDir]);
    expect(status).toBe(1);
    expect(report.files.map((file) => file.path)).toEqual([`${image.ociDir}!/usr/local/bin/metis`]);
  });

  test('repeatable, and a link whose target the glob does not match is still read', () => {
    const { status, report } = jsonRun(['show', '--path', 'usr/bin/hello-link', '--path', '/usr/lib/*.so*', image.dockerTar]);
    expect(status).toBe(0);
    expect(report.files.map((file) => [file.path.slice(image.dockerTar.length + 1), file.status])).toEqual([
      ['/usr/bin/hello-link', 'pass'],
      ['/usr/lib/libfoo.so', 'pass'],
      ['/usr/lib/libfoo.so.1', 'skipped'],
    ]);
  });

  test('a glob that matches nothing is an error, not a silent pass', () => {
    const result = cli(['check', '--floor', '2.35', '--path', '/nothing/*', image.ociTar]);
    expect(result.status).toBe(2);
    expect(result.stdout).toContain(`error ${image.ociTar}: no entry matches --path /nothing/*`);
  });
});

describe('an image as a library source (for --floor-from IMAGE)', () => {
  test("readImageLibraries reads the libraries of the image's final filesystem, in search order", async () => {
    for (const path of [image.ociDir, image.ociTar, image.dockerTar]) {
      const { libraries, skipped } = await readImageLibraries(path);
      expect(skipped).toEqual([]);
      expect(libraries.map((library) => [library.path, library.elf.type, library.elf.machine])).toEqual([
        ['/usr/lib/libfoo.so', 'DYN', 'x86_64'],
        ['/usr/lib/libfoo.so.1', 'DYN', 'x86_64'],
      ]);
    }
  });
});
