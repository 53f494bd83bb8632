import type postgres from 'postgres';
import { GrantflowError, NotFoundError } from '../core/errors.js';
import { isoTimestamp } from './entry.js';
import { inclusionProof } from './merkle.js';

/** What `grantflow audit prove` prints; `audit/proof-verify.ts` documents and checks it offline. */
export type ProofBundle = {
  event: { seq: number; recorded_at: string; event: unknown };
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  auditPath: string[];
  checkpoint: string;
};

/** The event exists but no checkpoint covers it yet. */
export class NotYetCheckpointedError extends GrantflowError {
  constructor(seq: number) {
    super(
      'not_yet_checkpointed',
      `Entry ${seq} is not under a signed checkpoint yet; wait for the next one or run \`grantflow audit checkpoint\`.`,
      { status: 409, details: { seq } },
    );
  }
}

/**
 * An inclusion proof of one event under the newest checkpoint: the entry exactly as hashed, its
 * RFC 6962 audit path, and the signed checkpoint. Anyone holding the public key can check it.
 */
export async function proveEvent(sql: postgres.Sql, eventId: string): Promise<ProofBundle> {
  const [entry] = await sql<{ seq: string; recorded_at: string; event: unknown; leaf_hash: Buffer }[]>`
    select seq, ${isoTimestamp(sql)} as recorded_at, event, leaf_hash from audit_ledger where event_id = ${eventId}::uuid order by seq limit 1`;
  if (!entry) throw new NotFoundError('audit event', eventId);
  const seq = Number(entry.seq);
  const [checkpoint] = await sql<{ tree_size: string; note: string }[]>`
    select tree_size, note from audit_checkpoint order by tree_size desc, id desc limit 1`;
  if (!checkpoint || Number(checkpoint.tree_size) < seq) throw new NotYetCheckpointedError(seq);
  const treeSize = Number(checkpoint.tree_size);
  const leaves: Buffer[] = [];
  for (let after = 0; after < treeSize; ) {
    const page = await sql<{ seq: string; leaf_hash: Buffer }[]>`
      select seq, leaf_hash from audit_ledger where seq > ${after} and seq <= ${treeSize} order by seq limit 50000`;
    if (page.length === 0) break;
    for (const row of page) leaves.push(row.leaf_hash);
    after = Number(page.at(-1)?.seq);
  }
  if (leaves.length !== treeSize) {
    throw new GrantflowError(
      'ledger_incomplete',
      `The ledger has ${leaves.length} of the ${treeSize} checkpointed entries; run grantflow audit verify.`,
    );
  }
  return {
    event: { seq, recorded_at: entry.recorded_at, event: entry.event },
    leafIndex: seq - 1,
    treeSize,
    leafHash: entry.leaf_hash.toString('hex'),
    auditPath: inclusionProof(seq - 1, leaves).map((node) => node.toString('hex')),
    checkpoint: checkpoint.note,
  };
}
