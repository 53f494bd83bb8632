// The doctor's report for a person: one line per check, and the fix under each failure.
import type { CheckStatus } from './check.js';
import type { DoctorReport } from './run.js';

const MARKS: Record<CheckStatus, string> = { pass: '✓', fail: '✗', skip: '–' };

/** `✓ title  detail` per check, `fix: ...` under each ✗, and a closing count. */
export function formatDoctorReport(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((check) => check.title.length));
  const lines = report.checks.flatMap((check) => [
    `${MARKS[check.status]} ${check.title.padEnd(width)}  ${check.status === 'skip' ? 'skipped: ' : ''}${check.detail}`,
    ...(check.fix ? [`  ${' '.repeat(width)}  fix: ${check.fix}`] : []),
  ]);
  const count = (status: CheckStatus) => report.checks.filter((check) => check.status === status).length;
  lines.push(
    '',
    `${report.checks.length} checks: ${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped`,
  );
  return `${lines.join('\n')}\n`;
}
