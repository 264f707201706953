import { FORMATS, type Format } from '../report/index.js';
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
