import type { Report } from './model.js';

/** renderJson prints the report as the schemaVersion 1 JSON document of CONTRACT.md. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
