// Ledger routes for auditors and admins: search the audit ledger, verify it, and prove two of its
// checkpoints consistent; each call is itself recorded in the ledger.

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { proveConsistency } from '../../audit/prove.js';
import { ledgerFilterSchema, searchLedger } from '../../audit/read.js';
import { recordLedgerRead } from '../../audit/record-read.js';
import { findingCodes, verifyLedger } from '../../audit/verify/index.js';
import { GrantflowError } from '../../core/errors.js';
import { currentRole } from '../../db/client.js';
import { actorOf, sourceOf } from '../actor.js';
import type { ApiServer } from '../api-server.js';
import { principalOf, requireRole } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { errorBody, routePlugin } from './shared.js';

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
        operationId: 'searchAuditEvents',
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
        operationId: 'verifyAuditLedger',
        summary:
          'Recompute the ledger, checkpoints and protections (as grantflow audit verify --json); can take a while on a large ledger',
        querystring: z.object({ since: z.coerce.number().int().min(1).optional() }),
        response: {
          200: verifyBody,
          503: errorBody.describe('verify_failed: the ledger could not be read to the end to verify it'),
        },
      },
    },
    async (request) => {
      const report = await verifyLedger(deps.sql, {
        verifiers: deps.ledger.verifiers,
        exportDir: deps.ledger.exportDir,
        since: request.query.since,
        runtimeRole: await currentRole(deps.sql),
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

const treeSize = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const consistencyBody = z.object({
  oldSize: z.number().int(),
  newSize: z.number().int(),
  oldRoot: z.string(),
  newRoot: z.string(),
  proof: z.array(z.string()),
  oldCheckpoint: z.string(),
  newCheckpoint: z.string(),
});

function consistencyRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/audit/consistency',
    {
      preHandler: requireRole(deps.db, 'admin', 'auditor'),
      schema: {
        operationId: 'proveAuditConsistency',
        tags: ['audit'],
        summary:
          'A consistency proof between the checkpoints of tree sizes `from` and `to` (default: the newest), as grantflow audit prove-consistency prints it; check it offline with audit/proof-verify.ts',
        querystring: z.object({ from: treeSize, to: treeSize.optional() }),
        response: {
          200: consistencyBody,
          400: errorBody.describe('A size is not a whole number from 0, or from is larger than to'),
          401: errorBody.describe('No token, or an unknown, revoked or expired one'),
          403: errorBody.describe('The token is neither an admin nor an auditor'),
          404: errorBody.describe('No checkpoint has that tree size'),
        },
      },
    },
    async (request) => {
      const bundle = await proveConsistency(deps.sql, request.query.from, request.query.to);
      await recordLedgerRead(deps.db, {
        eventType: 'audit.proof.created',
        actor: actorOf(principalOf(request)),
        action: 'prove-consistency',
        details: { oldSize: bundle.oldSize, newSize: bundle.newSize },
        source: sourceOf(request),
      });
      return bundle;
    },
  );
}

/** The ledger for auditors and admins: search it, verify it, prove it consistent. Every call is recorded. */
export function auditRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return routePlugin(deps, [searchRoute, verifyRoute, consistencyRoute]);
}
