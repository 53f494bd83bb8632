// verifyLedger: runs every stage of the verifier inside one read-only snapshot and builds the
// report. What the verifier checks, and why:
//
// `grantflow audit verify`: recomputes the ledger from its rows and compares it with what was
// signed, then names each disagreement with a stable code and the position it concerns. An
// attacker is assumed to hold database superuser rights (and possibly the signing key), so no
// single column is trusted: leaves are recomputed from payloads, chains from leaves, Merkle roots
// from leaves, and roots are compared with signed checkpoints in the database and, when given,
// with the copies exported outside it.
//
// The ledger is read once, in seq order, through a declared cursor inside one REPEATABLE READ
// READ ONLY transaction: entries, checkpoints and intake rows come from one snapshot, so a
// sequencer running meanwhile causes no false findings. Stored leaves feed one MerkleFrontier,
// and each checkpoint's signed root is compared when the walk passes its size. Memory stays
// bounded whatever the ledger size: moves are kept as runs, everything else is capped.
//
// How the evidence combines: a payload edit leaves the stored leaf (and so every root) intact
// but no longer matching its payload, so it is named at its seq; an edit whose hashes were
// recomputed matches its leaf and chain but no longer the signed roots, and the intake row its
// writer submitted still holds the original event. A stored leaf that matches its payload under
// another seq, or an intake row stamped with another seq, shows an entry moved: runs of moves
// with one offset are read as a deletion or insertion with the rest renumbered, anything else as
// reordering. Consequences of a structural finding (a chain cut after a deleted row, a
// checkpoint no longer matching, orphaned intake rows) are not reported again.
//
// Limits: the intake is a second witness only while intake rows are kept (nothing prunes them
// today). An attacker who rewrites the ledger and forges the matching intake rows is still
// caught by the signed roots, but an insertion is then named payload_rewritten over a checkpoint
// range rather than row_inserted. With the signing key and no exported copies, a rewrite that is
// resealed leaves only the intake row as evidence, reported as intake_orphaned.
import type postgres from 'postgres';
import { reportArchive } from './archive-findings.js';
import { type ExportedNote, exportedClaims, loadCheckpoints, readExportDir } from './checkpoints.js';
import { reportClaims, reportStructure } from './claim-findings.js';
import { FindingList, sortFindings } from './findings.js';
import { analyseMoves } from './move-findings.js';
import { checkPrivileges, checkProtection } from './protections.js';
import { findRetainedStart } from './retained.js';
import { reportDuplicates, reportIntake, reportMissingIntake, reportRows } from './row-findings.js';
import type { Settings, VerifyOptions, VerifyReport } from './types.js';
import { walkLedger } from './walk.js';
import { checkWitnesses } from './witnesses.js';

/**
 * Verifies the audit ledger, its checkpoints, its intake and its database protections, and
 * reports every problem found. Read-only: connect as the owner, the runtime role or an auditor
 * role with SELECT on the audit tables. Never throws for a damaged ledger; status 'error' means
 * it could not verify at all.
 */
