// Giving the approved access: through the connector with retries (a permanent failure or
// exhausted retries leaves the request in provisioning_failed until an admin retries), or, for
// manual resources, through a task the resource's owners complete by hand.
import { condition, ParentClosePolicy, startChild } from '@temporalio/workflow';
import type { AccessSeen } from '../activities/provisioning.js';
import { failureMessage } from './activity-failure.js';
import { personActor, WORKFLOW_ACTOR } from './audit-write.js';
import { connectorActivities } from './connector-activities.js';
import { grantLifetime } from './grant-lifetime.js';
import { grantWorkflowId } from './ids.js';
import {
  activities,
  describeRequest,
  notify,
  ownDatabase,
  type RequestRun,
  recordEvent,
  requestAudit,
  transition,
} from './request-context.js';

/** How provisioning ended: the target has the access, or the request ended without it. */
export type ProvisionOutcome = 'provisioned' | 'cancelled' | 'refused';

/** How provisioning ended, and what the target showed when read back right after (quick path). */
type Provisioned = { outcome: ProvisionOutcome; seen?: AccessSeen };

/** Grants the access at the target exactly once (connectors are idempotent by the grant id). */
export async function provision(run: RequestRun, grantId: string): Promise<Provisioned> {
  const { input } = run;
  if (input.resource.connectorKind === 'manual') return { outcome: await fulfilByHand(run) };
  const retry = input.provisioningRetry;
  const { provisionAccess, provisionAndCheckAccess } = connectorActivities(retry, { capped: true });
  const request = {
    grantId,
    holder: input.requester,
    resourceKey: input.resource.key,
    entitlementKey: input.entitlement.key,
  };
  for (let attempt = 1; ; attempt++) {
    await transition(run, 'provisioning', []);
    try {
      if (run.quick) {
        const { seen } = await provisionAndCheckAccess(request);
        return { outcome: 'provisioned', ...(seen ? { seen } : {}) };
      }
      await provisionAccess(request);
      return { outcome: 'provisioned' };
    } catch (error) {
      const reason = failureMessage(error);
      await transition(
        run,
        'provisioning_failed',
        [
          requestAudit(run, `provisioning:${attempt}:failed`, {
            event_type: 'access.grant.provisioning_failed',
            actor: WORKFLOW_ACTOR,
            action: 'provision',
            result: 'failure',
            reason,
            correlation: { grant_id: grantId },
            details: { holder: input.requester.email },
          }),
        ],
        { outcome: `provisioning failed: ${reason}` },
      );
      await notify(run, {
        kind: 'provisioning_failed',
        to: [input.requester.email, input.resource.owner],
        text: `Could not grant ${input.resource.name} / ${input.entitlement.name} to ${input.requester.name}: ${reason}. An admin can retry.`,
      });
    }
    run.retryRequested = undefined;
    await condition(() => !!run.retryRequested || !!run.cancel);
    // Read through a fresh reference: the handler, not this code, set it while we waited.
    const retriedBy = (run as RequestRun).retryRequested?.by;
    if (!retriedBy) return { outcome: 'cancelled' };
    await recordEvent(run, `provisioning:${attempt}:retried`, {
      event_type: 'access.grant.provisioning_retried',
      actor: personActor(retriedBy),
      action: 'retry',
      result: 'success',
      correlation: { grant_id: grantId },
    });
  }
}

async function fulfilByHand(run: RequestRun): Promise<ProvisionOutcome> {
  const { input } = run;
  await transition(run, 'awaiting_fulfilment', [
    requestAudit(run, 'fulfilment:requested', {
      event_type: 'access.fulfilment.requested',
      actor: WORKFLOW_ACTOR,
      action: 'request_fulfilment',
      result: 'success',
      details: { assignees: [input.resource.owner], task: 'grant' },
    }),
  ]);
  const ask = () =>
    notify(run, {
      kind: 'fulfilment_needed',
      to: [input.resource.owner],
      text: `Please grant ${input.resource.name} / ${input.entitlement.name} to ${input.requester.name} (${input.requester.email}), then mark it done. ${describeRequest(run)}.`,
      actions: ['fulfil_done', 'fulfil_refused'],
    });
  await ask();
  // Owners are reminded daily until they answer; the request can still be cancelled meanwhile.
  while (!(await condition(() => !!run.fulfilment || !!run.cancel, '1 day'))) {
    await notify(run, {
      kind: 'fulfilment_reminder',
      to: [input.resource.owner],
      text: `Reminder: ${describeRequest(run)}`,
    });
  }
  const { fulfilment } = run;
  if (!fulfilment) return 'cancelled';
  await recordEvent(run, 'fulfilment:completed', {
    event_type: 'access.fulfilment.completed',
    actor: personActor(fulfilment.by, undefined, fulfilment.slackId),
    action: fulfilment.outcome === 'done' ? 'fulfil' : 'refuse_fulfilment',
    result: fulfilment.outcome === 'done' ? 'success' : 'denied',
    ...(fulfilment.reason ? { reason: fulfilment.reason } : {}),
  });
  return fulfilment.outcome === 'done' ? 'provisioned' : 'refused';
}

/**
 * Records the grant and starts its lifetime workflow, which outlives this one. `seen`: what the
 * target showed when read back with the provisioning, if it could be read then.
 */
export async function handOver(
  run: RequestRun,
  grantId: string,
  seenAtProvisioning?: AccessSeen,
): Promise<void> {
  const { input } = run;
  // Read the target back, so the grant's record says whether the access is really there.
  const seen =
    input.resource.connectorKind === 'manual'
      ? 'unknown'
      : (seenAtProvisioning ??
        (await activities.checkAccess({
          grantId,
          holder: input.requester,
          resourceKey: input.resource.key,
          entitlementKey: input.entitlement.key,
        })));
  const provisionVerified = seen === 'unknown' ? null : seen === 'present';
  const grantedAt = Date.now();
  const expiresAt = grantedAt + input.durationSeconds * 1000;
  await ownDatabase(run).recordGrant({
    grantId,
    requestId: input.requestId,
    holder: input.requester.email,
    entitlementId: input.entitlement.id,
    grantedAt,
    expiresAt,
    provisionVerified,
    audit: [
      requestAudit(run, 'provisioned', {
        event_type: 'access.grant.provisioned',
        actor: WORKFLOW_ACTOR,
        action: 'provision',
        result: 'success',
        correlation: { grant_id: grantId },
        details: {
          holder: input.requester.email,
          grantedAt: new Date(grantedAt).toISOString(),
          expiresAt: new Date(expiresAt).toISOString(),
          verifiedAtTarget: provisionVerified,
        },
      }),
    ],
  });
  await startChild(grantLifetime, {
    workflowId: grantWorkflowId(grantId),
    parentClosePolicy: ParentClosePolicy.ABANDON,
    args: [
      {
        grantId,
        requestId: input.requestId,
        holder: input.requester,
        resource: input.resource,
        entitlement: input.entitlement,
        grantedAt,
        expiresAt,
        // Remind a fifth of the way before the end, at most a day before.
        remindBeforeSeconds: Math.min(86_400, Math.floor(input.durationSeconds / 5)),
        provisioningRetry: input.provisioningRetry,
      },
    ],
  });
  // Only now: whoever sees `granted` can already extend, release or revoke it.
  run.state.currentStep = undefined;
  await transition(run, 'granted', [], { outcome: 'access granted', closed: true });
  await notify(run, {
    kind: 'access_provisioned',
    to: [input.requester.email],
    text: `You now have ${input.resource.name} / ${input.entitlement.name} until ${new Date(expiresAt).toISOString()}`,
  });
}
