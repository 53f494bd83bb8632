// Ledger routes for auditors and admins: search the audit ledger and verify it; each call is
// itself recorded in the ledger.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ledgerFilterSchema, searchLedger } from '../../audit/read.js';
import { recordLedgerRead } from '../../audit/record-read.js';
import { findingCodes, verifyLedger } from '../../audit/verify/index.js';
import { GrantflowError } from '../../core/errors.js';
import { actorOf, sourceOf } from '../actor.js';
import type { ApiServer } from '../api-server.js';
import { principalOf, requireRole } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { routePlugin } from './shared.js';

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1_000;

const entryBody = z.object({
  seq: z.number().int(),
  recorded_at: z.string(),
  event: z.record(z.string(), z.unknown()),
});

const findingBody = z.object({
  code: z.enum(findingCodes),
  severity: z.enum(['error', 'warning']),
  seq: z.number().int().optional(),
  lastSeq: z.number().int().optional(),
  writtenAsSeq: z.number().int().optional(),
  checkpointId: z.number().int().optional(),
  otherCheckpointId: z.number().int().optional(),
  file: z.string().optional(),
  message: z.string(),
});

const verifyBody = z.object({
  status: z.enum(['intact', 'tampered']),
  entries: z.number().int(),
  checkpoints: z.number().int(),
  checkpointsVerified: z.number().int(),
  exportedCheckpoints: z.number().int(),
  latestCheckpoint: z
    .object({
      id: z.number().int(),
      treeSize: z.number().int(),
      rootHash: z.string(),
      time: z.string().optional(),
      signedBy: z.array(z.string()),
    })
    .optional(),
  unsignedEntries: z.number().int(),
  since: z.number().int().optional(),
  findings: z.array(findingBody),
  omittedFindings: z.number().int(),
  durationMs: z.number(),
});

function searchRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/audit/events',
    {
      preHandler: requireRole(deps.db, 'admin', 'auditor'),
      schema: {
        tags: ['audit'],
        summary: 'Search ledger entries (oldest first; page with afterSeq = nextAfterSeq)',
        querystring: ledgerFilterSchema.extend({
          limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(DEFAULT_PAGE),
        }),
        response: {
          200: z.object({ items: z.array(entryBody), nextAfterSeq: z.number().int().nullable() }),
        },
      },
    },
    async (request) => {
      const { limit, ...filter } = request.query;
      const items = await searchLedger(deps.sql, filter, limit);
      await recordLedgerRead(deps.db, {
        eventType: 'audit.search.performed',
        actor: actorOf(principalOf(request)),
        action: 'search',
        details: { filter, returned: items.length },
        source: sourceOf(request),
      });
      return { items, nextAfterSeq: items.length === limit ? (items.at(-1)?.seq ?? null) : null };
    },
  );
}

function verifyRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/audit/verify',
    {
      preHandler: requireRole(deps.db, 'admin', 'auditor'),
      schema: {
        tags: ['audit'],
        summary:
          'Recompute the ledger, checkpoints and protections (as grantflow audit verify --json); can take a while on a large ledger',
        querystring: z.object({ since: z.coerce.number().int().min(1).optional() }),
        response: { 200: verifyBody },
      },
    },
    async (request) => {
      const report = await verifyLedger(deps.sql, {
        verifiers: deps.ledger.verifiers,
        exportDir: deps.ledger.exportDir,
        since: request.query.since,
      });
      await recordLedgerRead(deps.db, {
        eventType: 'audit.verify.performed',
        actor: actorOf(principalOf(request)),
        action: 'verify',
        details: { status: report.status, entries: report.entries, findings: report.findings.length },
        result: report.status === 'intact' ? 'success' : 'failure',
        source: sourceOf(request),
      });
      if (report.status === 'error') {
        throw new GrantflowError('verify_failed', `Could not verify the ledger: ${report.error}`, {
          status: 503,
        });
      }
      return { ...report, status: report.status };
    },
  );
}

/** The ledger for auditors and admins: search it and verify it. Every call is itself recorded. */
export function auditRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return routePlugin(deps, [searchRoute, verifyRoute]);
}
