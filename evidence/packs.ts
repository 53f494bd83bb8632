// Use cases of evidence packs: ask for one (auditors and admins), see how it is going, download it,
// and annotate an exception (admins). Asking records the request in the ledger first: that entry
// fixes framework, period, controls and sampling rule before the seed checkpoint exists. The pack is
// then built by the `evidencePack` workflow.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { desc, eq } from 'drizzle-orm';
import type { AuditSource } from '../audit/events.js';
import { recordAudit } from '../audit/intake.js';
import { recordAuthRefusal } from '../audit/record-refusal.js';
import { ConflictError, NotAllowedError, NotFoundError, ValidationError } from '../core/errors.js';
import type { Database } from '../db/client.js';
import { type EvidencePack, evidenceAnnotations, evidencePacks } from '../db/schema.js';
import { EVIDENCE_TEST_IDS, type EvidenceTestId } from '../domain/evidence.js';
import { startOnce } from '../temporal/start-once.js';
import { evidencePackWorkflowId } from '../workflows/ids.js';
import { loadControls, selectControls } from './controls.js';
import { parsePeriod } from './period.js';
import { SAMPLE_RULE } from './sample.js';

/** Who acts: their email and API role, and where the call came from. */
export type EvidenceActor = {
  email: string;
  role: 'employee' | 'admin' | 'auditor';
  source?: Partial<AuditSource>;
};

/** What the use cases need. */
export type EvidenceDeps = {
  db: Database;
  temporal: Client;
  taskQueue: string;
  rubberStamp: { items: number; seconds: number };
};

const actorOf = (actor: EvidenceActor) => ({ type: 'person' as const, id: actor.email, email: actor.email });

/** Refuses anyone but the roles given, recording the refusal (it is evidence too). */
async function requireEvidenceRole(
  db: Database,
  actor: EvidenceActor,
  action: string,
  roles: EvidenceActor['role'][],
) {
  if (roles.includes(actor.role)) return;
  await recordAuthRefusal(db, {
    actor: actorOf(actor),
    target: { type: 'evidence_pack', id: action },
    action,
    reason: `needs the ${roles.join(' or ')} role; the caller has ${actor.role}`,
    ...(actor.source ? { source: actor.source } : {}),
  });
  throw new NotAllowedError(
    `Evidence packs need the ${roles.join(' or ')} role; your token has ${actor.role}.`,
    {
      required: roles,
      actual: actor.role,
    },
  );
}

/** Asks for a pack of `framework` for `period` (one control or all); returns the pack's row. */
export async function requestPack(
  deps: EvidenceDeps,
  input: { framework: string; period: string; control?: string },
  actor: EvidenceActor,
): Promise<EvidencePack> {
  await requireEvidenceRole(deps.db, actor, 'request', ['admin', 'auditor']);
  const controls = selectControls(loadControls(), input.framework, input.control);
  const period = parsePeriod(input.period);
  const packId = randomUUID();
  const framework = controls[0]!.framework;
  await deps.db.transaction(async (tx) => {
    const recorded = await recordAudit(
      tx,
      {
        event_type: 'audit.evidence.requested',
        actor: actorOf(actor),
        target: { type: 'evidence_pack', id: packId },
        action: 'request',
        result: 'success',
        details: {
          framework,
          period: period.label,
          controls: controls.map((control) => control.id),
          sample_rule: SAMPLE_RULE,
          samples: Object.fromEntries(controls.map((control) => [control.id, control.sample])),
          rubber_stamp: deps.rubberStamp,
        },
      },
      { idempotencyKey: `evidence:${packId}:requested`, source: actor.source ?? {} },
    );
    await tx.insert(evidencePacks).values({
      id: packId,
      framework,
      period: period.label,
      controls: input.control ? controls.map((control) => control.id) : [],
      requestedBy: actor.email,
      requestEventId: recorded.event_id,
    });
  });
  await startOnce(deps.temporal, 'evidencePack', {
    workflowId: evidencePackWorkflowId(packId),
    taskQueue: deps.taskQueue,
    args: [{ packId }],
  });
  return getPackRow(deps.db, packId);
}

async function getPackRow(db: Database, packId: string): Promise<EvidencePack> {
  const [row] = await db.select().from(evidencePacks).where(eq(evidencePacks.id, packId));
  if (!row) throw new NotFoundError('evidence pack', packId);
  return row;
}

/** One pack's status and progress (auditors and admins). */
export async function getPack(
  deps: { db: Database },
  packId: string,
  actor: EvidenceActor,
): Promise<EvidencePack> {
  await requireEvidenceRole(deps.db, actor, 'read', ['admin', 'auditor']);
  return getPackRow(deps.db, packId);
}

/** The latest packs, newest first (auditors and admins). */
export async function listPacks(
  deps: { db: Database },
  actor: EvidenceActor,
  limit = 50,
): Promise<EvidencePack[]> {
  await requireEvidenceRole(deps.db, actor, 'list', ['admin', 'auditor']);
  return deps.db.select().from(evidencePacks).orderBy(desc(evidencePacks.createdAt)).limit(limit);
}

/** The built file of a ready pack, for download; 409 while it is still being built. */
export async function packDownload(deps: { db: Database }, packId: string, actor: EvidenceActor) {
  const pack = await getPack(deps, packId, actor);
  if (pack.status !== 'ready' || !pack.file) {
    throw new ConflictError(`Evidence pack ${packId} is ${pack.status}, not ready to download yet.`, {
      status: pack.status,
    });
  }
  return { file: pack.file, sha256: pack.sha256 ?? '', bytes: pack.bytes ?? 0 };
}

/** An admin records an exception's root cause and corrective action; the next pack carries it. */
export async function annotateException(
  deps: { db: Database },
  input: { test: string; key: string; rootCause: string; correctiveAction: string },
  actor: EvidenceActor,
) {
  await requireEvidenceRole(deps.db, actor, 'annotate', ['admin']);
  if (!(EVIDENCE_TEST_IDS as readonly string[]).includes(input.test)) {
    throw new ValidationError(
      `Unknown evidence test ${JSON.stringify(input.test)}; known: ${EVIDENCE_TEST_IDS.join(', ')}.`,
    );
  }
  const rootCause = input.rootCause.trim();
  const correctiveAction = input.correctiveAction.trim();
  if (!rootCause || !correctiveAction || !input.key.trim()) {
    throw new ValidationError('An annotation needs the exception key, a root cause and a corrective action.');
  }
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(evidenceAnnotations)
      .values({
        test: input.test as EvidenceTestId,
        exceptionKey: input.key.trim(),
        rootCause,
        correctiveAction,
        annotatedBy: actor.email,
      })
      .returning();
    await recordAudit(
      tx,
      {
        event_type: 'audit.evidence.annotated',
        actor: actorOf(actor),
        target: { type: 'evidence_exception', id: `${input.test}/${input.key.trim()}` },
        action: 'annotate',
        result: 'success',
        details: {
          test: input.test,
          key: input.key.trim(),
          root_cause: rootCause,
          corrective_action: correctiveAction,
        },
      },
      { source: actor.source ?? {} },
    );
    return row!;
  });
}
