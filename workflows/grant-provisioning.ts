// Giving a grant's access at the target at the start of its lifetime, for grants recorded before
// the target holds them (birthright grants; a request provisions before its grant exists). Once per
// grant: this runs once in the workflow's history, the workflow id is the grant's and is started
// once, and the connector call is idempotent, so an activity retried after a crash repeats nothing.
// The access is then read back. A failure is recorded and tried again after a pause that doubles up
// to a day, until it works or the grant is ended (its rule stopped applying, the holder left).
import { condition } from '@temporalio/workflow';
import { failureMessage } from './activity-failure.js';
import { WORKFLOW_ACTOR } from './audit-write.js';
import { connectorActivities } from './connector-activities.js';
import { activities, type GrantRun, grantAudit, grantWhat } from './grant-lifetime-context.js';

const DAY_MS = 86_400_000;

/** Grants the access at the target and records it with its read-back; returns early if the grant ends first. */
export async function provisionAtTarget(run: GrantRun): Promise<void> {
  const { input } = run;
  // Nothing gives a manual resource's access by itself (the directory file refuses birthright rules on one).
  if (input.resource.connectorKind === 'manual') return;
  const request = {
    grantId: input.grantId,
    holder: input.holder,
    resourceKey: input.resource.key,
    entitlementKey: input.entitlement.key,
  };
  const retry = input.provisioningRetry;
  const { provisionAccess } = connectorActivities(retry, { capped: true });
  let pause = Math.max(retry.maximumIntervalMs, 1_000);
  for (let round = 1; ; round++) {
    try {
      await provisionAccess(request);
      break;
    } catch (error) {
      const reason = failureMessage(error);
      await activities.recordAudit([
        grantAudit(run, `provisioning:${round}:failed`, {
          event_type: 'access.grant.provisioning_failed',
          actor: WORKFLOW_ACTOR,
          action: 'provision',
          result: 'failure',
          reason,
          details: { holder: input.holder.email, retryInSeconds: Math.round(pause / 1000) },
        }),
      ]);
      if (round === 1) {
        await activities.notify({
          kind: 'provisioning_failed',
          to: [input.resource.owner],
          grantId: input.grantId,
          text: `Could not grant ${grantWhat(run)} to ${input.holder.name} (${input.holder.email}): ${reason}. grantflow keeps trying.`,
        });
      }
      if (await condition(() => !!run.ending, pause)) return;
      pause = Math.min(pause * 2, DAY_MS);
    }
  }
  const seen = await activities.checkAccess(request);
  const provisionVerified = seen === 'unknown' ? null : seen === 'present';
  await activities.recordGrantTransition({
    grantId: input.grantId,
    patch: { provisionVerified },
    audit: [
      grantAudit(run, 'provisioned', {
        event_type: 'access.grant.provisioned',
        actor: WORKFLOW_ACTOR,
        action: 'provision',
        result: 'success',
        details: {
          holder: input.holder.email,
          grantedAt: new Date(input.grantedAt).toISOString(),
          expiresAt: input.expiresAt === null ? null : new Date(input.expiresAt).toISOString(),
          verifiedAtTarget: provisionVerified,
        },
      }),
    ],
  });
  await activities.notify({
    kind: 'access_provisioned',
    to: [input.holder.email],
    grantId: input.grantId,
    text: `You now have ${grantWhat(run)}${
      input.expiresAt === null ? ', with no end date' : ` until ${new Date(input.expiresAt).toISOString()}`
    }.`,
  });
}
