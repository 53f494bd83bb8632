// Ledger downloads for auditors and admins: the signed checkpoints (list and each signed note) and
// an event's inclusion proof, as files a browser saves. Thin over audit/checkpoint-reads.ts, which
// records every read in the ledger.

import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type CheckpointReadDeps,
  checkpointNote,
  type LedgerReader,
  listCheckpoints,
  proveEventFor,
} from '../../audit/checkpoint-reads.js';
import { actorOf, sourceOf } from '../actor.js';
import type { ApiServer } from '../api-server.js';
import { principalOf, requireRole } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { nextCursor, pageQuery } from './paging.js';
import { errorBody, iso, routePlugin } from './shared.js';

const readDeps = (deps: ApiDeps): CheckpointReadDeps => ({
  db: deps.db,
  sql: deps.sql,
  verifiers: deps.ledger.verifiers,
});

const readerOf = (request: FastifyRequest): LedgerReader => ({
  actor: actorOf(principalOf(request)),
  source: sourceOf(request),
});

const refusals = {
  401: errorBody.describe('No token, or an unknown, revoked or expired one'),
  403: errorBody.describe('The caller is neither an admin nor an auditor'),
};

const checkpointBody = z.object({
  id: z.number().int(),
  treeSize: z.number().int(),
  rootHash: z.string(),
  /** The signed note's `time` line, when it has one. */
  time: z.string().nullable(),
  createdAt: z.string(),
  keyId: z.string(),
  signedBy: z.array(z.string()),
  otherSignatures: z.array(z.string()),
});

function listRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/audit/checkpoints',
    {
      preHandler: requireRole(deps.db, 'admin', 'auditor'),
      schema: {
        operationId: 'listAuditCheckpoints',
        tags: ['audit'],
        summary: 'Signed checkpoints, newest first, with who signed each (recorded as a ledger read)',
        querystring: pageQuery,
        response: {
          200: z.object({ items: z.array(checkpointBody), nextCursor }),
          400: errorBody.describe('A bad limit or cursor'),
          ...refusals,
        },
      },
    },
    async (request) => {
      const { cursor, limit } = request.query;
      const page = await listCheckpoints(
        readDeps(deps),
        { ...(cursor ? { cursor } : {}), limit },
        readerOf(request),
      );
      return {
        items: page.items.map((c) => ({ ...c, createdAt: iso(c.createdAt) ?? '' })),
        nextCursor: page.nextCursor,
      };
    },
  );
}

function noteRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/audit/checkpoints/:id/note',
    {
      preHandler: requireRole(deps.db, 'admin', 'auditor'),
      schema: {
        operationId: 'downloadAuditCheckpointNote',
        tags: ['audit'],
        summary: "One checkpoint's signed note (C2SP signed-note text), as a file",
        params: z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
        response: {
          200: z.string().describe('The signed note, byte for byte as signed'),
          400: errorBody.describe('The id is not a positive whole number'),
          ...refusals,
          404: errorBody.describe('No checkpoint has that id'),
        },
      },
    },
    async (request, reply) => {
      const found = await checkpointNote(readDeps(deps), request.params.id, readerOf(request));
      return reply
        .type('text/plain; charset=utf-8')
        .header('content-disposition', `attachment; filename="checkpoint-${found.id}-${found.treeSize}.note"`)
        .send(found.note);
    },
  );
}

function proofRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/audit/events/:eventId/proof',
    {
      preHandler: requireRole(deps.db, 'admin', 'auditor'),
      schema: {
        operationId: 'proveAuditEvent',
        tags: ['audit'],
        summary:
          'An inclusion proof of one event under the newest signed checkpoint, as grantflow audit prove prints it; grantflow audit check-proof checks the file offline',
        params: z.object({ eventId: z.uuid() }),
        response: {
          200: z.object({
            event: z.object({ seq: z.number().int(), recorded_at: z.string(), event: z.unknown() }),
            leafIndex: z.number().int(),
            treeSize: z.number().int(),
            leafHash: z.string(),
            auditPath: z.array(z.string()),
            checkpoint: z.string(),
          }),
          400: errorBody.describe('The event id is not a UUID'),
          ...refusals,
          404: errorBody.describe(
            'No event has that id (not_found), or it is not under a signed checkpoint yet (not_yet_checkpointed)',
          ),
        },
      },
    },
    async (request, reply) => {
      const bundle = await proveEventFor(readDeps(deps), request.params.eventId, readerOf(request));
      // The same bytes the CLI prints, so a saved file is exactly what check-proof reads.
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="proof-${request.params.eventId}.json"`)
        .serializer((payload) => `${JSON.stringify(payload, null, 2)}\n`)
        .send(bundle);
    },
  );
}

/** Checkpoints and inclusion proofs for auditors and admins, downloadable; every read recorded. */
export function auditCheckpointRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return routePlugin(deps, [listRoute, noteRoute, proofRoute]);
}
