// `grantflow log-review open|list|items|review|signoff`: the monthly review of the ledger's security
// events, over the REST API like the other commands.
import type { Command } from 'commander';
import { ValidationError } from '../../core/errors.js';
import { type ApiClient, type ApiOptions, connectApi, withApiOptions } from '../api-client.js';
import { formatTime, printJson, printList } from '../format.js';

type ReviewBody = {
  id: string;
  period: string;
  status: 'open' | 'signed_off';
  reviewerGroup: string;
  dueAt: string;
  signedOffBy: string | null;
  signedOffAt: string | null;
  items: { total: number; reviewed: number; actionTaken: number };
};

type ItemBody = {
  id: number;
  seq: number;
  eventType: string;
  summary: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  note: string | null;
  actionTaken: boolean;
};

type Marked = { reviewed: number[]; alreadyReviewed: number[] };

/** The most items one call marks (the API's limit). */
const PAGE = 500;

const describe = (r: ReviewBody) =>
  `${r.period} log review ${r.id}: ${r.items.reviewed} of ${r.items.total} security events reviewed ` +
  `by the ${r.reviewerGroup} group, ${r.items.actionTaken} with action taken; ` +
  (r.status === 'signed_off'
    ? `signed off by ${r.signedOffBy ?? '-'} at ${formatTime(r.signedOffAt)}.\n`
    : `due ${formatTime(r.dueAt)}.\n`);

function itemIds(values: string[]): number[] {
  return values.map((value) => {
    const id = Number(value);
    if (!Number.isSafeInteger(id) || id <= 0) throw new ValidationError(`not an item id: "${value}"`);
    return id;
  });
}

/** Marks every unreviewed item, a page at a time, until none is left. */
async function markAll(api: ApiClient, reviewId: string, body: Record<string, unknown>): Promise<Marked> {
  const all: Marked = { reviewed: [], alreadyReviewed: [] };
  for (;;) {
    const { items } = await api.get<{ items: ItemBody[] }>(`/log-reviews/${reviewId}/items`, {
      query: { unreviewed: 'true', limit: PAGE },
    });
    if (items.length === 0) return all;
    const marked = await api.post<Marked>(`/log-reviews/${reviewId}/items/reviewed`, {
      body: { ...body, items: items.map((item) => item.id) },
      flags: { note: '--note', actionTaken: '--action-taken' },
    });
    all.reviewed.push(...marked.reviewed);
    all.alreadyReviewed.push(...marked.alreadyReviewed);
  }
}

