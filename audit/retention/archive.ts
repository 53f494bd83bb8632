// `grantflow audit archive`: archive the segment past the retention period, read the archive back
// and verify it, and only then prune it from the database. Run as the database owner (a cron job
// or Kubernetes CronJob with DATABASE_URL), never by the worker: the worker connects as the
// runtime role, which can neither delete ledger rows nor call the pruning function, and a
// compromised service must not be able to dispose of the record.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type postgres from 'postgres';
import type { AuditActor } from '../events.js';
import type { LedgerKeys } from '../keys.js';
import { verifySegment } from './archive-verify.js';
import { writeSegment } from './archive-write.js';
import { segmentDirName } from './format.js';
import { planSegment, type SegmentPlan } from './plan.js';
import { type PruneResult, pruneSegment } from './prune.js';

/** Where archives go: `<export dir>/archive`. */
export function archiveDirOf(exportDir: string): string {
  return path.join(exportDir, 'archive');
}

/** What an archive run did (or, dry, would do). */
export type ArchiveRunResult =
  | { status: 'nothing'; cutoff: string }
  | { status: 'planned'; plan: SegmentPlan }
  | { status: 'pruned'; plan: SegmentPlan; dir: string; manifestSha256: string; pruned: PruneResult };

/** Progress lines for the operator. */
export type ArchiveProgress = (message: string) => void;

/** Archives, verifies and prunes the next segment past `retentionSeconds`; refuses to prune an archive that does not verify. */
export async function archiveAndPrune(
  ownerSql: postgres.Sql,
  keys: LedgerKeys,
  options: {
    retentionSeconds: number;
    exportDir: string;
    origin: string;
    actor: AuditActor;
    dryRun?: boolean;
    now?: Date;
    onProgress?: ArchiveProgress;
  },
): Promise<ArchiveRunResult> {
  const say = options.onProgress ?? (() => {});
  const plan = await planSegment(ownerSql, options);
  const cutoff = new Date(
    (options.now ?? new Date()).getTime() - options.retentionSeconds * 1000,
  ).toISOString();
  if (!plan) {
    say(
      `nothing to archive: no checkpoint covers entries recorded before ${cutoff} (the newest entry always stays)`,
    );
    return { status: 'nothing', cutoff };
  }
  const count = plan.to - plan.from + 1;
  say(
    `segment ${plan.from}..${plan.to} (${count} entries, recorded before ${plan.cutoff}) ends at checkpoint ${plan.boundary.id}`,
  );
  if (options.dryRun) {
    say('dry run: nothing written, nothing pruned');
    return { status: 'planned', plan };
  }
  const archiveRoot = archiveDirOf(options.exportDir);
  const existing = path.join(archiveRoot, segmentDirName(plan.from, plan.to));
  // A run that archived but stopped before pruning left a finished folder: reused if it verifies.
  const reused = existsSync(existing);
  const written = reused
    ? undefined
    : await writeSegment(ownerSql, plan, {
        archiveRoot,
        origin: options.origin,
        signer: keys.signer,
        onProgress: (done) => {
          if (done % 100_000 === 0 || done === count) say(`archived ${done} of ${count} entries`);
        },
      });
  say(`${reused ? 'found' : 'wrote'} ${existing}; reading it back`);
  const check = await verifySegment(existing, keys.verifiers);
  const manifestSha256 = check.manifestSha256 ?? '';
  if (
    !check.ok ||
    check.from !== plan.from ||
    check.to !== plan.to ||
    (written && manifestSha256 !== written.manifestSha256)
  ) {
    throw new Error(
      `the archive ${existing} does not verify, so nothing was pruned: ${check.problems.join('; ') || 'wrong range'}`,
    );
  }
  // The retained ledger continues from the boundary's recorded chain head: the archive must end on it.
  if (!check.end?.chain.equals(plan.boundary.chainHead)) {
    throw new Error(
      `the archive ${existing} ends on another chain hash than checkpoint ${plan.boundary.id} recorded; nothing was pruned`,
    );
  }
  say(`archive verified (${check.entries} entries, manifest ${manifestSha256}); pruning`);
  const pruned = await pruneSegment(ownerSql, plan, { dir: existing, manifestSha256 }, options.actor);
  say(
    `pruned entries ${pruned.from}..${pruned.to} (${pruned.entriesDeleted} entries, ${pruned.intakeDeleted} intake rows); disposal recorded`,
  );
  return { status: 'pruned', plan, dir: existing, manifestSha256, pruned };
}
