// The requests I filed, newest first, a page at a time.
import { Link } from '@tanstack/react-router';
import { api, must } from '../../api/client';
import { type Session, useSession } from '../../session';
import { formatDuration } from '../../ui/duration';
import { Pager, usePagedQuery } from '../../ui/pager';
import { Empty, QueryStates } from '../../ui/states';
import { StatusBadge } from '../../ui/status';
import { formatTime } from '../../ui/time';

async function fetchMine(session: Session, cursor: string | undefined) {
  return must(
    await api.GET('/api/v1/requests', {
      params: { query: { requester: session.person.email, limit: 25, ...(cursor ? { cursor } : {}) } },
    }),
  );
}

/** The "My requests" page. */
export function MyRequests() {
  const session = useSession().data;
  if (!session) return null;
  return <RequestList session={session} />;
}

function RequestList({ session }: { session: Session }) {
  const paged = usePagedQuery(['requests', 'mine'], (cursor) => fetchMine(session, cursor));
  const requests = paged.query;
  return (
    <section>
      <h1>My requests</h1>
      <QueryStates query={requests} what="your requests">
        {(data) =>
          data.items.length === 0 ? (
            <Empty title="You have not asked for anything yet.">
              <Link to="/request">Request access</Link> and follow it here.
            </Empty>
          ) : (
            <>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Asked</th>
                    <th scope="col">Access</th>
                    <th scope="col">For</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((request) => (
                    <tr key={request.id}>
                      <td>
                        <Link to="/requests/$id" params={{ id: request.id }}>
                          {formatTime(request.createdAt)}
                        </Link>
                      </td>
                      <td>
                        {request.entitlementName} <span className="hint">on {request.resource}</span>
                      </td>
                      <td>{formatDuration(request.durationSeconds)}</td>
                      <td>
                        <StatusBadge status={request.status} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager page={paged.page} next={paged.next} previous={paged.previous} />
            </>
          )
        }
      </QueryStates>
    </section>
  );
}
