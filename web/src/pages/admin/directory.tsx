// The directory: people (paged on the server, by status), one person looked up by email with what
// they hold, and the groups with their sizes.
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, must } from '../../api/client';
import { ForRoles } from '../../ui/guard';
import { Pager, usePagedQuery } from '../../ui/pager';
import { Empty, Failed, Loading, QueryStates } from '../../ui/states';
import { StatusBadge } from '../../ui/status';
import { formatTime } from '../../ui/time';

/** The admin's directory page. */
export function AdminDirectory() {
  return (
    <ForRoles roles={['admin']}>
      <section>
        <h1>Directory</h1>
        <PersonLookup />
        <h2>People</h2>
        <People />
        <h2>Groups</h2>
        <Groups />
      </section>
    </ForRoles>
  );
}

function PersonLookup() {
  const [email, setEmail] = useState<string | undefined>();
  const overview = useQuery({
    queryKey: ['admin', 'person', email],
    enabled: Boolean(email),
    queryFn: async () =>
      must(await api.GET('/api/v1/people/overview', { params: { query: { email: email ?? '' } } })),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get('email') ?? '').trim();
    setEmail(value || undefined);
  };
  return (
    <>
      <form className="filters" onSubmit={submit} aria-label="Find a person">
        <div className="field">
          <label htmlFor="person-email">Find a person by email</label>
          <input id="person-email" name="email" type="email" autoComplete="off" />
        </div>
        <button type="submit" className="primary">
          Find
        </button>
      </form>
      {email &&
        (overview.isPending ? (
          <Loading what={email} />
        ) : overview.isError ? (
          <Failed error={overview.error} />
        ) : (
          <div className="panel">
            <h3>
              {overview.data.person.name} <StatusBadge status={overview.data.person.status} />
            </h3>
            <dl className="facts">
              <dt>Email</dt>
              <dd>{overview.data.person.email}</dd>
              <dt>Title</dt>
              <dd>{overview.data.person.title ?? '—'}</dd>
              <dt>Department</dt>
              <dd>{overview.data.person.department ?? '—'}</dd>
              <dt>Manager</dt>
              <dd>{overview.data.manager ?? '—'}</dd>
              <dt>Identity source</dt>
              <dd>{overview.data.person.source}</dd>
              <dt>Open findings</dt>
              <dd>{overview.data.openFindings.length}</dd>
            </dl>
            {overview.data.grants.length === 0 ? (
              <Empty title="Holds no access through grantflow." />
            ) : (
              <table>
                <caption>What {overview.data.person.name} holds</caption>
                <thead>
                  <tr>
                    <th scope="col">Resource</th>
                    <th scope="col">Entitlement</th>
                    <th scope="col">Source</th>
                    <th scope="col">Since</th>
                    <th scope="col">Ends</th>
                  </tr>
                </thead>
                <tbody>
                  {overview.data.grants.map((grant) => (
                    <tr key={grant.id}>
                      <td>{grant.resource}</td>
                      <td>{grant.entitlement}</td>
                      <td>{grant.source}</td>
                      <td>{formatTime(grant.grantedAt)}</td>
                      <td>{grant.expiresAt ? formatTime(grant.expiresAt) : 'standing'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        ))}
    </>
  );
}

function People() {
  const [status, setStatus] = useState<'active' | 'inactive' | undefined>('active');
  const paged = usePagedQuery(['admin', 'people', { status }], async (cursor) =>
    must(
      await api.GET('/api/v1/people', {
        params: { query: { ...(status ? { status } : {}), ...(cursor ? { cursor } : {}), limit: 25 } },
      }),
    ),
  );
  const { query } = paged;
  return (
    <>
      <div className="field inline">
        <label htmlFor="people-status">Status</label>
        <select
          id="people-status"
          value={status ?? ''}
          onChange={(event) => {
            setStatus((event.target.value || undefined) as 'active' | 'inactive' | undefined);
            paged.reset();
          }}
        >
          <option value="">Anyone</option>
          <option value="active">Active</option>
          <option value="inactive">Inactive (left)</option>
        </select>
      </div>
      <QueryStates query={query} what="people">
        {(data) =>
          data.items.length === 0 ? (
            <Empty title="Nobody here.">Import the directory file or connect SCIM to bring people in.</Empty>
          ) : (
            <>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Email</th>
                    <th scope="col">Title</th>
                    <th scope="col">Department</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((person) => (
                    <tr key={person.id}>
                      <td>{person.name}</td>
                      <td>{person.email}</td>
                      <td>{person.title ?? '—'}</td>
                      <td>{person.department ?? '—'}</td>
                      <td>
                        <StatusBadge status={person.status} />
                      </td>
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

function Groups() {
  const groups = useQuery({
    queryKey: ['admin', 'groups'],
    queryFn: async () => must(await api.GET('/api/v1/groups')),
  });
  if (groups.isPending) return <Loading what="groups" />;
  if (groups.isError) return <Failed error={groups.error} retry={() => void groups.refetch()} />;
  if (groups.data.items.length === 0) return <Empty title="No group yet." />;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Key</th>
          <th scope="col">Name</th>
          <th scope="col">Description</th>
          <th scope="col">Source</th>
          <th scope="col">Members</th>
        </tr>
      </thead>
      <tbody>
        {groups.data.items.map((group) => (
          <tr key={group.key}>
            <td>
              <code>{group.key}</code>
            </td>
            <td>{group.name}</td>
            <td>{group.description ?? '—'}</td>
            <td>{group.source}</td>
            <td>{group.memberCount}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
