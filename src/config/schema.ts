/**
 * The `.glibc-floor.json` config file: its JSON schema (validated with Ajv) and its type.
 * `message` is our own annotation keyword: the sentence a user sees when the value is wrong.
 */
import type { WaiverRule } from '../waivers/apply-waivers.js';

/** ConfigFile is the config file's content once it has passed the schema. */
export interface ConfigFile {
  readonly $schema?: string;
  /** `{ "GLIBC": "2.35", "GLIBCXX": "3.4.30" }`, or floor specs as on the command line: `["2.35", "GLIBCXX=3.4.30"]`. */
  readonly floors?: Readonly<Record<string, string>> | readonly string[];
  readonly targets?: readonly string[];
  /** The needed-library policy, as `--allow-lib` takes it: globs over sonames, or `glibc-only`. */
  readonly allowLibraries?: readonly string[];
  readonly paths?: readonly string[];
  /** As `--allow-empty`: a check that finds no ELF file passes instead of failing. */
  readonly allowEmpty?: boolean;
  readonly waivers?: readonly WaiverRule[];
}

const nonEmptyString = { type: 'string', minLength: 1, message: 'must be a non-empty string' } as const;
const stringList = { type: 'array', minItems: 1, items: nonEmptyString, message: 'must be a non-empty list of strings' } as const;

export const CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  message: 'must be a JSON object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    floors: {
      message: 'must be an object of FAMILY: "VERSION" (as {"GLIBC": "2.35"}) or a list of floor specs (as ["2.35", "GLIBCXX=3.4.30"])',
      oneOf: [
        {
          type: 'object',
          propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_]*$', message: 'must be a family name such as GLIBC or GLIBCXX' },
          additionalProperties: { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)*$', message: 'must be a dotted version such as "2.35"' },
        },
        { type: 'array', items: nonEmptyString },
      ],
    },
    targets: { type: 'array', items: nonEmptyString, message: 'must be a list of target names' },
    allowLibraries: { ...stringList, message: 'must be a non-empty list of library names, globs or "glibc-only"' },
    paths: stringList,
    allowEmpty: { type: 'boolean', message: 'must be true or false' },
    waivers: {
      type: 'array',
      message: 'must be a list of waivers',
      items: {
        type: 'object',
        message: 'must be an object with "version" and "reason"',
        required: ['version', 'reason'],
        additionalProperties: false,
        properties: {
          version: { ...nonEmptyString, message: 'must be a version name such as "GLIBC_2.36"' },
          library: { ...nonEmptyString, message: 'must be a library name such as "libc.so.6"' },
          symbols: stringList,
          paths: { ...stringList, message: 'must be a non-empty list of path globs' },
          reason: { type: 'string', pattern: '\\S', message: 'must say why the exception is accepted (a non-empty string)' },
        },
      },
    },
  },
} as const;
