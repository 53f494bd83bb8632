// Taking a grant's access away at the target, exactly once, then reading it back: by the connector
// (retried until the target answers, without a cap), or by the resource owner for manual resources.
import { condition } from '@temporalio/workflow';
import { personActor, WORKFLOW_ACTOR } from './audit-write.js';
import { connectorActivities } from './connector-activities.js';
import { activities, type GrantRun, grantAudit, grantWhat } from './grant-lifetime-context.js';

/** Removes the access once and reads the target back; true/false when it can tell, else null. */
export async function removeAtTarget(run: GrantRun): Promise<boolean | null> {
  const { input } = run;
  const request = {
    grantId: input.grantId,
    holder: input.holder,
    resourceKey: input.resource.key,
    entitlementKey: input.entitlement.key,
  };
  if (input.resource.connectorKind === 'manual') {
    await activities.notify({
      kind: 'fulfilment_needed',
      to: [input.resource.owner],
      grantId: input.grantId,
      text: `Please remove ${grantWhat(run)} from ${input.holder.name} (${input.holder.email}), then mark it done.`,
      actions: ['fulfil_done'],
    });
    await condition(() => !!run.removalDoneBy);
  } else {
    // Removal must happen eventually: it retries until the target answers, without a cap.
    const { removeAccess } = connectorActivities(input.provisioningRetry, { capped: false });
    await removeAccess(request);
  }
  const seen = await activities.checkAccess(request);
  const verified = seen === 'unknown' ? null : seen === 'absent';
  await activities.recordGrantTransition({
    grantId: input.grantId,
    patch: { removalVerified: verified },
    audit: [
      grantAudit(run, 'deprovisioned', {
        event_type: 'access.grant.deprovisioned',
        actor: run.removalDoneBy ? personActor(run.removalDoneBy) : WORKFLOW_ACTOR,
        action: 'deprovision',
        result: 'success',
      }),
      grantAudit(run, 'verified', {
        event_type: 'access.grant.verified',
        actor: WORKFLOW_ACTOR,
        action: 'verify_removal',
        result: verified === false ? 'failure' : 'success',
        reason:
          verified === null
            ? 'the target cannot be read back'
            : verified
              ? 'the target no longer grants it'
              : 'the target still grants it',
        details: { seen },
      }),
    ],
  });
  return verified;
}
