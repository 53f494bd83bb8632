// Applies a directory file to the database as one transaction: the file is the truth for what it lists.
// Nothing is ever deleted that something else may point at (people, policies, the catalog): those are
// deactivated or retired, so grants, decisions and the audit ledger keep their referents. Rows that
// already match are not written at all, so a re-import leaves even `updated_at` alone.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { sql, TransactionRollbackError } from 'drizzle-orm';
import { canonicalize } from '../audit/canonical.js';
import { appendToIntake } from '../audit/intake.js';
import type { Database, Transaction } from '../db/client.js';
import {
  type EntitlementPatch,
  insertEntitlements,
  listAllEntitlements,
  type NewEntitlement,
  updateEntitlement,
} from '../db/queries/entitlements.js';
import {
  addMemberships,
  deleteGroups,
  type GroupPatch,
  insertGroup,
  listGroups,
  listMemberships,
  removeMemberships,
  updateGroup,
} from '../db/queries/groups.js';
import {
  insertPeople,
  listAllPeople,
  type PersonPatch,
  releaseSlackUserIds,
  updatePerson,
} from '../db/queries/people.js';
import {
  insertPolicy,
  insertPolicyVersion,
  listCurrentPolicies,
  type PolicyPatch,
  updatePolicy,
} from '../db/queries/policies.js';
import {
  insertResource,
  listAllResources,
  type ResourcePatch,
  updateResource,
} from '../db/queries/resources.js';
import { insertSodRule, listSodRules, type SodRulePatch, updateSodRule } from '../db/queries/sod-rules.js';
import type { Person } from '../db/schema.js';
import { formatDuration } from '../domain/index.js';
import { directoryAuditWrites } from './audit-events.js';
import type { DirectoryPolicy } from './file-schema.js';
import { applyAccess } from './import-access.js';
import type { ParsedDirectory } from './parse.js';

/** The kinds of things an import compares, in the order they are applied and reported. */
export const IMPORT_KINDS = [
  'people',
  'groups',
  'memberships',
  'policies',
  'resources',
  'entitlements',
  'sodRules',
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
 * entitlements and rules, entries retired; `removed` holds deleted groups and memberships. `unchanged`
 * counts entries of the file that already matched.
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
} & Record<ImportKind, KindReport>;

/** Options of `importDirectory`. */
export type ImportOptions = {
  /** Who imports, recorded on new policy versions (`cli:dana`, `api:<token id>`, ...). */
  actor: string;
  /** Compute the report inside a transaction that is then rolled back. */
  dryRun?: boolean;
  /**
   * Runs inside the import's transaction once everything is applied (not on a dry run), so audit
   * events about the change (e.g. `config.policy.changed` with before/after) commit or roll back
   * together with it. Throwing rolls the whole import back.
   */
  beforeCommit?: (tx: Transaction, report: ImportReport) => Promise<void>;
};

// Serialises concurrent imports (two admins, or the CLI racing `grantflow dev`): each compares against
// what the previous one committed. The value is arbitrary but fixed ("gf-dir" in ASCII).
const IMPORT_LOCK_KEY = 0x67662d646972;

