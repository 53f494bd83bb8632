// Evidence pack routes: ask for a pack, follow it, download it, and annotate an exception. Thin
// adapters over evidence/packs.ts, which owns who may do what (and records refusals).
import { createReadStream } from 'node:fs';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EvidencePack } from '../../db/schema.js';
import { EVIDENCE_TEST_IDS } from '../../domain/evidence.js';
import {
  annotateException,
  type EvidenceActor,
  getPack,
  listPacks,
  packDownload,
  requestPack,
} from '../../evidence/packs.js';
import { sourceOf } from '../actor.js';
import type { ApiServer } from '../api-server.js';
import { ANY_ROLE, principalOf, requireRole } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { errorBody, idParams, iso, routePlugin } from './shared.js';

const packBody = z.object({
  id: z.string(),
  framework: z.string(),
  period: z.string(),
  controls: z.array(z.string()),
  requestedBy: z.string(),
  status: z.enum(['requested', 'building', 'ready', 'failed']),
  progress: z
    .object({ step: z.string(), done: z.number().optional(), total: z.number().optional() })
    .nullable(),
  sha256: z.string().nullable(),
  bytes: z.number().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const toPack = (pack: EvidencePack): z.infer<typeof packBody> => ({
  id: pack.id,
  framework: pack.framework,
  period: pack.period,
  controls: pack.controls,
  requestedBy: pack.requestedBy,
  status: pack.status,
  progress: pack.progress ?? null,
  sha256: pack.sha256,
  bytes: pack.bytes,
  error: pack.error,
  createdAt: iso(pack.createdAt) ?? '',
  updatedAt: iso(pack.updatedAt) ?? '',
});

const actorOf = (request: FastifyRequest): EvidenceActor => {
  const principal = principalOf(request);
  return { email: principal.email, role: principal.role, source: sourceOf(request) };
};

const evidenceDeps = (deps: ApiDeps) => ({
  db: deps.db,
  temporal: deps.temporal,
  taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
  rubberStamp: {
    items: deps.config.GRANTFLOW_EVIDENCE_RUBBER_STAMP_ITEMS,
    seconds: deps.config.GRANTFLOW_EVIDENCE_RUBBER_STAMP_SECONDS,
  },
});

const packNotFound = errorBody.describe('No evidence pack has that id');

function requestRoute(app: ApiServer, deps: ApiDeps): void {
  app.post(
    '/evidence/packs',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['evidence'],
        operationId: 'requestEvidencePack',
        summary:
          'Ask for an evidence pack of a framework (or one control) for a period; built in the background (auditors, admins)',
        body: z.object({
          framework: z.string().trim().min(1).max(40),
          period: z.string().trim().min(1).max(20),
          control: z.string().trim().min(1).max(40).optional(),
        }),
        response: {
          202: packBody,
          400: errorBody.describe('validation_failed: an unknown framework or control, or not a period'),
        },
      },
    },
    async (request, reply) => {
      const pack = await requestPack(evidenceDeps(deps), request.body, actorOf(request));
      return reply.code(202).send(toPack(pack));
    },
  );
}

function listRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/evidence/packs',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['evidence'],
        operationId: 'listEvidencePacks',
        summary: 'The latest evidence packs, newest first (auditors, admins)',
        response: { 200: z.object({ items: z.array(packBody) }) },
      },
    },
    async (request) => ({ items: (await listPacks(deps, actorOf(request))).map(toPack) }),
  );
}

function readRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/evidence/packs/:id',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['evidence'],
        operationId: 'getEvidencePack',
        summary: "An evidence pack's status and progress (auditors, admins)",
        params: idParams,
        response: { 200: packBody, 404: packNotFound },
      },
    },
    async (request) => toPack(await getPack(deps, request.params.id, actorOf(request))),
  );
}

function downloadRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/evidence/packs/:id/download',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['evidence'],
        operationId: 'downloadEvidencePack',
        summary:
          'The zip of a ready evidence pack; check it offline with grantflow evidence verify (auditors, admins)',
        params: idParams,
        response: {
          200: {
            description: 'The pack (x-content-sha256 is its SHA-256)',
            content: { 'application/zip': { schema: z.unknown() } },
          },
          404: packNotFound,
          409: errorBody.describe('The pack is not ready to download yet (still building, or failed)'),
        },
      },
    },
    async (request, reply) => {
      const pack = await packDownload(deps, request.params.id, actorOf(request));
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="evidence-${request.params.id}.zip"`)
        .header('x-content-sha256', pack.sha256)
        .send(createReadStream(pack.file));
    },
  );
}

function annotateRoute(app: ApiServer, deps: ApiDeps): void {
  app.post(
    '/evidence/annotations',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['evidence'],
        operationId: 'annotateEvidenceException',
        summary:
          "Record an exception's root cause and corrective action; packs built afterwards carry it (admins)",
        body: z.object({
          test: z.enum(EVIDENCE_TEST_IDS),
          key: z.string().trim().min(1).max(200),
          rootCause: z.string().trim().min(1).max(4_000),
          correctiveAction: z.string().trim().min(1).max(4_000),
        }),
        response: {
          201: z.object({
            id: z.number(),
            test: z.string(),
            key: z.string(),
            annotatedBy: z.string(),
            annotatedAt: z.string(),
          }),
        },
      },
    },
    async (request, reply) => {
      const row = await annotateException(deps, request.body, actorOf(request));
      return reply.code(201).send({
        id: row.id,
        test: row.test,
        key: row.exceptionKey,
        annotatedBy: row.annotatedBy,
        annotatedAt: iso(row.annotatedAt) ?? '',
      });
    },
  );
}

/** The evidence routes under /api/v1. */
export function evidenceRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return routePlugin(deps, [requestRoute, listRoute, readRoute, downloadRoute, annotateRoute]);
}
