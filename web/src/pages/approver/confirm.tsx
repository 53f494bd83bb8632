// Approving with a passkey: the decision the approver confirms is signed by their authenticator
// over a challenge derived from it (request, step, decision, approver, time), and the ledger keeps
// the assertion so anyone can check it offline. Slack's Approve button on such a request links here.
import { startAuthentication } from '@simplewebauthn/browser';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { ApiError, api, must } from '../../api/client';
import { formatDuration } from '../../ui/duration';
import { FormError } from '../../ui/form-error';
import { Failed, Loading } from '../../ui/states';
import { StatusBadge } from '../../ui/status';
import { useRequest } from '../employee/request-detail';

const route = getRouteApi('/requests/$id/confirm');

/** `?decision=approve&comment=…` as the confirm page reads it. */
export type ConfirmSearch = { decision: 'approve'; comment?: string };

/** Parses the confirm page's search parameters; anything but approve is approve (deny needs no passkey). */
export function confirmSearch(search: Record<string, unknown>): ConfirmSearch {
  const comment = typeof search.comment === 'string' && search.comment.trim() ? search.comment : undefined;
  return { decision: 'approve', ...(comment ? { comment } : {}) };
}

/** The confirm page. */
export function ConfirmDecision() {
  const { id } = route.useParams();
  const search = route.useSearch();
  const request = useRequest(id);
  const queries = useQueryClient();
  const navigate = useNavigate();
  const [comment, setComment] = useState(search.comment ?? '');
  const confirm = useMutation({
    mutationFn: async () => {
      const challenge = must(
        await api.POST('/api/v1/requests/{id}/decisions/challenge', {
          params: { path: { id } },
          body: { decision: 'approve' },
        }),
      );
      const stepUp = challenge.options
        ? {
            decidedAt: challenge.decidedAt,
            assertion: await startAuthentication({ optionsJSON: challenge.options as never }),
          }
        : undefined;
      return must(
        await api.POST('/api/v1/requests/{id}/decisions', {
          params: { path: { id } },
          body: {
            decision: 'approve',
            ...(comment.trim() ? { comment: comment.trim() } : {}),
            ...(stepUp ? { stepUp: stepUp as never } : {}),
          },
        }),
      );
    },
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ['approvals'] });
      await queries.invalidateQueries({ queryKey: ['request', id] });
      await navigate({ to: '/requests/$id', params: { id } });
    },
  });
  if (request.isPending) return <Loading what="the request" />;
  if (request.isError) return <Failed error={request.error} retry={() => void request.refetch()} />;
  const detail = request.data;
  const noPasskey = confirm.error instanceof ApiError && confirm.error.code === 'passkey_not_registered';
  const cancelled = confirm.error instanceof Error && confirm.error.name === 'NotAllowedError';
  return (
    <section>
      <h1>Confirm your approval</h1>
      <p>
        You approve <strong>{detail.entitlementName}</strong> on <strong>{detail.resource}</strong> for{' '}
        {detail.requester}, for {formatDuration(detail.durationSeconds)}.{' '}
        <StatusBadge status={detail.status} />
      </p>
      <dl className="facts">
        <dt>Their reason</dt>
        <dd className="user-text">{detail.reason ?? 'None given'}</dd>
        {detail.plan && (
          <>
            <dt>Plan</dt>
            <dd>{detail.plan}</dd>
          </>
        )}
      </dl>
      {detail.stepUp === 'webauthn' && (
        <p className="callout">
          This access is high risk: your passkey signs this decision, and the signature is kept in the audit
          ledger.
        </p>
      )}
      <form
        aria-label="Confirm approval"
        onSubmit={(event) => {
          event.preventDefault();
          confirm.mutate();
        }}
      >
        <div className="field">
          <label htmlFor="confirm-comment">Your reason</label>
          <textarea
            id="confirm-comment"
            value={comment}
            maxLength={2000}
            onChange={(event) => setComment(event.target.value)}
          />
        </div>
        {cancelled ? (
          <p className="error-text" role="alert">
            The passkey prompt was closed or timed out; nothing was decided. Try again.
          </p>
        ) : (
          <FormError error={confirm.error} />
        )}
        {noPasskey && (
          <p>
            <Link to="/passkeys">Register a passkey</Link> first, then come back to this page.
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={confirm.isPending || detail.closedAt !== null}>
            {confirm.isPending ? 'Waiting for your passkey…' : 'Approve with passkey'}
          </button>
          <Link to="/approvals">Back to approvals</Link>
        </div>
      </form>
    </section>
  );
}
