import { describe, expect, it } from 'vitest';
import { buildAdvice, toolchainFor, TOOLCHAINS } from '../../src/hints/toolchains.js';
import { runCli } from '../helpers/cli.js';

/** fixLines returns every `fix:` line of a text report, and the JSON fixes of every hint. */
async function adviceOf(fixture: string, floor: string): Promise<{ text: string[]; json: string[] }> {
  const text = await runCli(['check', '--floor', floor, '--verbose', `fixtures/${fixture}`], { inProcess: true });
  const json = await runCli(['check', '--floor', floor, '--format', 'json', `fixtures/${fixture}`], { inProcess: true });
  expect(text.code).toBe(1);
  const report = JSON.parse(json.stdout);
  const fixes = report.files[0].violations.flatMap((v: { hints?: { fixes: string[] }[] }) => (v.hints ?? []).flatMap((h) => h.fixes));
  return { text: text.stdout.split('\n').filter((line) => line.includes('fix:')), json: fixes };
}

describe('build advice per machine', () => {
  it('tells an aarch64 binary about aarch64 images and targets only', async () => {
    const { text, json } = await adviceOf('hello-aarch64', '2.31');
    const all = [...text, ...json].join('\n');
    expect(all).toContain('quay.io/pypa/manylinux_2_28_aarch64 (glibc 2.28)');
    expect(all).toContain('`zig cc -target aarch64-linux-gnu.2.31`');
    expect(all).toContain('build on debian:11 (glibc 2.31), natively or with the cross compiler gcc-aarch64-linux-gnu');
    expect(all).not.toMatch(/x86_64|x86-64|i686/);
  });

  it('tells an armhf binary about the armv7l images, the gnueabihf triple and its oldest version', async () => {
    const { text, json } = await adviceOf('hello-armhf', '2.31');
    const all = [...text, ...json].join('\n');
    expect(all).toContain('quay.io/pypa/manylinux_2_31_armv7l (glibc 2.31)');
    expect(all).toContain('`zig cc -target arm-linux-gnueabihf.2.31`');
    expect(all).not.toMatch(/x86_64|aarch64|2\.2\.5/);
    const older = await adviceOf('hello-armhf', '2.27');
    expect(older.json.join('\n')).toContain('pow@GLIBC_2.4'); // the libm pin names armhf's oldest node, not x86_64's 2.2.5
    expect(older.text.join('\n')).toContain('armhf: `zig cc -target arm-linux-gnueabihf.2.27`');
  });

  it('tells an x86_64 binary about x86_64 images and its floor', async () => {
    const { text, json } = await adviceOf('hello-x86_64', '2.28');
    const all = [...text, ...json].join('\n');
    expect(all).toContain('quay.io/pypa/manylinux_2_28_x86_64 (glibc 2.28)');
    expect(all).toContain('`zig cc -target x86_64-linux-gnu.2.28`');
    expect(all).toContain('pow@GLIBC_2.2.5');
    expect(all).not.toContain('debian:11'); // glibc 2.31 is above this floor
    expect(all).not.toMatch(/aarch64|armv7l|arm-linux/);
    expect(all).not.toContain('{');
  });

  it('picks the newest image at or below the floor, and says when none exists', () => {
    expect(buildAdvice({ machine: 'x86_64', interpreter: null }, '2.27')).toBe(
      'x86_64: build in quay.io/pypa/manylinux2014_x86_64 (glibc 2.17), or `zig cc -target x86_64-linux-gnu.2.27`',
    );
    expect(buildAdvice({ machine: 'arm', interpreter: '/lib/ld-linux-armhf.so.3' }, '2.27')).toBe('armhf: `zig cc -target arm-linux-gnueabihf.2.27`');
    expect(buildAdvice({ machine: 'loongarch64', interpreter: null }, '2.31')).toMatch(/no glibc older than 2\.36/);
    expect(buildAdvice({ machine: 'riscv64', interpreter: null }, '2.35')).toBe(
      'riscv64: `zig cc -target riscv64-linux-gnu.2.35`',
    );
    expect(buildAdvice({ machine: 'mips', interpreter: null }, '2.31')).toMatch(/^mips: build with a cross compiler/);
  });

  it('tells armel from armhf by the loader, and i386 is i686', () => {
    expect(toolchainFor({ machine: 'arm', interpreter: '/lib/ld-linux.so.3' })?.name).toBe('armel');
    expect(toolchainFor({ machine: 'arm', interpreter: '/lib/ld-linux-armhf.so.3' })?.name).toBe('armhf');
    expect(toolchainFor({ machine: 'i386', interpreter: '/lib/ld-linux.so.2' })?.zig).toBe('x86-linux-gnu');
  });

  it('names only images of the machine itself', () => {
    const suffix: Record<string, string> = { armhf: 'armv7l' };
    for (const toolchain of TOOLCHAINS) {
      for (const image of toolchain.images.filter((i) => i.image.startsWith('quay.io/'))) {
        expect(image.image.endsWith(`_${suffix[toolchain.name] ?? toolchain.name}`), image.image).toBe(true);
      }
    }
  });
});

describe('docs/build-advice.md', () => {
  it('shows the toolchain table as src/hints/toolchains.ts has it', async () => {
    const { readFileSync } = await import('node:fs');
    const { repoRoot } = await import('../helpers/fixtures.js');
    const page = readFileSync(`${repoRoot}/docs/build-advice.md`, 'utf8');
    const rows = page.split('\n').filter((line) => /^\| [a-z0-9_]+ \| `/.test(line));
    const expected = TOOLCHAINS.map((t) => {
      const images = t.images.length > 0 ? t.images.map((i) => `\`${i.image}\` (${i.glibc})`).join(', ') : 'none known';
      return `| ${t.name} | \`${t.triple}\` | ${t.zig === undefined ? '-' : `\`${t.zig}.<glibc>\``} | ${t.oldestGlibc} | ${images} |`;
    });
    expect(rows).toEqual(expected);
  });
});
