// Evidence queries name their parameters (`:period_start`), so the text an auditor reads says what
// each value is; PostgreSQL wants `$1`. This binds the names a query uses, in order of first use,
// and records the bound values beside the query in the pack.

/** The values every evidence query may use, by name; each with its PostgreSQL type. */
export type EvidenceParams = {
  period_start: string;
  period_end: string;
  as_of: string;
  tree_size: number;
  /** Rubber-stamping: more than this many decisions ... */
  stamp_items: number;
  /** ... within this many seconds. */
  stamp_seconds: number;
};

const TYPES: Record<keyof EvidenceParams, string> = {
  period_start: 'timestamptz',
  period_end: 'timestamptz',
  as_of: 'timestamptz',
  tree_size: 'bigint',
  stamp_items: 'int',
  stamp_seconds: 'int',
};

const NAMED = new RegExp(`(?<!:):(${Object.keys(TYPES).join('|')})\\b`, 'g');

/**
 * ISO-8601 UTC text of a timestamp expression, as the pack gives it: table times with the
 * microseconds PostgreSQL keeps, ledger times with the milliseconds they were hashed with.
 */
export function isoText(expression: string, precision: 'US' | 'MS' = 'US'): string {
  return `to_char((${expression}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.${precision}"Z"')`;
}

/** A query ready for `sql.unsafe(text, values)`, with the names and values it was bound with. */
export type BoundQuery = {
  text: string;
  values: (string | number)[];
  parameters: Record<string, string | number>;
};

/** Replaces each named parameter by `$n::type`, numbering them by first use. */
export function bindParams(query: string, params: EvidenceParams): BoundQuery {
  const order: (keyof EvidenceParams)[] = [];
  const text = query.replace(NAMED, (_, name: keyof EvidenceParams) => {
    let index = order.indexOf(name);
    if (index < 0) index = order.push(name) - 1;
    return `$${index + 1}::${TYPES[name]}`;
  });
  return {
    text,
    values: order.map((name) => params[name]),
    parameters: Object.fromEntries(order.map((name) => [name, params[name]])),
  };
}
