// Ledger search: filter by event type, actor, target, correlation and time, page on the server
// (afterSeq), open any event to read all of it and download its inclusion proof, the file
// `grantflow audit check-proof` verifies offline.
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, must } from '../../api/client';
import { filenameOf, saveFile } from '../../ui/download';
import { ForRoles } from '../../ui/guard';
import { Pager, usePagedQuery } from '../../ui/pager';
import { Empty, QueryStates } from '../../ui/states';
import { formatTime } from '../../ui/time';

type Filter = {
  type?: string;
  actor?: string;
  target?: string;
  correlation?: string;
  from?: string;
  to?: string;
};

/** Event types people search for most; any other can be typed. */
const COMMON_TYPES = [
  'access.request.created',
  'access.request.approved',
  'access.request.denied',
  'access.grant.provisioned',
  'access.grant.revoked',
  'campaign.launched',
  'campaign.item.revoked',
  'config.policy.changed',
  'audit.search.performed',
];

type Event = {
  event_id?: string;
  event_type?: string;
  occurred_at?: string;
  action?: string;
  actor?: { email?: string; id?: string; type?: string };
  target?: { type?: string; id?: string; name?: string };
  result?: string;
};

/** The ledger search page (auditors and admins). */
export function AuditLedger() {
  return (
    <ForRoles roles={['auditor', 'admin']}>
      <section>
        <h1>Ledger</h1>
        <LedgerSearch />
      </section>
    </ForRoles>
  );
}

function text(form: FormData, name: string): string | undefined {
  const value = String(form.get(name) ?? '').trim();
  return value || undefined;
}

function LedgerSearch() {
  const [filter, setFilter] = useState<Filter>({});
  const paged = usePagedQuery(['audit', 'events', filter], async (cursor) => {
    const page = must(
      await api.GET('/api/v1/audit/events', {
        params: { query: { ...filter, ...(cursor ? { afterSeq: Number(cursor) } : {}), limit: 50 } },
      }),
    );
    return { items: page.items, nextCursor: page.nextAfterSeq === null ? null : String(page.nextAfterSeq) };
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const from = text(form, 'from');
    const to = text(form, 'to');
    const next: Filter = {
      type: text(form, 'type'),
      actor: text(form, 'actor'),
      target: text(form, 'target'),
      correlation: text(form, 'correlation'),
      from: from ? new Date(from).toISOString() : undefined,
      to: to ? new Date(to).toISOString() : undefined,
    };
    setFilter(Object.fromEntries(Object.entries(next).filter(([, value]) => value !== undefined)));
    paged.reset();
  };
  const { query } = paged;
  return (
    <>
      <form className="filters" onSubmit={submit} aria-label="Search the ledger">
        <div className="field">
          <label htmlFor="ledger-type">Event type</label>
          <input id="ledger-type" name="type" list="ledger-types" autoComplete="off" />
          <datalist id="ledger-types">
            {COMMON_TYPES.map((type) => (
              <option key={type} value={type} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor="ledger-actor">Actor (email or id)</label>
          <input id="ledger-actor" name="actor" autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="ledger-target">Target (id or name)</label>
          <input id="ledger-target" name="target" autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="ledger-correlation">Correlation (request, campaign or workflow id)</label>
          <input id="ledger-correlation" name="correlation" autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="ledger-from">From</label>
          <input id="ledger-from" name="from" type="datetime-local" />
        </div>
        <div className="field">
          <label htmlFor="ledger-to">To</label>
          <input id="ledger-to" name="to" type="datetime-local" />
        </div>
        <button type="submit" className="primary">
          Search
        </button>
      </form>
      <p className="hint">Oldest first. Every search is itself recorded in the ledger.</p>
      <QueryStates query={query} what="ledger entries">
        {(data) =>
          data.items.length === 0 ? (
            <Empty title="No entry matches.">Loosen a filter, or widen the time range.</Empty>
          ) : (
            <>
              <ol className="ledger">
                {data.items.map((entry) => (
                  <LedgerEntry
                    key={entry.seq}
                    seq={entry.seq}
                    recordedAt={entry.recorded_at}
                    event={entry.event}
                  />
                ))}
              </ol>
              <Pager {...paged} />
            </>
          )
        }
      </QueryStates>
    </>
  );
}

function LedgerEntry({
  seq,
  recordedAt,
  event,
}: {
  seq: number;
  recordedAt: string;
  event: Record<string, unknown>;
}) {
  const view = event as Event;
  return (
    <li className="ledger-entry">
      <details>
        <summary>
          <span className="seq">#{seq}</span> <code>{view.event_type ?? '?'}</code>{' '}
          <span className={`badge result-${view.result ?? 'unknown'}`}>{view.result ?? '—'}</span>{' '}
          <span>{view.actor?.email ?? view.actor?.id ?? view.actor?.type ?? 'system'}</span>{' '}
          <span className="hint">
            {view.target?.name ?? view.target?.id ?? ''} · {formatTime(view.occurred_at ?? recordedAt)}
          </span>
        </summary>
        <div className="ledger-body">
          <pre className="proof">{JSON.stringify(event, null, 2)}</pre>
          {view.event_id && <ProofButton eventId={view.event_id} />}
        </div>
      </details>
    </li>
  );
}

function ProofButton({ eventId }: { eventId: string }) {
  const proof = useMutation({
    mutationFn: async () => {
      const result = await api.GET('/api/v1/audit/events/{eventId}/proof', {
        params: { path: { eventId } },
        parseAs: 'text',
      });
      const body = must(result) as unknown as string;
      saveFile(filenameOf(result.response, `proof-${eventId}.json`), body, 'application/json');
    },
  });
  return (
    <div className="actions">
      <button type="button" onClick={() => proof.mutate()} disabled={proof.isPending}>
        Download inclusion proof
      </button>
      <span className="hint">Check it offline with grantflow audit check-proof &lt;file&gt;.</span>
      {proof.isError && (
        <span className="error-text" role="alert">
          {proof.error.message}
        </span>
      )}
    </div>
  );
}
