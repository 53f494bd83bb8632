// The admin's dashboard: what is waiting and for how long, where the SLA is missed, what risk the
// company holds, how campaigns are going, whether the ledger is sealed, and two charts people
// would rather look at than read (request volume per day, time to approve).
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api, must } from '../../api/client';
import { RiskBadge, StatusBadge } from '../../ui/badges';
import { BarChart, LineChart } from '../../ui/charts';
import { ForRoles } from '../../ui/guard';
import { Empty, Failed, Loading } from '../../ui/states';
import { formatAge, formatDay, formatTime } from '../../ui/time';

/** GET /api/v1/dashboard as the contract describes it. */
type Dashboard = {
  openRequests: { total: number; oldestAgeSeconds: number | null; byAge: { label: string; count: number }[] };
  slaBreaches: {
    total: number;
    items: { requestId: string; requester: string; entitlement: string; ageSeconds: number }[];
  };
  grantsByRisk: { risk: string; count: number }[];
  campaigns: {
    campaignId: string;
    name: string;
    status: string;
    dueAt: string;
    decided: number;
    total: number;
    completionPercent: number;
  }[];
  ledger: {
    entries: number;
    unsequenced: number;
    latestCheckpoint: { id: number; treeSize: number; createdAt: string } | null;
  };
  requestVolume: { day: string; count: number }[];
  timeToApprove: { label: string; count: number }[];
};

/** The admin dashboard. */
export function AdminDashboard() {
  return (
    <ForRoles roles={['admin']}>
      <DashboardView />
    </ForRoles>
  );
}

function DashboardView() {
  const dashboard = useQuery({
    queryKey: ['admin', 'dashboard'],
    queryFn: async () => must(await api.GET('/api/v1/dashboard')) as unknown as Dashboard,
    refetchInterval: 30_000,
  });
  if (dashboard.isPending) return <Loading what="the dashboard" />;
  if (dashboard.isError) return <Failed error={dashboard.error} retry={() => void dashboard.refetch()} />;
  const data = dashboard.data;
  const unsealed = data.ledger.entries - (data.ledger.latestCheckpoint?.treeSize ?? 0);
  return (
    <section>
      <h1>Dashboard</h1>
      <div className="cards">
        <div className="card">
          <div className="figure">{data.openRequests.total}</div>
          open requests
          {data.openRequests.oldestAgeSeconds !== null && (
            <div className="hint">oldest waiting {formatAge(data.openRequests.oldestAgeSeconds)}</div>
          )}
        </div>
        <div className={`card ${data.slaBreaches.total > 0 ? 'card-bad' : ''}`}>
          <div className="figure">{data.slaBreaches.total}</div>
          past their SLA
        </div>
        <div className={`card ${data.ledger.unsequenced > 0 || unsealed > 0 ? 'card-warn' : ''}`}>
          <div className="figure">{data.ledger.entries}</div>
          ledger entries
          <div className="hint">
            {data.ledger.latestCheckpoint
              ? `sealed to ${data.ledger.latestCheckpoint.treeSize} at ${formatTime(data.ledger.latestCheckpoint.createdAt)}`
              : 'no checkpoint yet'}
            {data.ledger.unsequenced > 0 && `, ${data.ledger.unsequenced} waiting to be sequenced`}
          </div>
        </div>
      </div>
      <div className="chart-grid">
        {data.requestVolume.length === 0 ? (
          <Empty title="No request in the period yet." />
        ) : (
          <LineChart
            title="Requests per day"
            description={`Access requests filed per day, ${data.requestVolume.reduce((sum, day) => sum + day.count, 0)} in all.`}
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
          description="How long approved requests waited for their last approval."
          valueLabel="requests"
          bars={data.timeToApprove.map((bucket) => ({ label: bucket.label, value: bucket.count }))}
        />
        <BarChart
          title="Active grants by risk"
          description={data.grantsByRisk.map((row) => `${row.risk}: ${row.count}`).join(', ')}
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
          bars={data.openRequests.byAge.map((bucket) => ({ label: bucket.label, value: bucket.count }))}
        />
      </div>
      <h2>Past their SLA</h2>
      {data.slaBreaches.items.length === 0 ? (
        <Empty title="Nothing is past its SLA." />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Requester</th>
              <th scope="col">Access</th>
              <th scope="col">Waiting</th>
            </tr>
          </thead>
          <tbody>
            {data.slaBreaches.items.map((item) => (
              <tr key={item.requestId}>
                <td>{item.requester}</td>
                <td>{item.entitlement}</td>
                <td>{formatAge(item.ageSeconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Campaigns</h2>
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
            {data.campaigns.map((campaign) => (
              <tr key={campaign.campaignId}>
                <td>
                  <Link to="/admin/campaigns/$id" params={{ id: campaign.campaignId }}>
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
                    value={campaign.completionPercent}
                    aria-label={`${campaign.name}: ${campaign.completionPercent}% decided`}
                  />{' '}
                  {campaign.decided} of {campaign.total}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Risk held</h2>
      <p>
        {data.grantsByRisk.map((row) => (
          <span key={row.risk} className="risk-count">
            <RiskBadge risk={row.risk} /> {row.count}
          </span>
        ))}
      </p>
    </section>
  );
}
