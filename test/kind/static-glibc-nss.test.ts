import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readElf } from '../../src/elf/read-elf.js';
import { openFileSource } from '../../src/io/byte-source.js';
import { detectKind, type BinaryKind } from '../../src/kind/detect.js';

// Built at test time (about 1 MB, too big to commit): a static glibc program that calls
// getpwnam and getaddrinfo, so glibc's NSS module loader is linked in. Needs gcc and libc6-dev.
const NSS_PROGRAM = `#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
int main(int argc, char **argv) {
  struct addrinfo *ai;
  struct passwd *pw = getpwnam(argv[0]);
  printf("%p %d %d\\n", (void *)pw, getaddrinfo(argv[0], 0, 0, &ai), argc);
  return 0;
}
`;

let work: string;
const kindOf = async (path: string): Promise<BinaryKind> => {
  const source = await openFileSource(path);
  try {
    const { elf, layout } = await readElf(source);
    return await detectKind(layout, elf);
  } finally {
    await source.close();
  }
};

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'glibc-floor-nss-'));
  writeFileSync(join(work, 'nss.c'), NSS_PROGRAM);
  for (const [name, flags] of [['nss-static', ['-static']], ['nss-static-stripped', ['-static', '-s']], ['nss-static-pie', ['-static-pie']]] as const) {
    execFileSync('gcc', ['-O2', ...flags, '-o', join(work, name), join(work, 'nss.c')], { stdio: 'pipe' });
  }
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('static glibc with NSS (built with gcc -static here)', () => {
  it.each(['nss-static', 'nss-static-stripped', 'nss-static-pie'])('%s is glibc-static and contains NSS code', async (name) => {
    const kind = await kindOf(join(work, name));
    expect(kind.name).toBe('glibc-static');
    expect(kind.evidence).toMatch(/^NT_GNU_ABI_TAG note \(Linux \d+\.\d+\.\d+\)/);
    expect(kind.warning).toContain('this file contains NSS code');
    expect(kind.notes).toEqual([]);
  });
});
