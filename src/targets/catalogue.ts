/**
 * The target catalogue: one record per platform release, with the glibc release and the highest
 * GLIBCXX, CXXABI and GCC_ versions of its default libstdc++ / libgcc_s, and the source of every
 * value (keys of SOURCES). A value nobody could source is null ("unknown"), never guessed; a value
 * that rests on an inference is marked `verified: false`. Records within a line are listed oldest
 * first: `show` relies on that order to name the newest release that cannot run a file.
 */
import type { SourceKey } from './sources.js';

/** The version fields a record carries, each the highest version of one family. */
export type CatalogueField = 'glibc' | 'glibcxx' | 'cxxabi' | 'gcc';

/** The version family each field floors. */
export const FIELD_FAMILY = { glibc: 'GLIBC', glibcxx: 'GLIBCXX', cxxabi: 'CXXABI', gcc: 'GCC' } as const satisfies Record<CatalogueField, string>;

export const CATALOGUE_FIELDS = Object.keys(FIELD_FAMILY) as CatalogueField[];

/** CatalogueValue is one sourced fact: a version, or null when it is unknown. */
export interface CatalogueValue {
  readonly value: string | null;
  readonly source: SourceKey;
  /** False when the value is an inference (a derived mapping, a sibling distribution) rather than read. */
  readonly verified: boolean;
}

export interface TargetRecord {
  /** The canonical name, as `--target` takes it: `ubuntu-22.04`, `rhel-8`, `manylinux_2_28`. */
  readonly name: string;
  /** The release line (`ubuntu`, `debian`, `rhel`, ...); records of one line are listed oldest first. */
  readonly line: string;
  readonly title: string;
  /** Other names: codenames and rebuilds (`jammy`; `alma-8`, `rocky-8`, `ol-8`). */
  readonly aliases: readonly string[];
  readonly glibc: CatalogueValue;
  readonly glibcxx: CatalogueValue;
  readonly cxxabi: CatalogueValue;
  readonly gcc: CatalogueValue;
  /** Per machine, values that differ from the x86_64 ones above. */
  readonly byMachine?: Readonly<Record<string, Partial<Record<CatalogueField, CatalogueValue>>>>;
  /**
   * The x86-64 microarchitecture level every supported CPU of the platform has (`x86-64-v2`),
   * when the vendor states one: files needing a higher level (GNU property note) fail there.
   */
  readonly x86Level?: CatalogueValue;
  readonly note?: string;
}

const known = (value: string, source: SourceKey): CatalogueValue => ({ value, source, verified: true });
const inferred = (value: string, source: SourceKey): CatalogueValue => ({ value, source, verified: false });
const unknown: CatalogueValue = { value: null, source: 'unknown', verified: false };

/** all4 fills the four fields from one source. */
function all4(source: SourceKey, glibc: string, glibcxx: string, cxxabi: string, gcc: string, verified = true) {
  const make = verified ? known : inferred;
  return { glibc: make(glibc, source), glibcxx: make(glibcxx, source), cxxabi: make(cxxabi, source), gcc: make(gcc, source) };
}

/** glibcOnly: a record whose C++ runtime is not sourced. */
function glibcOnly(glibc: CatalogueValue) {
  return { glibc, glibcxx: unknown, cxxabi: unknown, gcc: unknown };
}

const AARCH64_GCC_11 = { aarch64: { gcc: known('11.0', 'pep600-arm64') } };
const AARCH64_GCC_16 = { aarch64: { gcc: known('16.0', 'pep600-arm64') } };

