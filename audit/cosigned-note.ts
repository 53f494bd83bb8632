// "The checkpoint note with its cosignatures": the log's signed note followed by every witness
// cosignature line stored for it, which is what proofs, evidence packs, the API and the export
// directory hand out, so that any C2SP verifier holding a witness's key can count it.
import type postgres from 'postgres';

type Sql = postgres.Sql | postgres.TransactionSql;

/**
 * A select-list item `<note with cosignature lines> as note` for the audit_checkpoint row named
 * `alias` in the query (the table's own name when it is not aliased).
 */
export function cosignedNoteColumn(sql: Sql, alias = 'audit_checkpoint') {
  const table = sql(alias);
  return sql`(${table}.note || coalesce((
    select string_agg(s.line || E'\n', '' order by s.witness_name, s.id) from audit_cosignature s
    where s.checkpoint_id = ${table}.id), '')) as note`;
}
