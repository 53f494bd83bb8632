// The admin's dashboard: what is waiting and for how long, where the SLA is missed, what risk the
// company holds, how campaigns are going, whether the ledger is sealed, and two charts people
// would rather look at than read (request volume per day, time to approve).
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api, must } from '../../api/client';
import type { paths } from '../../api/schema';
import { BarChart, LineChart } from '../../ui/charts';
import { isRoleRefusal, NotForRole } from '../../ui/guard';
import { RiskBadge } from '../../ui/risk';
import { Empty, Failed, Loading } from '../../ui/states';
import { StatusBadge } from '../../ui/status';
import { formatAge, formatDay, formatTime } from '../../ui/time';

/** GET /api/v1/dashboard, as the API documents it. */
type Dashboard = paths['/api/v1/dashboard']['get']['responses'][200]['content']['application/json'];

/** Seconds from `iso` to `now` (the server's generatedAt, so every age on the page is of one moment). */
function ageOf(iso: string, now: string): number {
  return Math.max(0, (Date.parse(now) - Date.parse(iso)) / 1000);
}

/**
 * The admin dashboard. It asks the API whoever is signed in (the console's home for admins is the
 * page a curious employee tries first), so someone else sees the API's own refusal with the
 * designed "not for your role" state.
 */
export function AdminDashboard() {
  const dashboard = useQuery({
    queryKey: ['admin', 'dashboard'],
    queryFn: async (): Promise<Dashboard> => must(await api.GET('/api/v1/dashboard')),
    refetchInterval: (query) => (isRoleRefusal(query.state.error) ? false : 30_000),
    retry: (count, error) => !isRoleRefusal(error) && count < 3,
  });
  if (dashboard.isPending) return <Loading what="the dashboard" />;
  if (isRoleRefusal(dashboard.error)) return <NotForRole roles={['admin']} refusal={dashboard.error} />;
  if (dashboard.isError) return <Failed error={dashboard.error} retry={() => void dashboard.refetch()} />;
  const data = dashboard.data;
  const { approvals, leavers } = data.slaBreaches;
  const { timeToApprove, ledger } = data;
  const breaches = approvals.count + leavers.overdueNow;
  return (
    <section>
      <h1>Dashboard</h1>
      <div className="cards">
        <div className="card">
          <div className="figure">{data.openRequests.total}</div>
          open requests
          {data.openRequests.oldestCreatedAt !== null && (
            <div className="hint">
              oldest waiting {formatAge(ageOf(data.openRequests.oldestCreatedAt, data.generatedAt))}
            </div>
          )}
        </div>
        <div className={`card ${breaches > 0 ? 'card-bad' : ''}`}>
          <div className="figure">{breaches}</div>
          past their SLA
          <div className="hint">
            {approvals.count} approvals waiting past escalation, {leavers.overdueNow} leavers still holding
            access ({leavers.breachedLast30Days} leaver breaches in 30 days)
          </div>
        </div>
        <div className="card">
          <div className="figure">{timeToApprove.approved}</div>
          approved in 30 days
          <div className="hint">
            {timeToApprove.medianSeconds === null
              ? 'none decided by a person yet'
              : `median ${formatAge(timeToApprove.medianSeconds)}, 90% within ${formatAge(timeToApprove.p90Seconds ?? timeToApprove.medianSeconds)}`}
            {timeToApprove.autoApproved > 0 && `; ${timeToApprove.autoApproved} approved automatically`}
          </div>
        </div>
        <div className={`card ${ledger.pendingIntake > 0 || ledger.unsealedEntries > 0 ? 'card-warn' : ''}`}>
          <div className="figure">{ledger.entries}</div>
          ledger entries
          <div className="hint">
            {ledger.latestCheckpoint
              ? `sealed to ${ledger.latestCheckpoint.treeSize} at ${formatTime(ledger.latestCheckpoint.createdAt)}`
              : 'no checkpoint yet'}
            {ledger.unsealedEntries > 0 && `, ${ledger.unsealedEntries} after it`}
            {ledger.pendingIntake > 0 && `, ${ledger.pendingIntake} waiting to be sequenced`}
          </div>
        </div>
      </div>
      <div className="chart-grid">
        {data.requestVolume.length === 0 ? (
          <Empty title="No request in the last 30 days." />
        ) : (
          <LineChart
            title="Requests per day"
            description={`Access requests filed per day, ${data.requestVolume.reduce((sum, day) => sum + day.count, 0)} in the last 30 days.`}
            yLabel="requests"
            formatX={formatDay}
            series={[
              {
                name: 'Requests',
                points: data.requestVolume.map((day) => ({ x: Date.parse(day.day), y: day.count })),
              },
            ]}
          />
        )}
        <BarChart
          title="Time to approve"
          description="How long requests approved in the last 30 days waited for their last approval."
          valueLabel="requests"
          bars={timeToApprove.buckets.map((bucket) => ({ label: bucket.bucket, value: bucket.count }))}
        />
        <BarChart
          title="Active grants by risk"
          description={data.grantsByRisk.map((row) => `${row.risk}: ${row.count}`).join(', ') || 'No grant.'}
          valueLabel="grants"
          bars={data.grantsByRisk.map((row) => ({
            label: row.risk,
            value: row.count,
            className: `bar-risk-${row.risk}`,
          }))}
        />
        <BarChart
          title="Open requests by age"
          description="How long the open requests have been waiting."
          valueLabel="requests"
          bars={data.openRequests.age.map((bucket) => ({ label: bucket.bucket, value: bucket.count }))}
        />
      </div>
      <h2>Approvals past their SLA</h2>
      {approvals.oldest.length === 0 ? (
        <Empty title="No approval is waiting past its escalation time." />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Requester</th>
              <th scope="col">Access</th>
              <th scope="col">Waiting</th>
              <th scope="col">Escalates after</th>
            </tr>
          </thead>
          <tbody>
            {approvals.oldest.map((item) => (
              <tr key={item.requestId}>
                <td>{item.requester}</td>
                <td>{item.entitlement}</td>
                <td>{formatAge(ageOf(item.waitingSince, data.generatedAt))}</td>
                <td>{formatAge(item.escalateAfterSeconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Campaigns in progress</h2>
      {data.campaigns.length === 0 ? (
        <Empty title="No campaign is running.">
          <Link to="/admin/campaigns">Launch one</Link> to certify who holds what.
        </Empty>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Campaign</th>
              <th scope="col">Status</th>
              <th scope="col">Due</th>
              <th scope="col">Progress</th>
            </tr>
          </thead>
          <tbody>
            {data.campaigns.map((campaign) => {
              const percent =
                campaign.total === 0 ? 100 : Math.floor((campaign.decided / campaign.total) * 100);
              return (
                <tr key={campaign.id}>
                  <td>
                    <Link to="/admin/campaigns/$id" params={{ id: campaign.id }}>
                      {campaign.name}
                    </Link>
                  </td>
                  <td>
                    <StatusBadge status={campaign.status} />
                  </td>
                  <td>{formatTime(campaign.dueAt)}</td>
                  <td>
                    <progress
                      max={100}
                      value={percent}
                      aria-label={`${campaign.name}: ${percent}% decided`}
                    />{' '}
                    {campaign.decided} of {campaign.total}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <h2>Risk held</h2>
      {data.grantsByRisk.length === 0 ? (
        <Empty title="Nobody holds access through grantflow yet." />
      ) : (
        <p>
          {data.grantsByRisk.map((row) => (
            <span key={row.risk} className="risk-count">
              <RiskBadge risk={row.risk} /> {row.count}
            </span>
          ))}
        </p>
      )}
    </section>
  );
}
