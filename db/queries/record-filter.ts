// A small, protocol-neutral filter over named fields, turned into SQL here: the SCIM door parses
// `userName eq "…" and active eq true` with its library and hands over this tree, so no query
// string ever reaches the database and no SQL is built outside db/queries/.
import { type SQL, sql } from 'drizzle-orm';

/** The comparisons a filter may use (RFC 7644 §3.4.2.2's operators). */
export type FilterComparison = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le' | 'pr';

/** A value compared with: text, a flag, a time, or null (`eq null`). */
export type FilterValue = string | boolean | Date | null;

/** A filter over the fields `F` of one kind of record. */
export type RecordFilter<F extends string> =
  | { op: 'and' | 'or'; filters: RecordFilter<F>[] }
  | { op: 'not'; filter: RecordFilter<F> }
  | { op: FilterComparison; field: F; value?: FilterValue }
  /** Always true or false: a condition the caller could decide without the database. */
  | { op: 'const'; value: boolean };

/**
 * How one field reads in SQL: text compared case-insensitively (`text`) or exactly (`exact`), a
 * flag, a time; or a custom builder (a membership test, say).
 */
export type FieldSql =
  | { kind: 'text' | 'exact' | 'bool' | 'time'; expr: SQL }
  /** Compared without regard to case, of a column stored lower-cased (so its index serves). */
  | { kind: 'lowercased'; expr: SQL }
  | { kind: 'custom'; build: (op: FilterComparison, value: FilterValue | undefined) => SQL };

/** The SQL condition for `filter` over `fields`. */
export function filterSql<F extends string>(filter: RecordFilter<F>, fields: Record<F, FieldSql>): SQL {
  switch (filter.op) {
    case 'and':
    case 'or': {
      if (filter.filters.length === 0) return filter.op === 'and' ? sql`true` : sql`false`;
      const parts = filter.filters.map((f) => sql`(${filterSql(f, fields)})`);
      return sql.join(parts, filter.op === 'and' ? sql` and ` : sql` or `);
    }
    case 'not':
      return sql`not (${filterSql(filter.filter, fields)})`;
    case 'const':
      return filter.value ? sql`true` : sql`false`;
    default:
      return comparison(fields[filter.field], filter.op, filter.value);
  }
}

function comparison(field: FieldSql, op: FilterComparison, value: FilterValue | undefined): SQL {
  if (field.kind === 'custom') return field.build(op, value);
  const { expr } = field;
  if (op === 'pr')
    return field.kind === 'text' || field.kind === 'exact' || field.kind === 'lowercased'
      ? sql`coalesce(${expr}, '') <> ''`
      : sql`${expr} is not null`;
  if (value === null || value === undefined)
    return op === 'ne' ? sql`${expr} is not null` : sql`${expr} is null`;
  if (field.kind === 'bool' || field.kind === 'time') {
    const v =
      field.kind === 'time' ? sql`${(value as Date).toISOString()}::timestamptz` : sql`${value === true}`;
    return ordered(expr, op, v) ?? sql`false`;
  }
  const text = String(value);
  const left = field.kind === 'text' ? sql`lower(${expr})` : expr;
  const right = field.kind === 'exact' ? sql`${text}` : sql`lower(${text})`;
  switch (op) {
    case 'co':
      return sql`strpos(${left}, ${right}) > 0`;
    case 'sw':
      return sql`starts_with(${left}, ${right})`;
    case 'ew':
      return sql`right(${left}, ${text.length}) = ${right}`;
    default:
      return ordered(left, op, right) ?? sql`false`;
  }
}

function ordered(left: SQL, op: FilterComparison, right: SQL): SQL | undefined {
  switch (op) {
    case 'eq':
      return sql`${left} = ${right}`;
    case 'ne':
      return sql`${left} is distinct from ${right}`;
    case 'gt':
      return sql`${left} > ${right}`;
    case 'ge':
      return sql`${left} >= ${right}`;
    case 'lt':
      return sql`${left} < ${right}`;
    case 'le':
      return sql`${left} <= ${right}`;
    default:
      return undefined;
  }
}
