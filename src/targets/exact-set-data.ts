/**
 * ExactSetData is the shape of exact-sets.generated.ts: target name -> machine -> data. It has a
 * file of its own so the generated data imports a type and no code (no module cycle).
 */
export type ExactSetData = Readonly<Record<string, {
  readonly suite: string;
  readonly machines: Readonly<Record<string, {
    /** The Debian architecture the packages were downloaded for (amd64, arm64, ...). */
    readonly debianArch: string;
    /** Source package name -> version read. */
    readonly packages: Readonly<Record<string, string>>;
    /** soname -> space-separated version names, or null for a library without version definitions. */
    readonly libraries: Readonly<Record<string, string | null>>;
  }>>;
}>>;
