// A grant from provisioning to removal: for a grant the target does not hold yet (birthright),
// provisioning first (grant-provisioning.ts); a durable timer until expiry (moved by extensions), a
// reminder before it, early release by the holder or revocation by an admin, then removal at
// the target exactly once and a read-back to confirm it is gone (grant-removal.ts). Updates and the
// query live in grant-lifetime-handlers.ts, the shared run state in grant-lifetime-context.ts.
import { allHandlersFinished, condition } from '@temporalio/workflow';
import type { AuditEventInput } from '../audit/events.js';
import { personActor, WORKFLOW_ACTOR } from './audit-write.js';
import {
  activities,
  type Ending,
  type GrantRun,
  grantAudit,
  grantWhat,
  newGrantRun,
} from './grant-lifetime-context.js';
import { registerGrantHandlers } from './grant-lifetime-handlers.js';
import { provisionAtTarget } from './grant-provisioning.js';
import { removeAtTarget } from './grant-removal.js';
import type { GrantLifetimeInput, GrantState } from './messages.js';

/** Runs one grant until its access is removed; returns the final state. */
export async function grantLifetime(input: GrantLifetimeInput): Promise<GrantState> {
  const run = newGrantRun(input);
  registerGrantHandlers(run);
  // Not held yet: given at the target first. A release or revocation meanwhile waits for it to end.
  if (input.provision) await provisionAtTarget(run);
  await end(run, await untilEnding(run));
  // An update accepted just before the end (an extend racing a release) finishes before we return.
  await condition(allHandlersFinished);
  return run.state;
}

/** Waits for the expiry (moved by extensions), reminding the holder before it, or for an early end. */
async function untilEnding(run: GrantRun): Promise<Ending> {
  const { input, state } = run;
  // Standing access has no timer: it waits for a release or a revocation.
  if (state.expiresAt === null) await condition(() => !!run.ending);
  // The timer follows the expiry, which an extension moves: wait in slices until then.
  while (!run.ending && state.expiresAt !== null) {
    const remindAt = state.expiresAt - input.remindBeforeSeconds * 1000;
    const next =
      !run.reminded && input.remindBeforeSeconds > 0 ? Math.min(remindAt, state.expiresAt) : state.expiresAt;
    const expiresBefore = state.expiresAt;
    if (next > Date.now())
      await condition(() => !!run.ending || state.expiresAt !== expiresBefore, next - Date.now());
    if (run.ending || state.expiresAt !== expiresBefore) continue;
    if (Date.now() >= state.expiresAt) {
      run.ending = { kind: 'expired' };
      break;
    }
    run.reminded = true;
    await activities.recordAudit([
      grantAudit(run, `reminded:${run.extensions}`, {
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
      text: `Your access to ${grantWhat(run)} expires at ${new Date(state.expiresAt).toISOString()}; extend it if you still need it.`,
      actions: ['extend', 'release'],
    });
  }
  return run.ending as Ending;
}

/** Records the end, removes the access at the target, and tells the holder. */
async function end(run: GrantRun, how: Ending): Promise<void> {
  const { input, state } = run;
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
      grantAudit(run, how.kind, {
        event_type: eventType,
        actor: how.actor ? personActor(how.actor.by, undefined, how.actor.slackId) : WORKFLOW_ACTOR,
        action: how.kind === 'expired' ? 'expire' : how.kind === 'released' ? 'release' : 'revoke',
        result: 'success',
        ...(how.actor?.reason ? { reason: how.actor.reason } : {}),
      }),
    ],
  });
  const verified = await removeAtTarget(run);
  state.status = how.kind;
  state.removalVerified = verified;
  await activities.notify({
    kind: 'grant_ended',
    to: [state.holder],
    grantId: input.grantId,
    text: `Your access to ${grantWhat(run)} has ended (${how.kind}).`,
  });
}
