#!/usr/bin/env node
// Usage: node scripts/check-schema-copy.mjs REFERENCE.json [COPY.json]
// The project ships its own copy of the report's JSON Schema (schema/report.schema.json, in the
// npm package too) and tests against it; this compares it with a reference copy kept elsewhere
// (CI passes one when it has it). Equivalent means equal as JSON values: key order and white
// space may differ, nothing else. Exit 0 equal, 1 different (with the first differing path), 2 usage.
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';

const [reference, copy = new URL('../schema/report.schema.json', import.meta.url).pathname] = process.argv.slice(2);
if (reference === undefined) {
  console.error('usage: check-schema-copy.mjs REFERENCE.json [COPY.json]');
  process.exit(2);
}

/** firstDifference names the first JSON path at which two values differ. */
function firstDifference(a, b, path = '$') {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return path;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const found = firstDifference(a[key], b[key], `${path}.${key}`);
    if (found !== undefined) return found;
  }
  return path;
}

let values;
try {
  values = [reference, copy].map((file) => JSON.parse(readFileSync(file, 'utf8')));
} catch (error) {
  console.error(`check-schema-copy: ${error.message}`);
  process.exit(2);
}
const difference = firstDifference(values[0], values[1]);
if (difference === undefined) {
  console.log(`check-schema-copy: ${copy} is equivalent to ${reference}`);
} else {
  console.error(`check-schema-copy: ${copy} differs from ${reference} at ${difference}; update the copy (and the README's JSON report section) from the reference`);
  process.exit(1);
}
