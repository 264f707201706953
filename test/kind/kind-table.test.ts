import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckedFileReport, FileReport } from '../../src/report/model.js';
import { reportInputs } from '../../src/pipeline/check-files.js';
import { expandInputs } from '../../src/scan/walk.js';
import { runCli, validateReport } from '../helpers/cli.js';
import { fixtures } from '../helpers/fixtures.js';

/**
 * The kind of every well-formed fixture binary, by path under fixtures/. The test fails when a
 * fixture is added without an entry here, so every fixture's kind is asserted.
 */
const EXPECTED: Record<string, string> = {
  // ar archives (fixtures/ar/make.sh, fixtures/objects/build.sh) and relocatable objects are `other`.
  'ar/bsd.a': 'other',
  'ar/gnu.a': 'other',
  'ar/gnu64.a': 'other',
  'objects/arc4random-aarch64.o': 'other',
  'objects/arc4random-x86_64.o': 'other',
  'objects/isa-v3-needed-x86_64.o': 'other',
  'objects/isa-v3-used-x86_64.o': 'other',
  'objects/libvendored-x86_64.a': 'other',
  'objects/libvendored-x86_64.rlib': 'other',
  'objects/nostack-x86_64.o': 'other',
  'objects/execstack-x86_64': 'glibc-dynamic',
  'objects/standin/prog-x86_64': 'glibc-dynamic',
  // Libraries built with --as-needed that call nothing in libc: no DT_NEEDED at all.
  'objects/libexecstack-x86_64.so': 'dynamic',
  'objects/libisa-v3-x86_64.so': 'dynamic',
  'objects/libplugin-x86_64.so': 'dynamic',
  'objects/standin/full/libstandin.so.1': 'dynamic',
  'objects/standin/partial/libstandin.so.1': 'dynamic',
  'copyreloc-x86_64': 'glibc-dynamic',
  'cxx-x86_64': 'glibc-dynamic',
  'diff/new/prog-x86_64': 'glibc-dynamic',
  'diff/old/prog-x86_64': 'glibc-dynamic',
  'gnuhash-empty-aarch64': 'glibc-dynamic',
  'gnuhash-empty-aarch64-noshdr': 'glibc-dynamic',
  'go/hello-cgo-x86_64': 'glibc-dynamic',
  'go/hello-pure-x86_64': 'static',
  'hash-both-x86_64': 'glibc-dynamic',
  'hash-sysv-s390x': 'glibc-dynamic',
  'hash-sysv-s390x-noshdr': 'glibc-dynamic',
  'hash-sysv-x86_64': 'glibc-dynamic',
  'hash-sysv-x86_64-noshdr': 'glibc-dynamic',
  'hello-aarch64': 'glibc-dynamic',
  'hello-aarch64-noshdr': 'glibc-dynamic',
  'hello-armhf': 'glibc-dynamic',
  'hello-i386': 'glibc-dynamic',
  'hello-i386-noshdr': 'glibc-dynamic',
  'hello-mips': 'glibc-dynamic',
  'hello-mips-noshdr': 'glibc-dynamic',
  'hello-ppc': 'glibc-dynamic',
  'hello-ppc-noshdr': 'glibc-dynamic',
  'hello-ppc64le': 'glibc-dynamic',
  'hello-riscv64': 'glibc-dynamic',
  'hello-s390x': 'glibc-dynamic',
  'hello-s390x-noshdr': 'glibc-dynamic',
  'hello-x86_64': 'glibc-dynamic',
  'hello-x86_64-noshdr': 'glibc-dynamic',
  // A shared library needing libc.so.6 (no interpreter).
  'libhidden-x86_64.so': 'glibc-dynamic',
  'musl/musl-dynamic-x86_64': 'musl-dynamic',
  'musl/musl-static-x86_64': 'musl-static',
  // No version needs and only a stub library, but glibc's loader is its PT_INTERP.
  'nover-x86_64': 'glibc-dynamic',
  'relr-x86_64': 'glibc-dynamic',
  'static-glibc-armhf': 'glibc-static',
  // -nostdlib programs with their own _start: no libc at all.
  'static-pie-x86_64': 'static',
  'static-x86_64': 'static',
  'tree/bin/hello-link': 'glibc-dynamic',
  'tree/bin/hello-mips': 'glibc-dynamic',
  'tree/nested/deeper/nover-x86_64': 'glibc-dynamic',
  'tree/nested/outside': 'glibc-dynamic',
  'versioned-ppc': 'glibc-dynamic',
  'versioned-s390x': 'glibc-dynamic',
  'versioned-x86_64': 'glibc-dynamic',
  'versioned-x86_64-noshdr': 'glibc-dynamic',
  'weak-need-nosym-x86_64': 'glibc-dynamic',
  'weak-need-unused-ppc': 'glibc-dynamic',
  'weak-need-unused-x86_64': 'glibc-dynamic',
  'weak-need-used-ppc': 'glibc-dynamic',
  'weak-need-used-x86_64': 'glibc-dynamic',
  'xhash-mips': 'glibc-dynamic',
  'xhash-mips-noshdr': 'glibc-dynamic',
};

