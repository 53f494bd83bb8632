// The load the kills land in: access requests with two-step approvals (manager, then the resource
// owner) through the REST API, each with a fate — denied, released early, left to expire, kept —
// and a certification campaign over the legacy access whose reviewers decide item by item. It is
// bounded: every journey starts within `spreadMs`, and the load ends when all of them have ended.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Answer, ChaosClient } from './client.js';
import { APP_ENTITLEMENTS, type Organisation } from './organisation.js';

/** What happens to a request after its manager approved it. */
export type Fate = 'denied' | 'released' | 'expires' | 'kept';

/** One request's journey, as the load saw it. */
export type Journey = {
  requester: string;
  entitlement: string;
  fate: Fate;
  requestId?: string;
  grantId?: string;
  /** Set when the journey could not finish: the assertions report it. */
  failure?: string;
};

/** What the campaign part of the load did. */
export type CampaignLoad = {
  campaignId?: string;
  /** Items a reviewer decided (acknowledged or not), with the decision asked for. */
  decided: { itemId: number; reviewer: string; decision: 'keep' | 'revoke' }[];
  failure?: string;
};

/** How long a request that `expires` is granted for: it runs out during the run. */
const EXPIRING_SECONDS = 40;
const KEPT_SECONDS = 8 * 3_600;
const POLL_MS = 400;

function fateOf(index: number): Fate {
  if (index % 8 === 7) return 'denied';
  return (['kept', 'released', 'expires'] as const)[index % 3] ?? 'kept';
}

async function waitFor(
  what: string,
  poll: () => Promise<Answer>,
  done: (body: Record<string, unknown>) => boolean,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await poll();
    if (answer.status === 200 && done(answer.body)) return answer.body;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(answer.body).slice(0, 300)}`);
    await sleep(POLL_MS);
  }
}

/** Files the request; on a 409 (an earlier attempt got through, its answer lost) finds that one. */
async function fileRequest(client: ChaosClient, org: Organisation, journey: Journey): Promise<string> {
  const durationSeconds =
    journey.fate === 'expires' ? EXPIRING_SECONDS : journey.fate === 'kept' ? KEPT_SECONDS : 3_600;
  const body = { resource: 'app', entitlement: journey.entitlement, durationSeconds, reason: 'chaos load' };
  const answer = await client.post('/api/v1/requests', org.token(journey.requester), journey.requester, body);
  if (answer.status === 201) return answer.body.id as string;
  if (answer.status !== 409)
    throw new Error(`filing answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  const listed = await client.get('/api/v1/requests?limit=50', org.token(journey.requester));
  const open = (listed.body.items as { id: string; entitlement: string; status: string }[]).find(
    (r) => r.entitlement === journey.entitlement && r.status !== 'cancelled',
  );
  if (!open) throw new Error(`filing answered 409 but no open request: ${JSON.stringify(answer.body)}`);
  return open.id;
}

/**
 * Records a decision. A refusal (403, 409) is fine when the request comes to show this approver's
 * decision: an earlier attempt got through and its answer was lost. By the retry the workflow may
 * have moved on ("not an approver of step 2") or still be recording it ("has already decided").
 */
async function decide(
  client: ChaosClient,
  org: Organisation,
  requestId: string,
  approver: string,
  decision: 'approve' | 'deny',
  requester: string,
): Promise<void> {
  const path = `/api/v1/requests/${requestId}/decisions`;
  const answer = await client.post(path, org.token(approver), approver, { decision, comment: 'chaos load' });
  if (answer.status === 200) return;
  if (answer.status !== 403 && answer.status !== 409)
    throw new Error(`${approver}'s ${decision} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  await waitFor(
    `${approver}'s ${decision} of ${requestId}, refused on retry (${JSON.stringify(answer.body)}), on record`,
    () => client.get(`/api/v1/requests/${requestId}`, org.token(requester)),
    (r) => ((r.decisions ?? []) as { approver: string }[]).some((d) => d.approver === approver),
    60_000,
  );
}

