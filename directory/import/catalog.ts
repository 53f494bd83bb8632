// Imports the `resources` section, the catalog: resources with their connectors, then their
// entitlements (each tied to its policy). Entries the file no longer lists are retired, never deleted.
import type { Transaction } from '../../db/client.js';
import {
  type EntitlementPatch,
  insertEntitlements,
  listAllEntitlements,
  type NewEntitlement,
  updateEntitlement,
} from '../../db/queries/entitlements.js';
import {
  insertResource,
  listAllResources,
  type ResourcePatch,
  updateResource,
} from '../../db/queries/resources.js';
import { formatDuration } from '../../domain/index.js';
import type { ParsedDirectory } from '../parse.js';
import { diff } from './diff.js';
import type { KindReport } from './report.js';

export async function applyResources(
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
    const onOrphan = entry.reconcile?.onOrphan ?? 'alert';
    const onMissing = entry.reconcile?.onMissing ?? 'alert';
    const onMove = entry.onMove ?? 'review';
    const current = byKey.get(entry.key);
    if (!current) {
      const resource = await insertResource(tx, {
        key: entry.key,
        name: entry.name,
        description: entry.description ?? null,
        ownerId: personId(entry.owner),
        connectorKind: kind,
        connectorConfig: config,
        onOrphan,
        onMissing,
        onMove,
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
      ['onOrphan', current.onOrphan, onOrphan],
      ['onMissing', current.onMissing, onMissing],
      ['onMove', current.onMove, onMove],
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

export async function applyEntitlements(
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
          stepUp: entry.stepUp ?? null,
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
        ['stepUp', current.stepUp, entry.stepUp],
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
        else if (field === 'stepUp') patch.stepUp = entry.stepUp ?? null;
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
