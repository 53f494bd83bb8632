import { and, asc, desc, eq, inArray, lt, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../client.js';
import {
  type AccessRequest,
  accessRequests,
  type Entitlement,
  entitlements,
  people,
  resources,
} from '../schema.js';
import { entitlementRef, joinAccessNames } from './access-names.js';
import { beforeTimeAndId, exactTime } from './keyset.js';

/** Columns a new request row needs. */
export type NewAccessRequest = typeof accessRequests.$inferInsert;
/** What a workflow transition may change; `updated_at` is set by the query. */
export type AccessRequestPatch = Partial<
  Pick<AccessRequest, 'status' | 'plan' | 'currentStep' | 'outcome' | 'grantId' | 'closedAt'>
>;

/** A request with the names a reader needs. */
export type AccessRequestView = AccessRequest & {
  requesterEmail: string;
  requesterName: string;
  requesterSlackUserId: string | null;
  submittedByEmail: string;
  submittedByName: string;
  resourceKey: string;
  resourceName: string;
  entitlementKey: string;
  entitlementName: string;
  risk: Entitlement['riskLevel'];
  /** `created_at` to the microsecond: the sort key a paging cursor carries. */
  createdAtExact: string;
};

/** Statuses of a request that is still running. */
export const OPEN_REQUEST_STATUSES = [
  'pending',
  'pending_approval',
  'provisioning',
  'awaiting_fulfilment',
  'provisioning_failed',
] as const;

/** Inserts a request row (status `pending`) before its workflow starts. */
export async function insertAccessRequest(db: Executor, row: NewAccessRequest): Promise<AccessRequest> {
  const [inserted] = await db.insert(accessRequests).values(row).returning();
  if (!inserted) throw new Error('insert into access_requests returned nothing');
  return inserted;
}

/** Applies a workflow transition to the row. */
export async function updateAccessRequest(
  db: Executor,
  id: string,
  patch: AccessRequestPatch,
): Promise<void> {
  await db
    .update(accessRequests)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(accessRequests.id, id));
}

const submitter = alias(people, 'submitter');

function selectViews(db: Executor) {
  const query = db
    .select({
      request: accessRequests,
      requesterEmail: people.email,
      requesterName: people.name,
      requesterSlackUserId: people.slackUserId,
      submittedByEmail: submitter.email,
      submittedByName: submitter.name,
      resourceKey: resources.key,
      resourceName: resources.name,
      entitlementKey: entitlements.key,
      entitlementName: entitlements.name,
      risk: entitlements.riskLevel,
      createdAtExact: exactTime(accessRequests.createdAt),
    })
    .from(accessRequests)
    .$dynamic();
  return joinAccessNames(query, {
    holder: accessRequests.requesterId,
    entitlement: accessRequests.entitlementId,
  }).innerJoin(submitter, eq(submitter.id, accessRequests.submittedById));
}

type ViewRow = Awaited<ReturnType<ReturnType<typeof selectViews>['execute']>>[number];
const toView = ({ request, ...names }: ViewRow): AccessRequestView => ({ ...request, ...names });

/** One request with names, or undefined. */
export async function getAccessRequest(db: Executor, id: string): Promise<AccessRequestView | undefined> {
  const [row] = await selectViews(db).where(eq(accessRequests.id, id));
  return row ? toView(row) : undefined;
}

/**
 * Requests still `pending` (the status they are inserted with, before their workflow's first
 * step) that were filed more than `olderThanSeconds` ago, oldest first: those whose workflow may
 * never have started, because the API died between recording the request and starting it.
 */
export async function listStalePendingRequests(
  db: Executor,
  options: { olderThanSeconds: number; limit: number },
): Promise<AccessRequestView[]> {
  const rows = await selectViews(db)
    .where(
      and(
        eq(accessRequests.status, 'pending'),
        lt(accessRequests.createdAt, sql`now() - make_interval(secs => ${options.olderThanSeconds})`),
      ),
    )
    .orderBy(asc(accessRequests.createdAt))
    .limit(options.limit);
  return rows.map(toView);
}

