// Crash anywhere, lose nothing (DESIGN, "Quality bars"): under a bounded load of two-step access
// requests, a certification campaign's decisions and the ledger writes they make, a worker, the
// API, the Temporal dev server and PostgreSQL are each SIGKILLed in turn and restarted. Afterwards
// every request is where it should be, the target saw each GRANT and REVOKE exactly once, every
// acknowledged write is in the ledger exactly once, and the real `grantflow audit verify` exits 0.
// Run with `npm run test:chaos`; the run prints what it held and how fast each kill was recovered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../core/net.js';
import { grantflow } from '../helpers/cli.js';
import { step } from '../helpers/steps.js';
import { checkLedger, checkRequests, checkTarget } from './assertions.js';
import { createChaosClient } from './client.js';
import { killInTurn } from './kills.js';
import { runCampaignLoad, runRequestLoad } from './load.js';
import { printFigures } from './report.js';
import { type ChaosStack, startChaosStack } from './stack.js';

/** Concurrent requests, each with two approvals; one in eight denied. */
const REQUESTS = 40;
/** People holding legacy access: the campaign's items. */
const LEGACY_HOLDERS = 20;

describe('chaos: every piece killed under load', () => {
  let stack: ChaosStack;

  beforeAll(async () => {
    stack = await startChaosStack({ requesters: REQUESTS, legacyHolders: LEGACY_HOLDERS });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('loses nothing and does nothing twice', async () => {
    const client = createChaosClient(stack.apiUrl);
    const startedAt = Date.now();

    const { journeys, campaign, kills } = await step(
      'the load runs while each piece is killed in turn',
      async () => {
        const requests = runRequestLoad(client, stack.org, REQUESTS, 150_000);
        const reviews = runCampaignLoad(client, stack.org, {
          dueInSeconds: 150,
          paceMs: 4_000,
          leaveOpen: 4,
        });
        const kills = await killInTurn(stack, client, ['worker', 'api', 'temporal', 'postgres'], {
          loadStartedAt: startedAt,
          firstAfterMs: 20_000,
          everyMs: 30_000,
        });
        const [journeys, campaign] = await Promise.all([requests, reviews]);
        return { journeys, campaign, kills };
      },
    );

    const revokedItems = await step('the campaign settles and the ledger catches up', async () => {
      const admin = stack.org.token(stack.org.people.admin);
      await waitUntil(
        async () => {
          const answer = await client.get(`/api/v1/campaigns/${campaign.campaignId}`, admin);
          const items = answer.body.items as { revocationPending: number } | undefined;
          return answer.body.status === 'awaiting_signoff' && items?.revocationPending === 0;
        },
        { timeoutMs: 120_000, intervalMs: 500 },
      );
      // Journeys end when a grant shows expired or released; its removal at the target follows.
      await waitUntil(
        async () => {
          const [row] = await stack.owner<{ n: number }[]>`
            select count(*)::int as n from grants where status <> 'active' and removal_verified is null`;
          return row?.n === 0;
        },
        { timeoutMs: 120_000, intervalMs: 250 },
      );
      await waitUntil(
        async () => {
          const [row] = await stack.owner<{ n: number }[]>`
            select count(*)::int as n from audit_intake where seq is null`;
          return row?.n === 0;
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      );
      return stack.owner<{ holder: string }[]>`
        select p.email as holder from campaign_items i join grants g on g.id = i.grant_id
        join people p on p.id = g.person_id where i.campaign_id = ${campaign.campaignId ?? ''} and i.decision = 'revoke'`;
    });
    client.stop();

    const requestProblems = await step('every request is in its right state', () =>
      checkRequests(stack, journeys),
    );
    const targetProblems = await step('every GRANT and REVOKE ran exactly once at the target', () =>
      checkTarget(stack, journeys, campaign, revokedItems),
    );
    const ledger = await step('every acknowledged write is in the ledger exactly once', () =>
      checkLedger(stack, client.acks, journeys, campaign.campaignId),
    );
    const verify = await step('grantflow audit verify exits 0', () =>
      grantflow(['audit', 'verify'], { ...process.env, ...stack.env }),
    );

    printFigures({
      startedAt,
      journeys,
      campaign,
      revokedItems: revokedItems.length,
      kills,
      ledger: ledger.figures,
      client,
      stack,
    });
    expect([...requestProblems, ...targetProblems, ...ledger.problems]).toEqual([]);
    expect(kills.map((k) => k.target)).toEqual(['worker', 'api', 'temporal', 'postgres']);
    expect(verify.code, `${verify.stdout}\n${verify.stderr}`).toBe(0);
  });
});
