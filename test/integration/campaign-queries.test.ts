// Campaign data layer on a real PostgreSQL, every query run as the runtime role the worker and API
// use: population snapshots by scope, idempotent item writes, one campaign per period, decisions
// that cannot be taken twice, counts, the review page, delegation, escalation and enforcement, and
// the report an auditor recomputes the population digest from.
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ReportFormat, renderReport, summarizeCampaign } from '../../campaigns/report.js';
import { assignReviewer, type ReviewerDirectory } from '../../campaigns/reviewers.js';
import { createPopulationHasher, populationDigest } from '../../campaigns/snapshot.js';
import type { Database } from '../../db/client.js';
import { insertAccessRequest } from '../../db/queries/access-requests.js';
import {
  delegateItems,
  escalateItems,
  recordDecision,
  recordDecisions,
} from '../../db/queries/campaign-decisions.js';
import {
  applyDefaultDecision,
  listPendingRevocations,
  queueRevocations,
  recordRevocationOutcome,
} from '../../db/queries/campaign-enforcement.js';
import {
  countCampaignItems,
  getCampaignItem,
  ITEM_BATCH_SIZE,
  insertCampaignItems,
  listItemPopulationPage,
  listReviewerItems,
  listReviewerProgress,
  listUndecidedItems,
  type NewCampaignItem,
} from '../../db/queries/campaign-items.js';
import {
  getCampaign,
  insertCampaign,
  listCampaigns,
  listPopulationPage,
  type NewCampaign,
  type PopulationGrant,
  recordPopulation,
  signOffCampaign,
  updateCampaign,
} from '../../db/queries/campaigns.js';
import { insertEntitlements } from '../../db/queries/entitlements.js';
import { insertGrant } from '../../db/queries/grants.js';
import { insertPeople, listAllPeople } from '../../db/queries/people.js';
import { insertPolicy } from '../../db/queries/policies.js';
import { insertResource } from '../../db/queries/resources.js';
import type { CampaignScope } from '../../db/schema.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

type Ids = Record<'ceo' | 'mgr' | 'dev' | 'fin' | 'owner' | 'gone', string>;
type Grants = Record<
  'devRead' | 'devWrite' | 'finApprove' | 'finRead' | 'ownerRead' | 'devApproveRevoked',
  string
>;

