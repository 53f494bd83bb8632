// Campaigns: the newest first with their progress, launching one, and the quarterly schedule.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { api, must } from '../../api/client';
import { ForRoles } from '../../ui/guard';
import { Empty, Failed, Loading, QueryStates } from '../../ui/states';
import { StatusBadge } from '../../ui/status';
import { formatTime } from '../../ui/time';
import { LaunchForm } from './launch-form';

/** The admin's campaigns page. */
export function AdminCampaigns() {
  const [launching, setLaunching] = useState(false);
  const navigate = useNavigate();
  return (
    <ForRoles roles={['admin']}>
      <section>
        <div className="page-head">
          <h1>Campaigns</h1>
          <button
            type="button"
            className="primary"
            aria-expanded={launching}
            onClick={() => setLaunching((open) => !open)}
          >
            {launching ? 'Close the form' : 'Launch a campaign'}
          </button>
        </div>
        {launching && (
          <LaunchForm
            mode="now"
            launched={(id) => void navigate({ to: '/admin/campaigns/$id', params: { id } })}
          />
        )}
        <CampaignList />
        <Schedules />
      </section>
    </ForRoles>
  );
}

function CampaignList() {
  const campaigns = useQuery({
    queryKey: ['admin', 'campaigns'],
    queryFn: async () => must(await api.GET('/api/v1/campaigns', { params: { query: { limit: 50 } } })),
  });
  if (campaigns.isPending) return <Loading what="campaigns" />;
  if (campaigns.isError) return <Failed error={campaigns.error} retry={() => void campaigns.refetch()} />;
  if (campaigns.data.items.length === 0) {
    return (
      <Empty title="No campaign yet.">
        Launch one to have managers or owners confirm who should keep their access.
      </Empty>
    );
  }
  return (
    <table>
      <caption className="visually-hidden">The 50 newest campaigns</caption>
      <thead>
        <tr>
          <th scope="col">Campaign</th>
          <th scope="col">Status</th>
          <th scope="col">Launched</th>
          <th scope="col">Due</th>
          <th scope="col">Progress</th>
        </tr>
      </thead>
      <tbody>
        {campaigns.data.items.map((campaign) => (
          <tr key={campaign.campaignId}>
            <td>
              <Link to="/admin/campaigns/$id" params={{ id: campaign.campaignId }}>
                {campaign.name}
              </Link>
            </td>
            <td>
              <StatusBadge status={campaign.status} />
            </td>
            <td>{campaign.launchedAt ? formatTime(campaign.launchedAt) : '—'}</td>
            <td>{formatTime(campaign.dueAt)}</td>
            <td>
              <progress
                max={100}
                value={campaign.completionPercent}
                aria-label={`${campaign.name}: ${campaign.completionPercent}% decided`}
              />{' '}
              {campaign.items.decided} of {campaign.items.total}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Schedules() {
  const [editing, setEditing] = useState(false);
  const queries = useQueryClient();
  const schedules = useQuery({
    queryKey: ['admin', 'campaign-schedules'],
    queryFn: async () => must(await api.GET('/api/v1/campaigns/schedules')),
  });
  return (
    <>
      <div className="page-head">
        <h2>Schedules</h2>
        <button type="button" aria-expanded={editing} onClick={() => setEditing((open) => !open)}>
          {editing ? 'Close the form' : 'Set up the quarterly campaign'}
        </button>
      </div>
      {editing && (
        <LaunchForm
          mode="quarterly"
          launched={() => {
            setEditing(false);
            void queries.invalidateQueries({ queryKey: ['admin', 'campaign-schedules'] });
          }}
        />
      )}
      <QueryStates query={schedules} what="schedules">
        {(data) =>
          data.items.length === 0 ? (
            <Empty title="Nothing is scheduled.">
              Set up the quarterly campaign to launch one on the first day of every quarter.
            </Empty>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Template</th>
                  <th scope="col">Unanswered items</th>
                  <th scope="col">Set up by</th>
                  <th scope="col">Next runs</th>
                  <th scope="col">Last run</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((schedule) => (
                  <tr key={schedule.scheduleId}>
                    <td>
                      {schedule.name ?? schedule.scheduleId}
                      {schedule.paused && <span className="badge">paused</span>}
                    </td>
                    <td>{schedule.defaultAction ?? '—'}</td>
                    <td>{schedule.launchedBy ?? '—'}</td>
                    <td>
                      <ul className="plain">
                        {schedule.nextRuns.map((at) => (
                          <li key={at}>{formatTime(at)}</li>
                        ))}
                      </ul>
                    </td>
                    <td>{schedule.lastRunAt ? formatTime(schedule.lastRunAt) : 'not yet'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryStates>
    </>
  );
}
