/**
 * The hints catalogue: the usual reasons a binary needs a given version, and the usual fixes.
 * Data only; `match.ts` applies it. Every entry names its sources: glibc commits, NEWS (release
 * notes), the abilist files of the glibc source tree, the GCC and libstdc++ documentation, and the
 * builds on Debian 12 that reproduced the need (read back with readelf).
 *
 * An entry matches a finding when its `version` pattern matches the version name and, if it has a
 * `symbol` pattern, at least one of the finding's symbols matches it; then it explains exactly
 * those symbols. An entry without `symbol` explains the version itself (marker names that no
 * symbol uses). `library` narrows by the needed file (`libm.so.6`).
 */
export interface Hint {
  /** Stable identifier, e.g. `libc-start-main-2.34`: JSON readers may key on it. */
  readonly id: string;
  /** Matches the version name (anchored), e.g. /^GLIBC_2\.34$/. */
  readonly version: RegExp;
  /** Matches symbol names (anchored); absent for hints about the version name itself. */
  readonly symbol?: RegExp;
  /** Matches the library that must define the version, e.g. /^libm\.so\./. */
  readonly library?: RegExp;
  /** Why a build ends up needing this version, in one or two sentences. */
  readonly why: string;
  /** The usual fixes, best first. */
  readonly fixes: readonly string[];
  /** Where the facts come from: commits, release notes, documentation, or the run that showed it. */
  readonly sources: readonly string[];
}

/**
 * BUILD_OLD stands, inside a fix, for "build against the oldest glibc you support" with the images
 * and toolchains of the binary's own machine (toolchains.ts); match.ts fills it in per file, so an
 * aarch64 binary is never told to use an x86_64 target.
 */
export const BUILD_OLD = '{build-on-old-glibc}';

/** OLDEST_GLIBC stands for the oldest GLIBC_ version node of the binary's machine (2.2.5 on x86_64, 2.17 on aarch64). */
export const OLDEST_GLIBC = '{oldest-glibc}';

/** The exported symbol versions, per architecture, in the glibc source tree. */
const ABILIST = 'glibc sysdeps/unix/sysv/linux/x86_64/64/libc.abilist';
const LIBM_ABILIST = 'glibc sysdeps/unix/sysv/linux/x86_64/libm.abilist';
/** A small program built on Debian 12 (gcc 12.2, glibc 2.36, binutils 2.40), read back with readelf. */
const BUILT = 'reproduced by a build on Debian 12 (gcc 12.2, glibc 2.36), readelf --version-info';

