import { chalkFor } from './color.js';
import { writeOutputFile, type Io } from './io.js';
import { FORMATS, renderers, type Format, type RenderOptions } from '../report/index.js';
import type { Report } from '../report/model.js';
import { UsageError } from '../errors/usage-error.js';

/** ReportFile is one `--report FORMAT=FILE`: an extra report written by the same run. */
export interface ReportFile {
  readonly format: Format;
  readonly file: string;
}

/**
 * parseReportFiles reads the `--report` values (`junit=out/junit.xml`). An unknown format, a
 * missing file name, or two reports to one file is a UsageError, raised before any work.
 */
export function parseReportFiles(specs: readonly string[], output: string | undefined): ReportFile[] {
  const seen = new Set(output === undefined ? [] : [output]);
  return specs.map((spec) => {
    const equals = spec.indexOf('=');
    const format = equals < 0 ? spec : spec.slice(0, equals);
    const file = equals < 0 ? '' : spec.slice(equals + 1);
    if (!(FORMATS as string[]).includes(format)) {
      throw new UsageError(`invalid --report "${spec}": the format must be one of ${FORMATS.join(', ')} (as in --report junit=report.xml)`);
    }
    if (file === '') throw new UsageError(`invalid --report "${spec}": name the file after "=" (as in --report ${format}=report.${format})`);
    if (seen.has(file)) throw new UsageError(`invalid --report "${spec}": ${file} is already the target of another report`);
    seen.add(file);
    return { format: format as Format, file };
  });
}

/**
 * writeReportFiles renders the report once per extra report file (never colored) and writes it;
 * every file gets the same render options, so the same run summary.
 */
export async function writeReportFiles(report: Report, files: readonly ReportFile[], io: Io, options: Omit<RenderOptions, 'chalk'>): Promise<void> {
  for (const { format, file } of files) {
    const text = renderers[format](report, { ...options, chalk: chalkFor(0) });
    await writeOutputFile(io, file, text, `${format} report`);
  }
}