/** Registers `log-review`. */
export function registerLogReviewCommands(program: Command): void {
  const logReview = program
    .command('log-review')
    .description("The monthly review of the ledger's security events (the reviewer group, admins, auditors)");

  withApiOptions(
    logReview
      .command('open')
      .description("Open a month's review, once per month (admin); the schedule opens the month just ended")
      .argument('[period]', 'the month, like 2026-11 (default: last month)')
      .option('--json', 'as JSON'),
  ).action(async (period: string | undefined, options: ApiOptions & { json?: boolean }) => {
    const review = await connectApi(options).post<ReviewBody>('/log-reviews', {
      body: period ? { period } : {},
      flags: { period: '[period]' },
    });
    if (options.json) return printJson(review);
    process.stdout.write(describe(review));
  });

  withApiOptions(
    logReview
      .command('list')
      .description('Reviews, latest month first')
      .option('--limit <n>', 'most reviews to list (1 to 120)', '24')
      .option('--json', 'as JSON'),
  ).action(async (options: ApiOptions & { limit: string; json?: boolean }) => {
    const { items } = await connectApi(options).get<{ items: ReviewBody[] }>('/log-reviews', {
      query: { limit: options.limit },
      flags: { limit: '--limit' },
    });
    printList(items, {
      json: options.json,
      empty: 'No log reviews yet. `grantflow log-review open` opens last month’s.',
      columns: [
        ['ID', (r) => r.id],
        ['PERIOD', (r) => r.period],
        ['STATUS', (r) => r.status],
        ['REVIEWED', (r) => `${r.items.reviewed}/${r.items.total}`],
        ['DUE', (r) => formatTime(r.dueAt)],
        ['SIGNED OFF', (r) => (r.signedOffBy ? `${r.signedOffBy} ${formatTime(r.signedOffAt)}` : '-')],
      ],
    });
  });

  withApiOptions(
    logReview
      .command('items')
      .description("A page of a review's security events, in ledger order")
      .argument('<review>', 'review id')
      .option('--unreviewed', 'only those nobody reviewed yet')
      .option('--after <id>', 'the page after this item id')
      .option('--limit <n>', 'most items to list (1 to 500)', '50')
      .option('--json', 'as JSON'),
  ).action(
    async (
      reviewId: string,
      options: ApiOptions & { unreviewed?: boolean; after?: string; limit: string; json?: boolean },
    ) => {
      const page = await connectApi(options).get<{ review: ReviewBody; items: ItemBody[] }>(
        `/log-reviews/${encodeURIComponent(reviewId)}/items`,
        {
          query: {
            unreviewed: options.unreviewed ? 'true' : undefined,
            afterId: options.after,
            limit: options.limit,
          },
          flags: { afterId: '--after', limit: '--limit' },
        },
      );
      if (options.json) return printJson(page);
      process.stdout.write(describe(page.review));
      printList(page.items, {
        empty: options.unreviewed ? 'Every event is reviewed.' : 'No security events in this review.',
        columns: [
          ['ID', (i) => String(i.id)],
          ['SEQ', (i) => String(i.seq)],
          ['EVENT', (i) => i.eventType],
          ['REVIEWED BY', (i) => i.reviewedBy ?? '-'],
          ['ACTION', (i) => (i.actionTaken ? 'yes' : '-')],
          ['SUMMARY', (i) => (i.note ? `${i.summary} | note: ${i.note}` : i.summary)],
        ],
      });
      const last = page.items.at(-1);
      if (last && page.items.length === Number(options.limit)) {
        process.stdout.write(`More: grantflow log-review items ${reviewId} --after ${last.id}\n`);
      }
    },
  );

  withApiOptions(
    logReview
      .command('review')
      .description('Mark events reviewed, with a note (required with --action-taken); final once marked')
      .argument('<review>', 'review id')
      .argument('[items...]', 'item ids (see `items`)')
      .option('--all', 'every event not reviewed yet')
      .option('--note <text>', 'what you found or did')
      .option('--action-taken', 'action was taken on these events (say what in --note)')
      .option('--json', 'as JSON'),
  ).action(
    async (
      reviewId: string,
      items: string[],
      options: ApiOptions & { all?: boolean; note?: string; actionTaken?: boolean; json?: boolean },
    ) => {
      if (Boolean(options.all) === items.length > 0)
        throw new ValidationError('name the item ids, or give --all');
      const api = connectApi(options);
      const path = encodeURIComponent(reviewId);
      const body = {
        actionTaken: options.actionTaken ?? false,
        ...(options.note !== undefined ? { note: options.note } : {}),
      };
      const marked = options.all
        ? await markAll(api, path, body)
        : await api.post<Marked>(`/log-reviews/${path}/items/reviewed`, {
            body: { ...body, items: itemIds(items) },
            flags: { items: '[items...]', note: '--note', actionTaken: '--action-taken' },
          });
      if (options.json) return printJson(marked);
      process.stdout.write(`Marked ${marked.reviewed.length} events reviewed.\n`);
      if (marked.alreadyReviewed.length > 0) {
        process.stdout.write(`Reviewed before, left as they were: ${marked.alreadyReviewed.join(', ')}\n`);
      }
    },
  );

  withApiOptions(
    logReview
      .command('signoff')
      .description('Sign a review off once every event is reviewed (the reviewer group, admin)')
      .argument('<review>', 'review id')
      .option('--json', 'as JSON'),
  ).action(async (reviewId: string, options: ApiOptions & { json?: boolean }) => {
    const review = await connectApi(options).post<ReviewBody>(
      `/log-reviews/${encodeURIComponent(reviewId)}/signoff`,
    );
    if (options.json) return printJson(review);
    process.stdout.write(describe(review));
  });
}
