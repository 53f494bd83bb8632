// Certification-campaign routes: launch (now or quarterly), list and follow, review items, delegate,
// sign off, report. Each route is a thin adapter over one use case in campaigns/.
import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { launchCampaign } from '../../campaigns/launch.js';
import { liveCampaignState } from '../../campaigns/live-state.js';
import { REPORT_FORMATS, renderReport, summarizeCampaign } from '../../campaigns/report.js';
import {
  decideItems,
  delegateReview,
  MAX_ITEMS_PER_DECISION,
  type ReviewActor,
} from '../../campaigns/review.js';
import { scheduleQuarterlyCampaign } from '../../campaigns/schedule.js';
import { signOffCampaign } from '../../campaigns/signoff.js';
import { decodeCursor, pageOf } from '../../core/cursor.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import { listReviewerItems } from '../../db/queries/campaign-items.js';
import { getCampaign, listCampaigns } from '../../db/queries/campaigns.js';
import { getPersonByEmail, getPersonById } from '../../db/queries/people.js';
import type { Campaign } from '../../db/schema.js';
import { actorInput, actorOf, sourceOf } from '../actor.js';
import type { ApiServer } from '../api-server.js';
import { ANY_ROLE, principalOf, requireRole } from '../auth.js';
import { type ApiDeps, launchDepsOf } from '../deps.js';
import { pageQuery } from './paging.js';
import { actorUpdateRoute, email, idParams, reason, routePlugin } from './shared.js';

/** A review item's place in its list: decided or not (undecided come first), then its id. */
const itemKey = z.tuple([z.boolean(), z.number().int().positive()]);
const itemAfter = ([decided, id]: z.infer<typeof itemKey>) => ({ decided, id });

async function found(deps: ApiDeps, id: string): Promise<Campaign> {
  const campaign = await getCampaign(deps.db, id);
  if (!campaign) throw new NotFoundError('campaign', id);
  return campaign;
}

async function summaryOf(deps: ApiDeps, campaign: Campaign) {
  const signer = campaign.signedOffById ? await getPersonById(deps.db, campaign.signedOffById) : undefined;
  return summarizeCampaign(deps.db, campaign, signer?.email ?? null);
}

/** The caller as the review use cases take them: their directory record, ledger actor and source. */
async function reviewerOf(deps: ApiDeps, request: FastifyRequest): Promise<ReviewActor> {
  const principal = principalOf(request);
  const person = await getPersonById(deps.db, principal.personId);
  if (!person) throw new NotFoundError('person', principal.email);
  return {
    person,
    audit: actorOf(principal),
    source: { service: 'grantflow-api', ...sourceOf(request) },
  };
}

function launchRoute(app: ApiServer, deps: ApiDeps): void {
  app.post(
    '/campaigns',
    {
      preHandler: requireRole(deps.db, 'admin'),
      schema: {
        tags: ['campaigns'],
        summary: 'Launch a campaign (once per period when `period` is given: a repeat returns the first)',
        // Validated by the launch service, which names every bad field (shared with CLI and Slack).
        body: z.record(z.string(), z.unknown()),
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const launched = await launchCampaign(launchDepsOf(deps), request.body, {
        id: principal.personId,
        email: principal.email,
        name: principal.name,
      });
      return reply.status(launched.created ? 201 : 200).send({
        created: launched.created,
        workflowId: launched.workflowId,
        ...(await summaryOf(deps, launched.campaign)),
      });
    },
  );
}

function scheduleRoute(app: ApiServer, deps: ApiDeps): void {
  app.post(
    '/campaigns/schedules',
    {
      preHandler: requireRole(deps.db, 'admin'),
      schema: {
        tags: ['campaigns'],
        summary:
          'Launch a campaign every quarter (09:00 UTC on the 1st of Jan, Apr, Jul, Oct) from this template; once per quarter',
        // The launch input without dueAt and period: each run is due dueInSeconds after it starts.
        body: z.record(z.string(), z.unknown()),
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { dueAt, period, ...launch } = request.body;
      if (dueAt !== undefined || period !== undefined) {
        throw new ValidationError('a schedule takes dueInSeconds; each run names its own quarter', {
          fields: [
            ...(dueAt !== undefined
              ? [{ field: 'body.dueAt', message: 'is not allowed: use dueInSeconds' }]
              : []),
            ...(period !== undefined ? [{ field: 'body.period', message: 'is set per run' }] : []),
          ],
        });
      }
      const schedule = await scheduleQuarterlyCampaign(
        { ...deps, taskQueue: deps.config.TEMPORAL_TASK_QUEUE },
        { launch, launchedBy: { id: principal.personId, email: principal.email, name: principal.name } },
      );
      return reply.status(201).send({
        scheduleId: schedule.scheduleId,
        nextRuns: schedule.nextRuns.map((at) => at.toISOString()),
      });
    },
  );
}

function listRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/campaigns',
    {
      preHandler: requireRole(deps.db, 'admin', 'auditor'),
      schema: {
        tags: ['campaigns'],
        summary: 'Campaigns, newest first',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
      },
    },
    async (request) => {
      const rows = await listCampaigns(deps.db, { limit: request.query.limit });
      return { items: await Promise.all(rows.map((campaign) => summaryOf(deps, campaign))) };
    },
  );
}

function readRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/campaigns/:id',
    {
      preHandler: requireRole(deps.db, 'admin', 'auditor'),
      schema: {
        tags: ['campaigns'],
        summary: 'One campaign: summary, counts, and the live state',
        params: idParams,
      },
    },
    async (request) => {
      const campaign = await found(deps, request.params.id);
      const live = campaign.status === 'closed' ? null : await liveCampaignState(deps, campaign.id);
      return { ...(await summaryOf(deps, campaign)), live };
    },
  );
}

function itemsRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/campaigns/:id/items',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['campaigns'],
        summary: 'Items to review: your own; admins and auditors may name a reviewer',
        params: idParams,
        querystring: z.object({
          reviewer: email.optional(),
          undecided: z.enum(['true', 'false']).optional(),
          afterId: z.coerce.number().int().min(0).optional(),
          ...pageQuery.shape,
        }),
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const campaign = await found(deps, request.params.id);
      let reviewerId = principal.personId;
      if (request.query.reviewer && principal.role !== 'employee') {
        const named = await getPersonByEmail(deps.db, request.query.reviewer);
        if (!named) throw new NotFoundError('person', request.query.reviewer);
        reviewerId = named.id;
      }
      const items = await listReviewerItems(deps.db, {
        campaignId: campaign.id,
        reviewerId,
        undecidedOnly: request.query.undecided === 'true',
        ...(request.query.afterId !== undefined ? { afterId: request.query.afterId } : {}),
        ...(request.query.cursor ? { after: itemAfter(decodeCursor(request.query.cursor, itemKey)) } : {}),
        limit: request.query.limit + 1,
      });
      const page = pageOf(items, request.query.limit, (item) => [item.decision !== null, item.id]);
      return { items: page.items, nextCursor: page.nextCursor };
    },
  );
}

function decideRoute(app: ApiServer, deps: ApiDeps): void {
  app.post(
    '/campaigns/:id/decisions',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['campaigns'],
        summary: 'Keep or revoke items you review (revoke needs a reason); refused items are listed',
        params: idParams,
        body: z.object({
          items: z.array(z.number().int().positive()).min(1).max(MAX_ITEMS_PER_DECISION),
          decision: z.enum(['keep', 'revoke']),
          reason,
        }),
      },
    },
    async (request) =>
      decideItems(
        deps,
        {
          campaignId: request.params.id,
          itemIds: request.body.items,
          decision: request.body.decision,
          ...(request.body.reason ? { reason: request.body.reason } : {}),
        },
        await reviewerOf(deps, request),
      ),
  );
}

function delegateRoute(app: ApiServer, deps: ApiDeps): void {
  app.post(
    '/campaigns/:id/delegations',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['campaigns'],
        summary: 'Hand your undecided items (the listed ones, or all) to another active person',
        params: idParams,
        body: z.object({ to: email, items: z.array(z.number().int().positive()).min(1).optional() }),
      },
    },
    async (request) =>
      delegateReview(
        deps,
        {
          campaignId: request.params.id,
          to: request.body.to,
          ...(request.body.items ? { itemIds: request.body.items } : {}),
        },
        await reviewerOf(deps, request),
      ),
  );
}

const signOffRoute = actorUpdateRoute({
  url: '/campaigns/:id/signoff',
  roles: ['admin'],
  tags: ['campaigns'],
  summary: 'Sign off the results once every item is settled; the campaign closes',
  actor: actorInput,
  update: async (deps, campaignId, actor) => {
    const state = await signOffCampaign(deps, { campaignId }, actor);
    return { state, ...(await summaryOf(deps, await found(deps, campaignId))) };
  },
});

function reportRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/campaigns/:id/report',
    {
      preHandler: requireRole(deps.db, 'admin', 'auditor'),
      schema: {
        tags: ['campaigns'],
        summary: 'Every item with reviewer, decision, reason, times and revocation status, plus a summary',
        params: idParams,
        querystring: z.object({ format: z.enum(REPORT_FORMATS).default('json') }),
      },
    },
    async (request, reply) => {
      const campaign = await found(deps, request.params.id);
      const { format } = request.query;
      const summary = await summaryOf(deps, campaign);
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="campaign-${campaign.id}.${format}"`)
        .send(Readable.from(renderReport(deps.db, summary, format)));
    },
  );
}

/** Certification campaigns: launch, follow, review, delegate, sign off, report. */
export function campaignRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return routePlugin(deps, [
    launchRoute,
    scheduleRoute,
    listRoute,
    readRoute,
    itemsRoute,
    decideRoute,
    delegateRoute,
    signOffRoute,
    reportRoute,
  ]);
}