export async function verifyLedger(sql: postgres.Sql, options: VerifyOptions): Promise<VerifyReport> {
  const started = performance.now();
  const settings: Settings = {
    verifiers: options.verifiers,
    // Inlined into the cursor's SQL, so it must be a plain integer.
    since: Number.isFinite(options.since) ? Math.max(1, Math.floor(options.since!)) : 1,
    intakeSlaSeconds: options.intakeSlaSeconds ?? 300,
    runtimeRole: options.runtimeRole ?? 'grantflow_app',
    onProgress: options.onProgress,
    witnesses: options.witnesses,
  };
  try {
    // Files are read before the snapshot is taken: a checkpoint is exported only after its row
    // commits, so every file seen here has its row in the snapshot unless someone removed it.
    const found = options.exportDir ? readExportDir(options.exportDir) : undefined;
    const exported = found ?? [];
    const outcome = await sql.begin('isolation level repeatable read read only', (tx) =>
      verifySnapshot(tx, settings, exported),
    );
    const archive = options.archiveDir
      ? await reportArchive(options.archiveDir, settings.verifiers, outcome.start, outcome.findings)
      : undefined;
    const start = outcome.start;
    const findings = sortFindings(outcome.findings.list);
    const tampered = findings.some((finding) => finding.severity === 'error');
    return {
      status: tampered ? 'tampered' : 'intact',
      entries: outcome.entries,
      checkpoints: outcome.checkpoints,
      checkpointsVerified: outcome.checkpointsVerified,
      exportedCheckpoints: exported.length,
      ...(options.exportDir ? { exportDir: { path: options.exportDir, found: found !== undefined } } : {}),
      ...(outcome.latest ? { latestCheckpoint: outcome.latest } : {}),
      ...(start
        ? {
            retained: {
              fromSeq: start.seq,
              checkpointId: start.checkpointId,
              ...(start.disposalSeq !== undefined ? { disposalSeq: start.disposalSeq } : {}),
              manifestSha256: start.manifestSha256,
              archive: start.archive,
            },
          }
        : {}),
      ...(archive ? { archive } : {}),
      unsignedEntries: outcome.unsignedEntries,
      ...(options.since !== undefined ? { since: settings.since } : {}),
      ...(outcome.witnesses ? { witnesses: outcome.witnesses } : {}),
      findings,
      omittedFindings: outcome.findings.omitted,
      durationMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    return {
      status: 'error',
      entries: 0,
      checkpoints: 0,
      checkpointsVerified: 0,
      exportedCheckpoints: 0,
      unsignedEntries: 0,
      findings: [],
      omittedFindings: 0,
      error: error instanceof Error ? error.message : String(error),
      durationMs: Math.round(performance.now() - started),
    };
  }
}

async function verifySnapshot(tx: postgres.TransactionSql, settings: Settings, exported: ExportedNote[]) {
  const findings = new FindingList();
  await checkProtection(tx, findings);
  await checkPrivileges(tx, settings.runtimeRole, findings);

  const checkpoints = await loadCheckpoints(tx, settings.verifiers, findings);
  const claims = [
    ...checkpoints.flatMap((checkpoint) => (checkpoint.claim ? [checkpoint.claim] : [])),
    ...exportedClaims(exported, checkpoints, settings.verifiers, findings),
  ].sort((a, b) => a.size - b.size);

  const start = await findRetainedStart(tx, checkpoints);
  const walk = await walkLedger(tx, claims, settings, start);
  // The longest prefix every signed claim up to it agrees with: intake evidence about moved
  // entries is believed only past it, since inside it the ledger is proven and the intake is not.
  // A claim that disagrees (even one a larger checkpoint contradicts) ends it: in a split view,
  // the checkpoint the ledger matches may be the forged one.
  let vouched = 0;
  for (const claim of claims) {
    if (claim.matched === false) break;
    if (claim.matched) vouched = claim.size;
  }

  analyseMoves(walk, vouched, findings);
  reportStructure(walk, claims, findings);
  await reportMissingIntake(tx, walk, findings);
  reportClaims(claims, walk, findings);
  reportRows(walk, vouched, findings);
  await reportDuplicates(tx, settings.since, findings);
  await reportIntake(tx, settings, findings);

  const trusted = checkpoints.filter((checkpoint) => checkpoint.trusted && checkpoint.summary);
  const verified = trusted.filter((checkpoint) => checkpoint.claim?.matched);
  const latest = [...trusted].sort((a, b) => b.summary!.treeSize - a.summary!.treeSize || b.id - a.id)[0]
    ?.summary;
  const witnesses = settings.witnesses
    ? await checkWitnesses(tx, settings.witnesses, latest?.id, findings)
    : undefined;
  return {
    findings,
    witnesses,
    entries: walk.entries,
    checkpoints: checkpoints.length,
    checkpointsVerified: verified.length,
    latest,
    // Pruned entries are neither read nor unsigned.
    unsignedEntries: Math.max(0, walk.entries + (start ? start.seq - 1 : 0) - (latest?.treeSize ?? 0)),
    start,
  };
}
