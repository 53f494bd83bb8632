// The import report: the kinds an import compares, what happened to each, and its human summary.
import path from 'node:path';

/** The kinds of things an import compares, in the order they are applied and reported. */
export const IMPORT_KINDS = [
  'people',
  'groups',
  'memberships',
  'policies',
  'resources',
  'entitlements',
  'sodRules',
  'birthright',
  'access',
] as const;
/** One of IMPORT_KINDS. */
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** One field that differs between the database and the file. */
export type FieldChange = { field: string; before: unknown; after: unknown };
/** An entry (by its key: email, group key, `resource/entitlement`, ...) whose fields changed. */
export type ChangedEntry = { key: string; fields: FieldChange[] };

/**
 * What happened to one kind. `deactivated` holds people set inactive and, for policies, resources,
 * entitlements and rules (separation of duties, birthright), entries retired; `removed` holds
 * deleted groups and memberships. `unchanged` counts entries of the file that already matched.
 */
export type KindReport = {
  added: string[];
  changed: ChangedEntry[];
  removed: string[];
  deactivated: string[];
  unchanged: number;
};

/** The outcome of `importDirectory`; `changed` is false when the database already matched the file. */
export type ImportReport = {
  fileName: string;
  sourceHash: string;
  actor: string;
  dryRun: boolean;
  changed: boolean;
  /**
   * Active imported grants the file no longer lists (`holder resource/entitlement`). Never revoked
   * by an import: leaving a line out is not a decision to take access away.
   */
  accessNotInFile: string[];
  /**
   * People and groups the file lists that a SCIM connection manages (`ada@acme.test`, `group eng`, with
   * the source `scim:okta`): the file never rewrites, deactivates or deletes them; left as is.
   */
  managedElsewhere?: { key: string; source: string }[];
} & Record<ImportKind, KindReport>;

const KIND_LABELS: Record<ImportKind, { label: string; deactivated: string }> = {
  people: { label: 'people', deactivated: 'deactivated' },
  groups: { label: 'groups', deactivated: 'deactivated' },
  memberships: { label: 'memberships', deactivated: 'deactivated' },
  policies: { label: 'policies', deactivated: 'retired' },
  resources: { label: 'resources', deactivated: 'retired' },
  entitlements: { label: 'entitlements', deactivated: 'retired' },
  sodRules: { label: 'separation of duties', deactivated: 'retired' },
  birthright: { label: 'birthright rules', deactivated: 'retired' },
  access: { label: 'existing access', deactivated: 'deactivated' },
};

const LISTED = 5;

function names(keys: string[]): string {
  const shown = keys.slice(0, LISTED).join(', ');
  return keys.length > LISTED ? `${shown}, +${keys.length - LISTED} more` : shown;
}

function show(value: unknown): string {
  return value === null || value === undefined ? '(none)' : JSON.stringify(value);
}

/**
 * A human summary, one line per kind ("people: 2 added (…), 1 changed (dana@acme.test: department), 1
 * deactivated (…), 27 unchanged"); with `details`, every changed field with its before and after.
 */
export function formatImportReport(report: ImportReport, options: { details?: boolean } = {}): string {
  const file = path.basename(report.fileName);
  const notInFile = report.accessNotInFile.length
    ? [
        `  existing access: ${report.accessNotInFile.length} imported grants are no longer in the file and stay active (${names(report.accessNotInFile)}); revoke them with \`grantflow grants revoke\` or review them in a campaign`,
      ]
    : [];
  const sources = [...new Set((report.managedElsewhere ?? []).map((m) => m.source))].sort();
  const managed = sources.map((source) => {
    const keys = (report.managedElsewhere ?? []).filter((m) => m.source === source).map((m) => m.key);
    return `  managed by ${source}, left as is: ${keys.length} (${names(keys)})`;
  });
  if (!report.changed)
    return [`No changes: the database already matches ${file}.`, ...managed, ...notInFile].join('\n');
  const lines = [`${report.dryRun ? 'Would import' : 'Imported'} ${file}:`];
  for (const kind of IMPORT_KINDS) {
    const entry = report[kind];
    const { label, deactivated } = KIND_LABELS[kind];
    const parts: string[] = [];
    if (entry.added.length > 0) parts.push(`${entry.added.length} added (${names(entry.added)})`);
    if (entry.changed.length > 0) {
      const described = entry.changed.map((c) => `${c.key}: ${c.fields.map((f) => f.field).join(', ')}`);
      parts.push(
        `${entry.changed.length} changed (${described.slice(0, LISTED).join('; ')}${
          described.length > LISTED ? `; +${described.length - LISTED} more` : ''
        })`,
      );
    }
    if (entry.removed.length > 0) parts.push(`${entry.removed.length} removed (${names(entry.removed)})`);
    if (entry.deactivated.length > 0) {
      parts.push(`${entry.deactivated.length} ${deactivated} (${names(entry.deactivated)})`);
    }
    if (entry.unchanged > 0) parts.push(`${entry.unchanged} unchanged`);
    if (parts.length === 0) continue;
    lines.push(`  ${label}: ${parts.join(', ')}`);
    if (!options.details) continue;
    for (const change of entry.changed) {
      for (const field of change.fields) {
        lines.push(`    ${change.key} ${field.field}: ${show(field.before)} → ${show(field.after)}`);
      }
    }
  }
  return [...lines, ...managed, ...notInFile].join('\n');
}
