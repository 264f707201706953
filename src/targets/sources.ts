/**
 * The sources the catalogue's values come from. Each catalogue value names one of these keys; the
 * text says where the fact was read and how it was verified: [V-pkg] read from real Debian
 * packages, [V-data] the pep600_compliance dataset built from real container images, [V-src]
 * upstream source, [2nd] one secondary source.
 */
export const SOURCES = {
  'debian-pkg': '[V-pkg] readelf of the Debian packages downloaded with apt (libc6, libstdc++6, libgcc-s1)',
  'exact-sets': 'scripts/gen-exact-sets.mjs [V-pkg]: .gnu.version_d of the Debian packages read with glibc-floor\'s reader (src/targets/exact-sets.generated.ts)',
  pep600: '[V-data] mayeut/pep600_compliance cache/ JSON @2d70275 (2026-08-08), built from real container images, x86_64',
  'pep600-arm64': '[V-data] mayeut/pep600_compliance cache/ JSON @2d70275, aarch64 image',
  'pep600-leap': '[V-data] pep600_compliance cache of the matching openSUSE Leap release; SLES = Leap is an inference',
  'sles12-2nd': '[2nd] microsoft/SysmonForLinux#28 ("SLES 12 SP5 ships with 2.22")',
  'azurelinux-spec': '[V-src] microsoft/azurelinux release branch SPECS/glibc/glibc.spec and its gcc version',
  'gcc-table': 'the GCC release -> newest GLIBCXX/CXXABI label table of the libstdc++ manual (ABI policy, libstdc++-v3/doc/xml/manual/abi.xml; GCC 13-14 from gcc.gnu.org/pipermail/libstdc++/2024-April/058587.html) and the GCC_ labels of Debian\'s libgcc-s1, applied to the distribution\'s GCC version (derived, not read from the image)',
  'cos-109-2nd': '[2nd] kubernetes/test-infra#31447 (cos-package-info.json of build 17800.66.33: sys-libs/glibc 2.35-r21)',
  'cos-117-2nd': '[2nd] kubernetes/cloud-provider-gcp PR #1036 (libc.so.6 of a COS 117 node: Gentoo 2.37-r15)',
  'bottlerocket-src': '[V-src] bottlerocket-os/bottlerocket-core-kit packages/glibc/glibc.spec, Version 2.38 at tags v2.0.0-v3.1.1',
  'manylinux-policy': '[V-src] pypa/auditwheel src/auditwheel/policy/manylinux-policy.json @86154d1 (x86_64 maxima) and pypa/manylinux README',
  'rhel9-isa': 'Red Hat Enterprise Linux 9 release notes, chapter "Architectures" (docs.redhat.com/en/documentation/red_hat_enterprise_linux/9/html/9.5_release_notes/architectures): "AMD and Intel 64-bit architectures (x86-64-v2)"',
  'rhel10-isa': 'CentOS Stream 9 kernel merge request 3972 by Red Hat (gitlab.com/redhat/centos-stream/src/kernel/centos-stream-9/-/merge_requests/3972, RHEL-22439): "RHEL9 has a minimum of the x86_64-v2 microarchitecture and RHEL10 has a minimum of the x86_64-v3 microarchitecture"',
  unknown: 'no source found: the value is unknown',
} as const;

export type SourceKey = keyof typeof SOURCES;