describe('campaign queries', () => {
  let database: TestDatabase;
  /** The runtime role's handle: everything under test runs as the services do. */
  let db: Database;
  let people: Ids;
  let grant: Grants;
  let entitlement: Record<'read' | 'write' | 'approve', string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.runtime.db;
  });
  afterAll(() => database.drop());

  /** ceo ← mgr ← dev, fin; owner ← ceo owns both resources; gone has left. */
  beforeEach(async () => {
    await database.truncate();
    const owner = database.owner.db;
    const [ceo] = await insertPeople(owner, [{ email: 'ceo@acme.test', name: 'Cora Ceo' }]);
    const [mgr] = await insertPeople(owner, [
      { email: 'mgr@acme.test', name: 'Mia Manager', managerId: ceo?.id },
    ]);
    const rest = await insertPeople(owner, [
      { email: 'dev@acme.test', name: 'Dev Eloper', managerId: mgr?.id, department: 'eng' },
      { email: 'fin@acme.test', name: 'Fin Ance', managerId: mgr?.id, department: 'finance' },
      { email: 'owner@acme.test', name: 'Olu Owner', managerId: ceo?.id, department: 'it' },
      { email: 'gone@acme.test', name: 'Gone Away', managerId: ceo?.id, status: 'inactive' },
    ]);
    const byEmail = new Map([ceo, mgr, ...rest].map((p) => [p?.email, p?.id as string]));
    const id = (name: string) => byEmail.get(`${name}@acme.test`) as string;
    people = {
      ceo: id('ceo'),
      mgr: id('mgr'),
      dev: id('dev'),
      fin: id('fin'),
      owner: id('owner'),
      gone: id('gone'),
    };

    const policy = await insertPolicy(owner, { key: 'p', currentVersion: 1 });
    const resource = (key: string) =>
      insertResource(owner, {
        key,
        name: `${key.toUpperCase()} system`,
        ownerId: people.owner,
        connectorKind: 'manual',
      });
    const dbResource = await resource('db');
    const payResource = await resource('pay');
    const [read, write, approve] = await insertEntitlements(owner, [
      {
        resourceId: dbResource.id,
        key: 'read',
        name: 'Read',
        riskLevel: 'low',
        maxDurationSeconds: 3600,
        policyId: policy.id,
      },
      {
        resourceId: dbResource.id,
        key: 'write',
        name: 'Write',
        riskLevel: 'high',
        maxDurationSeconds: 3600,
        policyId: policy.id,
      },
      {
        resourceId: payResource.id,
        key: 'approve',
        name: 'Approve',
        riskLevel: 'critical',
        maxDurationSeconds: 3600,
        policyId: policy.id,
      },
    ]);
    entitlement = { read: read?.id as string, write: write?.id as string, approve: approve?.id as string };

    const request = await insertAccessRequest(owner, {
      id: randomUUID(),
      requesterId: people.dev,
      entitlementId: entitlement.write,
      submittedById: people.dev,
      durationSeconds: 3600,
      status: 'granted',
    });
    const add = async (
      personId: string,
      entitlementId: string,
      extra: { requestId?: string; status?: 'revoked' } = {},
    ) => {
      const grantId = randomUUID();
      await insertGrant(owner, {
        id: grantId,
        personId,
        entitlementId,
        grantedAt: new Date('2026-01-02T03:04:05.000Z'),
        expiresAt: new Date('2027-01-01T00:00:00.000Z'),
        ...extra,
      });
      return grantId;
    };
    grant = {
      devRead: await add(people.dev, entitlement.read),
      devWrite: await add(people.dev, entitlement.write, { requestId: request.id }),
      finApprove: await add(people.fin, entitlement.approve),
      finRead: await add(people.fin, entitlement.read),
      ownerRead: await add(people.owner, entitlement.read),
      devApproveRevoked: await add(people.dev, entitlement.approve, { status: 'revoked' }),
    };
    // Microseconds PostgreSQL keeps and a JavaScript Date would drop.
    await database.owner.sql`
      update grants set granted_at = '2026-01-02 03:04:05.123456+00' where id = ${grant.devRead}`;
  });

  const campaignRow = (overrides: Partial<NewCampaign> = {}): NewCampaign => ({
    name: 'Q4 review',
    dueAt: new Date(Date.now() + 3_600_000),
    reminderEverySeconds: 60,
    escalateAfterSeconds: 120,
    defaultAction: 'revoke',
    launchedById: people.ceo,
    ...overrides,
  });

  async function wholePopulation(scope: CampaignScope, limit?: number): Promise<PopulationGrant[]> {
    const all: PopulationGrant[] = [];
    for (;;) {
      const page = await listPopulationPage(db, scope, { afterGrantId: all.at(-1)?.grantId, limit });
      all.push(...page);
      if (page.length === 0 || (limit !== undefined && page.length < limit)) return all;
    }
  }

  async function directory(): Promise<ReviewerDirectory> {
    const rows = await listAllPeople(db);
    return new Map(rows.map((p) => [p.id, { id: p.id, managerId: p.managerId, status: p.status }]));
  }

  /** Launches a campaign over `scope` the way the workflow will: snapshot, assign, insert, attest. */
  async function launch(scope: CampaignScope = {}, overrides: Partial<NewCampaign> = {}) {
    const { campaign } = await insertCampaign(db, campaignRow({ scope, ...overrides }));
    const population = await wholePopulation(scope);
    const reviewers = await directory();
    const items: NewCampaignItem[] = population.map((g) => {
      const assigned = assignReviewer(g, { rule: 'manager' }, reviewers);
      return {
        grantId: g.grantId,
        holderId: g.holderId,
        entitlementId: g.entitlementId,
        reviewerId: assigned.reviewerId ?? campaign.launchedById,
        assignmentReason: assigned.reason,
      };
    });
    await insertCampaignItems(db, campaign.id, items);
    await recordPopulation(db, campaign.id, populationDigest(population));
    const itemOf = async (grantId: string) => {
      const [row] = await database.owner.sql<{ id: string }[]>`
        select id from campaign_items where campaign_id = ${campaign.id} and grant_id = ${grantId}`;
      return Number(row?.id);
    };
    return { campaign, population, items, itemOf };
  }

  describe('population snapshot', () => {
    it('takes every active grant, in grant id order, with the fields the digest needs', async () => {
      const population = await wholePopulation({});

      const active = Object.entries(grant).filter(([name]) => name !== 'devApproveRevoked');
      expect(population.map((g) => g.grantId)).toEqual(active.map(([, id]) => id).sort());
      expect(population.find((g) => g.grantId === grant.devRead)).toEqual({
        grantId: grant.devRead,
        holderId: people.dev,
        holderEmail: 'dev@acme.test',
        entitlementId: entitlement.read,
        resourceKey: 'db',
        entitlementKey: 'read',
        resourceOwnerId: people.owner,
        grantedAt: '2026-01-02T03:04:05.123456Z',
      });
    });

    it.each([
      ['a resource', { resources: ['pay'] }, ['finApprove']],
      [
        'resources or entitlements',
        { resources: ['pay'], entitlements: ['db/write'] },
        ['devWrite', 'finApprove'],
      ],
      ['a risk level', { riskLevels: ['low'] }, ['devRead', 'finRead', 'ownerRead']],
      ['a department', { departments: ['eng'] }, ['devRead', 'devWrite']],
      ['a resource narrowed by department', { resources: ['db'], departments: ['finance'] }, ['finRead']],
      [
        'an entitlement narrowed by risk',
        { entitlements: ['db/read', 'db/write'], riskLevels: ['high'] },
        ['devWrite'],
      ],
      ['a holder (a mover review)', { holders: ['dev@acme.test'] }, ['devRead', 'devWrite']],
      ['a holder narrowed by risk', { holders: ['dev@acme.test'], riskLevels: ['high'] }, ['devWrite']],
      ['a holder of nothing in scope', { holders: ['dev@acme.test'], resources: ['pay'] }, []],
      ['an empty list, which matches nothing', { departments: [] }, []],
    ] as [string, CampaignScope, (keyof Grants)[]][])('filters by %s', async (_label, scope, expected) => {
      const population = await wholePopulation(scope);

      expect(population.map((g) => g.grantId)).toEqual(expected.map((name) => grant[name]).sort());
    });

    it('pages by grant id without gaps or overlaps, and the paged digest equals the whole one', async () => {
      const whole = await wholePopulation({});
      const hasher = createPopulationHasher();
      let pages = 0;
      let after: string | undefined;
      for (;;) {
        const page = await listPopulationPage(db, {}, { afterGrantId: after, limit: 2 });
        if (page.length === 0) break;
        hasher.add(page);
        after = page.at(-1)?.grantId;
        pages++;
      }

      expect(pages).toBe(3);
      expect({ count: hasher.count, sha256: hasher.digest() }).toEqual(populationDigest(whole));
    });
  });

  describe('campaigns', () => {
    it('makes one campaign per period, even when two runs race', async () => {
      const [a, b] = await Promise.all([
        insertCampaign(db, campaignRow({ periodKey: '2026-Q4' })),
        insertCampaign(db, campaignRow({ periodKey: '2026-Q4', name: 'a retried run' })),
      ]);
      const again = await insertCampaign(db, campaignRow({ periodKey: '2026-Q4', name: 'caught up' }));

      expect([a.created, b.created].sort()).toEqual([false, true]);
      expect(a.campaign.id).toBe(b.campaign.id);
      expect(again).toEqual({ campaign: a.created ? a.campaign : b.campaign, created: false });
      expect(await listCampaigns(db)).toHaveLength(1);
    });

    it('makes a new campaign every time when there is no period', async () => {
      await insertCampaign(db, campaignRow());
      await insertCampaign(db, campaignRow());

      expect(await listCampaigns(db)).toHaveLength(2);
    });

    it('refuses a person rule without a person, at the database too', async () => {
      const refused = await insertCampaign(db, campaignRow({ reviewerRule: 'person' })).catch(
        (e: Error) => e,
      );

      expect(refused).toBeInstanceOf(Error);
      expect((refused as Error).cause).toMatchObject({
        constraint_name: 'campaigns_reviewer_person_iff_rule',
      });
    });

    it('attests the population once: the same digest again is fine, a different one is refused', async () => {
      const { campaign, population } = await launch();
      const digest = populationDigest(population);

      expect(await recordPopulation(db, campaign.id, digest)).toBe(true);
      expect(await recordPopulation(db, campaign.id, { ...digest, count: digest.count + 1 })).toBe(false);
      expect(await getCampaign(db, campaign.id)).toMatchObject({
        populationCount: 5,
        populationSha256: digest.sha256,
      });
    });

    it('signs off only a campaign awaiting sign-off, and only once', async () => {
      const { campaign } = await launch();

      expect(await signOffCampaign(db, campaign.id, people.ceo)).toBeUndefined();
      await updateCampaign(db, campaign.id, { status: 'awaiting_signoff' });
      const signed = await signOffCampaign(db, campaign.id, people.ceo);
      const again = await signOffCampaign(db, campaign.id, people.mgr);

      expect(signed).toMatchObject({ status: 'closed', signedOffById: people.ceo });
      expect(signed?.closedAt).toBeInstanceOf(Date);
      expect(again).toBeUndefined();
      expect(await listCampaigns(db, { status: ['closed'] })).toHaveLength(1);
    });
  });

  describe('items', () => {
    it('inserts each grant once, however often the same batch is written', async () => {
      const { campaign, items } = await launch();

      const again = await insertCampaignItems(db, campaign.id, items);
      const [row] = await database.owner.sql<{ n: number; grants: number }[]>`
        select count(*)::int as n, count(distinct grant_id)::int as grants
        from campaign_items where campaign_id = ${campaign.id}`;

      expect(again).toBe(0);
      expect(row).toEqual({ n: 5, grants: 5 });
    });

    it('assigns by the manager chain and records why; the items are exactly the attested population', async () => {
      const { campaign, population, itemOf } = await launch();

      const ownerItem = await getCampaignItem(db, campaign.id, await itemOf(grant.ownerRead));
      const devItem = await getCampaignItem(db, campaign.id, await itemOf(grant.devRead));
      const stored = await listItemPopulationPage(db, campaign.id);

      expect(devItem).toMatchObject({
        reviewerId: people.mgr,
        originalReviewerId: people.mgr,
        assignmentReason: 'manager',
      });
      // The owner's manager is the ceo; the chain never reaches the owner reviewing their own grant.
      expect(ownerItem).toMatchObject({ reviewerId: people.ceo, assignmentReason: 'manager' });
      expect(populationDigest(stored)).toEqual(populationDigest(population));
    });

    it('writes and attests a population larger than one batch, inside one repeatable-read snapshot', async () => {
      const size = ITEM_BATCH_SIZE * 2 + 7;
      await database.owner.sql`
        insert into grants (id, person_id, entitlement_id, granted_at, expires_at)
        select gen_random_uuid(), ${people.fin}, ${entitlement.write}, now() - i * interval '1 second', now() + interval '1 day'
        from generate_series(1, ${size}) as i`;
      const scope: CampaignScope = { entitlements: ['db/write'], departments: ['finance'] };
      const { campaign } = await insertCampaign(db, campaignRow({ scope }));
      const reviewers = await directory();

      const attested = await db.transaction(
        async (tx) => {
          const hasher = createPopulationHasher();
          for (;;) {
            const page = await listPopulationPage(tx, scope, { afterGrantId: hasher.lastGrantId });
            if (page.length === 0) break;
            hasher.add(page);
            await insertCampaignItems(
              tx,
              campaign.id,
              page.map((g) => ({
                ...g,
                reviewerId: assignReviewer(g, { rule: 'manager' }, reviewers).reviewerId as string,
                assignmentReason: 'manager',
              })),
            );
          }
          return { count: hasher.count, sha256: hasher.digest() };
        },
        { isolationLevel: 'repeatable read' },
      );
      const recomputed = createPopulationHasher();
      for (;;) {
        const page = await listItemPopulationPage(db, campaign.id, { afterGrantId: recomputed.lastGrantId });
        if (page.length === 0) break;
        recomputed.add(page);
      }

      expect(attested.count).toBe(size);
      expect((await countCampaignItems(db, campaign.id)).total).toBe(size);
      expect(recomputed.digest()).toBe(attested.sha256);
    });
  });

  describe('decisions', () => {
    it('refuses a second decision on the same item', async () => {
      const { campaign, itemOf } = await launch();
      const itemId = await itemOf(grant.devRead);
      const decide = (decision: 'keep' | 'revoke') =>
        recordDecision(db, {
          campaignId: campaign.id,
          itemId,
          decision,
          source: 'reviewer',
          decidedById: people.mgr,
          reviewerId: people.mgr,
          reason: decision === 'revoke' ? 'left the team' : null,
        });

      const first = await decide('keep');
      const second = await decide('revoke');

      expect(first).toMatchObject({ decision: 'keep', decidedById: people.mgr, decisionSource: 'reviewer' });
      expect(second).toBeUndefined();
      expect(await getCampaignItem(db, campaign.id, itemId)).toMatchObject({ decision: 'keep' });
    });

    it('lets a decision change when the campaign allows it, until revocation has started', async () => {
      const { campaign, itemOf } = await launch();
      const itemId = await itemOf(grant.devRead);
      const decide = (decision: 'keep' | 'revoke') =>
        recordDecision(db, {
          campaignId: campaign.id,
          itemId,
          decision,
          source: 'reviewer',
          decidedById: people.mgr,
          allowChanges: true,
        });

      await decide('keep');
      const changed = await decide('revoke');
      const queued = await queueRevocations(db, { campaignId: campaign.id });
      const tooLate = await decide('keep');

      expect(changed).toMatchObject({ decision: 'revoke' });
      expect(queued).toEqual([{ id: itemId, grantId: grant.devRead }]);
      expect(tooLate).toBeUndefined();
    });

    it('refuses a decision by someone who is not the item’s reviewer', async () => {
      const { campaign, itemOf } = await launch();

      const applied = await recordDecisions(db, {
        campaignId: campaign.id,
        itemIds: [await itemOf(grant.devRead), await itemOf(grant.ownerRead)],
        decision: 'keep',
        source: 'reviewer',
        decidedById: people.mgr,
        reviewerId: people.mgr,
      });

      // mgr reviews dev's grant; the owner's grant is the ceo's to review.
      expect(applied.map((item) => item.grantId)).toEqual([grant.devRead]);
    });

    it('counts decisions and revocation outcomes in one query', async () => {
      const { campaign, itemOf } = await launch();
      const decide = async (grantId: string, decision: 'keep' | 'revoke') =>
        recordDecision(db, {
          campaignId: campaign.id,
          itemId: await itemOf(grantId),
          decision,
          source: 'reviewer',
          decidedById: people.mgr,
        });
      await decide(grant.devRead, 'keep');
      await decide(grant.devWrite, 'revoke');
      await decide(grant.finApprove, 'revoke');
      await queueRevocations(db, { campaignId: campaign.id, limit: 1 });
      await queueRevocations(db, { campaignId: campaign.id, limit: 1 });
      const pending = await listPendingRevocations(db, { campaignId: campaign.id });
      const verified = await recordRevocationOutcome(db, {
        campaignId: campaign.id,
        grantId: grant.devWrite,
        status: 'verified',
      });
      const repeated = await recordRevocationOutcome(db, {
        campaignId: campaign.id,
        grantId: grant.devWrite,
        status: 'verified',
      });
      await recordRevocationOutcome(db, {
        campaignId: campaign.id,
        grantId: grant.finApprove,
        status: 'failed',
        error: 'target unreachable',
      });

      expect(pending.map((p) => p.grantId).sort()).toEqual([grant.devWrite, grant.finApprove].sort());
      expect([verified, repeated]).toEqual([true, false]);
      expect(await countCampaignItems(db, campaign.id)).toEqual({
        total: 5,
        decided: 3,
        undecided: 2,
        kept: 1,
        revoked: 2,
        revocationPending: 0,
        revocationVerified: 1,
        revocationUnverified: 0,
        revocationFailed: 1,
        revocationNotNeeded: 0,
      });
      expect(await getCampaignItem(db, campaign.id, await itemOf(grant.finApprove))).toMatchObject({
        revocationStatus: 'failed',
        revocationError: 'target unreachable',
        revokedAt: null,
      });
    });

    it('applies the default action in batches, to undecided items only', async () => {
      const { campaign, itemOf } = await launch();
      await recordDecision(db, {
        campaignId: campaign.id,
        itemId: await itemOf(grant.devRead),
        decision: 'keep',
        source: 'reviewer',
        decidedById: people.mgr,
      });
      const batches: number[] = [];
      for (;;) {
        const applied = await applyDefaultDecision(db, {
          campaignId: campaign.id,
          decision: 'revoke',
          reason: 'not reviewed by the due date',
          limit: 2,
        });
        if (applied.length === 0) break;
        batches.push(applied.length);
      }

      expect(batches).toEqual([2, 2]);
      expect(await countCampaignItems(db, campaign.id)).toMatchObject({ kept: 1, revoked: 4, undecided: 0 });
      expect(await getCampaignItem(db, campaign.id, await itemOf(grant.finRead))).toMatchObject({
        decision: 'revoke',
        decisionSource: 'default_action',
        decidedById: null,
        reason: 'not reviewed by the due date',
      });
    });
  });

  describe('reviewers', () => {
    it('shows a reviewer their items with names, risk, grant date and request, undecided first', async () => {
      const { campaign, itemOf } = await launch();
      const requestOf = async (grantId: string) =>
        (
          await database.owner.sql<{ request_id: string | null }[]>`
          select request_id from grants where id = ${grantId}`
        )[0]?.request_id;
      const firstId = Math.min(
        await itemOf(grant.devRead),
        await itemOf(grant.devWrite),
        await itemOf(grant.finApprove),
        await itemOf(grant.finRead),
      );
      await recordDecision(db, {
        campaignId: campaign.id,
        itemId: firstId,
        decision: 'keep',
        source: 'reviewer',
        decidedById: people.mgr,
      });

      const page = await listReviewerItems(db, {
        campaignId: campaign.id,
        reviewerId: people.mgr,
        limit: 10,
      });
      const undecided = await listReviewerItems(db, {
        campaignId: campaign.id,
        reviewerId: people.mgr,
        undecidedOnly: true,
        limit: 2,
      });
      const nextUndecided = await listReviewerItems(db, {
        campaignId: campaign.id,
        reviewerId: people.mgr,
        undecidedOnly: true,
        afterId: undecided.at(-1)?.id,
        limit: 2,
      });

      expect(page).toHaveLength(4);
      expect(page.at(-1)?.id).toBe(firstId);
      expect(page.slice(0, 3).every((item) => item.decision === null)).toBe(true);
      expect(page.find((item) => item.grantId === grant.devWrite)).toMatchObject({
        holderEmail: 'dev@acme.test',
        holderName: 'Dev Eloper',
        resourceKey: 'db',
        resourceName: 'DB system',
        entitlementKey: 'write',
        entitlementName: 'Write',
        risk: 'high',
        grantedAt: new Date('2026-01-02T03:04:05.000Z'),
        requestId: await requestOf(grant.devWrite),
      });
      expect([...undecided, ...nextUndecided].map((item) => item.id)).toEqual(
        page.slice(0, 3).map((i) => i.id),
      );
      expect(await listReviewerProgress(db, campaign.id)).toEqual([
        expect.objectContaining({ email: 'ceo@acme.test', total: 1, decided: 0 }),
        expect.objectContaining({ email: 'mgr@acme.test', total: 4, decided: 1 }),
      ]);
    });

    it('delegates chosen items or all undecided ones, never to the holder', async () => {
      const { campaign, itemOf } = await launch();
      const devRead = await itemOf(grant.devRead);
      const devWrite = await itemOf(grant.devWrite);
      const finRead = await itemOf(grant.finRead);
      await recordDecision(db, {
        campaignId: campaign.id,
        itemId: finRead,
        decision: 'keep',
        source: 'reviewer',
        decidedById: people.mgr,
      });

      const one = await delegateItems(db, {
        campaignId: campaign.id,
        fromReviewerId: people.mgr,
        toReviewerId: people.owner,
        itemIds: [devRead],
      });
      // fin is the delegate: fin's own grant stays with mgr, as does the decided item.
      const rest = await delegateItems(db, {
        campaignId: campaign.id,
        fromReviewerId: people.mgr,
        toReviewerId: people.fin,
      });
      const notMine = await delegateItems(db, {
        campaignId: campaign.id,
        fromReviewerId: people.mgr,
        toReviewerId: people.ceo,
        itemIds: [devRead],
      });

      expect(one).toEqual([devRead]);
      expect(rest).toEqual([devWrite]);
      expect(notMine).toEqual([]);
      expect(await getCampaignItem(db, campaign.id, devRead)).toMatchObject({
        reviewerId: people.owner,
        originalReviewerId: people.mgr,
        delegatedFromId: people.mgr,
      });
      expect(await getCampaignItem(db, campaign.id, await itemOf(grant.finApprove))).toMatchObject({
        reviewerId: people.mgr,
        delegatedFromId: null,
      });
      expect(await getCampaignItem(db, campaign.id, finRead)).toMatchObject({ reviewerId: people.mgr });
    });

    it('finds overdue undecided items and escalates them once', async () => {
      const { campaign } = await launch();
      const overdue = await listUndecidedItems(db, {
        campaignId: campaign.id,
        reviewerId: people.mgr,
        assignedBefore: new Date(Date.now() + 60_000),
        notEscalated: true,
      });
      const notYet = await listUndecidedItems(db, {
        campaignId: campaign.id,
        assignedBefore: new Date(Date.now() - 60_000),
      });

      const moved = await escalateItems(db, {
        campaignId: campaign.id,
        fromReviewerId: people.mgr,
        toReviewerId: people.ceo,
      });
      const stillOpen = await listUndecidedItems(db, { campaignId: campaign.id, notEscalated: true });

      expect(overdue).toHaveLength(4);
      expect(notYet).toEqual([]);
      expect(moved).toEqual(overdue.map((item) => item.id));
      expect(stillOpen.map((item) => item.reviewerId)).toEqual([people.ceo]);
      const escalated = await getCampaignItem(db, campaign.id, moved[0] as number);
      expect(escalated?.escalatedAt).toBeInstanceOf(Date);
      expect(escalated?.reviewerId).toBe(people.ceo);
    });
  });

  describe('report', () => {
    /** The whole report in `format`, as the API streams it. */
    async function reportText(campaignId: string, format: ReportFormat): Promise<string> {
      const campaign = await getCampaign(db, campaignId);
      if (!campaign) throw new Error(`no campaign ${campaignId}`);
      let text = '';
      for await (const chunk of renderReport(db, await summarizeCampaign(db, campaign, null), format)) {
        text += chunk;
      }
      return text;
    }

    /** The digest recomputed as the report's header tells an auditor to, with nothing but node:crypto. */
    function recomputeDigest(items: Record<string, string>[]): string {
      const lines = [...items]
        .sort((a, b) => ((a.grantId ?? '') < (b.grantId ?? '') ? -1 : 1))
        .map((item) =>
          JSON.stringify({
            entitlementKey: item.entitlementKey,
            grantId: item.grantId,
            grantedAt: item.grantedAt,
            holderEmail: item.holderEmail,
            resourceKey: item.resourceKey,
          }),
        );
      return createHash('sha256')
        .update(lines.map((line) => `${line}\n`).join(''), 'utf8')
        .digest('hex');
    }

    it('gives the hashed fields exactly as hashed: the population digest recomputes from the JSON or CSV alone', async () => {
      const { campaign } = await launch();

      const json = JSON.parse(await reportText(campaign.id, 'json'));
      const [header = '', ...lines] = (await reportText(campaign.id, 'csv')).trimEnd().split('\n');
      const columns = header.split(',');
      // No cell of this fixture needs quoting, so a split is a faithful CSV reading here.
      expect(lines.join('')).not.toContain('"');
      const rows = lines.map((line) =>
        Object.fromEntries(line.split(',').map((cell, i) => [columns[i], cell])),
      );

      const attested = (await getCampaign(db, campaign.id))?.populationSha256;
      expect(json.summary.population).toEqual({ count: 5, sha256: attested });
      // devRead was granted at .123456: microseconds a millisecond report would round away.
      expect(json.items.find((item: { grantId: string }) => item.grantId === grant.devRead)?.grantedAt).toBe(
        '2026-01-02T03:04:05.123456Z',
      );
      expect(recomputeDigest(json.items)).toBe(attested);
      expect(recomputeDigest(rows)).toBe(attested);
    });
  });

  describe('runtime role', () => {
    it.each(['delete from campaign_items', 'delete from campaigns', 'truncate campaign_items'])(
      'may not %s: items and campaigns are evidence',
      async (statement) => {
        await expect(database.runtime.sql.unsafe(statement)).rejects.toThrow(/permission denied/);
      },
    );
  });
});
