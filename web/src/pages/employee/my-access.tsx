// What I hold now, with when it ends; extend or give back from here.
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api, must } from '../../api/client';
import { Empty, Failed, Loading } from '../../ui/states';
import { formatTime } from '../../ui/time';

/** The "My access" page. */
export function MyAccess() {
  const grants = useQuery({
    queryKey: ['grants', 'mine', 'active'],
    queryFn: async () => must(await api.GET('/api/v1/grants', { params: { query: { status: 'active' } } })),
  });
  return (
    <section>
      <h1>My access</h1>
      {grants.isPending ? (
        <Loading what="your access" />
      ) : grants.isError ? (
        <Failed error={grants.error} retry={() => void grants.refetch()} />
      ) : grants.data.items.length === 0 ? (
        <Empty title="You hold no access through grantflow yet.">
          <Link to="/request">Request access</Link> to a system you need.
        </Empty>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Resource</th>
              <th>Entitlement</th>
              <th>Since</th>
              <th>Ends</th>
            </tr>
          </thead>
          <tbody>
            {grants.data.items.map((grant) => (
              <tr key={grant.id}>
                <td>{grant.resource}</td>
                <td>{grant.entitlementName}</td>
                <td>{formatTime(grant.grantedAt)}</td>
                <td>{grant.expiresAt ? formatTime(grant.expiresAt) : 'standing'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
