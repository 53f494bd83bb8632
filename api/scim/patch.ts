// PATCH (RFC 7644 §3.5.2) through scim-patch, which knows paths, value filters
// (`members[value eq "…"]`), path-less operations (Okta's `{"op":"replace","value":{"active":false}}`)
// and Entra's capitalised "Replace"/"Add". What is done here before it runs:
// - op names are lower-cased, so "Remove" without a path is caught like "remove";
// - member values are reduced to `{ value }`, so Entra's `{"op":"Remove","path":"members","value":[{"value":…}]}`
//   finds the member whatever `display` or `$ref` either side carries, and an added member is not added twice;
// - a manager given as a bare id (Entra: `"path":"…:User:manager","value":"<id>"`) becomes `{ value: <id> }`;
// - paths and keys naming `__proto__`, `constructor` or `prototype` are refused (scim-patch would
//   otherwise write through them into Object.prototype).
import { patchBodyValidation, type ScimPatch, type ScimPatchOperation, scimPatch } from 'scim-patch';
import { ENTERPRISE_SCHEMA } from './discovery.js';
import { ScimError } from './errors.js';

const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const MAX_OPERATIONS = 1_000;
const FORBIDDEN = /__proto__|constructor|prototype/;
const MANAGER_PATH = `${ENTERPRISE_SCHEMA}:manager`.toLowerCase();

type Json = Record<string, unknown>;

/** `resource` with the PatchOp `body` applied; throws a SCIM error (and changes nothing) when it cannot be. */
export function applyPatch(resource: Json, body: unknown): Json {
  // The library reads `schemas` as a list and throws a TypeError on anything else.
  if (!isObject(body) || !Array.isArray(body.Operations) || !Array.isArray(body.schemas)) {
    throw new ScimError(
      400,
      `A PATCH body is {"schemas":["${PATCH_SCHEMA}"],"Operations":[…]}.`,
      'invalidSyntax',
    );
  }
  if (body.Operations.length > MAX_OPERATIONS) {
    throw new ScimError(400, `At most ${MAX_OPERATIONS} operations per PATCH.`, 'tooMany');
  }
  const operations = body.Operations.map(normalise);
  const patch = { schemas: body.schemas, Operations: operations } as ScimPatch;
  patchBodyValidation(patch);
  return scimPatch(resource as Json & { meta: never; schemas: string[] }, operations, {
    mutateDocument: false,
    treatMissingAsAdd: true,
  });
}

function normalise(operation: unknown): ScimPatchOperation {
  if (!isObject(operation)) throw new ScimError(400, 'Each operation is an object.', 'invalidSyntax');
  const op = typeof operation.op === 'string' ? operation.op.toLowerCase() : operation.op;
  const path = operation.path;
  if (path !== undefined && typeof path !== 'string') {
    throw new ScimError(400, 'An operation path is a string.', 'invalidPath');
  }
  if ((path && FORBIDDEN.test(path)) || hasForbiddenKey(operation.value)) {
    throw new ScimError(400, `The path or value names an attribute that does not exist.`, 'invalidPath');
  }
  const normalised: Json = { ...operation, op };
  if ('value' in operation) normalised.value = normaliseValue(path?.toLowerCase(), operation.value);
  return normalised as unknown as ScimPatchOperation;
}

function normaliseValue(path: string | undefined, value: unknown): unknown {
  if (path === 'members') return members(value);
  if (path === MANAGER_PATH) return manager(value);
  if (path === undefined && isObject(value)) {
    const copy: Json = { ...value };
    for (const [key, item] of Object.entries(copy)) {
      const name = key.toLowerCase();
      if (name === 'members') copy[key] = members(item);
      else if (name === MANAGER_PATH) copy[key] = manager(item);
      else if (name === ENTERPRISE_SCHEMA.toLowerCase() && isObject(item) && 'manager' in item) {
        copy[key] = { ...item, manager: manager(item.manager) };
      }
    }
    return copy;
  }
  return value;
}

function members(value: unknown): unknown {
  const one = (item: unknown) => (isObject(item) && 'value' in item ? { value: String(item.value) } : item);
  return Array.isArray(value) ? value.map(one) : one(value);
}

function manager(value: unknown): unknown {
  if (value === null || typeof value === 'string') return { value: value ?? '' };
  return value;
}

function hasForbiddenKey(value: unknown, depth = 0): boolean {
  if (depth > 20) return true;
  if (Array.isArray(value)) return value.some((item) => hasForbiddenKey(item, depth + 1));
  if (!isObject(value)) return false;
  return Object.entries(value).some(([key, item]) => FORBIDDEN.test(key) || hasForbiddenKey(item, depth + 1));
}

/** A plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
