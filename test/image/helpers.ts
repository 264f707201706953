/**
 * Builds real container images for the image tests with real tools: gcc for the binaries,
 * Debian's umoci for the OCI layout (unpack/repack, and raw add-layer for a hand-made layer),
 * skopeo for the docker-archive form, tar for the OCI archive form. Everything lives under
 * the test's own temporary directory.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, linkSync, mkdirSync, symlinkSync, writeFileSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { pack, type Headers } from 'tar-stream';
import { repoRoot } from '../helpers/fixtures.js';

/** run runs a tool and throws with its stderr when it fails. */
export function run(command: string, args: readonly string[], cwd?: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** compile builds a small C program (or a shared library with `-shared`) with gcc. */
export function compile(output: string, source: string, extra: readonly string[] = []): void {
  const file = `${output}.c`;
  writeFileSync(file, source);
  run('gcc', ['-O1', '-o', output, file, ...extra]);
  unlinkSync(file);
}

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** cli runs bin/glibc-floor as a user would. */
export function cli(args: readonly string[], env: Record<string, string> = {}): CliResult {
  const result = spawnSync(process.execPath, [join(repoRoot, 'bin/glibc-floor'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** tarBytes writes a tar archive of the given entries with tar-stream's packer (for hand-made layers). */
export async function tarBytes(entries: readonly { header: Headers; body?: Uint8Array }[]): Promise<Buffer> {
  const packer = pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of packer) chunks.push(chunk);
  })();
  for (const { header, body } of entries) {
    await new Promise<void>((resolveEntry, reject) => {
      packer.entry(header, Buffer.from(body ?? new Uint8Array(0)), (error) => (error ? reject(error) : resolveEntry()));
    });
  }
  packer.finalize();
  await done;
  return Buffer.concat(chunks);
}

const HELLO = '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n';
/** arc4random appeared in glibc 2.36 (Debian 12): the binary needs GLIBC_2.36. */
const METIS = '#include <stdlib.h>\n#include <stdio.h>\nint main(void) { printf("%u\\n", arc4random()); return 0; }\n';
const LIBFOO = 'int foo(int x) { return x + 1; }\n';
/** A static library's object: arc4random binds it to GLIBC_2.36, as a link of it would be. */
const LIBRANDOM = '#include <stdlib.h>\nunsigned draw(void) { return arc4random(); }\n';

/** The binaries the fixture image holds, compiled once per test file. */
export interface Binaries {
  readonly hello: string;
  readonly metis: string;
  readonly libfoo: string;
  /** A static library (gcc -c, ar rcs) whose object needs GLIBC_2.36. */
  readonly librandom: string;
  /** An ar archive without members, as glibc's libdl.a stub is. */
  readonly libempty: string;
}

/** buildBinaries compiles the fixture programs into `dir`. */
export function buildBinaries(dir: string): Binaries {
  mkdirSync(dir, { recursive: true });
  const binaries = {
    hello: join(dir, 'hello'), metis: join(dir, 'metis'), libfoo: join(dir, 'libfoo.so'),
    librandom: join(dir, 'librandom.a'), libempty: join(dir, 'libempty.a'),
  };
  compile(binaries.hello, HELLO);
  compile(binaries.metis, METIS);
  compile(binaries.libfoo, LIBFOO, ['-shared', '-fPIC']);
  const object = join(dir, 'random');
  compile(object, LIBRANDOM, ['-c']);
  run('ar', ['rcs', binaries.librandom, object]);
  unlinkSync(object);
  run('ar', ['rc', binaries.libempty]);
  return binaries;
}

/** The same image in its three forms, and the filesystem umoci unpacks from it. */
export interface FixtureImage {
  readonly ociDir: string;
  readonly ociTar: string;
  readonly dockerTar: string;
  /** `umoci unpack`'s root filesystem of the final image: the "extracted files". */
  readonly extracted: string;
}

/**
 * buildFixtureImage makes a three-layer image:
 * 1. (umoci repack) binaries, static libraries, a hard link, file and directory symlinks, a dangling
 *    link, text files;
 * 2. (umoci repack) deletes /usr/bin/doomed (a `.wh.doomed` file whiteout) and adds a text file;
 * 3. (tar-stream, umoci raw add-layer) makes /opt/old opaque (`.wh..wh..opq`) and adds /opt/old/fresh.
 * All layers are gzip-compressed by umoci.
 */
export async function buildFixtureImage(work: string, binaries: Binaries): Promise<FixtureImage> {
  const ociDir = join(work, 'oci');
  run('umoci', ['init', '--layout', ociDir]);
  run('umoci', ['new', '--image', `${ociDir}:app`]);

  const first = join(work, 'bundle1');
  run('umoci', ['unpack', '--rootless', '--image', `${ociDir}:app`, first]);
  const root1 = join(first, 'rootfs');
  for (const dir of ['usr/local/bin', 'usr/bin', 'usr/lib', 'opt/old', 'etc']) mkdirSync(join(root1, dir), { recursive: true });
  copyFileSync(binaries.metis, join(root1, 'usr/local/bin/metis'));
  copyFileSync(binaries.hello, join(root1, 'usr/bin/hello'));
  linkSync(join(root1, 'usr/bin/hello'), join(root1, 'usr/bin/hello-hard'));
  symlinkSync('hello', join(root1, 'usr/bin/hello-link'));
  copyFileSync(binaries.hello, join(root1, 'usr/bin/doomed'));
  copyFileSync(binaries.libfoo, join(root1, 'usr/lib/libfoo.so'));
  // Static libraries are checked in an image as in a tree: one that fails, one with no members.
  copyFileSync(binaries.librandom, join(root1, 'usr/lib/librandom.a'));
  copyFileSync(binaries.libempty, join(root1, 'usr/lib/libempty.a'));
  symlinkSync('libfoo.so', join(root1, 'usr/lib/libfoo.so.1'));
  copyFileSync(binaries.hello, join(root1, 'opt/old/tool'));
  writeFileSync(join(root1, 'opt/old/keep.txt'), 'lower layer\n');
  writeFileSync(join(root1, 'etc/motd'), 'hello\n');
  symlinkSync('usr/bin', join(root1, 'bin'));
  symlinkSync('nowhere', join(root1, 'dangling'));
  run('umoci', ['repack', '--image', `${ociDir}:app`, first]);

  const second = join(work, 'bundle2');
  run('umoci', ['unpack', '--rootless', '--image', `${ociDir}:app`, second]);
  unlinkSync(join(second, 'rootfs/usr/bin/doomed'));
  writeFileSync(join(second, 'rootfs/usr/bin/added.txt'), 'layer 2\n');
  run('umoci', ['repack', '--image', `${ociDir}:app`, second]);

  const layer3 = join(work, 'layer3.tar');
  writeFileSync(
    layer3,
    await tarBytes([
      { header: { name: 'opt/old/.wh..wh..opq', size: 0, mode: 0o644 } },
      { header: { name: 'opt/old/fresh', mode: 0o755 }, body: readFileSync(binaries.hello) },
    ]),
  );
  run('umoci', ['raw', 'add-layer', '--image', `${ociDir}:app`, layer3]);

  const final = join(work, 'final');
  run('umoci', ['unpack', '--rootless', '--image', `${ociDir}:app`, final]);
  for (const bundle of [first, second]) rmSync(bundle, { recursive: true, force: true });

  const ociTar = join(work, 'app-oci.tar');
  run('tar', ['-cf', ociTar, '-C', ociDir, '.']);
  const dockerTar = join(work, 'app-docker.tar');
  run('skopeo', ['copy', '--quiet', `oci:${ociDir}:app`, `docker-archive:${dockerTar}:app:latest`]);
  return { ociDir, ociTar, dockerTar, extracted: join(final, 'rootfs') };
}
