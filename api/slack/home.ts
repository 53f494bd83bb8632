// The App Home of one person: their open requests, their access (with Release), what waits for
// their approval (with buttons) and their campaign reviews (progress, with Review).
import type { WebClient } from '@slack/web-api';
import {
  listAccessRequests,
  listRequestsNamingApprover,
  OPEN_REQUEST_STATUSES,
} from '../../db/queries/access-requests.js';
import { listGrants } from '../../db/queries/grants.js';
import type { Person } from '../../db/schema.js';
import { mayDecideNow } from '../../requests/index.js';
import { type HomeModel, homeView } from '../../slack/blocks/home.js';
import { grantCard, requestFacts } from '../../slack/cards.js';
import type { SlackContext } from './context.js';
import { myReviews } from './reviews.js';

/** More than this per list is cut by the view with "…and N more". */
const LIST_LIMIT = 25;

/** What the person's App Home shows now. */
async function homeModel(ctx: SlackContext, person: Person): Promise<HomeModel> {
  const [mine, grants, candidates, reviews] = await Promise.all([
    listAccessRequests(ctx.db, {
      requesterId: person.id,
      status: [...OPEN_REQUEST_STATUSES],
      limit: LIST_LIMIT,
    }),
    listGrants(ctx.db, { personId: person.id, status: ['active'], limit: LIST_LIMIT }),
    listRequestsNamingApprover(ctx.db, person.email, LIST_LIMIT),
    myReviews(ctx.db, person),
  ]);
  const waiting = [];
  for (const request of candidates) {
    if (await mayDecideNow(ctx, request.id, person.email)) waiting.push(request);
  }
  return {
    personName: person.name,
    openRequests: await Promise.all(mine.map(async (r) => (await requestFacts(ctx.db, r)).card)),
    activeGrants: grants.map(grantCard),
    approvalsWaiting: await Promise.all(
      waiting.map(async (r) => (await requestFacts(ctx.db, r, person.email)).card),
    ),
    reviews,
    consoleUrl: ctx.config.publicUrl,
  };
}

/** Publishes the person's App Home. */
export async function publishHome(ctx: SlackContext, client: WebClient, person: Person, slackUserId: string) {
  await client.views.publish({ user_id: slackUserId, view: homeView(await homeModel(ctx, person)) });
}