export const CATALOGUE = [
  // Debian: values read from the packages (readelf of libc6, libstdc++6, libgcc-s1); exact sets for 11-13 by the generator.
  { name: 'debian-10', line: 'debian', title: 'Debian 10 (buster)', aliases: ['buster'], ...all4('pep600', '2.28', '3.4.25', '1.3.11', '7.0.0'),
    note: 'buster has left deb.debian.org: no exact sets' },
  { name: 'debian-11', line: 'debian', title: 'Debian 11 (bullseye)', aliases: ['bullseye'], ...all4('debian-pkg', '2.31', '3.4.28', '1.3.12', '7.0.0'),
    note: 'libc.so.6 defines no GLIBC_2.31 node (2.31 nodes are in libm and libpthread only)' },
  { name: 'debian-12', line: 'debian', title: 'Debian 12 (bookworm)', aliases: ['bookworm'], ...all4('debian-pkg', '2.36', '3.4.30', '1.3.13', '12.0.0') },
  { name: 'debian-13', line: 'debian', title: 'Debian 13 (trixie)', aliases: ['trixie'], ...all4('debian-pkg', '2.41', '3.4.33', '1.3.15', '14.0.0'),
    note: 'point updates (deb13u5) added GLIBC_ABI_DT_X86_64_PLT and GLIBC_ABI_GNU2_TLS' },

  // Ubuntu (pep600 dataset; Ubuntu's archive is not reachable from here, so no exact sets).
  { name: 'ubuntu-18.04', line: 'ubuntu', title: 'Ubuntu 18.04 LTS (bionic)', aliases: ['bionic'], ...all4('pep600', '2.27', '3.4.25', '1.3.11', '7.0.0') },
  { name: 'ubuntu-20.04', line: 'ubuntu', title: 'Ubuntu 20.04 LTS (focal)', aliases: ['focal'], ...all4('pep600', '2.31', '3.4.28', '1.3.12', '7.0.0') },
  { name: 'ubuntu-22.04', line: 'ubuntu', title: 'Ubuntu 22.04 LTS (jammy)', aliases: ['jammy'], ...all4('pep600', '2.35', '3.4.30', '1.3.13', '12.0.0'),
    byMachine: AARCH64_GCC_11 },
  { name: 'ubuntu-24.04', line: 'ubuntu', title: 'Ubuntu 24.04 LTS (noble)', aliases: ['noble'], ...all4('pep600', '2.39', '3.4.33', '1.3.15', '14.0.0') },
  { name: 'ubuntu-24.10', line: 'ubuntu', title: 'Ubuntu 24.10 (oracular)', aliases: ['oracular'], ...all4('pep600', '2.40', '3.4.33', '1.3.15', '14.0.0') },
  { name: 'ubuntu-25.04', line: 'ubuntu', title: 'Ubuntu 25.04 (plucky)', aliases: ['plucky'], ...all4('pep600', '2.41', '3.4.34', '1.3.15', '14.0.0') },
  { name: 'ubuntu-25.10', line: 'ubuntu', title: 'Ubuntu 25.10 (questing)', aliases: ['questing'], ...all4('pep600', '2.42', '3.4.34', '1.3.15', '14.0.0') },
  { name: 'ubuntu-26.04', line: 'ubuntu', title: 'Ubuntu 26.04 LTS', aliases: [], ...all4('pep600', '2.43', '3.4.35', '1.3.17', '14.0.0'),
    byMachine: AARCH64_GCC_16 },

  // RHEL and its rebuilds (pep600: rhubi, oraclelinux, almalinux, rockylinux, centos images).
  { name: 'rhel-7', line: 'rhel', title: 'RHEL 7 / CentOS 7 / Oracle Linux 7', aliases: ['el7', 'centos-7', 'ol-7', 'oraclelinux-7'],
    ...all4('pep600', '2.17', '3.4.19', '1.3.7', '4.8.0') },
  { name: 'rhel-8', line: 'rhel', title: 'RHEL 8 / AlmaLinux 8 / Rocky Linux 8 / Oracle Linux 8', aliases: ['el8', 'alma-8', 'almalinux-8', 'rocky-8', 'rockylinux-8', 'centos-8', 'ol-8', 'oraclelinux-8'],
    ...all4('pep600', '2.28', '3.4.25', '1.3.11', '7.0.0') },
  { name: 'rhel-9', line: 'rhel', title: 'RHEL 9 / AlmaLinux 9 / Rocky Linux 9 / Oracle Linux 9', aliases: ['el9', 'alma-9', 'almalinux-9', 'rocky-9', 'rockylinux-9', 'centos-stream-9', 'ol-9', 'oraclelinux-9'],
    ...all4('pep600', '2.34', '3.4.29', '1.3.13', '7.0.0'), byMachine: AARCH64_GCC_11, x86Level: known('x86-64-v2', 'rhel9-isa') },
  { name: 'rhel-10', line: 'rhel', title: 'RHEL 10 / AlmaLinux 10 / Rocky Linux 10 / Oracle Linux 10', aliases: ['el10', 'alma-10', 'almalinux-10', 'rocky-10', 'rockylinux-10', 'centos-stream-10', 'ol-10', 'oraclelinux-10'],
    ...all4('pep600', '2.39', '3.4.33', '1.3.15', '14.0.0'), x86Level: known('x86-64-v3', 'rhel10-isa'),
    note: 'Oracle Linux 10 (2025-11) also defines GLIBC_ABI_GNU2_TLS / GLIBC_ABI_DT_X86_64_PLT; AlmaLinux 10 and UBI 10 (2025-05) do not; AlmaLinux 10 also ships an x86-64-v2 build, not covered by the x86-64-v3 baseline here' },

  // Amazon Linux.
  { name: 'al2', line: 'amazonlinux', title: 'Amazon Linux 2', aliases: ['amazonlinux-2', 'amzn2'], ...all4('pep600', '2.26', '3.4.24', '1.3.11', '7.0.0') },
  { name: 'al2023', line: 'amazonlinux', title: 'Amazon Linux 2023', aliases: ['amazonlinux-2023', 'amzn2023'], ...all4('pep600', '2.34', '3.4.33', '1.3.15', '14.0.0'),
    note: 'its libstdc++ is newer than its default GCC' },

  // SUSE: SLES 12 SP5 from one secondary source; SLES 15 through the matching openSUSE Leap images (an inference).
  { name: 'sles-12-sp5', line: 'sles', title: 'SUSE Linux Enterprise Server 12 SP5', aliases: ['sles-12.5'], ...glibcOnly(known('2.22', 'sles12-2nd')) },
  { name: 'sles-15-sp2', line: 'sles', title: 'SUSE Linux Enterprise Server 15 SP2', aliases: ['sles-15.2'], ...all4('pep600-leap', '2.26', '3.4.28', '1.3.12', '7.0.0', false) },
  { name: 'sles-15-sp3', line: 'sles', title: 'SUSE Linux Enterprise Server 15 SP3', aliases: ['sles-15.3'],
    glibc: inferred('2.31', 'pep600-leap'), glibcxx: inferred('3.4.29', 'pep600-leap'), cxxabi: inferred('1.3.13', 'gcc-table'), gcc: inferred('7.0.0', 'gcc-table') },
  { name: 'sles-15-sp4', line: 'sles', title: 'SUSE Linux Enterprise Server 15 SP4', aliases: ['sles-15.4'],
    glibc: inferred('2.31', 'pep600-leap'), glibcxx: inferred('3.4.32', 'pep600-leap'), cxxabi: inferred('1.3.14', 'gcc-table'), gcc: inferred('13.0.0', 'gcc-table') },
  { name: 'sles-15-sp5', line: 'sles', title: 'SUSE Linux Enterprise Server 15 SP5', aliases: ['sles-15.5'],
    glibc: inferred('2.31', 'pep600-leap'), glibcxx: inferred('3.4.32', 'pep600-leap'), cxxabi: inferred('1.3.14', 'gcc-table'), gcc: inferred('13.0.0', 'gcc-table') },
  { name: 'sles-15-sp6', line: 'sles', title: 'SUSE Linux Enterprise Server 15 SP6', aliases: ['sles-15.6'], ...all4('pep600-leap', '2.38', '3.4.33', '1.3.15', '14.0.0', false) },
  { name: 'sles-15-sp7', line: 'sles', title: 'SUSE Linux Enterprise Server 15 SP7', aliases: ['sles-15.7'], ...glibcOnly(unknown),
    note: 'unknown: probably 2.38 like SP6, not verified' },
  { name: 'sles-16.0', line: 'sles', title: 'SUSE Linux Enterprise Server 16.0', aliases: ['sles-16'], ...all4('pep600-leap', '2.40', '3.4.34', '1.3.15', '14.0.0', false) },

  // Fedora.
  { name: 'fedora-39', line: 'fedora', title: 'Fedora 39', aliases: ['f39'], ...all4('pep600', '2.38', '3.4.32', '1.3.14', '13.0.0') },
  { name: 'fedora-40', line: 'fedora', title: 'Fedora 40', aliases: ['f40'], ...all4('pep600', '2.39', '3.4.33', '1.3.15', '14.0.0') },
  { name: 'fedora-41', line: 'fedora', title: 'Fedora 41', aliases: ['f41'], ...all4('pep600', '2.40', '3.4.33', '1.3.15', '14.0.0') },
  { name: 'fedora-42', line: 'fedora', title: 'Fedora 42', aliases: ['f42'], ...all4('pep600', '2.41', '3.4.34', '1.3.15', '14.0.0') },
  { name: 'fedora-43', line: 'fedora', title: 'Fedora 43', aliases: ['f43'], ...all4('pep600', '2.42', '3.4.34', '1.3.15', '14.0.0') },
  { name: 'fedora-44', line: 'fedora', title: 'Fedora 44', aliases: ['f44'], ...all4('pep600', '2.43', '3.4.35', '1.3.17', '14.0.0'), byMachine: AARCH64_GCC_16 },

  // CBL-Mariner / Azure Linux: glibc from the spec files; the C++ runtime derived from the spec's GCC.
  { name: 'cbl-mariner-1.0', line: 'azurelinux', title: 'CBL-Mariner 1.0', aliases: ['mariner-1', 'cbl-mariner-1'],
    glibc: known('2.28', 'azurelinux-spec'), glibcxx: inferred('3.4.26', 'gcc-table'), cxxabi: inferred('1.3.12', 'gcc-table'), gcc: inferred('7.0.0', 'gcc-table'),
    note: 'GCC 9.1.0' },
  { name: 'cbl-mariner-2.0', line: 'azurelinux', title: 'CBL-Mariner 2.0', aliases: ['mariner-2', 'cbl-mariner-2'],
    glibc: known('2.35', 'azurelinux-spec'), glibcxx: inferred('3.4.29', 'gcc-table'), cxxabi: inferred('1.3.13', 'gcc-table'), gcc: inferred('7.0.0', 'gcc-table'),
    note: 'GCC 11.2.0' },
  { name: 'azurelinux-3.0', line: 'azurelinux', title: 'Azure Linux 3.0', aliases: ['azl3', 'azure-linux-3', 'azurelinux-3'],
    glibc: known('2.38', 'azurelinux-spec'), glibcxx: inferred('3.4.32', 'gcc-table'), cxxabi: inferred('1.3.14', 'gcc-table'), gcc: inferred('13.0.0', 'gcc-table'),
    note: 'GCC 13.2.0' },

  // Container-Optimized OS milestones: only glibc, from secondary sources; 113 and 121 are unknown.
  { name: 'cos-109', line: 'cos', title: 'Container-Optimized OS 109', aliases: ['cos109'], ...glibcOnly(known('2.35', 'cos-109-2nd')) },
  { name: 'cos-113', line: 'cos', title: 'Container-Optimized OS 113', aliases: ['cos113'], ...glibcOnly(unknown),
    note: 'unknown: read it with gsutil cat gs://cos-tools/<BUILD_ID>/cos-package-info.json' },
  { name: 'cos-117', line: 'cos', title: 'Container-Optimized OS 117', aliases: ['cos117'], ...glibcOnly(known('2.37', 'cos-117-2nd')) },
  { name: 'cos-121', line: 'cos', title: 'Container-Optimized OS 121', aliases: ['cos121'], ...glibcOnly(unknown),
    note: 'unknown: read it with gsutil cat gs://cos-tools/<BUILD_ID>/cos-package-info.json' },

  // Bottlerocket: the core kit's glibc; which OS releases ship which core kit is not verified.
  { name: 'bottlerocket-core-kit-3', line: 'bottlerocket', title: 'Bottlerocket core kit v2.0.0-v3.1.1', aliases: ['bottlerocket-core-kit-2'],
    ...glibcOnly(known('2.38', 'bottlerocket-src')),
    note: 'core-kit tags v2.0.0-v3.1.1 (2023-08 to 2024-10); the mapping to Bottlerocket OS releases is unverified' },

  // manylinux policies: what auditwheel allows (x86_64 maxima of the policy file).
  { name: 'manylinux2014', line: 'manylinux', title: 'manylinux2014 (manylinux_2_17)', aliases: ['manylinux_2_17'], ...all4('manylinux-policy', '2.17', '3.4.19', '1.3.7', '4.8.0') },
  { name: 'manylinux_2_28', line: 'manylinux', title: 'manylinux_2_28', aliases: [], ...all4('manylinux-policy', '2.28', '3.4.24', '1.3.11', '7.0.0'),
    note: 'the policy allows GLIBCXX 3.4.24 although the AlmaLinux 8 image has 3.4.25' },
  { name: 'manylinux_2_31', line: 'manylinux', title: 'manylinux_2_31', aliases: [], ...all4('manylinux-policy', '2.31', '3.4.28', '1.3.12', '7.0.0'),
    note: 'build image (Ubuntu 20.04) for armv7l only' },
  { name: 'manylinux_2_34', line: 'manylinux', title: 'manylinux_2_34', aliases: [], ...all4('manylinux-policy', '2.34', '3.4.29', '1.3.13', '7.0.0') },
  { name: 'manylinux_2_35', line: 'manylinux', title: 'manylinux_2_35', aliases: [], ...all4('manylinux-policy', '2.35', '3.4.30', '1.3.13', '12.0.0'),
    note: 'build image (Ubuntu 22.04) for armv7l only' },
  { name: 'manylinux_2_39', line: 'manylinux', title: 'manylinux_2_39', aliases: [], ...all4('manylinux-policy', '2.39', '3.4.33', '1.3.15', '14.0.0'),
    note: 'build images (AlmaLinux/Rocky 10) for aarch64 and riscv64 only' },
] as const satisfies readonly TargetRecord[];

/** valueFor returns a record's value for a field on a machine: the per-machine value when it differs. */
export function valueFor(record: TargetRecord, field: CatalogueField, machine?: string): CatalogueValue {
  return (machine === undefined ? undefined : record.byMachine?.[machine]?.[field]) ?? record[field];
}
