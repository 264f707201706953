/**
 * The version families glibc-floor knows by name: glibc's own, the C++ runtime's (libstdc++'s
 * GLIBCXX and CXXABI, with their long-double, ARM EABI and transactional-memory variants) and
 * libgcc_s's GCC: every family of the targets catalogue and of its exact version sets. Family names
 * are case-sensitive in ELF (`vna_name` is compared byte for byte), so `glibc` names no family at
 * all; a floor spelled that way would silently check nothing.
 */
export const KNOWN_FAMILIES = ['GLIBC', 'GLIBCXX', 'GLIBCXX_LDBL', 'CXXABI', 'CXXABI_LDBL', 'CXXABI_ARM', 'CXXABI_TM', 'GCC'] as const;

/**
 * knownFamilySpelledDifferently returns the known family that `family` differs from only in case
 * (`glibc` -> `GLIBC`), or undefined when it is a known family itself or like none.
 */
export function knownFamilySpelledDifferently(family: string): string | undefined {
  if ((KNOWN_FAMILIES as readonly string[]).includes(family)) return undefined;
  const upper = family.toUpperCase();
  return KNOWN_FAMILIES.find((known) => known === upper);
}
