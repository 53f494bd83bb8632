// The sealing side of tlog-witness: after a checkpoint is committed, ask every configured
// witness to cosign it, with a consistency proof from the size that witness last cosigned (our
// table's record, corrected once from the witness's 409). A refusal (a rollback, a fork, a proof
// it rejects) is the alarm this exists for: logged, sent to the alert channel and recorded in
// the ledger. A witness that is down never stops sealing; the gap shows in `audit verify`.
import type postgres from 'postgres';
import type { Logger } from '../../core/logger.js';
import type { Executor } from '../../db/client.js';
import type { SecurityAlert } from '../../slack/blocks/alerts.js';
import { cosignaturesOn } from '../cosignature.js';
import { recordAudit } from '../intake.js';
import { consistencyProof } from '../merkle.js';
import { checkpointedLeaves } from '../prove.js';
import type { WitnessEndpoint } from './endpoints.js';

/** What collecting cosignatures needs beside the connection. */
export type WitnessingDeps = {
  witnesses: readonly WitnessEndpoint[];
  /** Where a refusal's audit event is written. */
  db: Executor;
  log: Logger;
  /** The alert channel (Slack when configured); a failure to alert is logged, never thrown. */
  alert?: (alert: SecurityAlert) => Promise<void>;
  /** Per request; a witness slower than this counts as down for this checkpoint. */
  timeoutMs?: number;
};

/** How one witness answered for one checkpoint. */
export type WitnessOutcome = {
  witness: string;
  outcome: 'cosigned' | 'refused' | 'unavailable';
  detail: string;
  /** The cosignature line (with its newline) when it cosigned. */
  line?: string;
};

/** The checkpoint just sealed, as collectCosignatures needs it. */
export type SealedHead = { id: number; treeSize: number; note: string };

const DEFAULT_TIMEOUT_MS = 3_000;

/** Asks every witness to cosign `sealed`; stores each cosignature and returns every outcome. */
export async function collectCosignatures(
  sql: postgres.Sql,
  deps: WitnessingDeps,
  sealed: SealedHead,
): Promise<WitnessOutcome[]> {
  let leaves: Promise<Buffer[]> | undefined;
  const proofFrom = async (oldSize: number) => {
    if (oldSize === 0 || oldSize === sealed.treeSize) return [];
    leaves ??= checkpointedLeaves(sql, sealed.treeSize);
    return consistencyProof(oldSize, await leaves);
  };
  return Promise.all(
    deps.witnesses.map(async (witness) => {
      const outcome = await askWitness(sql, deps, witness, sealed, proofFrom).catch(
        (error: Error): WitnessOutcome => ({
          witness: witness.verifier.name,
          outcome: 'unavailable',
          detail: error.message,
        }),
      );
      if (outcome.outcome === 'refused') await raiseRefusal(deps, sealed, witness, outcome);
      if (outcome.outcome === 'unavailable') {
        deps.log.warn(
          { witness: witness.url, checkpoint: sealed.id, detail: outcome.detail },
          `witness ${witness.verifier.name} did not cosign checkpoint ${sealed.id}: ${outcome.detail}`,
        );
      }
      return outcome;
    }),
  );
}

