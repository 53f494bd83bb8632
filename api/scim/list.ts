// What every SCIM read shares: pagination (`startIndex` from 1, `count`), the ListResponse envelope,
// and `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5, on top-level attributes and extensions).
import { LIST_SCHEMA, MAX_RESULTS } from './discovery.js';

/** The query parameters of a SCIM read. */
export type ScimQuery = {
  filter?: string;
  startIndex?: string;
  count?: string;
  attributes?: string;
  excludedAttributes?: string;
};

/** A page as the queries take it, and the `startIndex` the answer echoes. */
export function pageOf(query: ScimQuery): { limit: number; offset: number; startIndex: number } {
  const start = Number.parseInt(query.startIndex ?? '', 10);
  const count = Number.parseInt(query.count ?? '', 10);
  const startIndex = Number.isFinite(start) && start > 1 ? start : 1;
  const limit = Number.isFinite(count) ? Math.min(Math.max(count, 0), MAX_RESULTS) : 100;
  return { limit, offset: startIndex - 1, startIndex };
}

/** The ListResponse envelope. */
export function listResponse(resources: Record<string, unknown>[], total: number, startIndex: number) {
  return {
    schemas: [LIST_SCHEMA],
    totalResults: total,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

const names = (list: string | undefined) =>
  (list ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);

/** The top-level key of `resource` an attribute name (`name.givenName`, `urn:…:User:department`) refers to. */
function keyOf(resource: Record<string, unknown>, attribute: string, coreSchema: string): string | undefined {
  const keys = Object.keys(resource);
  const extension = keys.find((key) => key.startsWith('urn:') && attribute.startsWith(key.toLowerCase()));
  if (extension) return extension;
  const core = coreSchema.toLowerCase();
  const bare = attribute.startsWith(`${core}:`) ? attribute.slice(core.length + 1) : attribute;
  const top = bare.split('.')[0];
  return keys.find((key) => key.toLowerCase() === top);
}

/** Whether members may be left out of a group answer (Entra asks with `excludedAttributes=members`). */
export function wantsMembers(query: ScimQuery): boolean {
  const excluded = names(query.excludedAttributes);
  const only = names(query.attributes);
  if (excluded.some((name) => name === 'members' || name.startsWith('members.'))) return false;
  return only.length === 0 || only.some((name) => name === 'members' || name.startsWith('members.'));
}

/** `resource` reduced as `attributes` / `excludedAttributes` ask; `id` and `schemas` always stay. */
export function project(
  resource: Record<string, unknown>,
  query: ScimQuery,
  coreSchema: string,
): Record<string, unknown> {
  const only = names(query.attributes);
  const excluded = names(query.excludedAttributes);
  if (only.length === 0 && excluded.length === 0) return resource;
  const always = new Set(['id', 'schemas']);
  const keep = new Set(only.map((name) => keyOf(resource, name, coreSchema)).filter((k) => k !== undefined));
  const drop = new Set(
    excluded.map((name) => keyOf(resource, name, coreSchema)).filter((k) => k !== undefined),
  );
  return Object.fromEntries(
    Object.entries(resource).filter(
      ([key]) => always.has(key) || ((only.length === 0 || keep.has(key)) && !drop.has(key)),
    ),
  );
}
