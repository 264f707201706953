/**
 * SkipReason says why an input found in a directory or an image was not checked. The inputs
 * layer decides it; the report only prints it. added to the contract: `broken-hardlink` (an
 * image's hard link to nothing).
 */
export type SkipReason = 'not-elf' | 'not-regular-file' | 'broken-symlink' | 'symlink-outside-tree' | 'symlink-loop' | 'broken-hardlink' | 'archive-too-deep';
