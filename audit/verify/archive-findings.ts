// `audit verify --archive <dir>`: the archived segments verified on their own (archive-verify.ts)
// and joined to the retained ledger: the last segment must end exactly where the database's
// retained entries begin, on the boundary checkpoint's chain head and signed root.
import path from 'node:path';
import { type ArchiveCheck, verifyArchive } from '../retention/archive-verify.js';
import type { NoteVerifier } from '../signed-note.js';
import type { FindingList } from './findings.js';
import type { RetainedStart } from './retained.js';

/** What the report says about the archive it was given. */
export type ArchiveSummary = { path: string; segments: number; entries: number; ok: boolean };

export async function reportArchive(
  archiveDir: string,
  verifiers: readonly NoteVerifier[],
  start: RetainedStart | undefined,
  findings: FindingList,
): Promise<ArchiveSummary> {
  const check: ArchiveCheck = await verifyArchive(archiveDir, verifiers);
  const add = (message: string, seq?: number, lastSeq?: number) =>
    findings.add({
      code: 'archive_invalid',
      file: archiveDir,
      ...(seq !== undefined ? { seq } : {}),
      ...(lastSeq !== undefined && lastSeq !== seq ? { lastSeq } : {}),
      message,
    });
  // Findings are kept one per code and position: a segment's problems make one finding.
  for (const segment of check.segments) {
    if (segment.problems.length > 0) {
      add(`${path.basename(segment.dir)}: ${segment.problems.join('; ')}`, segment.from, segment.to);
    }
  }
  if (check.problems.length > 0) add(check.problems.join('; '));
  const last = check.segments.at(-1);
  if (start && last?.end) {
    if (last.to !== start.seq - 1) {
      add(
        `the archive ends at entry ${last.to}, but the database's retained ledger starts at ${start.seq}`,
        Math.min(start.seq, (last.to ?? 0) + 1),
      );
    } else if (!last.end.chain.equals(start.chainHead) || !last.end.root.equals(start.frontier.root())) {
      add(
        `${path.basename(last.dir)} does not end on the chain head and root of checkpoint ${start.checkpointId}, ` +
          'where the retained ledger continues',
        start.seq - 1,
      );
    }
  }
  return {
    path: archiveDir,
    segments: check.segments.length,
    entries: check.segments.reduce((sum, segment) => sum + segment.entries, 0),
    ok: check.ok,
  };
}
