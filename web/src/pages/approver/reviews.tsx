// The reviewer's work across certification campaigns: progress in each, the open items a page at a
// time (keep, or revoke with a reason; keep or delegate a selection at once), and what was decided.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, must } from '../../api/client';
import { FormError } from '../../ui/form-error';
import { Pager, usePagedQuery } from '../../ui/pager';
import { RiskBadge } from '../../ui/risk';
import { Empty, Failed, Loading } from '../../ui/states';
import { formatTime } from '../../ui/time';

type State = 'open' | 'decided';
type ReviewPage = Awaited<ReturnType<typeof fetchReviews>>;
type Item = ReviewPage['items'][number];

async function fetchReviews(state: State, cursor: string | undefined) {
  return must(
    await api.GET('/api/v1/reviews', {
      params: { query: { state, limit: 25, ...(cursor ? { cursor } : {}) } },
    }),
  );
}

/** What keep/revoke answers: the items decided, and those refused (no longer yours, or decided). */
type DecisionsApplied = { applied: number[]; refused: number[] };

/** Items grouped by their campaign: decisions and delegations are per campaign. */
function byCampaign(items: Item[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (const item of items) groups.set(item.campaign.id, [...(groups.get(item.campaign.id) ?? []), item.id]);
  return groups;
}

async function decide(
  items: Item[],
  decision: 'keep' | 'revoke',
  reason?: string,
): Promise<DecisionsApplied> {
  const total: DecisionsApplied = { applied: [], refused: [] };
  for (const [campaignId, ids] of byCampaign(items)) {
    const result = must(
      await api.POST('/api/v1/campaigns/{id}/decisions', {
        params: { path: { id: campaignId } },
        body: { items: ids, decision, ...(reason ? { reason } : {}) },
      }),
    ) as unknown as DecisionsApplied;
    total.applied.push(...result.applied);
    total.refused.push(...result.refused);
  }
  return total;
}

/** The "Reviews" page. */
export function Reviews() {
  const [state, setState] = useState<State>('open');
  const paged = usePagedQuery(['reviews', state], (cursor) => fetchReviews(state, cursor));
  return (
    <section>
      <h1>Reviews</h1>
      <Progress page={paged.query.data} />
      <fieldset className="segmented">
        <legend className="visually-hidden">Which items</legend>
        <button type="button" aria-pressed={state === 'open'} onClick={() => setState('open')}>
          To review
        </button>
        <button type="button" aria-pressed={state === 'decided'} onClick={() => setState('decided')}>
          Decided
        </button>
      </fieldset>
      {paged.query.isPending ? (
        <Loading what="your review items" />
      ) : paged.query.isError ? (
        <Failed error={paged.query.error} retry={() => void paged.query.refetch()} />
      ) : paged.query.data.items.length === 0 && !paged.previous ? (
        state === 'open' ? (
          <Empty title="Nothing to review.">
            When a certification campaign asks you to review access, it appears here.
          </Empty>
        ) : (
          <Empty title="You have not decided any item yet." />
        )
      ) : state === 'open' ? (
        <OpenItems key={paged.page} items={paged.query.data.items} />
      ) : (
        <DecidedItems items={paged.query.data.items} />
      )}
      <Pager page={paged.page} next={paged.next} previous={paged.previous} />
    </section>
  );
}

function Progress({ page }: { page: ReviewPage | undefined }) {
  if (!page || page.progress.length === 0) return null;
  return (
    <div className="cards">
      {page.progress.map((campaign) => (
        <div key={campaign.id} className="card">
          <h2>{campaign.name}</h2>
          <p className="hint">Due {formatTime(campaign.dueAt)}</p>
          <div className="progress">
            <progress
              value={campaign.decided}
              max={Math.max(campaign.total, 1)}
              aria-label={`${campaign.name}: reviewed`}
            />
            <span>
              {campaign.decided} of {campaign.total} reviewed
            </span>
          </div>
        </div>
      ))}
    </div>
  );
}

function OpenItems({ items }: { items: Item[] }) {
  const queries = useQueryClient();
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [delegateTo, setDelegateTo] = useState('');
  const [outcome, setOutcome] = useState<string | null>(null);
  const chosen = items.filter((item) => selected.has(item.id));
  const refresh = () => queries.invalidateQueries({ queryKey: ['reviews'] });
  const keepSelected = useMutation({
    mutationFn: () => decide(chosen, 'keep'),
    onSuccess: async (result) => {
      setOutcome(describe(result, 'kept'));
      setSelected(new Set());
      await refresh();
    },
  });
  const delegate = useMutation({
    mutationFn: async () => {
      let moved = 0;
      for (const [campaignId, ids] of byCampaign(chosen)) {
        const result = must(
          await api.POST('/api/v1/campaigns/{id}/delegations', {
            params: { path: { id: campaignId } },
            body: { to: delegateTo.trim(), items: ids },
          }),
        ) as unknown as { moved: number[] };
        moved += result.moved.length;
      }
      return moved;
    },
    onSuccess: async (moved) => {
      setOutcome(`${moved} ${moved === 1 ? 'item' : 'items'} handed to ${delegateTo.trim()}.`);
      setSelected(new Set());
      setDelegateTo('');
      await refresh();
    },
  });
  const toggle = (id: number) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const allChosen = items.length > 0 && chosen.length === items.length;
  return (
    <>
      <div className="toolbar">
        <button
          type="button"
          className="primary"
          disabled={chosen.length === 0 || keepSelected.isPending}
          onClick={() => keepSelected.mutate()}
        >
          Keep selected ({chosen.length})
        </button>
        <form
          className="delegate-form"
          aria-label="Delegate the selected items"
          onSubmit={(event) => {
            event.preventDefault();
            if (chosen.length > 0) delegate.mutate();
          }}
        >
          <div className="field">
            <label htmlFor="delegate-to">Delegate selected to</label>
            <input
              id="delegate-to"
              type="email"
              required
              value={delegateTo}
              placeholder="colleague@company.example"
              onChange={(event) => setDelegateTo(event.target.value)}
            />
          </div>
          <button type="submit" disabled={chosen.length === 0 || delegate.isPending}>
            Delegate
          </button>
        </form>
      </div>
      <FormError error={keepSelected.error ?? delegate.error} />
      {outcome && (
        <p className="success-text" role="status">
          {outcome}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">
              <input
                type="checkbox"
                aria-label="Select every item on this page"
                checked={allChosen}
                onChange={() => setSelected(allChosen ? new Set() : new Set(items.map((item) => item.id)))}
              />
            </th>
            <th scope="col">Who</th>
            <th scope="col">Access</th>
            <th scope="col">Held since</th>
            <th scope="col">Campaign</th>
            <th scope="col">Decision</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <OpenRow
              key={`${item.campaign.id}-${item.id}`}
              item={item}
              selected={selected.has(item.id)}
              toggle={() => toggle(item.id)}
              decided={async (result, verb) => {
                setOutcome(describe(result, verb));
                await refresh();
              }}
            />
          ))}
        </tbody>
      </table>
    </>
  );
}

