// How a request ends before provisioning: denied, expired or cancelled, each audited with the row
// and told to the requester.
import { personActor } from './audit-write.js';
import type { AccessRequestState } from './messages.js';
import { notify, type RequestRun, requestAudit, transition } from './request-context.js';

/** Ends the request in a final state, audited, and tells the requester. */
export async function finish(
  run: RequestRun,
  status: 'denied' | 'expired' | 'cancelled',
  outcome: string,
  event: Pick<Parameters<typeof requestAudit>[2], 'event_type' | 'actor' | 'details'>,
): Promise<void> {
  run.state.currentStep = undefined;
  await transition(
    run,
    status,
    [
      requestAudit(run, status, {
        ...event,
        action: status === 'denied' ? 'deny' : status === 'expired' ? 'expire' : 'cancel',
        result: status === 'denied' ? 'denied' : 'success',
        reason: outcome,
      }),
    ],
    { outcome, closed: true },
  );
  await notify(run, {
    kind:
      status === 'denied'
        ? 'request_decided'
        : status === 'expired'
          ? 'request_expired'
          : 'request_cancelled',
    to: [run.input.requester.email],
    text: `Your request for ${run.input.resource.name} / ${run.input.entitlement.name} was ${status}: ${outcome}`,
  });
}

export async function cancelled(run: RequestRun): Promise<AccessRequestState> {
  const by = run.cancel?.by ?? run.input.requester.email;
  await finish(run, 'cancelled', `cancelled by ${by}${run.cancel?.reason ? `: ${run.cancel.reason}` : ''}`, {
    event_type: 'access.request.cancelled',
    actor: personActor(by),
  });
  return run.state;
}