let byPath: Map<string, FileReport>;

beforeAll(async () => {
  // Every path, links included: a table of fixtures, not a check (which would skip duplicates).
  const files = await reportInputs(expandInputs([fixtures], undefined, { dedupe: false }), { mode: { kind: 'show', platforms: false } });
  byPath = new Map(files.map((file) => [file.path.slice(fixtures.length + 1), file]));
});

describe('binary kind of every fixture', () => {
  it('covers every well-formed fixture binary outside malformed/', () => {
    const checked = [...byPath].filter(([path, file]) => !path.startsWith('malformed/') && file.status !== 'skipped' && file.status !== 'error');
    expect(checked.map(([path]) => path).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s is %s', (path, kind) => {
    const file = byPath.get(path) as CheckedFileReport | undefined;
    expect(file?.kind?.name).toBe(kind);
    expect(file?.kind?.evidence.length).toBeGreaterThan(0);
  });

  it('says how it told each kind', () => {
    const kind = (path: string) => (byPath.get(path) as CheckedFileReport).kind!;
    expect(kind('hello-x86_64').evidence).toBe('DT_NEEDED libc.so.6');
    expect(kind('musl/musl-dynamic-x86_64').evidence).toBe('PT_INTERP /lib/ld-musl-x86_64.so.1');
    expect(kind('musl/musl-static-x86_64').evidence).toBe('.symtab defines __init_libc');
    expect(kind('static-glibc-armhf').evidence).toContain('NT_GNU_ABI_TAG note (Linux 3.2.0)');
    expect(kind('go/hello-pure-x86_64').evidence).toBe('Go build info says CGO_ENABLED=0');
    expect(kind('static-x86_64').evidence).toContain('no glibc or musl marker');
  });

  it('warns about NSS for static glibc only', () => {
    for (const [path, file] of byPath) {
      if (file.status !== 'pass') continue;
      expect(file.kind?.warning !== undefined, path).toBe(file.kind?.name === 'glibc-static');
    }
    expect((byPath.get('static-glibc-armhf') as CheckedFileReport).kind!.warning).toContain('no NSS code was found in this file');
  });

  it('reads the Go build info of both Go fixtures without running them', () => {
    const cgo = (byPath.get('go/hello-cgo-x86_64') as CheckedFileReport).go;
    const pure = (byPath.get('go/hello-pure-x86_64') as CheckedFileReport).go;
    expect(cgo).toMatchObject({ goVersion: 'go1.19.8', path: 'example.com/glibc-floor/fixtures/hello-cgo', cgo: true, goarch: 'amd64', goos: 'linux' });
    expect(cgo?.main).toEqual({ path: 'example.com/glibc-floor/fixtures/hello-cgo', version: '(devel)' });
    expect(cgo?.settings['-trimpath']).toBe('true');
    expect(pure).toMatchObject({ goVersion: 'go1.19.8', cgo: false, goarch: 'amd64', dependencies: 0 });
    expect(pure?.settings['CGO_ENABLED']).toBe('0');
    expect((byPath.get('hello-x86_64') as CheckedFileReport).go).toBeUndefined();
  });

  it('puts kind and go into the JSON report, which still validates against the contract schema', async () => {
    const run = await runCli(['show', '--format', 'json', `${fixtures}/go`, `${fixtures}/musl`, `${fixtures}/static-glibc-armhf`], { inProcess: true });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    const elfFiles = report.files.filter((f: FileReport) => f.status !== 'skipped');
    expect(elfFiles.map((f: CheckedFileReport) => f.kind?.name)).toEqual(['glibc-dynamic', 'static', 'musl-dynamic', 'musl-static', 'glibc-static']);
    expect(elfFiles[0].go.cgo).toBe(true);
  });
});
