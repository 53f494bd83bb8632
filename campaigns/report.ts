// The campaign report an auditor accepts as evidence: every item (who holds what, who reviewed it,
// the decision, reason and times, whether the revocation was verified at the target) and a summary
// (population and its hash, completion, revocations, exceptions). Streamed page by page.
//
// The population digest recomputes from the report alone (byte format: campaigns/snapshot.ts).
// Every field the digest hashes is given exactly as hashed: grantId, holderEmail, resourceKey,
// entitlementKey, and grantedAt in UTC with microseconds (`2026-01-02T03:04:05.678901Z`; the
// report's other times are in milliseconds, like the ledger's). Take those five fields of every
// item, sort the items by grantId, write each as RFC 8785 JSON (members in key order, no spaces)
// followed by "\n", and SHA-256 the whole: the lowercase hex equals `summary.population.sha256` in
// the JSON report, and `details.sha256` of the campaign's `campaign.population.snapshot` event in
// the signed ledger (which is what to compare a CSV report with). Two cautions: the CSV prefixes a
// cell starting with = + - or @ with ' against spreadsheet formulas, so an email starting so is
// read without that '; and holderEmail is the holder's email now, so one the identity provider
// changed after launch is hashed as it was then (identity.person.updated holds before and after).
import { csvCell } from '../audit/export-format.js';
import type { Executor } from '../db/client.js';
import { countCampaignItems } from '../db/queries/campaign-items.js';
import {
  countReportExceptions,
  listReportItems,
  type ReportExceptions,
  type ReportItem,
} from '../db/queries/campaign-report.js';
import type { Campaign } from '../db/schema.js';
import type { CampaignCounts } from '../domain/index.js';

/** Report formats. */
export const REPORT_FORMATS = ['csv', 'json'] as const;
/** One of REPORT_FORMATS. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const PAGE = 2_000;

/** The CSV columns, in order (the ReportItem fields). */
const REPORT_COLUMNS: readonly (keyof ReportItem)[] = [
  'itemId',
  'grantId',
  'holderEmail',
  'holderName',
  'resourceKey',
  'entitlementKey',
  'risk',
  'grantedAt',
  'requestId',
  'reviewerEmail',
  'originalReviewerEmail',
  'assignmentReason',
  'decision',
  'decisionSource',
  'decidedByEmail',
  'decidedAt',
  'reason',
  'delegatedFromEmail',
  'escalatedAt',
  'revocationStatus',
  'revokedAt',
];

/** The campaign in numbers. */
export type CampaignSummary = {
  campaignId: string;
  name: string;
  status: Campaign['status'];
  launchedAt: string | null;
  dueAt: string;
  population: { count: number | null; sha256: string | null };
  items: CampaignCounts;
  /** Decided items as a percentage of all, one decimal. */
  completionPercent: number;
  exceptions: ReportExceptions & { revocationFailed: number; revocationUnverified: number };
  signedOff: { by: string | null; at: string | null };
};

const iso = (value: Date | string | null | undefined) => (value ? new Date(value).toISOString() : null);

/** The summary of one campaign, read now. */
export async function summarizeCampaign(
  db: Executor,
  campaign: Campaign,
  signedOffByEmail: string | null,
): Promise<CampaignSummary> {
  const [items, exceptions] = await Promise.all([
    countCampaignItems(db, campaign.id),
    countReportExceptions(db, campaign.id),
  ]);
  return {
    campaignId: campaign.id,
    name: campaign.name,
    status: campaign.status,
    launchedAt: iso(campaign.launchedAt),
    dueAt: iso(campaign.dueAt) ?? '',
    population: { count: campaign.populationCount, sha256: campaign.populationSha256 },
    items,
    completionPercent: items.total === 0 ? 100 : Math.round((items.decided / items.total) * 1000) / 10,
    exceptions: {
      ...exceptions,
      revocationFailed: items.revocationFailed,
      revocationUnverified: items.revocationUnverified,
    },
    signedOff: { by: signedOffByEmail, at: iso(campaign.signedOffAt) },
  };
}

/** Every item of the campaign, page by page. */
async function* reportItems(db: Executor, campaignId: string): AsyncGenerator<ReportItem> {
  let afterId: number | undefined;
  for (;;) {
    const page = await listReportItems(db, campaignId, { ...(afterId ? { afterId } : {}), limit: PAGE });
    yield* page;
    if (page.length < PAGE) return;
    afterId = page.at(-1)?.itemId;
  }
}

/** One CSV line of an item. */
function reportCsvLine(item: ReportItem): string {
  return `${REPORT_COLUMNS.map((column) => csvCell(item[column])).join(',')}\n`;
}

/**
 * The whole report as text chunks: CSV (a header, then a line per item) or JSON
 * (`{"summary": ..., "items": [...]}`, written item by item).
 */
export async function* renderReport(
  db: Executor,
  summary: CampaignSummary,
  format: ReportFormat,
): AsyncGenerator<string> {
  if (format === 'csv') {
    yield `${REPORT_COLUMNS.join(',')}\n`;
    for await (const item of reportItems(db, summary.campaignId)) yield reportCsvLine(item);
    return;
  }
  yield `{"summary":${JSON.stringify(summary)},"items":[`;
  let first = true;
  for await (const item of reportItems(db, summary.campaignId)) {
    yield `${first ? '' : ','}\n${JSON.stringify(item)}`;
    first = false;
  }
  yield '\n]}\n';
}