/** Filters for listing requests; `after` pages by the last row shown (its exact time and id). */
export type AccessRequestFilter = {
  requesterId?: string;
  status?: AccessRequest['status'][];
  after?: { at: string; id: string };
  limit: number;
};

/** Requests newest first (ties by id, so pages neither repeat nor skip a row). */
export async function listAccessRequests(
  db: Executor,
  filter: AccessRequestFilter,
): Promise<AccessRequestView[]> {
  const conditions: SQL[] = [];
  if (filter.requesterId) conditions.push(eq(accessRequests.requesterId, filter.requesterId));
  if (filter.status?.length) conditions.push(inArray(accessRequests.status, filter.status));
  if (filter.after)
    conditions.push(beforeTimeAndId(accessRequests.createdAt, accessRequests.id, filter.after));
  const rows = await selectViews(db)
    .where(and(...conditions))
    .orderBy(desc(accessRequests.createdAt), desc(accessRequests.id))
    .limit(filter.limit);
  return rows.map(toView);
}

/** `resource/entitlement` keys the person has a request open for (they count as held for SoD). */
export async function listOpenRequestedEntitlements(db: Executor, personId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ key: entitlementRef })
    .from(accessRequests)
    .innerJoin(entitlements, eq(entitlements.id, accessRequests.entitlementId))
    .innerJoin(resources, eq(resources.id, entitlements.resourceId))
    .where(
      and(
        eq(accessRequests.requesterId, personId),
        inArray(accessRequests.status, [...OPEN_REQUEST_STATUSES]),
      ),
    );
  return rows.map((row) => row.key);
}

/**
 * Requests waiting for approval whose plan names `email` as an approver of some step or as an
 * escalation approver: candidates only, the workflow's live state says who may decide now.
 */
export async function listRequestsNamingApprover(
  db: Executor,
  email: string,
  limit: number,
): Promise<AccessRequestView[]> {
  const rows = await selectViews(db)
    .where(
      and(
        eq(accessRequests.status, 'pending_approval'),
        sql`jsonb_path_exists(${accessRequests.plan}, '$.steps[*] ? (@.eligible[*] == $e || @.escalation.approvers[*] == $e)', jsonb_build_object('e', ${email}::text))`,
      ),
    )
    .orderBy(desc(accessRequests.createdAt))
    .limit(limit);
  return rows.map(toView);
}

/**
 * A page of requests waiting for approval whose current step (`current_step` of the stored plan)
 * names `email` as eligible or as its escalation approver, or that were handed to `email` when an
 * approver left (the stored plan still names the leaver; the hand-over is in the ledger). Newest
 * first, after the key of the last row shown; `limit + 1` rows tell the caller more follow.
 * Candidates only: the workflow's live state says who may decide now.
 */
export async function listApprovalCandidates(
  db: Executor,
  email: string,
  page: { after?: { at: string; id: string }; limit: number },
): Promise<AccessRequestView[]> {
  const me = sql`jsonb_build_array(${email}::text)`;
  const step = sql`(${accessRequests.plan}->'steps'->coalesce(${accessRequests.currentStep}, 0))`;
  const rows = await selectViews(db)
    .where(
      and(
        eq(accessRequests.status, 'pending_approval'),
        sql`(${step}->'eligible' @> ${me} or ${step}->'escalation'->'approvers' @> ${me} or exists (
          select 1 from audit_ledger handed
          where (handed.event->'correlation'->>'request_id') = ${accessRequests.id}::text
            and handed.event_type = 'access.request.handed_over'
            and handed.event->'details'->>'to' = ${email}::text))`,
        page.after ? beforeTimeAndId(accessRequests.createdAt, accessRequests.id, page.after) : undefined,
      ),
    )
    .orderBy(desc(accessRequests.createdAt), desc(accessRequests.id))
    .limit(page.limit);
  return rows.map(toView);
}

/** The requests with these ids, with names (in no particular order; unknown ids are left out). */
export async function getAccessRequestsByIds(db: Executor, ids: string[]): Promise<AccessRequestView[]> {
  if (ids.length === 0) return [];
  const rows = await selectViews(db).where(inArray(accessRequests.id, ids));
  return rows.map(toView);
}
