/**
 * The streamed JSON formats (the report, SARIF) print one array entry at a time, but the document
 * around that array holds totals known only at the end. They print the document once, with a
 * placeholder string where the array goes, and cut it there: what comes before the array and
 * what comes after, exactly as `JSON.stringify(document, null, 2)` would have printed them.
 */
export interface JsonShell {
  readonly before: string;
  readonly after: string;
}

/**
 * A placeholder string for the array. It is bracketed by NUL characters, which no path holds;
 * the cut is at its first occurrence, and what precedes it in both documents is the tool's own
 * header and totals, never text read from an input.
 */
export function placeholderFor(what: string): string {
  return `\u0000glibc-floor ${what}\u0000`;
}

/** jsonShell prints `document` (pretty, two spaces) and cuts it at `placeholder`'s one occurrence; the tail ends with a newline. */
export function jsonShell(document: unknown, placeholder: string): JsonShell {
  const text = JSON.stringify(document, null, 2);
  const marker = JSON.stringify(placeholder);
  const at = text.indexOf(marker);
  return { before: text.slice(0, at), after: `${text.slice(at + marker.length)}\n` };
}
