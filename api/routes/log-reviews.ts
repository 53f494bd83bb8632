// Log review routes: open a month's review (admins), list reviews and a review's items, mark items
// reviewed and sign a review off (the reviewer group, admins). Thin adapters over logreview/, which
// owns who may do what and records refusals, so every route admits any token.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { LogReviewItemView, LogReviewView } from '../../db/queries/log-reviews.js';
import { LOG_REVIEW_STATUSES } from '../../domain/index.js';
import type { LogReviewActor } from '../../logreview/access.js';
import { openLogReview } from '../../logreview/open.js';
import {
  findLogReviews,
  logReviewItems,
  MAX_ITEMS_PER_MARK,
  markItemsReviewed,
} from '../../logreview/review.js';
import { signOffReview } from '../../logreview/signoff.js';
import { sourceOf } from '../actor.js';
import type { ApiServer } from '../api-server.js';
import { ANY_ROLE, principalOf, requireRole } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { errorBody, idParams, iso, routePlugin } from './shared.js';

const reviewBody = z.object({
  id: z.string(),
  period: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  status: z.enum(LOG_REVIEW_STATUSES),
  reviewerGroup: z.string(),
  dueAt: z.string(),
  createdAt: z.string(),
  signedOffBy: z.string().nullable(),
  signedOffAt: z.string().nullable(),
  items: z.object({ total: z.number(), reviewed: z.number(), actionTaken: z.number() }),
});

const itemBody = z.object({
  id: z.number(),
  seq: z.number(),
  eventType: z.string(),
  summary: z.string(),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  note: z.string().nullable(),
  actionTaken: z.boolean(),
});

const errors = {
  401: errorBody.describe('No token, or an unknown, revoked or expired one'),
  403: errorBody.describe('The caller may not do this (recorded in the ledger as security.auth.denied)'),
};

const toReview = (review: LogReviewView): z.infer<typeof reviewBody> => ({
  id: review.id,
  period: review.period,
  periodStart: iso(review.periodStart) ?? '',
  periodEnd: iso(review.periodEnd) ?? '',
  status: review.status,
  reviewerGroup: review.reviewerGroup,
  dueAt: iso(review.dueAt) ?? '',
  createdAt: iso(review.createdAt) ?? '',
  signedOffBy: review.signedOffBy,
  signedOffAt: iso(review.signedOffAt),
  items: { total: review.items, reviewed: review.reviewed, actionTaken: review.actionTaken },
});

const toItem = (item: LogReviewItemView): z.infer<typeof itemBody> => ({
  id: item.id,
  seq: item.ledgerSeq,
  eventType: item.eventType,
  summary: item.summary,
  reviewedBy: item.reviewedBy,
  reviewedAt: iso(item.reviewedAt),
  note: item.note,
  actionTaken: item.actionTaken,
});

const actorOf = (request: FastifyRequest): LogReviewActor => {
  const principal = principalOf(request);
  return {
    personId: principal.personId,
    email: principal.email,
    role: principal.role,
    source: sourceOf(request),
  };
};

function openRoute(app: ApiServer, deps: ApiDeps): void {
  app.post(
    '/log-reviews',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['log reviews'],
        operationId: 'openLogReview',
        summary:
          "Open a month's log review, its items the month's security events in the ledger (admins); once per month: asking again answers the first (200)",
        body: z.object({ period: z.string().trim().min(1).max(20).optional() }).default({}),
        response: {
          200: reviewBody.describe('The review of that month, opened before'),
          201: reviewBody.describe('The review, opened now'),
          400: errorBody.describe('The period is not a month like 2026-11, or has not started'),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const opened = await openLogReview(
        {
          db: deps.db,
          reviewerGroup: deps.config.GRANTFLOW_LOG_REVIEW_GROUP,
          dueDays: deps.config.GRANTFLOW_LOG_REVIEW_DUE_DAYS,
        },
        request.body.period ? { period: request.body.period } : {},
        actorOf(request),
      );
      return reply.code(opened.created ? 201 : 200).send(toReview(opened.review));
    },
  );
}

function listRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/log-reviews',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['log reviews'],
        operationId: 'listLogReviews',
        summary:
          'Log reviews, latest month first, with their progress (auditors, admins, the reviewer group)',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(120).default(24) }),
        response: { 200: z.object({ items: z.array(reviewBody) }), ...errors },
      },
    },
    async (request) => {
      const reviews = await findLogReviews(
        { db: deps.db, reviewerGroup: deps.config.GRANTFLOW_LOG_REVIEW_GROUP },
        request.query,
        actorOf(request),
      );
      return { items: reviews.map(toReview) };
    },
  );
}

function itemsRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/log-reviews/:id/items',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['log reviews'],
        operationId: 'listLogReviewItems',
        summary:
          "A page of a review's security events in ledger order, after `afterId` (auditors, admins, the reviewer group)",
        params: idParams,
        querystring: z.object({
          unreviewed: z.enum(['true', 'false']).optional(),
          afterId: z.coerce.number().int().min(0).optional(),
          limit: z.coerce.number().int().min(1).max(MAX_ITEMS_PER_MARK).default(50),
        }),
        response: {
          200: z.object({ review: reviewBody, items: z.array(itemBody) }),
          ...errors,
          404: errorBody.describe('No such review'),
        },
      },
    },
    async (request) => {
      const page = await logReviewItems(
        deps,
        {
          reviewId: request.params.id,
          unreviewedOnly: request.query.unreviewed === 'true',
          ...(request.query.afterId !== undefined ? { afterId: request.query.afterId } : {}),
          limit: request.query.limit,
        },
        actorOf(request),
      );
      return { review: toReview(page.review), items: page.items.map(toItem) };
    },
  );
}

function markRoute(app: ApiServer, deps: ApiDeps): void {
  app.post(
    '/log-reviews/:id/items/reviewed',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['log reviews'],
        operationId: 'markLogReviewItemsReviewed',
        summary:
          'Mark items reviewed, with a note (required when action was taken); items reviewed before are listed and left as they were (the reviewer group, admins)',
        params: idParams,
        body: z.object({
          items: z.array(z.number().int().positive()).min(1).max(MAX_ITEMS_PER_MARK),
          note: z.string().trim().max(4_000).optional(),
          actionTaken: z.boolean().default(false),
        }),
        response: {
          200: z.object({ reviewed: z.array(z.number()), alreadyReviewed: z.array(z.number()) }),
          400: errorBody.describe('An item is not in this review, or action was taken without a note'),
          ...errors,
          404: errorBody.describe('No such review'),
          409: errorBody.describe('The review is signed off'),
        },
      },
    },
    async (request) =>
      markItemsReviewed(
        deps,
        {
          reviewId: request.params.id,
          itemIds: request.body.items,
          actionTaken: request.body.actionTaken,
          ...(request.body.note ? { note: request.body.note } : {}),
        },
        actorOf(request),
      ),
  );
}

function signOffRoute(app: ApiServer, deps: ApiDeps): void {
  app.post(
    '/log-reviews/:id/signoff',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['log reviews'],
        operationId: 'signOffLogReview',
        summary: 'Sign a review off once every item is reviewed (the reviewer group, admins)',
        params: idParams,
        response: {
          200: reviewBody,
          ...errors,
          404: errorBody.describe('No such review'),
          409: errorBody.describe('An item is not reviewed yet, or the review is signed off already'),
        },
      },
    },
    async (request) => toReview(await signOffReview(deps, { reviewId: request.params.id }, actorOf(request))),
  );
}

/** The log review routes under /api/v1. */
export function logReviewRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return routePlugin(deps, [openRoute, listRoute, itemsRoute, markRoute, signOffRoute]);
}
