// The approver's inbox: what waits for my decision now (approve or deny, with a reason), and what I
// already decided. An approval that needs a passkey goes through the confirm page.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { ApiError, api, must } from '../../api/client';
import { formatDuration } from '../../ui/duration';
import { FormError } from '../../ui/form-error';
import { Pager, usePagedQuery } from '../../ui/pager';
import { RiskBadge } from '../../ui/risk';
import { Empty, Failed, Loading } from '../../ui/states';
import { formatTime } from '../../ui/time';

type State = 'waiting' | 'decided';

/** How often the waiting list is read again while open. */
const INBOX_REFRESH_MS = 10_000;
type Approval = Awaited<ReturnType<typeof fetchApprovals>>['items'][number];

async function fetchApprovals(state: State, cursor: string | undefined) {
  return must(
    await api.GET('/api/v1/approvals', {
      params: { query: { state, limit: 20, ...(cursor ? { cursor } : {}) } },
    }),
  );
}

/** The "Approvals" page. */
export function Approvals() {
  const [state, setState] = useState<State>('waiting');
  return (
    <section>
      <h1>Approvals</h1>
      <fieldset className="segmented">
        <legend className="visually-hidden">Which approvals</legend>
        <button type="button" aria-pressed={state === 'waiting'} onClick={() => setState('waiting')}>
          Waiting for me
        </button>
        <button type="button" aria-pressed={state === 'decided'} onClick={() => setState('decided')}>
          Decided
        </button>
      </fieldset>
      {state === 'waiting' ? <Waiting /> : <Decided />}
    </section>
  );
}

function Waiting() {
  // New requests arrive while the page is open: the inbox reads itself again.
  const paged = usePagedQuery(['approvals', 'waiting'], (cursor) => fetchApprovals('waiting', cursor), {
    refetchInterval: INBOX_REFRESH_MS,
  });
  const approvals = paged.query;
  if (approvals.isPending) return <Loading what="your approvals" />;
  if (approvals.isError) return <Failed error={approvals.error} retry={() => void approvals.refetch()} />;
  if (approvals.data.items.length === 0 && !paged.previous) {
    return (
      <Empty title="Nothing waits for your decision.">
        When someone asks for access you approve, it appears here (and in Slack, if you use it).
      </Empty>
    );
  }
  return (
    <>
      <ul className="approvals">
        {approvals.data.items.map((approval) => (
          <WaitingItem key={`${approval.requestId}-${approval.step.index}`} approval={approval} />
        ))}
      </ul>
      <Pager page={paged.page} next={paged.next} previous={paged.previous} />
    </>
  );
}

function WaitingItem({ approval }: { approval: Approval }) {
  const queries = useQueryClient();
  const navigate = useNavigate();
  const [comment, setComment] = useState('');
  const commentId = `comment-${approval.requestId}`;
  const toConfirm = () =>
    navigate({
      to: '/requests/$id/confirm',
      params: { id: approval.requestId },
      search: { decision: 'approve', ...(comment.trim() ? { comment: comment.trim() } : {}) },
    });
  const decide = useMutation({
    mutationFn: async (decision: 'approve' | 'deny') => {
      if (decision === 'approve') {
        // Ask first whether approving needs a passkey, rather than have a plain approval refused.
        const challenge = must(
          await api.POST('/api/v1/requests/{id}/decisions/challenge', {
            params: { path: { id: approval.requestId } },
            body: { decision },
          }),
        );
        if (challenge.stepUp === 'webauthn') return 'step-up' as const;
      }
      must(
        await api.POST('/api/v1/requests/{id}/decisions', {
          params: { path: { id: approval.requestId } },
          body: { decision, ...(comment.trim() ? { comment: comment.trim() } : {}) },
        }),
      );
      return 'decided' as const;
    },
    onSuccess: async (outcome) => {
      if (outcome === 'step-up') return void toConfirm();
      await queries.invalidateQueries({ queryKey: ['approvals'] });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'step_up_required') void toConfirm();
    },
  });
  const needsPasskey = decide.error instanceof ApiError && decide.error.code === 'passkey_not_registered';
  return (
    <li className="card approval">
      <h2>
        <Link to="/requests/$id" params={{ id: approval.requestId }}>
          {approval.entitlement.name} on {approval.resource.name}
        </Link>{' '}
        <RiskBadge risk={approval.entitlement.risk} />
      </h2>
      <dl className="facts">
        <dt>Who</dt>
        <dd>
          {approval.requester.name} <span className="hint">{approval.requester.email}</span>
        </dd>
        <dt>For</dt>
        <dd>{formatDuration(approval.durationSeconds)}</dd>
        <dt>Reason</dt>
        <dd className="user-text">{approval.reason ?? 'None given'}</dd>
        <dt>Step</dt>
        <dd>
          {approval.step.index + 1} of {approval.step.count}
          {approval.step.name ? `: ${approval.step.name}` : ''}
          {approval.required && approval.required > 1
            ? ` (needs ${approval.required}; approved so far: ${approval.approvedBy?.join(', ') || 'nobody'})`
            : ''}
        </dd>
        <dt>Asked</dt>
        <dd>{formatTime(approval.createdAt)}</dd>
      </dl>
      <form
        aria-label={`Decide on ${approval.requester.name}'s request`}
        onSubmit={(event) => {
          event.preventDefault();
          const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
          decide.mutate(submitter?.value === 'deny' ? 'deny' : 'approve');
        }}
      >
        <div className="field">
          <label htmlFor={commentId}>Your reason</label>
          <textarea
            id={commentId}
            value={comment}
            maxLength={2000}
            onChange={(event) => setComment(event.target.value)}
          />
        </div>
        <FormError error={decide.error} />
        {needsPasskey && (
          <p>
            <Link to="/passkeys">Register a passkey</Link>, then approve again.
          </p>
        )}
        <div className="actions">
          <button
            type="submit"
            name="decision"
            value="approve"
            className="primary"
            disabled={decide.isPending}
          >
            Approve
          </button>
          <button type="submit" name="decision" value="deny" className="danger" disabled={decide.isPending}>
            Deny
          </button>
        </div>
      </form>
    </li>
  );
}

function Decided() {
  const paged = usePagedQuery(['approvals', 'decided'], (cursor) => fetchApprovals('decided', cursor));
  const approvals = paged.query;
  if (approvals.isPending) return <Loading what="your decisions" />;
  if (approvals.isError) return <Failed error={approvals.error} retry={() => void approvals.refetch()} />;
  if (approvals.data.items.length === 0 && !paged.previous) {
    return (
      <Empty title="You have not decided anything yet.">Your approvals and denials are listed here.</Empty>
    );
  }
  return (
    <>
      <table>
        <thead>
          <tr>
            <th scope="col">Request</th>
            <th scope="col">Who</th>
            <th scope="col">Decision</th>
            <th scope="col">Your reason</th>
            <th scope="col">When</th>
          </tr>
        </thead>
        <tbody>
          {approvals.data.items.map((approval) => (
            <tr key={`${approval.requestId}-${approval.step.index}`}>
              <td>
                <Link to="/requests/$id" params={{ id: approval.requestId }}>
                  {approval.entitlement.name} on {approval.resource.name}
                </Link>
              </td>
              <td>{approval.requester.name}</td>
              <td>{approval.decision?.decision === 'approve' ? 'Approved' : 'Denied'}</td>
              <td className="user-text">{approval.decision?.comment ?? ''}</td>
              <td>{approval.decision ? formatTime(approval.decision.decidedAt) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager page={paged.page} next={paged.next} previous={paged.previous} />
    </>
  );
}
