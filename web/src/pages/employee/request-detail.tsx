// One request: where it stands, who will approve each step, the decisions so far; polled while it
// runs, so the page moves on by itself when an approver decides or the access is provisioned.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { api, must } from '../../api/client';
import { useSession } from '../../session';
import { formatDuration } from '../../ui/duration';
import { FormError } from '../../ui/form-error';
import { Failed, Loading } from '../../ui/states';
import { StatusBadge } from '../../ui/status';
import { formatTime } from '../../ui/time';

/** How often a running request is read again. */
const POLL_MS = 2_000;

type Detail = Awaited<ReturnType<typeof fetchRequest>>;

async function fetchRequest(id: string) {
  return must(await api.GET('/api/v1/requests/{id}', { params: { path: { id } } }));
}

/** The request's query, polled while it is open; shared with the confirm page. */
export function useRequest(id: string) {
  return useQuery({
    queryKey: ['request', id],
    queryFn: () => fetchRequest(id),
    refetchInterval: (query) => (query.state.data && query.state.data.closedAt === null ? POLL_MS : false),
  });
}

const route = getRouteApi('/requests/$id');

/** The request detail page. */
export function RequestDetail() {
  const { id } = route.useParams();
  const request = useRequest(id);
  if (request.isPending) return <Loading what="the request" />;
  if (request.isError) return <Failed error={request.error} retry={() => void request.refetch()} />;
  return <RequestView request={request.data} />;
}

function RequestView({ request }: { request: Detail }) {
  const me = useSession().data?.person.email;
  const running = request.closedAt === null;
  const steps = request.live?.steps ?? [];
  const waitingOnMe =
    running &&
    request.requester !== me &&
    steps.some((step) => step.index === request.live?.currentStep && me && step.eligible.includes(me));
  return (
    <section>
      <h1>
        {request.entitlementName} on {request.resource}
      </h1>
      <p className="status-line" aria-live="polite">
        <StatusBadge status={request.status} />
        {running ? <span className="hint"> Updates on its own while it runs.</span> : null}
      </p>
      <dl className="facts">
        <dt>Requested by</dt>
        <dd>
          {request.requester}
          {request.submittedBy !== request.requester ? ` (filed by ${request.submittedBy})` : ''}
        </dd>
        <dt>Asked</dt>
        <dd>{formatTime(request.createdAt)}</dd>
        <dt>For</dt>
        <dd>{formatDuration(request.durationSeconds)}</dd>
        <dt>Reason</dt>
        <dd className="user-text">{request.reason ?? 'None given'}</dd>
        {request.stepUp === 'webauthn' && (
          <>
            <dt>Approval</dt>
            <dd>Each approver confirms with a passkey.</dd>
          </>
        )}
        {request.outcome && (
          <>
            <dt>Outcome</dt>
            <dd>{request.outcome}</dd>
          </>
        )}
      </dl>
      {waitingOnMe && (
        <p className="callout">
          This waits for your decision: <Link to="/approvals">decide in your approvals</Link>.
        </p>
      )}
      <h2>Who approves</h2>
      {request.plan && <p className="plan">{request.plan}</p>}
      {steps.length > 0 ? (
        <ol className="steps">
          {steps.map((step) => (
            <li key={step.index} className={step.index === request.live?.currentStep ? 'current' : undefined}>
              <strong>Step {step.index + 1}</strong>
              {step.index === request.live?.currentStep && <span className="badge">waiting</span>}
              {step.escalated && <span className="badge">escalated</span>}
              <p>
                {step.required === 1 ? 'One of' : `${step.required} of`}:{' '}
                {step.eligible.join(', ') || 'nobody yet'}
              </p>
              {step.approvedBy.length > 0 && <p className="hint">Approved by {step.approvedBy.join(', ')}</p>}
            </li>
          ))}
        </ol>
      ) : (
        !request.plan && <p className="hint">The plan is being worked out.</p>
      )}
      <h2>Decisions</h2>
      {request.decisions.length === 0 ? (
        <p className="hint">Nobody has decided yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Who</th>
              <th scope="col">Decision</th>
              <th scope="col">When</th>
            </tr>
          </thead>
          <tbody>
            {request.decisions.map((decision) => (
              <tr key={`${decision.step}-${decision.approver}-${decision.at}`}>
                <td>{decision.step + 1}</td>
                <td>{decision.approver}</td>
                <td>
                  {decision.decision === 'approve'
                    ? 'Approved'
                    : decision.decision === 'deny'
                      ? 'Denied'
                      : decision.decision}
                </td>
                <td>{formatTime(decision.at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {running && request.requester === me && <CancelButton id={request.id} />}
    </section>
  );
}

function CancelButton({ id }: { id: string }) {
  const queries = useQueryClient();
  const cancel = useMutation({
    mutationFn: async () =>
      must(await api.POST('/api/v1/requests/{id}/cancel', { params: { path: { id } }, body: {} })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['request', id] }),
  });
  return (
    <div className="danger-zone">
      <FormError error={cancel.error} />
      <button type="button" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
        {cancel.isPending ? 'Withdrawing…' : 'Withdraw this request'}
      </button>
    </div>
  );
}
