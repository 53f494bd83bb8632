// Certification-campaign routes: launch (now or quarterly), list and follow, review items, delegate,
// sign off, report. Each route is a thin adapter over one use case in campaigns/.
import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { launchCampaign } from '../../campaigns/launch.js';
import { liveCampaignState } from '../../campaigns/live-state.js';
import { campaignBurnDown } from '../../campaigns/progress.js';
import { REPORT_FORMATS, renderReport, summarizeCampaign } from '../../campaigns/report.js';
import {
  decideItems,
  delegateReview,
  MAX_ITEMS_PER_DECISION,
  type ReviewActor,
} from '../../campaigns/review.js';
import { listCampaignSchedules, scheduleQuarterlyCampaign } from '../../campaigns/schedule.js';
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
import { campaignBody, scheduleBody, summaryBody, toScheduleBody } from './campaign-views.js';
import { pageQuery } from './paging.js';
import { actorUpdateRoute, email, errorBody, idParams, reason, routePlugin } from './shared.js';

// Answers documented without their shape (z.unknown() passes the body through as before).
const summary = (description: string) => z.unknown().describe(description);
const campaignNotFound = errorBody.describe('No campaign has that id');
const notTakingDecisions = errorBody.describe(
  'The campaign is no longer taking decisions (closed or past due)',
);

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

const launchedBody = summaryBody.extend({ created: z.boolean(), workflowId: z.string() });

function launchRoute(app: ApiServer, deps: ApiDeps): void {
  app.post(
    '/campaigns',
    {
      preHandler: requireRole(deps.db, 'admin'),
      schema: {
        tags: ['campaigns'],
        operationId: 'launchCampaign',
        summary: 'Launch a campaign (once per period when `period` is given: a repeat returns the first)',
        // Validated by the launch service, which names every bad field (shared with CLI and Slack).
        body: z.record(z.string(), z.unknown()),
        response: { 200: launchedBody, 201: launchedBody },
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
        operationId: 'scheduleCampaign',
        summary:
          'Launch a campaign every quarter (09:00 UTC on the 1st of Jan, Apr, Jul, Oct) from this template; once per quarter',
        // The launch input without dueAt and period: each run is due dueInSeconds after it starts.
        body: z.record(z.string(), z.unknown()),
        response: { 201: z.object({ scheduleId: z.string(), nextRuns: z.array(z.string()) }) },
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

function schedulesRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/campaigns/schedules',
    {
      preHandler: requireRole(deps.db, 'admin'),
      schema: {
        tags: ['campaigns'],
        operationId: 'listCampaignSchedules',
        summary: 'The campaign schedules in force: template, next runs, last run',
        response: { 200: z.object({ items: z.array(scheduleBody) }) },
      },
    },
    async () => ({
      items: (await listCampaignSchedules({ ...deps, taskQueue: deps.config.TEMPORAL_TASK_QUEUE })).map(
        toScheduleBody,
      ),
    }),
  );
}

function listRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/campaigns',
    {
      preHandler: requireRole(deps.db, 'admin', 'auditor'),
      schema: {
        tags: ['campaigns'],
        operationId: 'listCampaigns',
        summary: 'Campaigns, newest first',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.object({ items: z.array(summaryBody) }) },
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
        operationId: 'getCampaign',
        summary:
          'One campaign: summary, counts, the live state, and the burn-down (decided and open over time)',
        params: idParams,
        response: { 200: campaignBody, 404: campaignNotFound },
      },
    },
    async (request) => {
      const campaign = await found(deps, request.params.id);
      const live = campaign.status === 'closed' ? null : await liveCampaignState(deps, campaign.id);
      const summary = await summaryOf(deps, campaign);
      const burnDown = await campaignBurnDown(deps.db, campaign, summary.items.total, new Date());
      return { ...summary, live, burnDown };
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
        operationId: 'listCampaignItems',
        summary: 'Items to review: your own; admins and auditors may name a reviewer',
        params: idParams,
        querystring: z.object({
          reviewer: email.optional(),
          undecided: z.enum(['true', 'false']).optional(),
          afterId: z.coerce.number().int().min(0).optional(),
          ...pageQuery.shape,
        }),
        response: {
          200: summary("items: the reviewer's items, by id (page with afterId)"),
          404: errorBody.describe('No campaign has that id, or no person has the reviewer email'),
        },
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
        operationId: 'decideCampaignItems',
        summary: 'Keep or revoke items you review (revoke needs a reason); refused items are listed',
        params: idParams,
        body: z.object({
          items: z.array(z.number().int().positive()).min(1).max(MAX_ITEMS_PER_DECISION),
          decision: z.enum(['keep', 'revoke']),
          reason,
        }),
        response: {
          200: summary('What was decided, and the items refused with why'),
          404: campaignNotFound,
          409: notTakingDecisions,
        },
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
        operationId: 'delegateCampaignItems',
        summary: 'Hand your undecided items (the listed ones, or all) to another active person',
        params: idParams,
        body: z.object({ to: email, items: z.array(z.number().int().positive()).min(1).optional() }),
        response: {
          200: summary('The items handed on, and those refused with why'),
          404: errorBody.describe('No campaign has that id, or no person has the email in to'),
          409: notTakingDecisions,
        },
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
  operationId: 'signOffCampaign',
  summary: 'Sign off the results once every item is settled; the campaign closes',
  response: summary("The campaign's state and summary, closed"),
  errors: {
    404: campaignNotFound,
    409: errorBody.describe('An item is not settled yet, or the campaign is not waiting for sign-off'),
  },
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
        operationId: 'getCampaignReport',
        summary: 'Every item with reviewer, decision, reason, times and revocation status, plus a summary',
        params: idParams,
        querystring: z.object({ format: z.enum(REPORT_FORMATS).default('json') }),
        response: {
          200: {
            description: 'The report as an attachment, in the format asked for',
            content: { 'application/json': { schema: z.unknown() }, 'text/csv': { schema: z.string() } },
          },
          404: campaignNotFound,
        },
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
    schedulesRoute,
    listRoute,
    readRoute,
    itemsRoute,
    decideRoute,
    delegateRoute,
    signOffRoute,
    reportRoute,
  ]);
}
