import type { Report } from './model.js';
import { renderWhole, type RunEnd, type RunHeader, type StreamRenderer } from './stream.js';
import { indentedJson, jsonShell, placeholderFor, type JsonShell } from './json-shell.js';

/** Stands in for the file entries while the rest of the document is printed around them. */
const FILES_PLACEHOLDER = placeholderFor('files');

/**
 * jsonRenderer prints the report as the schemaVersion 1 JSON document of schema/report.schema.json, exactly as
 * `JSON.stringify(report, null, 2)` would (key order included), but one file entry at a time as
 * each file completes: a scan of /usr writes a 40 MB document, and holding it (or the entries)
 * until the end cost more memory than the scan (docs/benchmarks.md). `result` and `summary` come
 * before `files`, so the head is printed at the end and the writer holds the entries back.
 */
export function jsonRenderer(): StreamRenderer {
  let count = 0;
  // The shell is printed once, at the end; its two halves are the head and the tail.
  let shell: JsonShell | undefined;
  const shellOf = (header: RunHeader, end: RunEnd) => {
    if (shell !== undefined) return shell;
    const { schemaVersion, tool, command, floors, ...added } = header;
    const document = {
      schemaVersion, tool, command, floors, result: end.result, summary: end.summary, files: FILES_PLACEHOLDER, ...added,
      ...(end.neededFloors === undefined ? {} : { neededFloors: end.neededFloors }),
      ...(end.declared === undefined ? {} : { declared: end.declared }),
      ...(end.warnings === undefined ? {} : { warnings: end.warnings }),
      ...(end.error === undefined ? {} : { error: end.error }),
    };
    shell = jsonShell(document, FILES_PLACEHOLDER);
    return shell;
  };
  return {
    headNeedsTotals: true,
    head: (header, end) => shellOf(header, end!).before + (count === 0 ? '[]' : '['),
    entry(file) {
      // The entries sit two levels deep: array items of a top-level key, indented by four spaces.
      const text = `${count === 0 ? '\n' : ',\n'}${indentedJson(file, 2)}`;
      count++;
      return text;
    },
    tail: (header, end) => (count === 0 ? '' : '\n  ]') + shellOf(header, end).after,
  };
}

/** renderJson prints a whole report as JSON (see jsonRenderer). */
export function renderJson(report: Report): string {
  return renderWhole(jsonRenderer(), report);
}