/** Makes the database match the file in one transaction and reports every difference it applied. */
export async function importDirectory(
  db: Database,
  parsed: ParsedDirectory,
  options: ImportOptions,
): Promise<ImportReport> {
  const report: ImportReport = {
    fileName: parsed.fileName,
    sourceHash: parsed.sourceHash,
    actor: options.actor,
    dryRun: options.dryRun ?? false,
    changed: false,
    accessNotInFile: [],
    ...(Object.fromEntries(IMPORT_KINDS.map((kind) => [kind, emptyKind()])) as Record<
      ImportKind,
      KindReport
    >),
  };
  try {
    await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(IMPORT_LOCK_KEY))})`);
      await applyDirectory(tx, parsed, options.actor, report);
      report.changed = IMPORT_KINDS.some((kind) => {
        const { added, changed, removed, deactivated } = report[kind];
        return added.length + changed.length + removed.length + deactivated.length > 0;
      });
      // Rolling back (rather than skipping the writes) makes a dry run hit every constraint a real run would.
      if (report.dryRun) tx.rollback();
      // Recorded in the same transaction: the change and its audit trail commit together or not at all.
      if (report.changed) await appendToIntake(tx, directoryAuditWrites(report));
      await options.beforeCommit?.(tx, report);
    });
  } catch (error) {
    if (!(report.dryRun && error instanceof TransactionRollbackError)) throw error;
  }
  return report;
}

function emptyKind(): KindReport {
  return { added: [], changed: [], removed: [], deactivated: [], unchanged: 0 };
}

async function applyDirectory(tx: Transaction, parsed: ParsedDirectory, actor: string, report: ImportReport) {
  const { directory } = parsed;
  const peopleByEmail = await applyPeople(tx, directory.people, report.people);
  const emailOf = new Map([...peopleByEmail.values()].map((person) => [person.id, person.email]));
  const idOf = (email: string) => {
    const person = peopleByEmail.get(email);
    if (!person) throw new Error(`bug: person ${email} was not imported`);
    return person.id;
  };
  await applyGroups(tx, directory.groups, idOf, report);
  const policyIds = await applyPolicies(tx, directory.policies, actor, report.policies);
  const resourceIds = await applyResources(tx, directory.resources, idOf, emailOf, report.resources);
  await applyEntitlements(tx, directory.resources, resourceIds, policyIds, report.entitlements);
  await applySodRules(tx, directory.separationOfDuties, report.sodRules);
  await applyAccess(tx, directory.access, idOf, report);
}

/** Field-by-field differences, in the order given; values compared as canonical JSON. */
function diff(fields: [field: string, before: unknown, after: unknown][]): FieldChange[] {
  return fields
    .filter(([, before, after]) => !sameJson(before, after))
    .map(([field, before, after]) => ({ field, before: before ?? null, after: after ?? null }));
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonicalize(toJson(a)) === canonicalize(toJson(b));
}

// Optional fields are absent in parsed objects; JSON (and jsonb) has no `undefined`.
function toJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

async function applyPeople(
  tx: Transaction,
  filePeople: ParsedDirectory['directory']['people'],
  report: KindReport,
): Promise<Map<string, Person>> {
  const existing = await listAllPeople(tx);
  const byEmail = new Map(existing.map((person) => [person.email, person]));
  const emailById = new Map(existing.map((person) => [person.id, person.email]));
  const inFile = new Set(filePeople.map((person) => person.email));
  const claimedSlackIds = new Set(
    filePeople.flatMap((person) => (person.slackUserId ? [person.slackUserId] : [])),
  );

  type Pending = { person: Person; fields: FieldChange[]; patch: PersonPatch; managerEmail?: string | null };
  const updates: Pending[] = [];
  const added: ParsedDirectory['directory']['people'] = [];
  for (const entry of filePeople) {
    const current = byEmail.get(entry.email);
    if (!current) {
      added.push(entry);
      continue;
    }
    const currentManager = current.managerId ? (emailById.get(current.managerId) ?? null) : null;
    const fields = diff([
      ['name', current.name, entry.name],
      ['slackUserId', current.slackUserId, entry.slackUserId],
      ['manager', currentManager, entry.manager],
      ['department', current.department, entry.department],
      ['title', current.title, entry.title],
      ['status', current.status, entry.status],
    ]);
    if (fields.length === 0) {
      report.unchanged += 1;
      continue;
    }
    const patch: PersonPatch = {};
    let managerEmail: string | null | undefined;
    for (const { field, after } of fields) {
      if (field === 'manager') managerEmail = after as string | null;
      else Object.assign(patch, { [field]: after });
    }
    updates.push({ person: current, fields, patch, managerEmail });
    report.changed.push({ key: entry.email, fields });
  }
  // People who left: deactivated, never deleted. A Slack id now used by someone in the file moves over.
  for (const person of existing) {
    if (inFile.has(person.email)) continue;
    const patch: PersonPatch = {};
    if (person.status === 'active') patch.status = 'inactive';
    if (person.slackUserId && claimedSlackIds.has(person.slackUserId)) patch.slackUserId = null;
    if (Object.keys(patch).length === 0) continue;
    updates.push({ person, fields: [], patch });
    if (patch.status) report.deactivated.push(person.email);
    else
      report.changed.push({ key: person.email, fields: diff([['slackUserId', person.slackUserId, null]]) });
  }

  // The Slack id index is unique and not deferrable: free every id that moves before anyone takes it.
  await releaseSlackUserIds(
    tx,
    updates.filter((u) => u.patch.slackUserId !== undefined && u.person.slackUserId).map((u) => u.person.id),
  );
  const inserted = await insertPeople(
    tx,
    added.map((entry) => ({
      email: entry.email,
      name: entry.name,
      slackUserId: entry.slackUserId ?? null,
      department: entry.department ?? null,
      title: entry.title ?? null,
      status: entry.status,
    })),
  );
  report.added.push(...added.map((entry) => entry.email));

  const all = new Map(existing.map((person) => [person.email, person]));
  for (const person of inserted) all.set(person.email, person);
  const idOf = (email: string) => all.get(email)?.id ?? null;
  for (const update of updates) {
    const patch = { ...update.patch };
    if (update.managerEmail !== undefined)
      patch.managerId = update.managerEmail ? idOf(update.managerEmail) : null;
    await updatePerson(tx, update.person.id, patch);
  }
  // Managers last: a manager may appear later in the file than the people they manage.
  for (const entry of added) {
    if (entry.manager)
      await updatePerson(tx, idOf(entry.email) as string, { managerId: idOf(entry.manager) });
  }
  return all;
}

async function applyGroups(
  tx: Transaction,
  fileGroups: ParsedDirectory['directory']['groups'],
  personId: (email: string) => string,
  report: ImportReport,
): Promise<void> {
  const existing = new Map((await listGroups(tx)).map((group) => [group.key, group]));
  const currentMemberships = await listMemberships(tx);
  const groupIds = new Map([...existing.values()].map((group) => [group.key, group.id]));

  for (const entry of fileGroups) {
    const current = existing.get(entry.key);
    if (!current) {
      const group = await insertGroup(tx, {
        key: entry.key,
        name: entry.name,
        description: entry.description ?? null,
      });
      groupIds.set(entry.key, group.id);
      report.groups.added.push(entry.key);
      continue;
    }
    const fields = diff([
      ['name', current.name, entry.name],
      ['description', current.description, entry.description],
    ]);
    if (fields.length === 0) {
      report.groups.unchanged += 1;
      continue;
    }
    const patch: GroupPatch = {};
    for (const { field, after } of fields) Object.assign(patch, { [field]: after });
    await updateGroup(tx, current.id, patch);
    report.groups.changed.push({ key: entry.key, fields });
  }

  const wanted = new Set(
    fileGroups.flatMap((group) => group.members.map((email) => `${group.key}/${email}`)),
  );
  const have = new Set(currentMemberships.map((m) => `${m.groupKey}/${m.email}`));
  const keptGroups = new Set(fileGroups.map((group) => group.key));
  const removedGroups = [...existing.values()].filter((group) => !keptGroups.has(group.key));

  const toRemove = currentMemberships.filter((m) => !wanted.has(`${m.groupKey}/${m.email}`));
  // Memberships of removed groups go with the group.
  await removeMemberships(
    tx,
    toRemove.filter((m) => keptGroups.has(m.groupKey)),
  );
  await deleteGroups(
    tx,
    removedGroups.map((group) => group.id),
  );
  report.groups.removed.push(...removedGroups.map((group) => group.key));
  report.memberships.removed.push(...toRemove.map((m) => `${m.groupKey}/${m.email}`));

  const toAdd = fileGroups.flatMap((group) =>
    group.members
      .filter((email) => !have.has(`${group.key}/${email}`))
      .map((email) => ({ group: group.key, email })),
  );
  await addMemberships(
    tx,
    toAdd.map(({ group, email }) => ({ groupId: groupIds.get(group) as string, personId: personId(email) })),
  );
  report.memberships.added.push(...toAdd.map(({ group, email }) => `${group}/${email}`));
  report.memberships.unchanged = wanted.size - toAdd.length;
}

/** The stored form of a policy: everything in the file entry except its key, with no undefined fields. */
export function policyDefinitionOf(entry: DirectoryPolicy): Record<string, unknown> {
  const { key: _key, ...definition } = entry;
  return toJson(definition) as Record<string, unknown>;
}

/** SHA-256 (hex) of the canonical JSON (RFC 8785, keys sorted) of a policy definition. */
export function policyDefinitionHash(definition: unknown): string {
  return createHash('sha256').update(canonicalize(definition), 'utf8').digest('hex');
}

async function applyPolicies(
  tx: Transaction,
  filePolicies: DirectoryPolicy[],
  actor: string,
  report: KindReport,
): Promise<Map<string, string>> {
  const existing = await listCurrentPolicies(tx);
  const byKey = new Map(existing.map((current) => [current.policy.key, current]));
  const ids = new Map(existing.map((current) => [current.policy.key, current.policy.id]));
  const inFile = new Set(filePolicies.map((policy) => policy.key));

  for (const entry of filePolicies) {
    const definition = policyDefinitionOf(entry);
    const hash = policyDefinitionHash(definition);
    const current = byKey.get(entry.key);
    if (!current) {
      const policy = await insertPolicy(tx, {
        key: entry.key,
        description: entry.description ?? null,
        currentVersion: 1,
      });
      await insertPolicyVersion(tx, {
        policyId: policy.id,
        version: 1,
        definition,
        definitionHash: hash,
        createdBy: actor,
      });
      ids.set(entry.key, policy.id);
      report.added.push(entry.key);
      continue;
    }
    const fields: FieldChange[] = [];
    const patch: PolicyPatch = {};
    if (hash !== current.version.definitionHash) {
      const before = (current.version.definition ?? {}) as Record<string, unknown>;
      const names = [...new Set([...Object.keys(definition), ...Object.keys(before)])];
      fields.push(...diff(names.map((name) => [name, before[name], definition[name]])));
      const version = current.policy.currentVersion + 1;
      await insertPolicyVersion(tx, {
        policyId: current.policy.id,
        version,
        definition,
        definitionHash: hash,
        createdBy: actor,
      });
      fields.push({ field: 'version', before: current.policy.currentVersion, after: version });
      patch.currentVersion = version;
    }
    if ((current.policy.description ?? null) !== (entry.description ?? null)) {
      patch.description = entry.description ?? null;
      if (!fields.some((f) => f.field === 'description')) {
        fields.push({ field: 'description', before: current.policy.description, after: patch.description });
      }
    }
    if (current.policy.status !== 'active') {
      patch.status = 'active';
      fields.push({ field: 'status', before: current.policy.status, after: 'active' });
    }
    if (fields.length === 0) {
      report.unchanged += 1;
      continue;
    }
    await updatePolicy(tx, current.policy.id, patch);
    report.changed.push({ key: entry.key, fields });
  }
  for (const current of existing) {
    if (inFile.has(current.policy.key) || current.policy.status === 'retired') continue;
    await updatePolicy(tx, current.policy.id, { status: 'retired' });
    report.deactivated.push(current.policy.key);
  }
  return ids;
}

async function applyResources(
  tx: Transaction,
  fileResources: ParsedDirectory['directory']['resources'],
  personId: (email: string) => string,
  emailOf: Map<string, string>,
  report: KindReport,
): Promise<Map<string, string>> {
  const existing = await listAllResources(tx);
  const byKey = new Map(existing.map((resource) => [resource.key, resource]));
  const ids = new Map(existing.map((resource) => [resource.key, resource.id]));
  const inFile = new Set(fileResources.map((resource) => resource.key));

  for (const entry of fileResources) {
    const { kind, ...config } = entry.connector;
    const current = byKey.get(entry.key);
    if (!current) {
      const resource = await insertResource(tx, {
        key: entry.key,
        name: entry.name,
        description: entry.description ?? null,
        ownerId: personId(entry.owner),
        connectorKind: kind,
        connectorConfig: config,
      });
      ids.set(entry.key, resource.id);
      report.added.push(entry.key);
      continue;
    }
    const fields = diff([
      ['name', current.name, entry.name],
      ['description', current.description, entry.description],
      ['owner', emailOf.get(current.ownerId), entry.owner],
      [
        'connector',
        { kind: current.connectorKind, ...(current.connectorConfig as object) },
        { kind, ...config },
      ],
      ['status', current.status, 'active'],
    ]);
    if (fields.length === 0) {
      report.unchanged += 1;
      continue;
    }
    const patch: ResourcePatch = {};
    for (const { field, after } of fields) {
      if (field === 'owner') patch.ownerId = personId(after as string);
      else if (field === 'connector') Object.assign(patch, { connectorKind: kind, connectorConfig: config });
      else Object.assign(patch, { [field]: after });
    }
    await updateResource(tx, current.id, patch);
    report.changed.push({ key: entry.key, fields });
  }
  for (const resource of existing) {
    if (inFile.has(resource.key) || resource.status === 'retired') continue;
    await updateResource(tx, resource.id, { status: 'retired' });
    report.deactivated.push(resource.key);
  }
  return ids;
}

async function applyEntitlements(
  tx: Transaction,
  fileResources: ParsedDirectory['directory']['resources'],
  resourceIds: Map<string, string>,
  policyIds: Map<string, string>,
  report: KindReport,
): Promise<void> {
  const existing = await listAllEntitlements(tx);
  const byRef = new Map(
    existing.map((entitlement) => [`${entitlement.resourceKey}/${entitlement.key}`, entitlement]),
  );
  const policyKeys = new Map([...policyIds].map(([key, id]) => [id, key]));
  const inFile = new Set<string>();
  const inserts: NewEntitlement[] = [];

  for (const resource of fileResources) {
    for (const entry of resource.entitlements) {
      const ref = `${resource.key}/${entry.key}`;
      inFile.add(ref);
      const policyId = policyIds.get(entry.policy) as string;
      const current = byRef.get(ref);
      if (!current) {
        inserts.push({
          resourceId: resourceIds.get(resource.key) as string,
          key: entry.key,
          name: entry.name,
          description: entry.description ?? null,
          riskLevel: entry.risk,
          maxDurationSeconds: entry.maxDuration,
          policyId,
          connectorTarget: entry.target ?? {},
        });
        report.added.push(ref);
        continue;
      }
      const fields = diff([
        ['name', current.name, entry.name],
        ['description', current.description, entry.description],
        ['risk', current.riskLevel, entry.risk],
        ['maxDuration', formatDuration(current.maxDurationSeconds), formatDuration(entry.maxDuration)],
        ['policy', policyKeys.get(current.policyId), entry.policy],
        ['target', current.connectorTarget, entry.target ?? {}],
        ['status', current.status, 'active'],
      ]);
      if (fields.length === 0) {
        report.unchanged += 1;
        continue;
      }
      const patch: EntitlementPatch = {};
      for (const { field } of fields) {
        if (field === 'name') patch.name = entry.name;
        else if (field === 'description') patch.description = entry.description ?? null;
        else if (field === 'risk') patch.riskLevel = entry.risk;
        else if (field === 'maxDuration') patch.maxDurationSeconds = entry.maxDuration;
        else if (field === 'policy') patch.policyId = policyId;
        else if (field === 'target') patch.connectorTarget = entry.target ?? {};
        else if (field === 'status') patch.status = 'active';
      }
      await updateEntitlement(tx, current.id, patch);
      report.changed.push({ key: ref, fields });
    }
  }
  await insertEntitlements(tx, inserts);
  for (const [ref, entitlement] of byRef) {
    if (inFile.has(ref) || entitlement.status === 'retired') continue;
    await updateEntitlement(tx, entitlement.id, { status: 'retired' });
    report.deactivated.push(ref);
  }
}

async function applySodRules(
  tx: Transaction,
  fileRules: ParsedDirectory['directory']['separationOfDuties'],
  report: KindReport,
): Promise<void> {
  const existing = await listSodRules(tx, { includeRetired: true });
  const byKey = new Map(existing.map((rule) => [rule.key, rule]));
  const inFile = new Set(fileRules.map((rule) => rule.key));

  for (const entry of fileRules) {
    const approvers = entry.approvers ?? [];
    const current = byKey.get(entry.key);
    if (!current) {
      await insertSodRule(tx, {
        key: entry.key,
        description: entry.description ?? null,
        entitlementKeys: entry.entitlements,
        action: entry.action,
        approvers,
      });
      report.added.push(entry.key);
      continue;
    }
    const fields = diff([
      ['description', current.description, entry.description],
      ['entitlements', current.entitlementKeys, entry.entitlements],
      ['action', current.action, entry.action],
      ['approvers', current.approvers, approvers],
      ['status', current.status, 'active'],
    ]);
    if (fields.length === 0) {
      report.unchanged += 1;
      continue;
    }
    const patch: SodRulePatch = {};
    for (const { field } of fields) {
      if (field === 'description') patch.description = entry.description ?? null;
      else if (field === 'entitlements') patch.entitlementKeys = entry.entitlements;
      else if (field === 'action') patch.action = entry.action;
      else if (field === 'approvers') patch.approvers = approvers;
      else if (field === 'status') patch.status = 'active';
    }
    await updateSodRule(tx, current.id, patch);
    report.changed.push({ key: entry.key, fields });
  }
  for (const rule of existing) {
    if (inFile.has(rule.key) || rule.status === 'retired') continue;
    await updateSodRule(tx, rule.id, { status: 'retired' });
    report.deactivated.push(rule.key);
  }
}

const KIND_LABELS: Record<ImportKind, { label: string; deactivated: string }> = {
  people: { label: 'people', deactivated: 'deactivated' },
  groups: { label: 'groups', deactivated: 'deactivated' },
  memberships: { label: 'memberships', deactivated: 'deactivated' },
  policies: { label: 'policies', deactivated: 'retired' },
  resources: { label: 'resources', deactivated: 'retired' },
  entitlements: { label: 'entitlements', deactivated: 'retired' },
  sodRules: { label: 'separation of duties', deactivated: 'retired' },
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
  if (!report.changed) return [`No changes: the database already matches ${file}.`, ...notInFile].join('\n');
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
  return [...lines, ...notInFile].join('\n');
}