function describe(result: DecisionsApplied, verb: string): string {
  const done = `${result.applied.length} ${result.applied.length === 1 ? 'item' : 'items'} ${verb}.`;
  return result.refused.length > 0
    ? `${done} ${result.refused.length} could not be decided (no longer yours, or already decided).`
    : done;
}

function OpenRow({
  item,
  selected,
  toggle,
  decided,
}: {
  item: Item;
  selected: boolean;
  toggle: () => void;
  decided: (result: DecisionsApplied, verb: string) => Promise<void>;
}) {
  const [revoking, setRevoking] = useState(false);
  const [reason, setReason] = useState('');
  const keep = useMutation({
    mutationFn: () => decide([item], 'keep'),
    onSuccess: (result) => decided(result, 'kept'),
  });
  const revoke = useMutation({
    mutationFn: () => decide([item], 'revoke', reason.trim()),
    onSuccess: (result) => decided(result, 'revoked'),
  });
  const label = `${item.holder.name}: ${item.entitlement.name} on ${item.resource.name}`;
  return (
    <>
      <tr>
        <td>
          <input type="checkbox" aria-label={`Select ${label}`} checked={selected} onChange={toggle} />
        </td>
        <td>
          {item.holder.name} <span className="hint">{item.holder.email}</span>
          {item.delegated && <span className="badge">delegated to you</span>}
          {item.escalated && <span className="badge">escalated</span>}
        </td>
        <td>
          {item.entitlement.name} <span className="hint">on {item.resource.name}</span>{' '}
          <RiskBadge risk={item.entitlement.risk} />
        </td>
        <td>{formatTime(item.grantedAt)}</td>
        <td>{item.campaign.name}</td>
        <td className="actions">
          <button
            type="button"
            aria-label={`Keep ${label}`}
            disabled={keep.isPending}
            onClick={() => keep.mutate()}
          >
            Keep
          </button>
          <button
            type="button"
            aria-label={`Revoke ${label}`}
            aria-expanded={revoking}
            onClick={() => setRevoking(!revoking)}
          >
            Revoke…
          </button>
        </td>
      </tr>
      {(revoking || keep.error) && (
        <tr className="row-form">
          <td colSpan={6}>
            <FormError error={keep.error} />
            {revoking && (
              <form
                aria-label={`Revoke ${label}`}
                onSubmit={(event) => {
                  event.preventDefault();
                  revoke.mutate();
                }}
              >
                <div className="field">
                  <label htmlFor={`revoke-reason-${item.campaign.id}-${item.id}`}>Why revoke it</label>
                  <textarea
                    id={`revoke-reason-${item.campaign.id}-${item.id}`}
                    required
                    maxLength={2000}
                    value={reason}
                    onChange={(event) => setReason(event.target.value)}
                  />
                </div>
                <FormError error={revoke.error} />
                <button type="submit" className="danger" disabled={revoke.isPending || !reason.trim()}>
                  Revoke
                </button>
              </form>
            )}
          </td>
        </tr>
      )}
    </>
  );
}

function DecidedItems({ items }: { items: Item[] }) {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Who</th>
          <th scope="col">Access</th>
          <th scope="col">Campaign</th>
          <th scope="col">Decision</th>
          <th scope="col">Reason</th>
          <th scope="col">When</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={`${item.campaign.id}-${item.id}`}>
            <td>{item.holder.name}</td>
            <td>
              {item.entitlement.name} <span className="hint">on {item.resource.name}</span>
            </td>
            <td>{item.campaign.name}</td>
            <td>{item.decision === 'keep' ? 'Kept' : 'Revoked'}</td>
            <td className="user-text">{item.reason ?? ''}</td>
            <td>{item.decidedAt ? formatTime(item.decidedAt) : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
