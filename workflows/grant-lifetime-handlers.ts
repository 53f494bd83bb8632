// The grant's updates and query: extend (holder or admin, within the entitlement's maximum),
// release (holder), revoke (admin), and the owner's report that a manual removal is done.
// Validators refuse before anything is written to history.
import { condition, setHandler } from '@temporalio/workflow';
import { personActor } from './audit-write.js';
import { activities, type GrantRun, grantAudit } from './grant-lifetime-context.js';
import {
  type ActorInput,
  extendUpdate,
  fulfilRemovalUpdate,
  grantStateQuery,
  releaseUpdate,
  revokeUpdate,
} from './messages.js';
import { refuse } from './refusal.js';

/** Registers every update and the query of one run. */
export function registerGrantHandlers(run: GrantRun): void {
  const { input, state } = run;
  const notActive = () => refuse({ code: 'conflict', message: `the grant is ${state.status}, not active` });
  setHandler(grantStateQuery, () => state);
  setHandler(
    extendUpdate,
    async (request) => {
      run.extensions += 1;
      state.expiresAt = (state.expiresAt ?? Date.now()) + request.seconds * 1000;
      run.reminded = false;
      await activities.recordGrantTransition({
        grantId: input.grantId,
        patch: { expiresAt: state.expiresAt },
        audit: [
          grantAudit(run, `extended:${run.extensions}`, {
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
        if (state.status !== 'active' || run.ending) notActive();
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
    run.ending = { kind, actor };
    await condition(() => state.status !== 'active');
    return state;
  };
  setHandler(releaseUpdate, endOn('released'), {
    validator: (actor) => {
      if (actor.by !== state.holder)
        refuse({ code: 'not_allowed', message: 'only the holder may release a grant' });
      if (state.status !== 'active' || run.ending) notActive();
    },
  });
  setHandler(revokeUpdate, endOn('revoked'), {
    validator: (actor) => {
      if (!actor.asAdmin) refuse({ code: 'not_allowed', message: 'only an admin may revoke a grant' });
      if (state.status !== 'active' || run.ending) notActive();
    },
  });
  setHandler(
    fulfilRemovalUpdate,
    async (actor) => {
      run.removalDoneBy = actor.by;
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
        if (state.status !== 'ending' || run.removalDoneBy)
          refuse({ code: 'conflict', message: 'no manual removal is waiting' });
      },
    },
  );
}
