// A grant from provisioning to removal: a durable timer until expiry (moved by extensions), a
// reminder before it, early release by the holder or revocation by an admin, then removal at
// the target exactly once and a read-back to confirm it is gone.
import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { AuditEventInput } from '../audit/events.js';
import { auditWrite, personActor, WORKFLOW_ACTOR, type WorkflowAuditDraft } from './audit-write.js';
import {
  type ActorInput,
  extendUpdate,
  fulfilRemovalUpdate,
  type GrantLifetimeInput,
  type GrantState,
  grantStateQuery,
  releaseUpdate,
  revokeUpdate,
} from './messages.js';
import { refuse } from './refusal.js';

const activities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

type Ending = { kind: 'expired' | 'released' | 'revoked'; actor?: ActorInput };

/** Runs one grant until its access is removed; returns the final state. */
export async function grantLifetime(input: GrantLifetimeInput): Promise<GrantState> {
  const state: GrantState = {
    grantId: input.grantId,
    holder: input.holder.email,
    status: 'active',
    expiresAt: input.expiresAt,
  };
  let ending: Ending | undefined;
  let reminded = false;
  let extensions = 0;
  let removalDoneBy: string | undefined;
  const audit = (name: string, draft: Omit<WorkflowAuditDraft, 'target'>) =>
    auditWrite(name, {
      target: {
        type: 'entitlement',
        id: `${input.resource.key}/${input.entitlement.key}`,
        name: input.entitlement.name,
      },
      risk: input.entitlement.risk,
      ...draft,
      correlation: { grant_id: input.grantId, ...(input.requestId ? { request_id: input.requestId } : {}) },
    });
  const what = `${input.resource.name} / ${input.entitlement.name}`;

  const notActive = () => refuse({ code: 'conflict', message: `the grant is ${state.status}, not active` });
  setHandler(grantStateQuery, () => state);
  setHandler(
    extendUpdate,
    async (request) => {
      extensions += 1;
      state.expiresAt = (state.expiresAt ?? Date.now()) + request.seconds * 1000;
      reminded = false;
      await activities.recordGrantTransition({
        grantId: input.grantId,
        patch: { expiresAt: state.expiresAt },
        audit: [
          audit(`extended:${extensions}`, {
            event_type: 'access.grant.extended',
            actor: personActor(request.by, undefined, request.slackId),
            action: 'extend',
            result: 'success',
            ...(request.reason ? { reason: request.reason } : {}),
            details: { seconds: request.seconds, expiresAt: new Date(state.expiresAt).toISOString() },
          }),
        ],
      });
      return state;
    },
    {
      validator: (request) => {
        if (request.by !== state.holder && !request.asAdmin) {
          refuse({ code: 'not_allowed', message: 'only the holder or an admin may extend a grant' });
        }
        if (state.status !== 'active' || ending) notActive();
        if (!Number.isInteger(request.seconds) || request.seconds <= 0) {
          refuse({ code: 'invalid', message: 'seconds must be a positive whole number' });
        }
        if (state.expiresAt === null) {
          refuse({ code: 'conflict', message: 'this access has no end date, so there is nothing to extend' });
        }
        const limit = Date.now() + input.entitlement.maxDurationSeconds * 1000;
        if ((state.expiresAt ?? 0) + request.seconds * 1000 > limit) {
          refuse({
            code: 'invalid',
            message: `the grant would run past the entitlement's maximum of ${input.entitlement.maxDurationSeconds}s from now`,
          });
        }
      },
    },
  );
  const endOn = (kind: 'released' | 'revoked') => async (actor: ActorInput) => {
    ending = { kind, actor };
    await condition(() => state.status !== 'active');
    return state;
  };
  setHandler(releaseUpdate, endOn('released'), {
    validator: (actor) => {
      if (actor.by !== state.holder)
        refuse({ code: 'not_allowed', message: 'only the holder may release a grant' });
      if (state.status !== 'active' || ending) notActive();
    },
  });
  setHandler(revokeUpdate, endOn('revoked'), {
    validator: (actor) => {
      if (!actor.asAdmin) refuse({ code: 'not_allowed', message: 'only an admin may revoke a grant' });
      if (state.status !== 'active' || ending) notActive();
    },
  });
  setHandler(
    fulfilRemovalUpdate,
    async (actor) => {
      removalDoneBy = actor.by;
      return state;
    },
    {
      validator: (actor) => {
        if (actor.by !== input.resource.owner && !actor.asAdmin) {
          refuse({
            code: 'not_allowed',
            message: "only the resource's owner or an admin may report the removal",
          });
        }
        if (state.status !== 'ending' || removalDoneBy)
          refuse({ code: 'conflict', message: 'no manual removal is waiting' });
      },
    },
  );

  // The timer follows the expiry, which an extension moves: wait in slices until then.
  // Standing access has no timer: it waits for a release or a revocation.
  if (state.expiresAt === null) await condition(() => !!ending);
  while (!ending && state.expiresAt !== null) {
    const remindAt = state.expiresAt - input.remindBeforeSeconds * 1000;
    const next =
      !reminded && input.remindBeforeSeconds > 0 ? Math.min(remindAt, state.expiresAt) : state.expiresAt;
    const expiresBefore = state.expiresAt;
    if (next > Date.now())
      await condition(() => !!ending || state.expiresAt !== expiresBefore, next - Date.now());
    if (ending || state.expiresAt !== expiresBefore) continue;
    if (Date.now() >= state.expiresAt) {
      ending = { kind: 'expired' };
      break;
    }
    reminded = true;
    await activities.recordAudit([
      audit(`reminded:${extensions}`, {
        event_type: 'access.grant.reminded',
        actor: WORKFLOW_ACTOR,
        action: 'remind',
        result: 'success',
        details: { expiresAt: new Date(state.expiresAt).toISOString() },
      }),
    ]);
    await activities.notify({
      kind: 'grant_expiring',
      to: [state.holder],
      grantId: input.grantId,
      text: `Your access to ${what} expires at ${new Date(state.expiresAt).toISOString()}; extend it if you still need it.`,
      actions: ['extend', 'release'],
    });
  }

  await end(ending as Ending);
  return state;

  async function end(how: Ending): Promise<void> {
    const eventType: AuditEventInput['event_type'] = `access.grant.${how.kind}`;
    state.status = 'ending';
    await activities.recordGrantTransition({
      grantId: input.grantId,
      patch: {
        status: how.kind,
        ended: true,
        ...(how.actor ? { endedBy: how.actor.by } : {}),
        endReason: how.actor?.reason ?? how.kind,
      },
      audit: [
        audit(how.kind, {
          event_type: eventType,
          actor: how.actor ? personActor(how.actor.by, undefined, how.actor.slackId) : WORKFLOW_ACTOR,
          action: how.kind === 'expired' ? 'expire' : how.kind === 'released' ? 'release' : 'revoke',
          result: 'success',
          ...(how.actor?.reason ? { reason: how.actor.reason } : {}),
        }),
      ],
    });
    const verified = await removeAtTarget();
    state.status = how.kind;
    state.removalVerified = verified;
    await activities.notify({
      kind: 'grant_ended',
      to: [state.holder],
      grantId: input.grantId,
      text: `Your access to ${what} has ended (${how.kind}).`,
    });
  }

  /** Removes the access once and reads the target back; true/false when it can tell, else null. */
  async function removeAtTarget(): Promise<boolean | null> {
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
        text: `Please remove ${what} from ${input.holder.name} (${input.holder.email}), then mark it done.`,
        actions: ['fulfil_done'],
      });
      await condition(() => !!removalDoneBy);
    } else {
      // Removal must happen eventually: it retries until the target answers, without a cap.
      const { removeAccess } = proxyActivities<Activities>({
        startToCloseTimeout: input.provisioningRetry.attemptTimeoutMs,
        retry: {
          initialInterval: input.provisioningRetry.initialIntervalMs,
          maximumInterval: input.provisioningRetry.maximumIntervalMs,
        },
      });
      await removeAccess(request);
    }
    const seen = await activities.checkAccess(request);
    const verified = seen === 'unknown' ? null : seen === 'absent';
    await activities.recordGrantTransition({
      grantId: input.grantId,
      patch: { removalVerified: verified },
      audit: [
        audit('deprovisioned', {
          event_type: 'access.grant.deprovisioned',
          actor: removalDoneBy ? personActor(removalDoneBy) : WORKFLOW_ACTOR,
          action: 'deprovision',
          result: 'success',
        }),
        audit('verified', {
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
}
