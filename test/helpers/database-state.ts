// What "a refusal changes nothing" compares: every application table's row count and a hash of its
// rows, the ledger's length, and the intake's events other than recorded refusals (a refusal that
// is security-relevant is audited, which is the one write a refusal makes). One query, so it stays
// cheap enough to take around every fuzzed request.
import type postgres from 'postgres';

/** The state, table by table: `name → "count:md5"`. */
export type DatabaseState = Record<string, string>;

/** The tables a refusal may write to, read separately below. */
const AUDIT_TABLES = new Set(['audit_intake']);

/** Builds the one query for the tables of `sql`'s database (migrations' own table left out). */
export async function stateQuery(sql: postgres.Sql): Promise<() => Promise<DatabaseState>> {
  const tables = await sql<{ name: string }[]>`
    select tablename as name from pg_tables where schemaname = 'public' order by tablename`;
  const parts = tables
    .map((t) => t.name)
    .filter((name) => !AUDIT_TABLES.has(name) && !name.startsWith('__drizzle'))
    .map(
      (name) =>
        `select '${name}' as name, count(*) || ':' || coalesce(md5(string_agg(t::text, ',' order by t::text)), '') as state from "${name}" t`,
    );
  // Refusals are recorded with result denied or failure; anything else is a change.
  parts.push(
    `select 'audit_intake' as name, count(*)::text as state from audit_intake where coalesce(event->>'result', '') not in ('denied', 'failure')`,
  );
  const query = parts.join(' union all ');
  return async () => {
    const rows = await sql.unsafe<{ name: string; state: string }[]>(query);
    return Object.fromEntries(rows.map((row) => [row.name, row.state]));
  };
}

/** The tables whose state differs between `before` and `after`. */
export function changedTables(before: DatabaseState, after: DatabaseState): string[] {
  return Object.keys({ ...before, ...after }).filter((name) => before[name] !== after[name]);
}