async function askWitness(
  sql: postgres.Sql,
  deps: WitnessingDeps,
  witness: WitnessEndpoint,
  sealed: SealedHead,
  proofFrom: (oldSize: number) => Promise<Buffer[]>,
): Promise<WitnessOutcome> {
  const name = witness.verifier.name;
  const recorded = await lastCosignedSize(sql, witness);
  // A size above ours cannot be proven from; the witness's 409 will say what it holds.
  let oldSize = recorded <= sealed.treeSize ? recorded : 0;
  for (let attempt = 0; ; attempt++) {
    const proof = await proofFrom(oldSize);
    const body = `old ${oldSize}\n${proof.map((hash) => `${hash.toString('base64')}\n`).join('')}\n${sealed.note}`;
    const response = await fetch(`${witness.url}/add-checkpoint`, {
      method: 'POST',
      body,
      signal: AbortSignal.timeout(deps.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
    const text = await response.text();
    if (response.status === 200) return storeCosignature(sql, witness, sealed, text);
    const sizeAnswer = response.headers.get('content-type')?.split(';')[0]?.trim() === 'text/x.tlog.size';
    if (response.status === 409 && sizeAnswer) {
      const theirs = /^(0|[1-9][0-9]*)\n$/.exec(text) ? Number(text.trim()) : Number.NaN;
      if (!Number.isSafeInteger(theirs)) {
        return { witness: name, outcome: 'unavailable', detail: `409 with an unreadable size "${text}"` };
      }
      if (theirs > sealed.treeSize) {
        return {
          witness: name,
          outcome: 'refused',
          detail: `witness has cosigned size ${theirs}, larger than this checkpoint (${sealed.treeSize}): the ledger lost entries it had vouched for`,
        };
      }
      if (attempt === 0 && theirs !== oldSize) {
        oldSize = theirs;
        continue;
      }
    }
    if ([400, 403, 404, 409, 422].includes(response.status)) {
      return { witness: name, outcome: 'refused', detail: `${response.status}: ${text.trim()}` };
    }
    return {
      witness: name,
      outcome: 'unavailable',
      detail: `HTTP ${response.status}: ${text.trim().slice(0, 200)}`,
    };
  }
}

/** The largest checkpoint this witness has cosigned, by our own table; 0 if none. */
async function lastCosignedSize(sql: postgres.Sql, witness: WitnessEndpoint): Promise<number> {
  const [row] = await sql<{ size: string | null }[]>`
    select max(c.tree_size) as size from audit_cosignature s join audit_checkpoint c on c.id = s.checkpoint_id
    where s.witness_name = ${witness.verifier.name} and s.witness_key_id = ${witness.verifier.keyId}`;
  return Number(row?.size ?? 0);
}

async function storeCosignature(
  sql: postgres.Sql,
  witness: WitnessEndpoint,
  sealed: SealedHead,
  response: string,
): Promise<WitnessOutcome> {
  const name = witness.verifier.name;
  // The spec's parsing advice: append the answer to the note and verify with the witness's key.
  let found: ReturnType<typeof cosignaturesOn>;
  try {
    found = cosignaturesOn(`${sealed.note}${response}`, [witness.verifier]);
  } catch (error) {
    return {
      witness: name,
      outcome: 'unavailable',
      detail: `unreadable answer: ${(error as Error).message}`,
    };
  }
  const [cosignature] = found.valid;
  if (!cosignature) {
    const why = found.invalid[0]?.reason ?? 'no line from its key';
    return {
      witness: name,
      outcome: 'unavailable',
      detail: `answered 200 without a valid cosignature: ${why}`,
    };
  }
  await sql`
    insert into audit_cosignature (checkpoint_id, witness_name, witness_key_id, line, cosigned_at)
    values (${sealed.id}, ${cosignature.name}, ${cosignature.keyId}, ${cosignature.line},
            to_timestamp(${cosignature.timestamp}))`;
  return { witness: name, outcome: 'cosigned', detail: 'cosigned', line: `${cosignature.line}\n` };
}

async function raiseRefusal(
  deps: WitnessingDeps,
  sealed: SealedHead,
  witness: WitnessEndpoint,
  outcome: WitnessOutcome,
): Promise<void> {
  const facts = {
    witness: witness.verifier.name,
    url: witness.url,
    checkpoint: String(sealed.id),
    size: String(sealed.treeSize),
  };
  deps.log.error(
    { ...facts, detail: outcome.detail },
    `witness ${facts.witness} refused checkpoint ${sealed.id}: ${outcome.detail}`,
  );
  try {
    await deps.alert?.({
      title: 'A witness refused to cosign the audit ledger',
      severity: 'critical',
      text: `Witness ${facts.witness} refused checkpoint ${sealed.id} (${sealed.treeSize} entries): ${outcome.detail}. The ledger may have been rolled back or forked; run grantflow audit verify.`,
      facts,
    });
  } catch (error) {
    deps.log.error({ err: error }, 'could not raise the witness refusal alert');
  }
  await recordAudit(deps.db, {
    event_type: 'audit.checkpoint.witness_refused',
    actor: { type: 'system', id: 'grantflow-audit' },
    target: { type: 'audit_checkpoint', id: String(sealed.id) },
    action: 'cosign',
    result: 'failure',
    reason: outcome.detail.slice(0, 500),
    details: { witness: witness.verifier.name, url: witness.url, size: sealed.treeSize },
  });
}
