// Asking for access: find the system in the catalog, choose the entitlement (its risk in view),
// how long, and why; then the request's own page shows who will approve it, live.
import { useMutation } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useId, useState } from 'react';
import { api, must } from '../../api/client';
import { type DurationUnit, formatDuration, largestUnitOf, secondsPer } from '../../ui/duration';
import { DurationField } from '../../ui/duration-field';
import { FormError } from '../../ui/form-error';
import { Pager, usePagedQuery } from '../../ui/pager';
import { RiskBadge } from '../../ui/risk';
import { Empty, QueryStates } from '../../ui/states';

type Resource = Awaited<ReturnType<typeof fetchResources>>['items'][number];
type Entitlement = Resource['entitlements'][number];

async function fetchResources(cursor: string | undefined) {
  return must(
    await api.GET('/api/v1/resources', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } }),
  );
}

/** Whether `resource` (or one of its entitlements) matches what was typed in the search box. */
function matches(resource: Resource, search: string): boolean {
  const words = search.trim().toLowerCase();
  if (!words) return true;
  const text = [
    resource.key,
    resource.name,
    resource.description ?? '',
    ...resource.entitlements.flatMap((e) => [e.key, e.name, e.description ?? '']),
  ]
    .join(' ')
    .toLowerCase();
  return words.split(/\s+/).every((word) => text.includes(word));
}

/** The "Request access" page. */
export function RequestAccess() {
  const paged = usePagedQuery(['resources'], fetchResources);
  const [search, setSearch] = useState('');
  const [chosen, setChosen] = useState<{ resource: Resource; entitlement: Entitlement } | null>(null);
  const searchId = useId();
  const catalog = paged.query;
  const shown = catalog.data?.items.filter((resource) => matches(resource, search)) ?? [];
  return (
    <section>
      <h1>Request access</h1>
      {chosen ? (
        <RequestForm
          resource={chosen.resource}
          entitlement={chosen.entitlement}
          back={() => setChosen(null)}
        />
      ) : (
        <>
          <div className="field">
            <label htmlFor={searchId}>Search the catalog</label>
            <input
              id={searchId}
              type="search"
              value={search}
              placeholder="payments, read, warehouse…"
              onChange={(event) => setSearch(event.target.value)}
            />
          </div>
          <QueryStates query={catalog} what="the catalog">
            {() =>
              shown.length === 0 ? (
                <Empty
                  title={search ? `Nothing in the catalog matches “${search}”.` : 'The catalog is empty.'}
                >
                  {search
                    ? 'Try another word, or clear the search.'
                    : 'An admin imports the catalog with the directory.'}
                </Empty>
              ) : (
                <ul className="catalog">
                  {shown.map((resource) => (
                    <li key={resource.key} className="card">
                      <h2>{resource.name}</h2>
                      <p className="hint">
                        {resource.key} · owner {resource.owner}
                      </p>
                      {resource.description && <p>{resource.description}</p>}
                      <ul className="entitlements">
                        {resource.entitlements.map((entitlement) => (
                          <li key={entitlement.key}>
                            <div>
                              <strong>{entitlement.name}</strong> <RiskBadge risk={entitlement.risk} />
                              {entitlement.description && <p className="hint">{entitlement.description}</p>}
                              <p className="hint">Up to {formatDuration(entitlement.maxDurationSeconds)}</p>
                            </div>
                            <button
                              type="button"
                              aria-label={`Request ${entitlement.name} on ${resource.name}`}
                              onClick={() => setChosen({ resource, entitlement })}
                            >
                              Request
                            </button>
                          </li>
                        ))}
                      </ul>
                    </li>
                  ))}
                </ul>
              )
            }
          </QueryStates>
          <Pager page={paged.page} next={paged.next} previous={paged.previous} />
        </>
      )}
    </section>
  );
}

function RequestForm({
  resource,
  entitlement,
  back,
}: {
  resource: Resource;
  entitlement: Entitlement;
  back: () => void;
}) {
  const navigate = useNavigate();
  const max = entitlement.maxDurationSeconds;
  const startUnit = largestUnitOf(Math.min(max, 86_400));
  const [amount, setAmount] = useState(
    Math.max(1, Math.floor(Math.min(max, 86_400) / secondsPer(startUnit))),
  );
  const [unit, setUnit] = useState<DurationUnit>(startUnit);
  const [reason, setReason] = useState('');
  const seconds = amount * secondsPer(unit);
  const tooLong = seconds > max;
  const submit = useMutation({
    mutationFn: async () =>
      must(
        await api.POST('/api/v1/requests', {
          body: {
            resource: resource.key,
            entitlement: entitlement.key,
            durationSeconds: seconds,
            ...(reason.trim() ? { reason: reason.trim() } : {}),
          },
        }),
      ),
    onSuccess: (created) => navigate({ to: '/requests/$id', params: { id: created.id } }),
  });
  return (
    <form
      className="request-form"
      aria-label="Request access"
      onSubmit={(event) => {
        event.preventDefault();
        if (!tooLong) submit.mutate();
      }}
    >
      <p>
        <button type="button" className="link" onClick={back}>
          ← Back to the catalog
        </button>
      </p>
      <h2>
        {entitlement.name} on {resource.name} <RiskBadge risk={entitlement.risk} />
      </h2>
      {entitlement.description && <p>{entitlement.description}</p>}
      <DurationField
        label="For how long"
        amount={amount}
        unit={unit}
        maxSeconds={max}
        onChange={(nextAmount, nextUnit) => {
          setAmount(nextAmount);
          setUnit(nextUnit);
        }}
      />
      {tooLong && (
        <p className="error-text" role="alert">
          That is longer than {formatDuration(max)}, the most this entitlement allows.
        </p>
      )}
      <div className="field">
        <label htmlFor="request-reason">Reason</label>
        <textarea
          id="request-reason"
          value={reason}
          maxLength={2000}
          aria-describedby="request-reason-hint"
          onChange={(event) => setReason(event.target.value)}
        />
        <span id="request-reason-hint" className="hint">
          Your approvers read this. The policy asks for one on riskier access (a ticket or incident helps).
        </span>
      </div>
      <FormError error={submit.error} />
      <button type="submit" className="primary" disabled={submit.isPending || tooLong}>
        {submit.isPending ? 'Submitting…' : 'Submit request'}
      </button>
    </form>
  );
}
