// Every grant, newest first, filtered by status and holder and paged on the server; an admin can revoke one,
// giving the reason the ledger records.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, must } from '../../api/client';
import type { paths } from '../../api/schema';
import { ForRoles } from '../../ui/guard';
import { Pager, usePagedQuery } from '../../ui/pager';
import { Empty, QueryStates } from '../../ui/states';
import { StatusBadge } from '../../ui/status';
import { formatTime } from '../../ui/time';

type GrantStatus = NonNullable<NonNullable<paths['/api/v1/grants']['get']['parameters']['query']>['status']>;
type Grant = paths['/api/v1/grants']['get']['responses'][200]['content']['application/json']['items'][number];

const STATUSES: GrantStatus[] = ['active', 'expired', 'released', 'revoked'];

/** The admin's grants page. */
export function AdminGrants() {
  return (
    <ForRoles roles={['admin']}>
      <section>
        <h1>Grants</h1>
        <GrantSearch />
      </section>
    </ForRoles>
  );
}

function GrantSearch() {
  const [status, setStatus] = useState<GrantStatus | undefined>('active');
  const [holder, setHolder] = useState<string | undefined>();
  const [revoking, setRevoking] = useState<Grant | undefined>();
  // Revoked here but still active in the list until the workflow has removed it at the target.
  const [ending, setEnding] = useState<ReadonlySet<string>>(new Set());
  const paged = usePagedQuery(['admin', 'grants', { status, holder }], async (cursor) =>
    must(
      await api.GET('/api/v1/grants', {
        params: {
          query: {
            ...(status ? { status } : {}),
            ...(holder ? { holder } : {}),
            ...(cursor ? { cursor } : {}),
            limit: 25,
          },
        },
      }),
    ),
  );
  const { query } = paged;
  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get('holder') ?? '').trim();
    setHolder(email || undefined);
    paged.reset();
  };
  return (
    <>
      <form className="filters" aria-label="Filter grants" onSubmit={search}>
        <div className="field">
          <label htmlFor="grant-status">Status</label>
          <select
            id="grant-status"
            value={status ?? ''}
            onChange={(event) => {
              setStatus((event.target.value || undefined) as GrantStatus | undefined);
              paged.reset();
            }}
          >
            <option value="">Any</option>
            {STATUSES.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="grant-holder">Holder email</label>
          <input id="grant-holder" name="holder" type="email" autoComplete="off" />
        </div>
        <button type="submit" className="primary">
          Search
        </button>
      </form>
      {revoking && (
        <RevokeForm
          grant={revoking}
          done={(revoked) => {
            if (revoked) setEnding((ids) => new Set([...ids, revoked]));
            setRevoking(undefined);
          }}
        />
      )}
      <QueryStates query={query} what="grants">
        {(data) =>
          data.items.length === 0 ? (
            <Empty title="No grant matches.">Pick another status.</Empty>
          ) : (
            <>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Holder</th>
                    <th scope="col">Access</th>
                    <th scope="col">Status</th>
                    <th scope="col">Source</th>
                    <th scope="col">Since</th>
                    <th scope="col">Ends</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((grant) => (
                    <tr key={grant.id}>
                      <td>{grant.holder}</td>
                      <td>
                        {grant.resource} / {grant.entitlementName}
                      </td>
                      <td>
                        <StatusBadge
                          status={ending.has(grant.id) && grant.status === 'active' ? 'ending' : grant.status}
                        />
                      </td>
                      <td>{grant.source}</td>
                      <td>{formatTime(grant.grantedAt)}</td>
                      <td>
                        {grant.endedAt
                          ? `ended ${formatTime(grant.endedAt)}`
                          : grant.expiresAt
                            ? formatTime(grant.expiresAt)
                            : 'standing'}
                      </td>
                      <td>
                        {grant.status === 'active' && !ending.has(grant.id) && (
                          <button
                            type="button"
                            className="danger"
                            onClick={() => setRevoking(grant)}
                            aria-label={`Revoke ${grant.entitlementName} on ${grant.resource} from ${grant.holder}`}
                          >
                            Revoke…
                          </button>
                        )}
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

/** `done` gets the grant's id once the revocation is under way, nothing when cancelled. */
function RevokeForm({ grant, done }: { grant: Grant; done: (revoked?: string) => void }) {
  const queries = useQueryClient();
  const revoke = useMutation({
    mutationFn: async (reason: string) =>
      must(
        await api.POST('/api/v1/grants/{id}/revoke', {
          params: { path: { id: grant.id } },
          body: { reason },
        }),
      ),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ['admin', 'grants'] });
      done(grant.id);
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get('reason') ?? '').trim();
    if (reason) revoke.mutate(reason);
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="revoke-title">
      <h2 id="revoke-title">
        Revoke {grant.entitlementName} on {grant.resource} from {grant.holder}
      </h2>
      <p className="hint">The access is taken away at the target now; the reason goes into the ledger.</p>
      <div className="field">
        <label htmlFor="revoke-reason">Reason</label>
        <textarea id="revoke-reason" name="reason" required maxLength={2000} rows={3} />
      </div>
      {revoke.isError && (
        <p className="error-text" role="alert">
          {revoke.error.message}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="danger" disabled={revoke.isPending}>
          {revoke.isPending ? 'Revoking…' : 'Revoke access'}
        </button>
        <button type="button" onClick={() => done()}>
          Cancel
        </button>
      </div>
    </form>
  );
}
