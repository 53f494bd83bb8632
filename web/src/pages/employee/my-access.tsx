// What I hold now, with when it ends; extend or give back from here.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { api, must } from '../../api/client';
import { type Session, useSession } from '../../session';
import { type DurationUnit, secondsPer } from '../../ui/duration';
import { DurationField } from '../../ui/duration-field';
import { FormError } from '../../ui/form-error';
import { Pager, usePagedQuery } from '../../ui/pager';
import { Empty, QueryStates } from '../../ui/states';
import { StatusBadge } from '../../ui/status';
import { formatTime } from '../../ui/time';

type Grant = Awaited<ReturnType<typeof fetchGrants>>['items'][number];

/** My active grants, a page at a time; everyone (an admin too) sees only their own here. */
async function fetchGrants(session: Session, cursor: string | undefined) {
  return must(
    await api.GET('/api/v1/grants', {
      params: {
        query: { status: 'active', holder: session.person.email, limit: 25, ...(cursor ? { cursor } : {}) },
      },
    }),
  );
}

/** The "My access" page. */
export function MyAccess() {
  const session = useSession().data;
  if (!session) return null;
  return <MyGrants session={session} />;
}

/** How often the list is read again while something given back is still being removed. */
const REMOVAL_POLL_MS = 2_000;

function MyGrants({ session }: { session: Session }) {
  // Given back here: removed at the target by the worker, which takes a moment; until then the
  // row says so and the list is read again.
  const [givenBack, setGivenBack] = useState<ReadonlySet<string>>(new Set());
  const paged = usePagedQuery(['grants', 'mine', 'active'], (cursor) => fetchGrants(session, cursor), {
    refetchInterval: givenBack.size > 0 ? REMOVAL_POLL_MS : undefined,
  });
  const grants = paged.query;
  return (
    <section>
      <h1>My access</h1>
      <QueryStates query={grants} what="your access">
        {(data) =>
          data.items.length === 0 ? (
            <Empty title="You hold no access through grantflow yet.">
              <Link to="/request">Request access</Link> to a system you need.
            </Empty>
          ) : (
            <>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Resource</th>
                    <th scope="col">Entitlement</th>
                    <th scope="col">Since</th>
                    <th scope="col">Ends</th>
                    <th scope="col">Status</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((grant) => (
                    <GrantRow
                      key={grant.id}
                      grant={grant}
                      givenBack={givenBack.has(grant.id)}
                      onGivenBack={() => setGivenBack((ids) => new Set([...ids, grant.id]))}
                    />
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

function GrantRow({
  grant,
  givenBack,
  onGivenBack,
}: {
  grant: Grant;
  givenBack: boolean;
  onGivenBack: () => void;
}) {
  const [open, setOpen] = useState<'extend' | 'release' | null>(null);
  return (
    <>
      <tr>
        <td>{grant.resource}</td>
        <td>{grant.entitlementName}</td>
        <td>{formatTime(grant.grantedAt)}</td>
        <td>{grant.expiresAt ? formatTime(grant.expiresAt) : 'Standing (no end date)'}</td>
        <td>
          <StatusBadge status={givenBack ? 'ending' : grant.status} />
        </td>
        <td className="actions">
          {givenBack ? (
            <span className="hint">Being removed…</span>
          ) : (
            <>
              <button
                type="button"
                aria-expanded={open === 'extend'}
                onClick={() => setOpen(open === 'extend' ? null : 'extend')}
              >
                Extend
              </button>
              <button
                type="button"
                aria-expanded={open === 'release'}
                onClick={() => setOpen(open === 'release' ? null : 'release')}
              >
                Give back
              </button>
            </>
          )}
        </td>
      </tr>
      {open && (
        <tr className="row-form">
          <td colSpan={6}>
            {open === 'extend' ? (
              <ExtendForm grant={grant} done={() => setOpen(null)} />
            ) : (
              <ReleaseForm
                grant={grant}
                done={() => {
                  setOpen(null);
                  onGivenBack();
                }}
              />
            )}
          </td>
        </tr>
      )}
    </>
  );
}

function ExtendForm({ grant, done }: { grant: Grant; done: () => void }) {
  const queries = useQueryClient();
  const [amount, setAmount] = useState(1);
  const [unit, setUnit] = useState<DurationUnit>('days');
  const [reason, setReason] = useState('');
  const extend = useMutation({
    mutationFn: async () =>
      must(
        await api.POST('/api/v1/grants/{id}/extend', {
          params: { path: { id: grant.id } },
          body: { seconds: amount * secondsPer(unit), ...(reason.trim() ? { reason: reason.trim() } : {}) },
        }),
      ),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ['grants'] });
      done();
    },
  });
  return (
    <form
      aria-label={`Extend ${grant.entitlementName}`}
      onSubmit={(event) => {
        event.preventDefault();
        extend.mutate();
      }}
    >
      <DurationField
        label="Extend by"
        amount={amount}
        unit={unit}
        onChange={(nextAmount, nextUnit) => {
          setAmount(nextAmount);
          setUnit(nextUnit);
        }}
      />
      <div className="field">
        <label htmlFor={`extend-reason-${grant.id}`}>Reason</label>
        <textarea
          id={`extend-reason-${grant.id}`}
          value={reason}
          maxLength={2000}
          onChange={(event) => setReason(event.target.value)}
        />
      </div>
      <p className="hint">
        Where the policy would not approve this on its own, grantflow asks you to file a new request.
      </p>
      <FormError error={extend.error} />
      <button type="submit" className="primary" disabled={extend.isPending}>
        {extend.isPending ? 'Extending…' : 'Extend'}
      </button>
    </form>
  );
}

function ReleaseForm({ grant, done }: { grant: Grant; done: () => void }) {
  const queries = useQueryClient();
  const [reason, setReason] = useState('');
  const release = useMutation({
    mutationFn: async () =>
      must(
        await api.POST('/api/v1/grants/{id}/release', {
          params: { path: { id: grant.id } },
          body: reason.trim() ? { reason: reason.trim() } : {},
        }),
      ),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ['grants'] });
      done();
    },
  });
  return (
    <form
      aria-label={`Give back ${grant.entitlementName}`}
      onSubmit={(event) => {
        event.preventDefault();
        release.mutate();
      }}
    >
      <p>
        Give back <strong>{grant.entitlementName}</strong> on {grant.resource} now? It is removed from the
        system straight away.
      </p>
      <div className="field">
        <label htmlFor={`release-reason-${grant.id}`}>Reason (optional)</label>
        <textarea
          id={`release-reason-${grant.id}`}
          value={reason}
          maxLength={2000}
          onChange={(event) => setReason(event.target.value)}
        />
      </div>
      <FormError error={release.error} />
      <button type="submit" className="danger" disabled={release.isPending}>
        {release.isPending ? 'Giving back…' : 'Give it back now'}
      </button>
    </form>
  );
}
