import type { CheckedFileReport, KindReport } from './model.js';
import type { BinaryKind } from '../kind/detect.js';

/**
 * withKind adds the binary kind (and the Go build info) to a file's report entry; detection notes
 * join the entry's `notes`. A pure post-processing step: the verdict is untouched.
 */
export function withKind(entry: CheckedFileReport, kind: BinaryKind): CheckedFileReport {
  const report: KindReport = { name: kind.name, evidence: kind.evidence, ...(kind.warning !== undefined ? { warning: kind.warning } : {}) };
  const notes = [...(entry.notes ?? []), ...kind.notes];
  return {
    ...entry,
    kind: report,
    ...(kind.go !== undefined ? { go: kind.go } : {}),
    ...(notes.length > 0 ? { notes } : {}),
  };
}
