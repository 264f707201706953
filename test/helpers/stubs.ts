/**
 * Stub libraries and programs compiled with the host's gcc at test time, the technique of
 * fixtures/build.sh: a version script gives a fake `libc.so.6` (or libstdc++, libgcc_s) exactly the
 * version nodes a test wants, and a -nostdlib program linked against it needs them. Never executed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A library to build: soname, version script nodes (name -> symbols), in order. */
export interface StubLibrary {
  readonly soname: string;
  /** Version nodes in order, each with the symbols it defines; empty means no version script. */
  readonly nodes: readonly { readonly name: string; readonly symbols: readonly string[] }[];
}

/** buildLibrary compiles a stub shared library into `directory` and returns its path. */
export function buildLibrary(directory: string, library: StubLibrary): string {
  mkdirSync(directory, { recursive: true });
  const symbols = library.nodes.flatMap((node) => node.symbols);
  const base = join(directory, `${library.soname}.src`);
  const body = symbols.length > 0 ? symbols.map((name, i) => `int ${name}(void) { return ${i}; }`).join('\n') : 'int stub_placeholder(void) { return 0; }';
  writeFileSync(`${base}.c`, `${body}\n`);
  const args = ['-O2', '-shared', '-fPIC', '-nostdlib', `-Wl,-soname,${library.soname}`, '-o', join(directory, library.soname), `${base}.c`];
  if (library.nodes.length > 0) {
    const script = library.nodes
      .map((node, i) => {
        const global = node.symbols.length > 0 ? `global: ${node.symbols.join('; ')};` : '';
        const local = i === 0 ? ' local: *;' : '';
        const parent = i > 0 && !node.name.endsWith('PRIVATE') ? ` ${library.nodes[i - 1]!.name}` : '';
        return `${node.name} { ${global}${local} }${parent};`;
      })
      .join('\n');
    writeFileSync(`${base}.map`, `${script}\n`);
    args.push(`-Wl,--version-script=${base}.map`);
  }
  execFileSync('gcc', args, { stdio: 'pipe' });
  return join(directory, library.soname);
}

/** buildProgram links a -nostdlib program calling `calls` against the given libraries. */
export function buildProgram(directory: string, name: string, calls: readonly string[], libraries: readonly string[], extraFlags: readonly string[] = []): string {
  const source = join(directory, `${name}.c`);
  writeFileSync(source, [
    ...calls.map((call) => `extern int ${call}(void);`),
    'volatile int sink;',
    `void _start(void) { sink = 0${calls.map((call) => ` + ${call}()`).join('')}; for (;;) ; }`,
    '',
  ].join('\n'));
  const output = join(directory, name);
  execFileSync('gcc', ['-O2', '-nostdlib', '-nostartfiles', ...extraFlags, '-o', output, source, ...libraries], { stdio: 'pipe' });
  return output;
}

/** The stubs most target tests use. */
export interface StubSet {
  readonly root: string;
  /** Needs libc.so.6 GLIBC_2.2.5 and GLIBC_2.31 (pthread_clockjoin_np), as a program linked on glibc >= 2.34 does. */
  readonly clockjoin: string;
  /** Needs GLIBCXX_3.4.32, CXXABI_1.3, GCC_12.0.0 and GLIBC_2.2.5, and libfoo.so.1 (no versions). */
  readonly cxx: string;
  /** Interpreter /lib/ld-musl-x86_64.so.1. */
  readonly musl: string;
}

/** buildStubSet builds the standard stubs into a new temporary directory. */
export function buildStubSet(): StubSet {
  const root = mkdtempSync(join(tmpdir(), 'glibc-floor-stubs-'));
  const libs = join(root, 'libs');
  const libc = buildLibrary(libs, {
    soname: 'libc.so.6',
    nodes: [{ name: 'GLIBC_2.2.5', symbols: ['getpid'] }, { name: 'GLIBC_2.31', symbols: ['pthread_clockjoin_np'] }],
  });
  const libstdcxx = buildLibrary(libs, {
    soname: 'libstdc++.so.6',
    nodes: [{ name: 'CXXABI_1.3', symbols: ['abiold'] }, { name: 'GLIBCXX_3.4', symbols: ['cxxold'] }, { name: 'GLIBCXX_3.4.32', symbols: ['ios_base_library_init'] }],
  });
  const libgcc = buildLibrary(libs, { soname: 'libgcc_s.so.1', nodes: [{ name: 'GCC_3.0', symbols: ['gccold'] }, { name: 'GCC_12.0.0', symbols: ['extendhfdf2'] }] });
  const libfoo = buildLibrary(libs, { soname: 'libfoo.so.1', nodes: [] });
  const programs = join(root, 'bin');
  mkdirSync(programs);
  return {
    root,
    clockjoin: buildProgram(programs, 'clockjoin', ['getpid', 'pthread_clockjoin_np'], [libc]),
    cxx: buildProgram(programs, 'cxx', ['getpid', 'abiold', 'cxxold', 'ios_base_library_init', 'gccold', 'extendhfdf2', 'stub_placeholder'], [libc, libstdcxx, libgcc, libfoo]),
    musl: buildProgram(programs, 'musl', ['stub_placeholder'], [libfoo], ['-Wl,--dynamic-linker=/lib/ld-musl-x86_64.so.1']),
  };
}
