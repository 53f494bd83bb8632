// `?filter=` as identity providers send it (`userName eq "ada@acme.test"`, `externalId eq "…"`,
// `displayName eq "…"`, `and`, `emails[type eq "work"].value eq "…"`): parsed by scim2-parse-filter,
// then mapped onto the fields the queries know. Attribute names compare case-insensitively (RFC 7643
// §2.1); an attribute this service provider does not map is an `invalidFilter`, never ignored.
import { type Filter, parse } from 'scim2-parse-filter';
import type { GroupField } from '../../db/queries/groups.js';
import type { PersonField } from '../../db/queries/people.js';
import type { FilterComparison, FilterValue, RecordFilter } from '../../db/queries/record-filter.js';
import { ENTERPRISE_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from './discovery.js';
import { ScimError } from './errors.js';

/** What an attribute means: a field of a kind, or a constant (every user's one email is the primary work one). */
type Target<F> = { field: F; kind: 'text' | 'bool' | 'time' } | { constant: string | boolean };

const enterprise = (name: string) => `${ENTERPRISE_SCHEMA}:${name}`.toLowerCase();

const USER_ATTRIBUTES = new Map<string, Target<PersonField>>([
  ['id', { field: 'id', kind: 'text' }],
  ['username', { field: 'email', kind: 'text' }],
  ['emails', { field: 'email', kind: 'text' }],
  ['emails.value', { field: 'email', kind: 'text' }],
  ['emails.type', { constant: 'work' }],
  ['emails.primary', { constant: true }],
  ['externalid', { field: 'externalId', kind: 'text' }],
  ['displayname', { field: 'name', kind: 'text' }],
  ['name.formatted', { field: 'name', kind: 'text' }],
  ['active', { field: 'active', kind: 'bool' }],
  ['title', { field: 'title', kind: 'text' }],
  [enterprise('department'), { field: 'department', kind: 'text' }],
  [enterprise('employeeNumber'), { field: 'employeeNumber', kind: 'text' }],
  [enterprise('manager'), { field: 'managerId', kind: 'text' }],
  [enterprise('manager.value'), { field: 'managerId', kind: 'text' }],
  ['meta.created', { field: 'createdAt', kind: 'time' }],
  ['meta.lastmodified', { field: 'updatedAt', kind: 'time' }],
]);

const GROUP_ATTRIBUTES = new Map<string, Target<GroupField>>([
  ['id', { field: 'id', kind: 'text' }],
  ['displayname', { field: 'name', kind: 'text' }],
  ['externalid', { field: 'externalId', kind: 'text' }],
  ['members', { field: 'member', kind: 'text' }],
  ['members.value', { field: 'member', kind: 'text' }],
  ['meta.created', { field: 'createdAt', kind: 'time' }],
  ['meta.lastmodified', { field: 'updatedAt', kind: 'time' }],
]);

/** The users filter `text` means; undefined without one. */
export function userFilter(text: string | undefined): RecordFilter<PersonField> | undefined {
  return translateText(text, USER_ATTRIBUTES, USER_SCHEMA);
}

/** The groups filter `text` means; undefined without one. */
export function groupFilter(text: string | undefined): RecordFilter<GroupField> | undefined {
  return translateText(text, GROUP_ATTRIBUTES, GROUP_SCHEMA);
}

function translateText<F extends string>(
  text: string | undefined,
  attributes: Map<string, Target<F>>,
  coreSchema: string,
): RecordFilter<F> | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  if (text.length > 4_000) throw new ScimError(400, 'The filter is too long.', 'invalidFilter');
  let ast: Filter;
  try {
    ast = parse(text);
  } catch (error) {
    throw new ScimError(
      400,
      `The filter ${JSON.stringify(text)} is not valid: ${(error as Error).message}`,
      'invalidFilter',
    );
  }
  return translate(ast, attributes, coreSchema.toLowerCase(), '');
}

function translate<F extends string>(
  node: Filter,
  attributes: Map<string, Target<F>>,
  core: string,
  prefix: string,
): RecordFilter<F> {
  switch (node.op) {
    case 'and':
    case 'or':
      return { op: node.op, filters: node.filters.map((f) => translate(f, attributes, core, prefix)) };
    case 'not':
      return { op: 'not', filter: translate(node.filter, attributes, core, prefix) };
    case '[]':
      return translate(node.valFilter, attributes, core, `${node.attrPath}.`);
    default: {
      const name = `${prefix}${node.attrPath}`.toLowerCase();
      const bare = name.startsWith(`${core}:`) ? name.slice(core.length + 1) : name;
      const target = attributes.get(bare);
      if (!target)
        throw new ScimError(400, `Filtering on ${node.attrPath} is not supported.`, 'invalidFilter');
      const value = 'compValue' in node ? node.compValue : undefined;
      if ('constant' in target) return { op: 'const', value: constant(target.constant, node.op, value) };
      return {
        op: node.op as FilterComparison,
        field: target.field,
        value: comparedValue(target.kind, node.attrPath, value),
      };
    }
  }
}

function constant(actual: string | boolean, op: string, value: unknown): boolean {
  const same = typeof actual === 'string' ? String(value).toLowerCase() === actual : value === actual;
  if (op === 'pr') return true;
  if (op === 'eq') return same;
  if (op === 'ne') return !same;
  return false;
}

function comparedValue(
  kind: 'text' | 'bool' | 'time',
  attribute: string,
  value: unknown,
): FilterValue | undefined {
  if (value === undefined || value === null) return value;
  if (kind === 'bool') {
    const text = String(value).toLowerCase();
    if (text === 'true' || text === 'false') return text === 'true';
    throw new ScimError(400, `${attribute} compares with true or false.`, 'invalidFilter');
  }
  if (kind === 'time') {
    const time = new Date(String(value));
    if (Number.isNaN(time.getTime())) {
      throw new ScimError(
        400,
        `${attribute} compares with a date-time like "2025-01-31T12:00:00Z".`,
        'invalidFilter',
      );
    }
    return time;
  }
  return String(value);
}
