// Output of the API-backed commands: aligned text for people, JSON for machines.

/** Writes `value` as indented JSON: what `--json` prints. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[headers, ...rows].map(line).join('\n')}\n`;
}

/** A list command's columns: a header and how one item reads under it. */
export type ListColumns<T> = [header: string, cell: (item: T) => string][];

/** What every list command prints: JSON with `--json`, else a table, or `empty` when there is none. */
export function printList<T>(
  items: T[],
  view: { json?: boolean; empty: string; columns: ListColumns<T> },
): void {
  if (view.json) {
    printJson(items);
    return;
  }
  process.stdout.write(
    items.length === 0
      ? `${view.empty}\n`
      : formatTable(
          view.columns.map(([header]) => header),
          items.map((item) => view.columns.map(([, cell]) => cell(item))),
        ),
  );
}

/** `label  value` lines with the labels aligned; pairs without a value are left out. */
export function formatFields(pairs: [string, string | null | undefined][], indent = '  '): string {
  const shown = pairs.filter((pair): pair is [string, string] => pair[1] !== null && pair[1] !== undefined);
  const width = Math.max(0, ...shown.map(([label]) => label.length));
  return shown.map(([label, value]) => `${indent}${label.padEnd(width)}  ${value}\n`).join('');
}

/** An API timestamp to the second, in UTC (`2025-06-01 14:03:12Z`); `-` for none. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '-';
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}
