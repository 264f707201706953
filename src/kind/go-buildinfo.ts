import { ToolError } from '../errors/tool-error.js';

/**
 * Reading a Go program's build information without running it, as `go version -m` does
 * (Go's `debug/buildinfo`, src/debug/buildinfo/buildinfo.go). The linker writes a 32-byte header
 * that starts with the magic `\xff Go buildinf:` at a 16-byte aligned address, normally in the
 * `.go.buildinfo` section at the start of the writable data:
 *
 * - byte 14: pointer size; byte 15: flags (bit 0 big-endian pointers, bit 1 "strings inline").
 * - Go 1.18+ (flag bit 1): the version and the module info follow the header as two
 *   uvarint-length-prefixed strings.
 * - Go 1.13-1.17: at byte 16 two pointers, each to a Go string header {data pointer, length}.
 *
 * The module info is wrapped in 16-byte sentinels; its lines are `path`, `mod`, `dep`, `=>` and
 * `build KEY=VALUE` (Go 1.18+: CGO_ENABLED, GOARCH, GOOS, GOAMD64, -ldflags, vcs.revision, ...).
 */

/** GoBuildInfo is what `go version -m` prints, parsed. */
export interface GoBuildInfo {
  /** The toolchain, e.g. `go1.19.8`. */
  readonly goVersion: string;
  /** The main package's import path (`path` line), or null when absent (e.g. built without modules). */
  readonly path: string | null;
  /** The main module (`mod` line): path and version (`(devel)` for a local build). */
  readonly main: { readonly path: string; readonly version: string } | null;
  /** How many dependency modules (`dep` lines) were linked in. */
  readonly dependencies: number;
  /** `build` settings in order, e.g. `{ CGO_ENABLED: "1", GOARCH: "amd64" }`; empty before Go 1.18. */
  readonly settings: Readonly<Record<string, string>>;
  /** CGO_ENABLED as a boolean, or null when the build info does not record it (Go < 1.18). */
  readonly cgo: boolean | null;
  readonly goarch: string | null;
  readonly goos: string | null;
}

/** The magic that starts the build info header. */
export const BUILDINFO_MAGIC = new Uint8Array([0xff, ...new TextEncoder().encode(' Go buildinf:')]);
export const BUILDINFO_HEADER_SIZE = 32;
/** Go searches the first 64 KiB of the data for the header, at 16-byte steps; so do we. */
export const BUILDINFO_SEARCH_BYTES = 64 * 1024;
export const BUILDINFO_ALIGN = 16;
/** Build info strings beyond this are not real (the module list of a large program is ~100 KiB). */
const MAX_STRING = 1024 * 1024;

const FLAG_BIG_ENDIAN = 0x1;
const FLAG_INLINE = 0x2;

/** BuildInfoError says the header was found but what follows it is malformed. */
export class BuildInfoError extends ToolError {
  override readonly name = 'BuildInfoError';

  constructor(message: string) {
    super('input', message);
  }
}

/** findMagic returns the offset of the header magic at a 16-byte aligned position of `data`, or -1. */
export function findMagic(data: Uint8Array, dataAddress: number): number {
  // Alignment is of the address, as in Go: step from the first aligned address in the range.
  const first = (BUILDINFO_ALIGN - (dataAddress % BUILDINFO_ALIGN)) % BUILDINFO_ALIGN;
  for (let at = first; at + BUILDINFO_MAGIC.length <= data.length; at += BUILDINFO_ALIGN) {
    if (BUILDINFO_MAGIC.every((byte, i) => data[at + i] === byte)) return at;
  }
  return -1;
}

/** ReadAddress returns `length` bytes at a virtual address of the file, or undefined when unmapped. */
export type ReadAddress = (address: number, length: number) => Promise<Uint8Array | undefined>;

/**
 * parseBuildInfo decodes the build info from the bytes starting at the header (`bytes` holds at
 * least the header; for the inline format, as much after it as was read). Old-format pointers are
 * followed through `readAddress`. Throws BuildInfoError when the content is malformed.
 */
