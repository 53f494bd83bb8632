// Verification: recompute the ledger, its checkpoints and its protections now, and read the
// findings (the same report as grantflow audit verify).
import { useMutation } from '@tanstack/react-query';
import { api, must } from '../../api/client';
import type { paths } from '../../api/schema';
import { ForRoles } from '../../ui/guard';
import { Empty, Failed } from '../../ui/states';
import { formatTime } from '../../ui/time';

/** The verification page (auditors and admins). */
export function AuditVerify() {
  const verify = useMutation({ mutationFn: async () => must(await api.GET('/api/v1/audit/verify')) });
  return (
    <ForRoles roles={['auditor', 'admin']}>
      <section>
        <h1>Verify the ledger</h1>
        <p>
          Recomputes every entry's hash and chain, every checkpoint's root and signature, and checks the
          database's protections. On a large ledger this takes a while.
        </p>
        <button type="button" className="primary" onClick={() => verify.mutate()} disabled={verify.isPending}>
          {verify.isPending ? 'Verifying…' : 'Run verification'}
        </button>
        <div aria-live="polite">
          {verify.isError && <Failed error={verify.error} retry={() => verify.mutate()} />}
          {verify.isSuccess && <Report report={verify.data} />}
        </div>
      </section>
    </ForRoles>
  );
}

type VerifyReport = paths['/api/v1/audit/verify']['get']['responses'][200]['content']['application/json'];

function Report({ report }: { report: VerifyReport }) {
  const intact = report.status === 'intact';
  return (
    <div className={`panel verdict ${intact ? 'verdict-good' : 'verdict-bad'}`}>
      <h2>{intact ? 'Intact' : 'Tampered'}</h2>
      <dl className="facts">
        <dt>Entries</dt>
        <dd>{report.entries}</dd>
        <dt>Checkpoints verified</dt>
        <dd>
          {report.checkpointsVerified} of {report.checkpoints} ({report.exportedCheckpoints} exported outside
          the database)
        </dd>
        <dt>Latest checkpoint</dt>
        <dd>
          {report.latestCheckpoint
            ? `#${report.latestCheckpoint.id}, size ${report.latestCheckpoint.treeSize}${
                report.latestCheckpoint.time ? `, ${formatTime(report.latestCheckpoint.time)}` : ''
              }, signed by ${report.latestCheckpoint.signedBy.join(', ') || 'nobody known'}`
            : 'none yet'}
        </dd>
        <dt>Entries after the latest checkpoint</dt>
        <dd>{report.unsignedEntries}</dd>
        <dt>Took</dt>
        <dd>{Math.round(report.durationMs)} ms</dd>
      </dl>
      <h3>Findings</h3>
      {report.findings.length === 0 ? (
        <Empty title="No finding." />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Severity</th>
              <th scope="col">Code</th>
              <th scope="col">Where</th>
              <th scope="col">What</th>
            </tr>
          </thead>
          <tbody>
            {report.findings.map((finding, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: findings have no id; the order is the report's
              <tr key={index}>
                <td>
                  <span className={`badge severity-${finding.severity}`}>{finding.severity}</span>
                </td>
                <td>
                  <code>{finding.code}</code>
                </td>
                <td>
                  {finding.seq !== undefined && `entry ${finding.seq}`}
                  {finding.checkpointId !== undefined && ` checkpoint ${finding.checkpointId}`}
                  {finding.file && ` ${finding.file}`}
                </td>
                <td>{finding.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.omittedFindings > 0 && <p className="hint">{report.omittedFindings} more findings left out.</p>}
    </div>
  );
}
