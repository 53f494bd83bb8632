// Witness cosignatures (C2SP tlog-cosignature): with `--witnesses N`, the latest checkpoint must
// carry valid cosignatures from at least N distinct configured witnesses, or the ledger cannot
// show that anyone outside the operator saw it grow append-only. Recent checkpoints that lack
// them are listed: the gap a witness that was down (or refused) left.
import type postgres from 'postgres';
import { type CosignatureVerifier, cosignaturesOn } from '../cosignature.js';
import { cosignedNoteColumn } from '../cosigned-note.js';
import type { FindingList } from './findings.js';

/** How many recent checkpoints are looked at for the gap. */
const RECENT = 50;

/** What the report says about witnesses, when witness keys were given. */
export interface WitnessSummary {
  required: number;
  /** Names of the witnesses whose cosignature on the latest checkpoint verified. */
  latestCosignedBy: string[];
  /** Ids of recent checkpoints (newest first) with fewer than the required cosignatures. */
  uncosigned: number[];
}

/** Checks the cosignatures of the newest checkpoints; `latestId` is the latest trusted one. */
export async function checkWitnesses(
  tx: postgres.TransactionSql,
  witnesses: { verifiers: readonly CosignatureVerifier[]; required: number },
  latestId: number | undefined,
  findings: FindingList,
): Promise<WitnessSummary> {
  const rows = await tx<{ id: string; note: string }[]>`
    select id, ${cosignedNoteColumn(tx)} from audit_checkpoint order by id desc limit ${RECENT}`;
  const summary: WitnessSummary = { required: witnesses.required, latestCosignedBy: [], uncosigned: [] };
  const enough = Math.max(1, witnesses.required);
  for (const row of rows) {
    const id = Number(row.id);
    let found: ReturnType<typeof cosignaturesOn>;
    try {
      found = cosignaturesOn(row.note, witnesses.verifiers);
    } catch {
      continue; // A malformed note is already a checkpoint_malformed finding.
    }
    for (const bad of found.invalid) {
      findings.add({
        code: 'cosignature_invalid',
        checkpointId: id,
        message: `the cosignature of witness ${bad.name} on checkpoint ${id} does not verify: ${bad.reason}`,
      });
    }
    if (id === latestId) summary.latestCosignedBy = found.valid.map((cosignature) => cosignature.name);
    if (found.valid.length < enough) summary.uncosigned.push(id);
  }
  if (latestId === undefined && witnesses.required > 0) {
    findings.add({
      code: 'witnesses_insufficient',
      message: `no signed checkpoint, so none carries the ${witnesses.required} witness cosignatures required`,
    });
  } else if (latestId !== undefined && summary.latestCosignedBy.length < witnesses.required) {
    const by = summary.latestCosignedBy;
    findings.add({
      code: 'witnesses_insufficient',
      checkpointId: latestId,
      message:
        `the latest checkpoint ${latestId} carries ${by.length} valid cosignature${by.length === 1 ? '' : 's'} ` +
        `(${by.join(', ') || 'none'}), fewer than the ${witnesses.required} required: no independent witness ` +
        'vouches that the ledger only grew (a rolled-back or forked ledger looks like this)',
    });
  }
  if (summary.uncosigned.length > 0) {
    findings.add({
      code: 'witness_gap',
      severity: 'warning',
      message:
        `${summary.uncosigned.length} of the last ${rows.length} checkpoints lack ${enough} witness cosignature${enough === 1 ? '' : 's'}: ` +
        `${summary.uncosigned.slice(0, 20).join(', ')}${summary.uncosigned.length > 20 ? ', …' : ''}`,
    });
  }
  return summary;
}
