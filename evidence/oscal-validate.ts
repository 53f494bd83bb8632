// Checks an assessment-results document against the OSCAL 1.0.6 schema kept in the repo, so
// `grantflow evidence verify` needs neither the network nor NIST's site.
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';

/** The outcome of a validation: each problem is `<instance path>: <message>`. */
export type OscalValidationResult = { ok: boolean; problems: string[] };

const SCHEMA_URL = new URL('./schemas/oscal_assessment-results_schema.json', import.meta.url);

let validate: ValidateFunction | undefined;

/** Validates `doc` against the OSCAL assessment-results schema (compiled once, on first use). */
export function validateAssessmentResults(doc: unknown): OscalValidationResult {
  validate ??= compile();
  if (validate(doc)) return { ok: true, problems: [] };
  return { ok: false, problems: (validate.errors ?? []).map(describe) };
}

function compile(): ValidateFunction {
  // The schema's token patterns use \p{L} and \p{N}: without the `u` flag they still compile but
  // match the letters `p{L}`, so every token would fail. unicodeRegExp is ajv's default; it is
  // stated so that nobody turns it off. strict: false because strict mode judges how a schema is
  // written (unknown keywords, implied types), and this one is NIST's, generated, not ours to fix.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: true });
  // ajv-formats is CommonJS: under NodeNext its default import is the module, the plugin its `default`.
  addFormatsPlugin.default(ajv);
  return ajv.compile(JSON.parse(readFileSync(SCHEMA_URL, 'utf8')));
}

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? '/' : error.instancePath;
  const extra =
    error.keyword === 'additionalProperties'
      ? ` (${String(error.params.additionalProperty)})`
      : error.keyword === 'enum'
        ? ` (${(error.params.allowedValues as unknown[]).join(', ')})`
        : '';
  return `${where}: ${error.message ?? error.keyword}${extra}`;
}
