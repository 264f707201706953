import type { FileReport } from './model.js';
import { withHints } from '../hints/match.js';

/**
 * explainFile attaches catalogue hints to every violation and warning of a checked file: a pure
 * post-processing step over the report entry, leaving the verdict as it is.
 */
export function explainFile(file: FileReport): FileReport {
  if (file.status !== 'pass' && file.status !== 'fail') return file;
  if (file.violations === undefined && file.warnings === undefined) return file;
  return {
    ...file,
    ...(file.violations !== undefined ? { violations: file.violations.map(withHints) } : {}),
    ...(file.warnings !== undefined ? { warnings: file.warnings.map(withHints) } : {}),
  };
}
