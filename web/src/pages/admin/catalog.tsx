// The catalog: resources (paged on the server) with their entitlements and risk, and the approval
// policies, each linking to its version history.
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api, must } from '../../api/client';
import { ForRoles } from '../../ui/guard';
import { Pager, usePagedQuery } from '../../ui/pager';
import { RiskBadge } from '../../ui/risk';
import { Empty, Failed, Loading } from '../../ui/states';

/** The admin's catalog page. */
export function AdminCatalog() {
  return (
    <ForRoles roles={['admin']}>
      <section>
        <h1>Catalog</h1>
        <h2>Resources and entitlements</h2>
        <Resources />
        <h2>Policies</h2>
        <Policies />
      </section>
    </ForRoles>
  );
}

function days(seconds: number): string {
  return seconds % 86_400 === 0 ? `${seconds / 86_400} d` : `${Math.round(seconds / 3_600)} h`;
}

function Resources() {
  const paged = usePagedQuery(['admin', 'resources'], async (cursor) =>
    must(
      await api.GET('/api/v1/resources', { params: { query: { ...(cursor ? { cursor } : {}), limit: 20 } } }),
    ),
  );
  const { query } = paged;
  if (query.isPending) return <Loading what="resources" />;
  if (query.isError) return <Failed error={query.error} retry={() => void query.refetch()} />;
  if (query.data.items.length === 0) {
    return <Empty title="The catalog is empty.">Import the directory file to add resources.</Empty>;
  }
  return (
    <>
      <table>
        <thead>
          <tr>
            <th scope="col">Resource</th>
            <th scope="col">Owner</th>
            <th scope="col">Connector</th>
            <th scope="col">Entitlements</th>
          </tr>
        </thead>
        <tbody>
          {query.data.items.map((resource) => (
            <tr key={resource.key}>
              <td>
                <strong>{resource.name}</strong> <code>{resource.key}</code>
                {resource.description && <div className="hint">{resource.description}</div>}
              </td>
              <td>{resource.owner}</td>
              <td>{resource.connector.kind}</td>
              <td>
                <ul className="plain">
                  {resource.entitlements.map((entitlement) => (
                    <li key={entitlement.key}>
                      {entitlement.name} <code>{entitlement.key}</code> <RiskBadge risk={entitlement.risk} />{' '}
                      <span className="hint">up to {days(entitlement.maxDurationSeconds)}</span>
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager {...paged} />
    </>
  );
}

function Policies() {
  const policies = useQuery({
    queryKey: ['admin', 'policies'],
    queryFn: async () => must(await api.GET('/api/v1/policies')),
  });
  if (policies.isPending) return <Loading what="policies" />;
  if (policies.isError) return <Failed error={policies.error} retry={() => void policies.refetch()} />;
  if (policies.data.items.length === 0) return <Empty title="No policy yet." />;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Policy</th>
          <th scope="col">Description</th>
          <th scope="col">Version</th>
          <th scope="col">Definition hash</th>
        </tr>
      </thead>
      <tbody>
        {policies.data.items.map((policy) => (
          <tr key={policy.key}>
            <td>
              <Link to="/admin/policies/$key" params={{ key: policy.key }}>
                {policy.key}
              </Link>
            </td>
            <td>{policy.description ?? '—'}</td>
            <td>{policy.version}</td>
            <td>
              <code className="hash">{policy.definitionHash.slice(0, 16)}…</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