export async function parseBuildInfo(bytes: Uint8Array, readAddress: ReadAddress): Promise<GoBuildInfo> {
  if (bytes.length < BUILDINFO_HEADER_SIZE) throw new BuildInfoError('build info header is truncated');
  const pointerSize = bytes[14]!;
  const flags = bytes[15]!;
  let version: string;
  let modinfo: string;
  if ((flags & FLAG_INLINE) !== 0) {
    const first = readVarString(bytes, BUILDINFO_HEADER_SIZE, 'Go version');
    const second = readVarString(bytes, first.next, 'module info');
    version = first.text;
    modinfo = second.text;
  } else {
    if (pointerSize !== 4 && pointerSize !== 8) throw new BuildInfoError(`build info pointer size ${pointerSize} is neither 4 nor 8`);
    const bigEndian = (flags & FLAG_BIG_ENDIAN) !== 0;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const pointer = (v: DataView, at: number) => (pointerSize === 4 ? v.getUint32(at, !bigEndian) : Number(v.getBigUint64(at, !bigEndian)));
    const readGoString = async (address: number, what: string): Promise<string> => {
      const headerBytes = await readAddress(address, pointerSize * 2);
      if (headerBytes === undefined || headerBytes.length < pointerSize * 2) throw new BuildInfoError(`${what} string header is not in the file`);
      const headerView = new DataView(headerBytes.buffer, headerBytes.byteOffset, headerBytes.byteLength);
      const data = pointer(headerView, 0);
      const length = pointer(headerView, pointerSize);
      if (length > MAX_STRING) throw new BuildInfoError(`${what} claims ${length} bytes`);
      if (length === 0) return '';
      const text = await readAddress(data, length);
      if (text === undefined || text.length < length) throw new BuildInfoError(`${what} string is not in the file`);
      return new TextDecoder().decode(text);
    };
    version = await readGoString(pointer(view, 16), 'Go version');
    modinfo = await readGoString(pointer(view, 16 + pointerSize), 'module info');
  }
  if (!/^go[0-9a-z.+-]*/i.test(version) || version.length > 64) throw new BuildInfoError(`"${version.slice(0, 40)}" is not a Go version`);
  return { goVersion: version, ...parseModuleInfo(stripSentinels(modinfo)) };
}

/** readVarString reads a uvarint length and that many bytes of UTF-8 at `at`. */
function readVarString(bytes: Uint8Array, at: number, what: string): { text: string; next: number } {
  let length = 0;
  let shift = 0;
  let position = at;
  for (;;) {
    if (position >= bytes.length) throw new BuildInfoError(`${what} length is truncated`);
    const byte = bytes[position++]!;
    length += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) break;
    shift += 7;
    if (shift > 28) throw new BuildInfoError(`${what} length is not a valid varint`);
  }
  if (length > MAX_STRING) throw new BuildInfoError(`${what} claims ${length} bytes`);
  if (position + length > bytes.length) throw new BuildInfoError(`${what} (${length} bytes) runs past the data read`);
  return { text: new TextDecoder().decode(bytes.subarray(position, position + length)), next: position + length };
}

/** stripSentinels removes the 16-byte markers around the module info, as debug/buildinfo does. */
function stripSentinels(modinfo: string): string {
  return modinfo.length >= 33 && modinfo[modinfo.length - 17] === '\n' ? modinfo.slice(16, -16) : '';
}

/** parseModuleInfo reads the tab-separated lines of `runtime/debug.BuildInfo.String()`. */
export function parseModuleInfo(text: string): Omit<GoBuildInfo, 'goVersion'> {
  let path: string | null = null;
  let main: GoBuildInfo['main'] = null;
  let dependencies = 0;
  const settings: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const fields = line.split('\t');
    switch (fields[0]) {
      case 'path':
        path = fields[1] ?? null;
        break;
      case 'mod':
        main = { path: fields[1] ?? '', version: fields[2] ?? '' };
        break;
      case 'dep':
        dependencies++;
        break;
      case 'build': {
        const setting = fields.slice(1).join('\t');
        const equals = setting.indexOf('=');
        if (equals > 0) settings[setting.slice(0, equals)] = unquote(setting.slice(equals + 1));
        break;
      }
    }
  }
  const cgo = settings['CGO_ENABLED'];
  return {
    path,
    main,
    dependencies,
    settings,
    cgo: cgo === undefined ? null : cgo === '1',
    goarch: settings['GOARCH'] ?? null,
    goos: settings['GOOS'] ?? null,
  };
}

/** unquote undoes the Go quoting `build` values get when they contain spaces (`-ldflags="-s -w"`). */
function unquote(value: string): string {
  if (value.length < 2 || !value.startsWith('"') || !value.endsWith('"')) return value;
  try {
    return JSON.parse(value) as string;
  } catch {
    return value;
  }
}