async function runJourney(client: ChaosClient, org: Organisation, journey: Journey): Promise<void> {
  const { requester } = journey;
  const id = await fileRequest(client, org, journey);
  journey.requestId = id;
  const show = () => client.get(`/api/v1/requests/${id}`, org.token(requester));
  const atStep = (step: number) => (r: Record<string, unknown>) =>
    r.status === 'pending_approval' && r.currentStep === step;
  // Long enough for the worker's sweep to start a workflow an API killed mid-filing never started.
  await waitFor(`${id} waiting for its manager`, show, atStep(0), 150_000);
  await decide(client, org, id, org.people.managerOf(requester), 'approve', requester);
  await waitFor(`${id} waiting for its owner`, show, atStep(1), 90_000);
  if (journey.fate === 'denied') {
    await decide(client, org, id, org.people.owner, 'deny', requester);
    await waitFor(`${id} denied`, show, (r) => r.status === 'denied', 90_000);
    return;
  }
  await decide(client, org, id, org.people.owner, 'approve', requester);
  const granted = await waitFor(`${id} granted`, show, (r) => r.status === 'granted', 120_000);
  const grantId = granted.grantId as string;
  journey.grantId = grantId;
  const grant = () => client.get(`/api/v1/grants/${grantId}`, org.token(requester));
  if (journey.fate === 'released') {
    await sleep(3_000);
    const path = `/api/v1/grants/${grantId}/release`;
    const answer = await client.post(path, org.token(requester), requester, { reason: 'done with it' });
    if (answer.status !== 200 && answer.status !== 409)
      throw new Error(`release answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    await waitFor(`${grantId} released`, grant, (g) => g.status === 'released', 120_000);
  } else if (journey.fate === 'expires') {
    await waitFor(
      `${grantId} expired`,
      grant,
      (g) => g.status === 'expired',
      (EXPIRING_SECONDS + 120) * 1000,
    );
  }
}

/** Starts `count` journeys spread over `spreadMs`; resolves when every one has ended. */
export async function runRequestLoad(
  client: ChaosClient,
  org: Organisation,
  count: number,
  spreadMs: number,
): Promise<Journey[]> {
  const journeys: Journey[] = org.people.requesters.slice(0, count).map((requester, index) => ({
    requester,
    entitlement: APP_ENTITLEMENTS[index % APP_ENTITLEMENTS.length] ?? 'read',
    fate: fateOf(index),
  }));
  await Promise.all(
    journeys.map(async (journey, index) => {
      await sleep((spreadMs * index) / count);
      try {
        await runJourney(client, org, journey);
      } catch (error) {
        journey.failure = (error as Error).message;
      }
    }),
  );
  return journeys;
}

/**
 * Launches the campaign over legacy access (once per period: a retried launch finds it), then
 * has each reviewer decide their items one by one, every `paceMs`: a third revoked, the rest kept,
 * and the last `leaveOpen` for the default action at the due date.
 */
export async function runCampaignLoad(
  client: ChaosClient,
  org: Organisation,
  options: { dueInSeconds: number; paceMs: number; leaveOpen: number },
): Promise<CampaignLoad> {
  const load: CampaignLoad = { decided: [] };
  const { admin, managers } = org.people;
  try {
    const launched = await client.post('/api/v1/campaigns', org.token(admin), admin, {
      name: 'Chaos review of legacy access',
      scope: { resources: ['legacy'] },
      reviewer: { rule: 'manager' },
      dueInSeconds: options.dueInSeconds,
      reminderEverySeconds: 3_600,
      escalateAfterSeconds: 3_600,
      defaultAction: 'keep',
      period: '2026-Q4',
    });
    if (launched.status !== 201 && launched.status !== 200)
      throw new Error(`launch answered ${launched.status}: ${JSON.stringify(launched.body)}`);
    const campaignId = launched.body.campaignId as string;
    load.campaignId = campaignId;
    await waitFor(
      'the campaign reviewing',
      () => client.get(`/api/v1/campaigns/${campaignId}`, org.token(admin)),
      (c) => c.status === 'reviewing',
      90_000,
    );
    const queues = await Promise.all(
      managers.map(async (reviewer) => {
        const listed = await client.get(
          `/api/v1/campaigns/${campaignId}/items?limit=100`,
          org.token(reviewer),
        );
        return (listed.body.items as { id: number }[]).map((item) => ({ reviewer, itemId: item.id }));
      }),
    );
    const all = queues.flat().sort((a, b) => a.itemId - b.itemId);
    const toDecide = all.slice(0, Math.max(0, all.length - options.leaveOpen));
    for (const [index, { reviewer, itemId }] of toDecide.entries()) {
      await sleep(options.paceMs);
      const decision = index % 3 === 0 ? 'revoke' : 'keep';
      load.decided.push({ itemId, reviewer, decision });
      const answer = await client.post(
        `/api/v1/campaigns/${campaignId}/decisions`,
        org.token(reviewer),
        reviewer,
        {
          items: [itemId],
          decision,
          ...(decision === 'revoke' ? { reason: 'no longer needed' } : {}),
        },
      );
      if (answer.status !== 200)
        throw new Error(`deciding ${itemId} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
  } catch (error) {
    load.failure = (error as Error).message;
  }
  return load;
}
