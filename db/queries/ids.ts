// Row ids are uuids. Looking one up by something that is no uuid would make PostgreSQL refuse the
// query (invalid input syntax for type uuid) and surface as a server error; such an id names no
// row, so the lookups answer "not found" without asking.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `value` can be a row id (a uuid in its canonical text form). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
