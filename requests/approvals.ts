// An approver's inbox: the decisions waiting for them now, and the ones they already made. The
// SQL names candidates from the stored plan; each waiting candidate is then confirmed against the
// workflow's live state, which alone knows escalations, hand-overs and approvals so far.

import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { decodeCursor, encodeCursor, type Page, pageOf } from '../core/cursor.js';
import type { Executor } from '../db/client.js';
import {
  type AccessRequestView,
  getAccessRequestsByIds,
  listApprovalCandidates,
} from '../db/queries/access-requests.js';
import { listDecisionsBy } from '../db/queries/approval-decisions.js';
import type { PolicyDecision } from '../policy/types.js';
import { liveRequestState, waitsOn } from './live-state.js';

/** Who is asking for their inbox. */
export type ApproverInput = { personId: string; email: string };

/** The step of a request an inbox item is about. */
export type ApprovalStep = { index: number; count: number; name: string | null };

/** One request in an approver's inbox. */
export type ApprovalItem = {
  request: AccessRequestView;
  step: ApprovalStep;
  /** Waiting items: approvals the step needs and has (from the live state). */
  required?: number;
  approvedBy?: string[];
  /** Decided items: what this approver decided, when, and why. */
  decision?: { decision: 'approve' | 'deny'; comment: string | null; decidedAt: Date };
};

/** Candidates read per round trip while filling a page of waiting approvals. */
const CANDIDATE_BATCH = 100;
/** Most candidates one page looks at; past this, the page ends early and its cursor continues. */
const MAX_CANDIDATES_PER_PAGE = 1_000;

const waitingKey = z.tuple([z.string().min(1).max(40), z.uuid()]);
const decidedKey = z.tuple([z.number().int().positive()]);

const planSteps = (request: AccessRequestView) => {
  const plan = request.plan as PolicyDecision | null;
  return plan?.outcome === 'approval_required' ? plan.steps : [];
};

/**
 * The requests whose current step `approver` may decide now, newest first. The SQL filter on the
 * stored plan can miss a request for a moment: when the workflow has moved to a step naming the
 * approver but `current_step` is not written yet, or a hand-over whose ledger event is still in
 * the intake (the sequencer takes it within a second or two); and it can include requests the
 * approver may no longer decide (already approved, escalated away, handed over), which the live
 * check drops. So a page can hold fewer than `limit` items and still have a next page.
 */
export async function listWaitingApprovals(
  deps: { db: Executor; temporal: Client },
  approver: ApproverInput,
  page: { cursor?: string; limit: number },
): Promise<Page<ApprovalItem>> {
  let after = page.cursor ? toAfter(decodeCursor(page.cursor, waitingKey)) : undefined;
  const items: ApprovalItem[] = [];
  let scanned = 0;
  while (scanned < MAX_CANDIDATES_PER_PAGE) {
    const batch = await listApprovalCandidates(deps.db, approver.email, {
      ...(after ? { after } : {}),
      limit: CANDIDATE_BATCH,
    });
    const states = await Promise.all(batch.map((request) => liveRequestState(deps, request.id)));
    for (const [index, request] of batch.entries()) {
      scanned += 1;
      after = { at: request.createdAtExact, id: request.id };
      const state = states[index] ?? null;
      if (!waitsOn(state, approver.email)) continue;
      const current = state.steps[state.currentStep ?? 0];
      items.push({
        request,
        step: {
          index: state.currentStep ?? 0,
          count: state.steps.length,
          name: planSteps(request)[state.currentStep ?? 0]?.name ?? null,
        },
        required: current?.required ?? 1,
        approvedBy: current?.approvedBy ?? [],
      });
      if (items.length === page.limit) {
        const more = index < batch.length - 1 || batch.length === CANDIDATE_BATCH;
        return { items, nextCursor: more ? encodeCursor([after.at, after.id]) : null };
      }
    }
    if (batch.length < CANDIDATE_BATCH) return { items, nextCursor: null };
  }
  return { items, nextCursor: after ? encodeCursor([after.at, after.id]) : null };
}

/** The decisions `approver` made, newest first, each with its request. */
export async function listDecidedApprovals(
  deps: { db: Executor },
  approver: ApproverInput,
  page: { cursor?: string; limit: number },
): Promise<Page<ApprovalItem>> {
  const beforeId = page.cursor ? decodeCursor(page.cursor, decidedKey)[0] : undefined;
  const rows = await listDecisionsBy(deps.db, approver.personId, {
    ...(beforeId !== undefined ? { beforeId } : {}),
    limit: page.limit + 1,
  });
  const decided = pageOf(rows, page.limit, (row) => [row.id]);
  const requests = new Map(
    (await getAccessRequestsByIds(deps.db, [...new Set(decided.items.map((d) => d.requestId))])).map(
      (request) => [request.id, request],
    ),
  );
  const items: ApprovalItem[] = [];
  for (const row of decided.items) {
    const request = requests.get(row.requestId);
    if (!request) continue; // Requests are never deleted (foreign key); kept for the type.
    items.push({
      request,
      step: {
        index: row.stepIndex,
        count: planSteps(request).length,
        name: planSteps(request)[row.stepIndex]?.name ?? null,
      },
      decision: {
        decision: row.decision === 'deny' ? 'deny' : 'approve',
        comment: row.comment,
        decidedAt: row.decidedAt,
      },
    });
  }
  return { items, nextCursor: decided.nextCursor };
}

const toAfter = ([at, id]: [string, string]) => ({ at, id });
