import { UsageError } from '../errors/usage-error.js';

/** Platform is an image's os/architecture[/variant], as in the OCI image index. */
export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

/** parsePlatform reads `--platform os/arch[/variant]` (`linux/arm64`, `linux/arm/v7`). */
export function parsePlatform(text: string): Platform {
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((part) => !/^[a-z0-9_.-]+$/i.test(part))) {
    throw new UsageError(`bad --platform "${text}": expected os/arch[/variant], such as linux/arm64 or linux/arm/v7`);
  }
  const [os, architecture, variant] = parts as [string, string, string?];
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}

/** formatPlatform prints a platform as `os/arch[/variant]`. */
export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter((part) => part !== undefined && part !== '').join('/');
}

/** Node.js's `process.arch` names mapped to the OCI (Go GOARCH) names. */
const OCI_ARCH: Readonly<Record<string, string>> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  mips: 'mips',
  mipsel: 'mipsle',
};

/** hostPlatform is the platform this process runs on, in OCI names (`linux/amd64`). */
export function hostPlatform(nodePlatform: string = process.platform, nodeArch: string = process.arch): Platform {
  return { os: nodePlatform === 'win32' ? 'windows' : nodePlatform, architecture: OCI_ARCH[nodeArch] ?? nodeArch };
}

/**
 * platformMatches says whether an image's platform is the one asked for. A wanted platform
 * without a variant matches any variant; `arm64` images often say `v8` and often say nothing.
 */
export function platformMatches(have: Platform, want: Platform): boolean {
  if (have.os !== want.os || have.architecture !== want.architecture) return false;
  return want.variant === undefined || have.variant === want.variant || (have.variant === undefined && want.variant === 'v8');
}
