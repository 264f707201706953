import type { Report } from './model.js';

/** Stands in for the file entries while the rest of the document is printed around them. */
const FILES_PLACEHOLDER = '\u0000glibc-floor files\u0000';

/**
 * renderJson prints the report as the schemaVersion 1 JSON document of schema/report.schema.json, exactly as
 * `JSON.stringify(report, null, 2)` would, but one file entry at a time: a scan of /usr writes a
 * 40 MB document, and building it as one string (plus the stringifier's own copies) cost more
 * memory than the report itself (docs/benchmarks.md).
 */
export function* renderJson(report: Report): Generator<string> {
  const shell = JSON.stringify({ ...report, files: FILES_PLACEHOLDER }, null, 2);
  const marker = JSON.stringify(FILES_PLACEHOLDER);
  const at = shell.indexOf(marker);
  // The entries sit two levels deep: array items of a top-level key, indented by four spaces.
  yield shell.slice(0, at);
  if (report.files.length === 0) {
    yield '[]';
  } else {
    yield '[\n';
    for (let i = 0; i < report.files.length; i++) {
      const entry = JSON.stringify(report.files[i], null, 2).replaceAll('\n', '\n    ');
      yield `    ${entry}${i + 1 < report.files.length ? ',' : ''}\n`;
    }
    yield '  ]';
  }
  yield `${shell.slice(at + marker.length)}\n`;
}
