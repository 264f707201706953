/**
 * GLIBC marker nodes: version names without a number that glibc defines so the loader can refuse
 * a binary that relies on a newer loader feature. Each stands for the glibc release that
 * introduced it. Sources: glibc commits 57292f5741, 9df8fa397d,
 * ed1b7a5a48, 399384e0c8; `elf/Versions`, `sysdeps/x86/Versions`, `sysdeps/i386/Versions`.
 */
export interface GlibcMarker {
  /** The glibc release that introduced the node, as checked against a GLIBC floor. */
  readonly release: string;
  readonly why: string;
  /** Release branches that received the node in a point update, when any did. */
  readonly backportedTo?: string;
}

export const GLIBC_MARKERS: Readonly<Record<string, GlibcMarker>> = {
  GLIBC_ABI_DT_RELR: {
    release: '2.36',
    why: 'the binary uses DT_RELR relative relocations (linked with -z pack-relative-relocs)',
  },
  GLIBC_ABI_GNU2_TLS: {
    release: '2.43',
    why: 'the binary uses TLS descriptors (-mtls-dialect=gnu2) and needs the fix for glibc bug 31372',
    backportedTo: '2.38-2.42 release branches (distribution point updates may have it)',
  },
  GLIBC_ABI_GNU_TLS: {
    release: '2.43',
    why: 'i386 __thread code that needs the fix for glibc bug 32996',
    backportedTo: '2.38-2.42 release branches (distribution point updates may have it)',
  },
  GLIBC_ABI_DT_X86_64_PLT: {
    release: '2.43',
    why: 'the binary was linked with ld -z mark-plt (DT_X86_64_PLT)',
    backportedTo: '2.33-2.42 release branches (distribution point updates may have it)',
  },
};

/** GLIBC_PRIVATE ties a binary to one exact glibc build: it always fails a GLIBC floor. */
export const GLIBC_PRIVATE = 'GLIBC_PRIVATE';
