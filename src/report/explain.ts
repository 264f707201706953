import type { FileReport } from './model.js';
import { withHints } from '../hints/match.js';

/**
 * explainFile attaches catalogue hints to every violation and warning of a checked file: a pure
 * post-processing step over the report entry, leaving the verdict as it is. The fixes are written
 * for the file's machine (its toolchain, images and `zig cc` target).
 */
export function explainFile(file: FileReport): FileReport {
  if (file.status !== 'pass' && file.status !== 'fail') return file;
  if (file.violations === undefined && file.warnings === undefined) return file;
  const explain = <T extends Parameters<typeof withHints>[0]>(finding: T): T => withHints(finding, file.elf);
  return {
    ...file,
    ...(file.violations !== undefined ? { violations: file.violations.map(explain) } : {}),
    ...(file.warnings !== undefined ? { warnings: file.warnings.map(explain) } : {}),
  };
}
