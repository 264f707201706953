/**
 * normalizeEntryName turns a name from a tar header or a manifest into a path relative to the
 * image root, the way container runtimes do (a clean join onto `/`): `./usr//bin/` -> `usr/bin`,
 * `/etc/x` -> `etc/x`, and `..` stops at the root, so `../../etc/passwd` -> `etc/passwd`. No
 * name can therefore leave the image. The root itself is the empty string.
 */
export function normalizeEntryName(name: string): string {
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

/** splitEntryPath gives the components of a normalized path (none for the root). */
export function splitEntryPath(path: string): string[] {
  return path === '' ? [] : path.split('/');
}
