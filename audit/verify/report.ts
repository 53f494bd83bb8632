// What a caller does with a VerifyReport: the process exit code and the text shown to a person.
import path from 'node:path';
import type { Finding } from './findings.js';
import type { VerifyReport } from './types.js';

/** Process exit code for a report: 0 intact, 1 tampered, 2 could not verify. */
export function exitCodeFor(report: VerifyReport): 0 | 1 | 2 {
  if (report.status === 'intact') return 0;
  return report.status === 'tampered' ? 1 : 2;
}

/** Renders a report for a person: one summary line, then one line per finding. */
export function formatVerifyReport(report: VerifyReport): string {
  const count = (n: number) => n.toLocaleString('en-US');
  const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;
  const entries = (n: number) => plural(n, 'entry', 'entries');
  if (report.status === 'error')
    return `ERROR: could not verify the audit ledger: ${report.error ?? 'unknown error'}\n`;
  const scope =
    report.since !== undefined && report.since > 1 ? ` (row checks from seq ${count(report.since)})` : '';
  const lines: string[] = [];
  if (report.status === 'intact') {
    const latest = report.latestCheckpoint;
    const signed = latest
      ? `latest checkpoint ${latest.id} (size ${count(latest.treeSize)}` +
        `${latest.time ? `, ${latest.time}` : ''}) ` +
        `signed by key ${latest.signedBy.join(', ')}`
      : 'no signed checkpoint yet, so nothing vouches for these entries beyond their own hashes';
    const tail =
      report.unsignedEntries > 0
        ? `; ${entries(report.unsignedEntries)} ${report.unsignedEntries === 1 ? 'awaits' : 'await'} ` +
          'the next checkpoint'
        : '';
    lines.push(
      `INTACT: ${entries(report.entries)}, ` +
        `${plural(report.checkpointsVerified, 'checkpoint')} verified, ${signed}${tail}${scope}`,
    );
  } else {
    const errors =
      report.findings.filter((finding) => finding.severity === 'error').length + report.omittedFindings;
    lines.push(
      `TAMPERED: ${plural(errors, 'finding')} (${entries(report.entries)}, ` +
        `${plural(report.checkpoints, 'checkpoint')})${scope}`,
    );
  }
  for (const finding of report.findings) {
    const where = locate(finding);
    const level = finding.severity === 'warning' ? 'warning ' : '';
    lines.push(`  ${level}${finding.code}${where ? ` [${where}]` : ''}: ${finding.message}`);
  }
  if (report.omittedFindings > 0)
    lines.push(`  ... and ${plural(report.omittedFindings, 'more finding')} not listed`);
  lines.push(`  ${outsideCopies(report)}`);
  if (report.witnesses) {
    const { required, latestCosignedBy, uncosigned } = report.witnesses;
    lines.push(
      `  witnesses: latest checkpoint cosigned by ${latestCosignedBy.join(', ') || 'none'} (${required} required)` +
        `${uncosigned.length > 0 ? `; recent checkpoints without cosignatures: ${uncosigned.slice(0, 20).join(', ')}` : ''}`,
    );
  }
  if (report.retained) {
    const kept = report.retained;
    const disposal =
      kept.disposalSeq !== undefined ? `entry ${count(kept.disposalSeq)}` : 'an intake row not yet sequenced';
    lines.push(
      `  retention: verified from entry ${count(kept.fromSeq)} on, from checkpoint ${kept.checkpointId}; ` +
        `entries 1..${count(kept.fromSeq - 1)} were pruned, recorded by ${disposal} ` +
        `(archive ${kept.archive}, manifest sha256 ${kept.manifestSha256.slice(0, 16)}…)` +
        `${report.archive ? '' : '; pass --archive <dir> to verify the archived entries too'}`,
    );
  }
  if (report.archive) {
    const archive = report.archive;
    lines.push(
      `  archive: ${plural(archive.segments, 'segment')}, ${entries(archive.entries)} in ${archive.path}` +
        `${archive.ok ? ' verified' : ' did NOT verify (see archive_invalid)'}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

// What the checkpoints were compared with outside the database: an auditor verifying from
// another machine must see plainly when no outside copy was at hand.
function outsideCopies(report: VerifyReport): string {
  const hint = 'pass --export-dir <dir> with the exported checkpoint notes to compare them';
  if (!report.exportDir)
    return `outside copies: none given, so checkpoints were compared only with each other; ${hint}`;
  if (!report.exportDir.found) {
    return `outside copies: ${report.exportDir.path} does not exist, so no outside copy was compared; ${hint}`;
  }
  const notes = report.exportedCheckpoints;
  return `outside copies: compared with ${notes.toLocaleString('en-US')} exported checkpoint${notes === 1 ? '' : 's'} in ${report.exportDir.path}`;
}

function locate(finding: Finding): string {
  const parts: string[] = [];
  if (finding.seq !== undefined) {
    parts.push(
      finding.lastSeq !== undefined && finding.lastSeq !== finding.seq
        ? `seq ${finding.seq}..${finding.lastSeq}`
        : `seq ${finding.seq}`,
    );
  }
  if (finding.checkpointId !== undefined) parts.push(`checkpoint ${finding.checkpointId}`);
  if (finding.otherCheckpointId !== undefined) parts.push(`vs checkpoint ${finding.otherCheckpointId}`);
  if (finding.file !== undefined) parts.push(`file ${path.basename(finding.file)}`);
  return parts.join(', ');
}
