/**
 * The CI reports' real consumers, run from the tests: Microsoft's SARIF validator and the SARIF
 * 2.1.0 schema, Jenkins xUnit's junit-10.xsd through xmllint, and Debian's python3-junitparser.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { repoRoot } from './fixtures.js';

const require = createRequire(import.meta.url);
const execFileAsync = promisify(execFile);
/** Microsoft's SARIF validator (the .NET Sarif.Multitool shipped in the npm package); it runs offline. */
const MULTITOOL = require('@microsoft/sarif-multitool') as string;
/** The SARIF 2.1.0 JSON schema as Microsoft ships it beside the validator. */
const SARIF_SCHEMA_PATH = join(dirname(MULTITOOL), 'sarif-2.1.0.json');

/** SarifLog is the part of a SARIF log the tests read. */
export interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string; name: string; defaultConfiguration: { level: string } }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
      suppressions?: { kind: string; justification: string }[];
      properties?: { symbols?: string[]; version?: string };
    }[];
  }[];
}

interface ValidatorResult { ruleId: string; level?: string; message: { id?: string; arguments?: string[]; text?: string } }

/**
 * multitoolValidate runs `Sarif.Multitool validate` with both of its rule sets, the
 * specification's (`Sarif`, SARIFnnnn) and GitHub code scanning's ingestion rules (`Gh`,
 * GHnnnn), and returns the findings of its own SARIF log. It runs asynchronously: a large log
 * takes the validator many seconds, and a blocked test worker loses its connection to vitest.
 */
export async function multitoolValidate(file: string): Promise<ValidatorResult[]> {
  const out = `${file}.validation.sarif`;
  try {
    await execFileAsync(MULTITOOL, ['validate', file, '--output', out, '--log', 'ForceOverwrite', '--quiet', '--rule-kind', 'Sarif;Gh'], { maxBuffer: 1 << 26 });
  } catch (error) {
    throw new Error(`Sarif.Multitool failed: ${(error as Error).message}`);
  }
  const log = JSON.parse(readFileSync(out, 'utf8')) as { runs: { results?: ValidatorResult[] }[] };
  return log.runs[0]?.results ?? [];
}

let sarifSchema: ValidateFunction | undefined;

/** schemaValidate checks a SARIF log against the SARIF 2.1.0 schema (compiled once: Ajv's compile is the costly part). */
export function schemaValidate(log: unknown): string[] {
  if (sarifSchema === undefined) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    sarifSchema = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA_PATH, 'utf8')) as object);
  }
  return sarifSchema(log) ? [] : (sarifSchema.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
}


/** Jenkins xUnit plugin's JUnit schema, kept as test data (see data/README.md). */
export const JUNIT_XSD = join(repoRoot, 'test/helpers/data/junit-10.xsd');

/** xmllintSchemaErrors validates an XML file against Jenkins' junit-10.xsd with xmllint; empty when valid. */
export function xmllintSchemaErrors(file: string): string {
  const run = spawnSync('xmllint', ['--noout', '--schema', JUNIT_XSD, file], { encoding: 'utf8' });
  if (run.error !== undefined) throw new Error(`xmllint could not run (apt-get install libxml2-utils): ${run.error.message}`);
  return run.status === 0 ? '' : run.stderr;
}

/** The real consumer: Debian's python3-junitparser, run by the system python that apt installs it for. */
const SYSTEM_PYTHON = '/usr/bin/python3';

export interface JunitResult { kind: string; message: string | null; type: string | null; text: string | null }
export interface JunitCase { name: string; classname: string; time: number; results: JunitResult[]; system_out: string | null; passed: boolean; skipped: boolean }
export interface JunitSuite { name: string; tests: number; failures: number; errors: number; skipped: number; time: number; timestamp: string | null; properties: Record<string, string>; cases: JunitCase[] }
export interface JunitDocument { tests: number; failures: number; errors: number; skipped: number; time: number; suites: JunitSuite[] }

/** readWithJunitparser reads a JUnit file as a CI system would, through junitparser (read_junit.py). */
export function readWithJunitparser(file: string): JunitDocument {
  const result = spawnSync(SYSTEM_PYTHON, [join(repoRoot, 'test/helpers/read_junit.py'), file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`junitparser could not read ${file}: ${result.stderr}`);
  return JSON.parse(result.stdout) as JunitDocument;
}
