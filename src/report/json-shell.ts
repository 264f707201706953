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

/**
 * indentedJson is `JSON.stringify(value, null, 2)` printed `levels` levels deep (two spaces each):
 * every line, the first included, starts `2 * levels` spaces further in, as the value prints
 * inside a document. JSON.stringify does the indenting: the value is wrapped in `levels` arrays
 * and their brackets are cut off (`[\n` plus the indent on the way in, the same count of
 * characters on the way out), instead of a second pass over every entry's text to re-indent it
 * (6% of a `show --format json` of 2,400 files, docs/benchmarks.md).
 */
export function indentedJson(value: unknown, levels: number): string {
  let wrapped = value;
  for (let level = 0; level < levels; level++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2);
  const cut = levels * (levels + 1);
  return text.slice(cut, text.length - cut);
}
