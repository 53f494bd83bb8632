// Every access request, newest first, filtered by status and requester, paged on the server.
import { type FormEvent, useState } from 'react';
import { api, must } from '../../api/client';
import type { paths } from '../../api/schema';
import { ForRoles } from '../../ui/guard';
import { Pager, usePagedQuery } from '../../ui/pager';
import { Empty, QueryStates } from '../../ui/states';
import { StatusBadge } from '../../ui/status';
import { formatTime } from '../../ui/time';

type RequestStatus = NonNullable<
  NonNullable<paths['/api/v1/requests']['get']['parameters']['query']>['status']
>;

const STATUSES: RequestStatus[] = [
  'pending',
  'pending_approval',
  'provisioning',
  'awaiting_fulfilment',
  'provisioning_failed',
  'granted',
  'denied',
  'cancelled',
  'expired',
];

type Filter = { status?: RequestStatus; requester?: string };

/** The admin's requests page. */
export function AdminRequests() {
  return (
    <ForRoles roles={['admin']}>
      <section>
        <h1>Requests</h1>
        <RequestSearch />
      </section>
    </ForRoles>
  );
}

function RequestSearch() {
  const [filter, setFilter] = useState<Filter>({});
  const paged = usePagedQuery(['admin', 'requests', filter], async (cursor) =>
    must(
      await api.GET('/api/v1/requests', {
        params: { query: { ...filter, ...(cursor ? { cursor } : {}), limit: 25 } },
      }),
    ),
  );
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const status = String(form.get('status') ?? '');
    const requester = String(form.get('requester') ?? '').trim();
    setFilter({
      ...(status ? { status: status as RequestStatus } : {}),
      ...(requester ? { requester } : {}),
    });
    paged.reset();
  };
  const { query } = paged;
  return (
    <>
      <form className="filters" onSubmit={submit} aria-label="Filter requests">
        <div className="field">
          <label htmlFor="request-status">Status</label>
          <select id="request-status" name="status" defaultValue="">
            <option value="">Any</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {status.replaceAll('_', ' ')}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="request-requester">Requester email</label>
          <input id="request-requester" name="requester" type="email" autoComplete="off" />
        </div>
        <button type="submit" className="primary">
          Search
        </button>
      </form>
      <QueryStates query={query} what="requests">
        {(data) =>
          data.items.length === 0 ? (
            <Empty title="No request matches.">
              Change the filters, or wait for someone to ask for access.
            </Empty>
          ) : (
            <>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Requester</th>
                    <th scope="col">Access</th>
                    <th scope="col">Status</th>
                    <th scope="col">Reason</th>
                    <th scope="col">Asked</th>
                    <th scope="col">Plan</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((request) => (
                    <tr key={request.id}>
                      <td>{request.requester}</td>
                      <td>
                        {request.resource} / {request.entitlementName}
                      </td>
                      <td>
                        <StatusBadge status={request.status} />
                      </td>
                      <td>{request.reason ?? '—'}</td>
                      <td>{formatTime(request.createdAt)}</td>
                      <td>{request.plan ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager {...paged} />
            </>
          )
        }
      </QueryStates>
    </>
  );
}
