import type { ErrorObject, ValidateFunction } from 'ajv';
import { CONFIG_SCHEMA } from './schema.js';

/** ConfigProblem is the one problem reported for a bad config file: the key and what is wrong. */
export interface ConfigProblem {
  /** `waivers[0].reason`, `floors.GLIBC`; empty for the document itself. */
  readonly key: string;
  readonly message: string;
}

let compiled: ValidateFunction | undefined;

/**
 * validateConfig checks a parsed config file against CONFIG_SCHEMA with Ajv and returns the most
 * specific problem, or undefined when the file is valid. Ajv is loaded only here, so runs without
 * a config file do not pay for it at start-up.
 */
export async function validateConfig(data: unknown): Promise<ConfigProblem | undefined> {
  if (compiled === undefined) {
    const { Ajv } = await import('ajv');
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
    ajv.addKeyword({ keyword: 'message', schemaType: 'string' });
    compiled = ajv.compile(CONFIG_SCHEMA);
  }
  if (compiled(data)) return undefined;
  return mostSpecific(compiled.errors ?? []);
}

/**
 * mostSpecific picks the error deepest in the document (a `oneOf` reports its branches' errors
 * too; the deepest is the one that names the wrong value), preferring a schema's own `message`.
 */
function mostSpecific(errors: readonly ErrorObject[]): ConfigProblem {
  const ranked = errors.map((error) => ({ error, key: keyOf(error) })).sort((a, b) => depth(b.key) - depth(a.key));
  const deepest = ranked[0];
  if (deepest === undefined) return { key: '', message: 'is not a valid config file' };
  const sameDepth = ranked.filter((entry) => depth(entry.key) === depth(deepest.key));
  const chosen = sameDepth.find((entry) => entry.error.keyword === 'oneOf') ?? deepest;
  return { key: chosen.key, message: messageOf(chosen.error) };
}

function keyOf(error: ErrorObject): string {
  const parts = error.instancePath.split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  const extra =
    error.keyword === 'required' ? String(error.params['missingProperty'])
    : error.keyword === 'additionalProperties' ? String(error.params['additionalProperty'])
    : propertyNameOf(error) !== undefined ? propertyNameOf(error)
    : undefined;
  const all = extra === undefined || extra === '' ? parts : [...parts, extra];
  return all.reduce((key, part) => (/^\d+$/.test(part) ? `${key}[${part}]` : key === '' ? part : `${key}.${part}`), '');
}

/** propertyNameOf: for an error about an object key's name (`propertyNames`), that key. */
function propertyNameOf(error: ErrorObject): string | undefined {
  const name = (error as { propertyName?: unknown }).propertyName ?? error.params['propertyName'];
  return typeof name === 'string' ? name : undefined;
}

function depth(key: string): number {
  return key === '' ? 0 : key.split(/[.[]/).length;
}

function messageOf(error: ErrorObject): string {
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties': {
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {}).filter((key) => key !== '$schema');
      return `is not a known key${known.length > 0 ? ` (known keys: ${known.join(', ')})` : ''}`;
    }
    default: {
      const own = (error.parentSchema as { message?: unknown } | undefined)?.message;
      return typeof own === 'string' ? own : (error.message ?? 'is not valid');
    }
  }
}
