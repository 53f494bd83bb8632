// Findings: what reconciliation (and the SoD check on current holdings) saw that the grants do
// not explain. A finding is opened once per fingerprint, seen again by later runs, and resolved in
// place; rows are never deleted, so the history of every difference stays as evidence.
import { and, desc, eq, inArray, isNull, lt, type SQL, sql } from 'drizzle-orm';
import type { FindingKind } from '../../domain/index.js';
import type { Executor } from '../client.js';
import { entitlements, type Finding, findings, people, resources } from '../schema.js';
import { isUuid } from './ids.js';

/** What a run saw: enough to open the finding, or to recognise it as one already open. */
export type FindingSighting = {
  kind: FindingKind;
  fingerprint: string;
  resourceId: string | null;
  entitlementId: string | null;
  personId: string | null;
  grantId: string | null;
  account: string | null;
  detail: Record<string, unknown>;
  /** The separation-of-duties rule an `sod_violation` breaks. */
  sodRuleId?: string;
};

/** Sightings per INSERT: about ten parameters each, well under PostgreSQL's cap. */
const SIGHTINGS_PER_STATEMENT = 1_000;

/**
 * Opens each sighting as a finding, or marks the open one with the same fingerprint as seen by
 * this run. Returns the open findings, each with whether this call opened it.
 */
export async function recordSightings(
  db: Executor,
  runId: string,
  sightings: FindingSighting[],
): Promise<(Finding & { opened: boolean })[]> {
  const rows: Finding[] = [];
  // In slices: one statement's parameters are capped (65,535), and a drifted target may show
  // tens of thousands of differences at once.
  for (let from = 0; from < sightings.length; from += SIGHTINGS_PER_STATEMENT) {
    const slice = sightings.slice(from, from + SIGHTINGS_PER_STATEMENT);
    rows.push(
      ...(await db
        .insert(findings)
        .values(slice.map((s) => ({ ...s, firstSeenRunId: runId, lastSeenRunId: runId })))
        .onConflictDoUpdate({
          target: findings.fingerprint,
          targetWhere: sql`${findings.status} = 'open'`,
          set: { lastSeenRunId: runId, lastSeenAt: sql`now()`, detail: sql`excluded.detail` },
        })
        .returning()),
    );
  }
  return rows.map((row) => ({ ...row, opened: row.firstSeenRunId === runId }));
}

/**
 * Resolves, as `gone`, the open findings of these kinds on a resource (or, with `resourceId`
 * null, those on no one resource: SoD violations) that this run did not see again: the
 * difference went away (someone fixed the target, granted or removed the access).
 */
export async function resolveUnseen(
  db: Executor,
  input: { resourceId: string | null; runId: string; kinds: FindingKind[]; seenFingerprints: string[] },
): Promise<Finding[]> {
  return db
    .update(findings)
    .set({ status: 'resolved', resolvedAt: sql`now()`, resolution: 'gone', resolvedBy: 'reconciliation' })
    .where(
      and(
        input.resourceId === null ? isNull(findings.resourceId) : eq(findings.resourceId, input.resourceId),
        eq(findings.status, 'open'),
        inArray(findings.kind, input.kinds),
        // One JSON parameter, however many were seen (a list of parameters is capped at 65,535).
        input.seenFingerprints.length > 0
          ? sql`${findings.fingerprint} not in (select jsonb_array_elements_text(${JSON.stringify(input.seenFingerprints)}::jsonb))`
          : undefined,
      ),
    )
    .returning();
}

/** Resolves one open finding; undefined when it is not open (resolved already, or no such id). */
export async function resolveFinding(
  db: Executor,
  id: string,
  resolution: { resolution: string; resolvedBy: string },
): Promise<Finding | undefined> {
  const [row] = await db
    .update(findings)
    .set({
      status: 'resolved',
      resolvedAt: sql`now()`,
      resolution: resolution.resolution,
      resolvedBy: resolution.resolvedBy,
    })
    .where(and(eq(findings.id, id), eq(findings.status, 'open')))
    .returning();
  return row;
}

/** Records the grant a finding became (an adopted orphan). */
export async function linkFindingToGrant(db: Executor, id: string, grantId: string): Promise<Finding> {
  const [row] = await db.update(findings).set({ grantId }).where(eq(findings.id, id)).returning();
  if (!row) throw new Error(`finding ${id} vanished`);
  return row;
}

/** A finding with the names a reader needs. */
export type FindingView = Finding & {
  resourceKey: string | null;
  entitlementKey: string | null;
  personEmail: string | null;
};

function selectViews(db: Executor) {
  return db
    .select({
      finding: findings,
      resourceKey: resources.key,
      entitlementKey: entitlements.key,
      personEmail: people.email,
    })
    .from(findings)
    .leftJoin(resources, eq(resources.id, findings.resourceId))
    .leftJoin(entitlements, eq(entitlements.id, findings.entitlementId))
    .leftJoin(people, eq(people.id, findings.personId))
    .$dynamic();
}

type ViewRow = Awaited<ReturnType<ReturnType<typeof selectViews>['execute']>>[number];
const toView = ({ finding, ...names }: ViewRow): FindingView => ({ ...finding, ...names });

/** One finding with names, or undefined. */
export async function getFinding(db: Executor, id: string): Promise<FindingView | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await selectViews(db).where(eq(findings.id, id));
  return row ? toView(row) : undefined;
}

/** Findings newest first, optionally only open ones, of one resource or of some kinds. */
export async function listFindings(
  db: Executor,
  filter: {
    status?: Finding['status'];
    resourceId?: string;
    personId?: string;
    kinds?: FindingKind[];
    limit: number;
    before?: Date;
  },
): Promise<FindingView[]> {
  const conditions: SQL[] = [];
  if (filter.status) conditions.push(eq(findings.status, filter.status));
  if (filter.resourceId) conditions.push(eq(findings.resourceId, filter.resourceId));
  if (filter.personId) conditions.push(eq(findings.personId, filter.personId));
  if (filter.kinds?.length) conditions.push(inArray(findings.kind, filter.kinds));
  if (filter.before) conditions.push(lt(findings.firstSeenAt, filter.before));
  const rows = await selectViews(db)
    .where(and(...conditions))
    .orderBy(desc(findings.firstSeenAt), desc(findings.id))
    .limit(filter.limit);
  return rows.map(toView);
}
