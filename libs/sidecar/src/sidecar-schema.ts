import Ajv2020, { type ErrorObject, type SchemaObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Sidecar } from './sidecar.types';

/** Where the published schema lives, relative to the repository root. */
export const SIDECAR_SCHEMA_FILE = 'schemas/sidecar.v1.schema.json';

export type SidecarValidation = { ok: true } | { ok: false; errors: string[] };

/**
 * The schema file's path. `from` is this file's folder, in the sources or in dist/ (which
 * mirrors the repository), so the root is found by walking up to Heimdex's package.json.
 * @heimdex/config has the same walk, but importing it would pull the database lib into this one.
 */
export function sidecarSchemaPath(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'heimdex') {
      return join(dir, SIDECAR_SCHEMA_FILE);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Heimdex's package.json not found above ${from}`);
    dir = parent;
  }
}

/** The published JSON Schema (draft 2020-12) of sidecar v1, as parsed JSON. */
export function loadSidecarSchema(path: string = sidecarSchemaPath()): SchemaObject {
  return JSON.parse(readFileSync(path, 'utf8')) as SchemaObject;
}

let validator: ValidateFunction<Sidecar> | undefined;

function compiledValidator(): ValidateFunction<Sidecar> {
  if (!validator) {
    // verbose: errors carry the offending value, which the messages quote.
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    addFormats(ajv);
    validator = ajv.compile<Sidecar>(loadSidecarSchema());
  }
  return validator;
}

/** Checks a document against the published v1 schema; errors read like `/scenes/0/startS must be >= 0 (got -1)`. */
export function validateSidecar(doc: unknown): SidecarValidation {
  const validate = compiledValidator();
  if (validate(doc)) return { ok: true };
  return { ok: false, errors: (validate.errors ?? []).map(describeError) };
}

function describeError(e: ErrorObject): string {
  const at = e.instancePath === '' ? '(document)' : e.instancePath;
  switch (e.keyword) {
    case 'enum':
      return `${at} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}${got(e.data)}`;
    case 'const':
      return `${at} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}${got(e.data)}`;
    case 'additionalProperties':
      return `${at} has unknown property '${(e.params as { additionalProperty: string }).additionalProperty}'`;
    case 'type':
      return `${at} must be ${String((e.params as { type: unknown }).type).replace(',', ' or ')}${got(e.data)}`;
    default:
      return `${at} ${e.message ?? `fails ${e.keyword}`}${got(e.data)}`;
  }
}

/** The offending value, when it is short enough to quote. */
function got(data: unknown): string {
  if (data === null || ['string', 'number', 'boolean'].includes(typeof data)) {
    const text = JSON.stringify(data);
    return text.length <= 80 ? ` (got ${text})` : '';
  }
  return '';
}
