/**
 * SkipReason says why an input found in a directory or an image was not checked. The inputs
 * layer decides it; the report only prints it. added to the contract: `broken-hardlink` (an
 * image's hard link to nothing), `duplicate` (a real file already reached through another path in
 * this run), `too-deep` (a directory below the walk's depth bound).
 */
export type SkipReason =
  | 'not-elf'
  | 'not-regular-file'
  | 'broken-symlink'
  | 'symlink-outside-tree'
  | 'symlink-loop'
  | 'broken-hardlink'
  | 'duplicate'
  | 'too-deep'
  | 'archive-too-deep';

/** How each reason reads in a summary (`2 skipped: 1 not ELF, 1 duplicate`). */
export const SKIP_REASON_TEXT: Readonly<Record<SkipReason, string>> = {
  'not-elf': 'not ELF',
  'not-regular-file': 'not a regular file',
  'broken-symlink': 'broken link',
  'symlink-outside-tree': 'directory link outside the tree',
  'symlink-loop': 'link loop',
  'broken-hardlink': 'broken hard link',
  duplicate: 'duplicate',
  'too-deep': 'too deep',
  'archive-too-deep': 'archive nested too deep',
};

/** describeSkips words skip counts by reason, most frequent first: `12 not ELF, 1 duplicate`. */
export function describeSkips(counts: ReadonlyMap<SkipReason, number>): string {
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([reason, count]) => `${count} ${SKIP_REASON_TEXT[reason]}`)
    .join(', ');
}
