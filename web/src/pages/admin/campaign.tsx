// One campaign: where it stands, its burn-down (decided and open items over time, refreshed while
// it runs), the report as CSV or JSON, and sign-off once every item is settled.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { api, must } from '../../api/client';
import { LineChart } from '../../ui/charts';
import { filenameOf, saveFile } from '../../ui/download';
import { ForRoles } from '../../ui/guard';
import { Failed, Loading } from '../../ui/states';
import { StatusBadge } from '../../ui/status';
import { formatClock, formatDay, formatTime } from '../../ui/time';

const route = getRouteApi('/admin/campaigns/$id');

/** How often an open campaign's page asks again, so the chart follows the reviewers. */
const REFRESH_MS = 3_000;

/** The admin's page for one campaign. */
export function AdminCampaign() {
  return (
    <ForRoles roles={['admin']}>
      <CampaignDetail />
    </ForRoles>
  );
}

function CampaignDetail() {
  const { id } = route.useParams();
  const campaign = useQuery({
    queryKey: ['admin', 'campaign', id],
    queryFn: async () => must(await api.GET('/api/v1/campaigns/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => (query.state.data?.status === 'closed' ? false : REFRESH_MS),
  });
  if (campaign.isPending) return <Loading what="the campaign" />;
  if (campaign.isError) return <Failed error={campaign.error} retry={() => void campaign.refetch()} />;
  const data = campaign.data;
  const points = data.burnDown.points.map((point) => ({ ...point, x: Date.parse(point.at) }));
  const format = data.burnDown.bucketSeconds >= 86_400 ? formatDay : formatClock;
  return (
    <section>
      <div className="page-head">
        <h1>{data.name}</h1>
        <StatusBadge status={data.status} />
      </div>
      <div className="cards">
        <div className="card">
          <div className="figure">{data.completionPercent}%</div>
          decided ({data.items.decided} of {data.items.total})
        </div>
        <div className="card">
          <div className="figure">{data.items.undecided}</div>
          still open
        </div>
        <div className="card">
          <div className="figure">{data.items.revoked}</div>
          revoked, {data.items.revocationVerified} verified at the target
        </div>
        <div className="card">
          <div className="figure">{data.exceptions.escalated + data.exceptions.decidedByDefault}</div>
          exceptions ({data.exceptions.escalated} escalated, {data.exceptions.decidedByDefault} by default)
        </div>
      </div>
      <dl className="facts">
        <dt>Launched</dt>
        <dd>{data.launchedAt ? formatTime(data.launchedAt) : '—'}</dd>
        <dt>Due</dt>
        <dd>{formatTime(data.dueAt)}</dd>
        <dt>Population</dt>
        <dd>
          {data.population.count ?? '—'} grants
          {data.population.sha256 && <code className="hash"> sha256 {data.population.sha256}</code>}
        </dd>
        <dt>Signed off</dt>
        <dd>
          {data.signedOff.at
            ? `${data.signedOff.by ?? 'someone'}, ${formatTime(data.signedOff.at)}`
            : 'not yet'}
        </dd>
      </dl>
      <LineChart
        title="Burn-down: decided and open items"
        description={`From launch to now: ${data.items.decided} decided and ${data.items.undecided} open of ${data.items.total} items.`}
        yLabel="items"
        formatX={format}
        series={[
          { name: 'Open', points: points.map((point) => ({ x: point.x, y: point.open })) },
          { name: 'Decided', points: points.map((point) => ({ x: point.x, y: point.decided })) },
        ]}
      />
      <h2>Report and sign-off</h2>
      <div className="actions">
        <ReportButton id={id} format="csv" />
        <ReportButton id={id} format="json" />
        <SignOff id={id} status={data.status} undecided={data.items.undecided} />
      </div>
    </section>
  );
}

function ReportButton({ id, format }: { id: string; format: 'csv' | 'json' }) {
  const download = useMutation({
    mutationFn: async () => {
      const result = await api.GET('/api/v1/campaigns/{id}/report', {
        params: { path: { id }, query: { format } },
        parseAs: 'text',
      });
      const text = must(result) as string;
      saveFile(
        filenameOf(result.response, `campaign-${id}.${format}`),
        text,
        format === 'csv' ? 'text/csv' : 'application/json',
      );
    },
  });
  return (
    <>
      <button type="button" onClick={() => download.mutate()} disabled={download.isPending}>
        Download the report ({format.toUpperCase()})
      </button>
      {download.isError && (
        <span className="error-text" role="alert">
          {download.error.message}
        </span>
      )}
    </>
  );
}

function SignOff({ id, status, undecided }: { id: string; status: string; undecided: number }) {
  const queries = useQueryClient();
  const signOff = useMutation({
    mutationFn: async () =>
      must(await api.POST('/api/v1/campaigns/{id}/signoff', { params: { path: { id } }, body: {} })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['admin', 'campaign', id] }),
  });
  if (status === 'closed') return null;
  return (
    <>
      <button
        type="button"
        className="primary"
        onClick={() => signOff.mutate()}
        disabled={signOff.isPending || status !== 'awaiting_signoff'}
        aria-describedby="signoff-hint"
      >
        Sign off
      </button>
      <span className="hint" id="signoff-hint">
        {status === 'awaiting_signoff'
          ? 'Every item is settled: signing off closes the campaign.'
          : `Possible once every item is settled (${undecided} still open).`}
      </span>
      {signOff.isError && (
        <span className="error-text" role="alert">
          {signOff.error.message}
        </span>
      )}
    </>
  );
}