export const HINTS: readonly Hint[] = [
  {
    id: 'libc-start-main-2.34',
    version: /^GLIBC_2\.34$/,
    symbol: /^__libc_start_main$/,
    why: 'every dynamically linked program gets __libc_start_main@GLIBC_2.34 from the start files (crt1.o/Scrt1.o) of glibc >= 2.34: the build machine or image has glibc 2.34 or newer',
    fixes: [BUILD_OLD, '`.symver` pinning cannot fix it: the start files come from the build glibc'],
    sources: ['glibc commit 035c012e32 ("a new symbol version __libc_start_main@@GLIBC_2.34")', BUILT],
  },
  {
    id: 'libc-merge-2.34',
    version: /^GLIBC_2\.34$/,
    symbol: /^(pthread_\w+|dl(open|sym|vsym|close|error|addr|addr1|info|mopen|iterate_phdr)|sem_\w+|timer_\w+|mq_\w+|aio_\w+|lio_listio\w*|shm_(open|unlink)|__?res_\w+|(fork|open)pty|login(_tty)?|logout|logwtmp|getaddrinfo_a|gai_\w+|thrd_\w+|mtx_\w+|cnd_\w+|tss_\w+|call_once)$/,
    why: 'glibc 2.34 merged libpthread, libdl, libutil, libanl and parts of librt into libc; programs linked on 2.34+ bind these functions to their new GLIBC_2.34 versions in libc.so.6',
    fixes: [BUILD_OLD, 'adding -lpthread or -ldl on a 2.34+ build machine does not help: the old libraries are empty stubs there'],
    sources: ['glibc 2.34 NEWS ("all functionality formerly implemented in the libraries libpthread, libdl, libutil, libanl has been integrated into libc")', ABILIST],
  },
  {
    id: 'time64-2.34',
    version: /^GLIBC_2\.34$/,
    symbol: /^__\w+_?time64$/,
    why: '32-bit code built with -D_TIME_BITS=64 (64-bit time_t) calls the __*_time64 functions added in glibc 2.34',
    fixes: [BUILD_OLD, 'drop -D_TIME_BITS=64 only if the program may keep a 32-bit time_t (it breaks after 2038)'],
    sources: ['glibc 2.34 NEWS (64-bit time_t on 32-bit targets); i386 libc.abilist'],
  },
  {
    id: 'pthread-sigmask-2.32',
    version: /^GLIBC_2\.32$/,
    symbol: /^(pthread_sigmask|pthread_getattr_np|__libc_single_threaded)$/,
    why: 'these moved into libc (pthread_sigmask, pthread_getattr_np) or were added (__libc_single_threaded) in glibc 2.32; Go\'s cgo runtime calls pthread_sigmask, and libstdc++ headers read __libc_single_threaded',
    fixes: [BUILD_OLD, 'for Go: build with CGO_ENABLED=0 when the program does not need cgo (then it needs no libc at all)'],
    sources: ['glibc 2.32 NEWS', ABILIST, 'fixtures/go/hello-cgo-x86_64 (Go 1.19, Debian 12): pthread_sigmask@GLIBC_2.32'],
  },
  {
    id: 'stat-2.33',
    version: /^GLIBC_2\.33$/,
    symbol: /^(stat|fstat|lstat|fstatat|stat64|fstat64|lstat64|fstatat64|mknod|mknodat)$/,
    why: 'before glibc 2.33 the stat family were static wrappers (in libc_nonshared.a) around __xstat and friends; since 2.33 they are real exported functions, so any program built on 2.33+ that calls stat() needs GLIBC_2.33',
    fixes: [BUILD_OLD, '`.symver` cannot help: older glibc has no versioned stat symbol to pin to'],
    sources: ['glibc commit 8ed005daf0 ("Remove stat wrapper functions, move them to exported symbols")', BUILT],
  },
  {
    id: 'fcntl64-2.28',
    version: /^GLIBC_2\.28$/,
    symbol: /^fcntl64$/,
    why: 'with -D_FILE_OFFSET_BITS=64 (autoconf AC_SYS_LARGEFILE, most large-file builds) glibc >= 2.28 headers redirect fcntl to fcntl64, which is new in 2.28, on 64-bit targets too',
    fixes: ['on 64-bit targets drop -D_FILE_OFFSET_BITS=64 (off_t is 64-bit already), e.g. configure --disable-largefile', BUILD_OLD],
    sources: ['glibc 2.28 NEWS ("The fcntl function now have a Long File Support variant named fcntl64")', `${BUILT} (with -D_FILE_OFFSET_BITS=64)`],
  },
  {
    id: 'memcpy-2.14',
    version: /^GLIBC_2\.14$/,
    symbol: /^memcpy$/,
    why: 'on x86_64 memcpy got a new version in glibc 2.14 when it stopped being safe for overlapping copies; every program built since then uses memcpy@GLIBC_2.14',
    fixes: ['pin the old version if the code never copies overlapping ranges: __asm__(".symver memcpy, memcpy@GLIBC_2.2.5");', BUILD_OLD],
    sources: ['glibc sysdeps/x86_64/Versions', BUILT],
  },
  {
    id: 'libm-2.29',
    version: /^GLIBC_2\.29$/,
    symbol: /^(pow|exp|log|exp2|log2)$/,
    library: /^libm\.so\./,
    why: 'glibc 2.29 gave exp, exp2, log, log2 and pow new versions without the old SVID error handling; programs built on 2.29+ bind to them',
    fixes: [`pin the old versions, e.g. __asm__(".symver pow, pow@GLIBC_${OLDEST_GLIBC}");`, BUILD_OLD],
    sources: ['glibc 2.29 NEWS', LIBM_ABILIST, BUILT],
  },
  {
    id: 'libm-float-2.27',
    version: /^GLIBC_2\.27$/,
    symbol: /^(expf|exp2f|logf|log2f|powf)$/,
    library: /^libm\.so\./,
    why: 'glibc 2.27 gave the single-precision expf, exp2f, logf, log2f and powf new versions (new implementations without SVID error handling)',
    fixes: [`pin the old versions, e.g. __asm__(".symver expf, expf@GLIBC_${OLDEST_GLIBC}");`, BUILD_OLD],
    sources: ['glibc 2.27 NEWS', LIBM_ABILIST],
  },
  {
    id: 'dl-find-object-2.35',
    version: /^GLIBC_2\.35$/,
    symbol: /^_dl_find_object$/,
    why: 'the unwinder of libgcc from GCC >= 12, built against glibc >= 2.35, calls _dl_find_object; it comes in through -static-libgcc (or a static libstdc++)',
    fixes: ['link libgcc_s dynamically (drop -static-libgcc) or ship it', BUILD_OLD],
    sources: [`${BUILT} (g++ -static-libgcc)`, 'Debian 12 libgcc-s1: libgcc_s.so.1 needs GLIBC_2.35 (readelf)', ABILIST],
  },
  {
    id: 'arc4random-2.36',
    version: /^GLIBC_2\.36$/,
    symbol: /^arc4random(_buf|_uniform)?$/,
    why: 'arc4random is new in glibc 2.36; it is used directly, or by a static libstdc++ built on glibc >= 2.36 (std::random_device)',
    fixes: ['if linked with -static-libstdc++: link libstdc++ dynamically or ship libstdc++.so.6 next to the program', 'if called directly: use getrandom() (glibc 2.25) where the floor is older', BUILD_OLD],
    sources: [`${BUILT}: g++ -static-libstdc++ pulled in arc4random@GLIBC_2.36`, 'glibc 2.36 NEWS'],
  },
  {
    id: 'isoc23-2.38',
    version: /^GLIBC_2\.38$/,
    symbol: /^__isoc23_\w+$/,
    why: 'glibc >= 2.38 headers redirect strtol, sscanf, scanf, wcstol and friends to __isoc23_* when C2X features are on: with _GNU_SOURCE (g++ always defines it), _ISOC2X_SOURCE, or -std=c2x/gnu23 (the GCC 15 default for C)',
    fixes: ['for C: compile with -std=gnu17 (or older) and without _GNU_SOURCE', 'for C++ (always _GNU_SOURCE): ' + BUILD_OLD],
    sources: ['glibc 2.38 include/features.h and stdlib/stdlib.h (__REDIRECT to __isoc23_strtol)', 'gcc.gnu.org/gcc-15/porting_to.html', BUILT],
  },
  {
    id: 'strlcpy-2.38',
    version: /^GLIBC_2\.38$/,
    symbol: /^(strlcpy|strlcat|wcslcpy|wcslcat|__strlcpy_chk|__strlcat_chk|__wcslcpy_chk|__wcslcat_chk)$/,
    why: 'strlcpy and strlcat are new in glibc 2.38; configure scripts now find them and use them instead of the project\'s own copy',
    fixes: ['use the project\'s fallback implementation for older targets (e.g. force the configure check off)', BUILD_OLD],
    sources: ['glibc 2.38 NEWS', ABILIST],
  },
  {
    id: 'getrandom-2.25',
    version: /^GLIBC_2\.25$/,
    symbol: /^(getrandom|getentropy|explicit_bzero)$/,
    why: 'getrandom, getentropy and explicit_bzero are new in glibc 2.25',
    fixes: ['for older floors call the syscall directly (syscall(SYS_getrandom, ...)) or read /dev/urandom', BUILD_OLD],
    sources: ['glibc 2.25 NEWS', ABILIST],
  },
  {
    id: 'librt-move-2.17',
    version: /^GLIBC_2\.17$/,
    symbol: /^clock_(gettime|getres|settime|nanosleep|getcpuclockid)$/,
    library: /^libc\.so\./,
    why: 'the clock_* functions moved from librt to libc in glibc 2.17; programs built on 2.17+ bind to libc.so.6 GLIBC_2.17',
    fixes: [BUILD_OLD + ' (only floors below 2.17, such as CentOS 6, are affected)'],
    sources: ['glibc 2.17 NEWS', ABILIST],
  },
  {
    id: 'ieee128-2.32',
    version: /^GLIBC_2\.32$/,
    symbol: /^__\w*ieee128$/,
    why: 'ppc64le code built with -mabi=ieeelongdouble (128-bit IEEE long double) calls the __*ieee128 functions added in glibc 2.32',
    fixes: ['build with the default -mabi=ibmlongdouble where the floor is older', BUILD_OLD],
    sources: ['glibc sysdeps/unix/sysv/linux/powerpc/powerpc64/le/libc.abilist (the GLIBC_2.32 *ieee128 functions)'],
  },
  {
    id: 'dt-relr',
    version: /^GLIBC_ABI_DT_RELR$/,
    why: 'the program was linked with -z pack-relative-relocs (DT_RELR); GNU ld then adds this need, which only glibc >= 2.36 defines, and glibc refuses DT_RELR without it',
    fixes: ['link without -z pack-relative-relocs (or add -Wl,-z,nopack-relative-relocs) when the floor is below 2.36'],
    sources: ['glibc commit 57292f5741; elf/dl-version.c', 'reproduced with ld -z pack-relative-relocs (binutils 2.40, Debian 12)'],
  },
  {
    id: 'gnu2-tls',
    version: /^GLIBC_ABI_GNU2_TLS$/,
    why: 'the code uses TLS descriptors (-mtls-dialect=gnu2) and a new ld (binutils newer than 2.44) tags it so that only a glibc with the fix for bug 31372 loads it: 2.43, or a 2.38-2.42 with the backport',
    fixes: ['compile with -mtls-dialect=gnu', 'or link with ld --no-gnu2-tls-tag'],
    sources: ['glibc commit 9df8fa397d (sysdeps/x86/Versions)', 'glibc bug 31372', 'binutils ld --gnu2-tls-tag / --no-gnu2-tls-tag'],
  },
  {
    id: 'gnu-tls-i386',
    version: /^GLIBC_ABI_GNU_TLS$/,
    why: 'i386 code with __thread variables, linked by a new ld that tags it as needing the fix for glibc bug 32996 (glibc 2.43, or 2.38-2.42 with the backport)',
    fixes: ['link with ld --no-gnu-tls-tag', 'or build with the binutils of the oldest target'],
    sources: ['glibc commit ed1b7a5a48 (sysdeps/i386/Versions)', 'glibc bug 32996'],
  },
  {
    id: 'x86-64-plt',
    version: /^GLIBC_ABI_DT_X86_64_PLT$/,
    why: 'the program was linked with ld -z mark-plt (DT_X86_64_PLT), which only glibc 2.43 (or a 2.33-2.42 with the backport) accepts',
    fixes: ['link without -z mark-plt'],
    sources: ['glibc commit 399384e0c8', 'binutils ld -z mark-plt (DT_X86_64_PLT)'],
  },
  {
    id: 'glibc-private',
    version: /^GLIBC_PRIVATE$/,
    why: 'the binary uses glibc-internal symbols that only glibc\'s own libraries may use; it runs only with the exact glibc build it was linked against',
    fixes: ['find the object that calls the listed symbols (often a copied glibc component or a mix of static and dynamic glibc) and rebuild it against public interfaces'],
    sources: ['glibc elf/Versions (GLIBC_PRIVATE)', 'glibc commit fb23eb252f (2002: first GLIBC_PRIVATE)'],
  },
  {
    id: 'glibcxx-ios-base-init-3.4.32',
    version: /^GLIBCXX_3\.4\.32$/,
    symbol: /^_ZSt21ios_base_library_initv$/,
    why: 'GCC >= 13.2 <iostream> references std::ios_base_library_init(), so every C++ program built with it that uses iostreams needs the libstdc++ of GCC 13.2+',
    fixes: ['ship libstdc++.so.6 next to the program (RPATH $ORIGIN)', 'or link -static-libstdc++ (this can raise the glibc floor to the build machine\'s, see arc4random-2.36)', 'or build with the GCC of the oldest target'],
    sources: ['Debian libstdc++6 dynsym: std::ios_base_library_init()@GLIBCXX_3.4.32', 'GCC 13.2 <iostream> (header behaviour from a secondary source)'],
  },
  {
    id: 'glibcxx-condvar-3.4.30',
    version: /^GLIBCXX_3\.4\.30$/,
    symbol: /^_ZNSt18condition_variable4waitERSt11unique_lockISt5mutexE$/,
    why: 'GCC 12\'s libstdc++ gave std::condition_variable::wait(unique_lock<mutex>&) a new version, so programs built with GCC 12+ that wait on a condition variable need GLIBCXX_3.4.30',
    fixes: ['ship libstdc++.so.6 next to the program', 'or link -static-libstdc++', 'or build with the GCC of the oldest target'],
    sources: ['Debian 12 libstdc++6 (GCC 12.2) dynsym: std::condition_variable::wait@GLIBCXX_3.4.30'],
  },
  {
    id: 'cxxabi-call-terminate-1.3.15',
    version: /^CXXABI_1\.3\.15$/,
    symbol: /^__cxa_call_terminate$/,
    why: 'GCC 14 emits calls to __cxa_call_terminate when an exception leaves a noexcept function; it is new in the libstdc++ of GCC 14',
    fixes: ['ship libstdc++.so.6 next to the program', 'or link -static-libstdc++', 'or build with the GCC of the oldest target'],
    sources: ['gcc.gnu.org/pipermail/libstdc++/2024-April/058587.html (GCC 14.1.0: CXXABI_1.3.15)', 'Debian libstdc++6 dynsym: __cxa_call_terminate@CXXABI_1.3.15'],
  },
  {
    id: 'glibcxx-cxx11-abi-3.4.21',
    version: /^GLIBCXX_3\.4\.21$/,
    symbol: /^_ZNSt7__cxx11\w*$/,
    why: 'GCC 5 introduced the new std::string / std::list ABI (std::__cxx11), in libstdc++ GLIBCXX_3.4.21',
    fixes: ['only floors older than GCC 5 (RHEL 7 system libstdc++) are affected: ship libstdc++.so.6 or build with -D_GLIBCXX_USE_CXX11_ABI=0 against that toolchain'],
    sources: ['Debian libstdc++6 dynsym: std::__cxx11::basic_string@GLIBCXX_3.4.21', 'libstdc++ manual, ABI policy (libstdc++-v3/doc/xml/manual/abi.xml: GCC 5.1.0 = GLIBCXX_3.4.21)'],
  },
];
